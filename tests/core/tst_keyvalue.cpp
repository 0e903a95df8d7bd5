#include "countingkeyvalue.h"
#include "filefaults.h"
#include "io/atomicfile.h"
#include "kv/directorykeyvalue.h"
#include "kv/memorykeyvalue.h"
#include "stores/zarr/zarrkeyvalue.h"
#include "task/taskcontext.h"
#include "testfiles.h"

#include <QDir>
#include <QDirIterator>
#include <QFile>
#include <QFileInfo>
#include <QTemporaryDir>
#include <QTest>

#include <atomic>
#include <csignal>
#include <cstring>
#include <fcntl.h>
#include <functional>
#include <sys/resource.h>
#include <sys/stat.h>
#include <thread>
#include <unistd.h>
#include <vector>

using namespace cs;

namespace {

constexpr int64_t kSlots = 64;

// A value whose every byte depends on its position and a seed, so a shifted or mixed-up read shows.
QByteArray pattern(int size, int seed = 0)
{
    QByteArray out(size, '\0');
    for (int i = 0; i < size; ++i)
        out[i] = char((i * 7 + seed * 13 + 3) % 251);
    return out;
}

QByteArray bytesOf(const KvValue &v)
{
    return QByteArray(v.data, qsizetype(v.size));
}

// The bytes this thread has read through read(2) and pread(2) so far, as the kernel counts them.
uint64_t threadReadBytes()
{
    const int fd = ::open("/proc/thread-self/io", O_RDONLY | O_CLOEXEC);
    char buf[1024];
    const ssize_t n = fd < 0 ? -1 : ::read(fd, buf, sizeof buf - 1);
    if (fd >= 0)
        ::close(fd);
    if (n <= 0)
        return 0;
    buf[n] = '\0';
    const char *rchar = std::strstr(buf, "rchar: ");
    return rchar ? std::strtoull(rchar + 7, nullptr, 10) : 0;
}

// One store under test: in memory, or in a temporary directory.
struct Backend {
    std::unique_ptr<QTemporaryDir> dir;
    std::unique_ptr<KeyValue> kv;
    bool inMemory = false;

    // Slotted keys are "c/SLOT" unless `names` spells them otherwise.
    explicit Backend(const QString &kind, bool nested = true, MemoryKeyValue::SlotNames names = {})
    {
        inMemory = kind == QLatin1String("memory");
        if (inMemory) {
            if (!names)
                names = [](int64_t slot) { return QStringLiteral("c/%1").arg(slot); };
            kv = std::make_unique<MemoryKeyValue>(kSlots, names);
            return;
        }
        dir = std::make_unique<QTemporaryDir>();
        kv = std::make_unique<DirectoryKeyValue>(dir->path(), nested);
    }
    // How the store names a key in its messages.
    QString name(const QString &key) const
    {
        return inMemory ? QStringLiteral("key \"%1\"").arg(key) : dir->path() + QLatin1Char('/') + key;
    }
    // Every entry under the directory, temporaries included.
    QStringList files() const
    {
        QStringList out;
        QDirIterator it(dir->path(), QDir::AllEntries | QDir::Hidden | QDir::System | QDir::NoDotAndDotDot,
                        QDirIterator::Subdirectories);
        while (it.hasNext())
            out.append(QDir(dir->path()).relativeFilePath(it.next()));
        out.sort();
        return out;
    }
};

QString errorOf(const std::function<void()> &f)
{
    try {
        f();
    } catch (const StoreError &e) {
        return e.message();
    }
    return QStringLiteral("(no error)");
}

const QByteArray kA("a");
const QByteArray kSlotted("c/3"); // slot 3

} // namespace

Q_DECLARE_METATYPE(cs::ByteRange)

class TestKeyValue : public QObject {
    Q_OBJECT

    static void backends()
    {
        QTest::addColumn<QString>("kind");
        QTest::newRow("memory") << QStringLiteral("memory");
        QTest::newRow("directory") << QStringLiteral("directory");
    }

private slots:
    void getsReturnTheRangeAsked_data() { backends(); }
    void getsReturnTheRangeAsked()
    {
        QFETCH(QString, kind);
        Backend b(kind);
        const QByteArray value = pattern(1000);
        b.kv->set(KvKey(kA), value);
        b.kv->set(KvKey(kSlotted, 3), value, Sync::NoFlush);
        TaskContext ctx;
        for (const KvKey &key : {KvKey(kA), KvKey(kSlotted, 3)}) {
            const auto get = [&](ByteRange range) {
                const KvValue v = b.kv->get(key, range, ValueLimit(), ctx, nullptr, 0);
                QVERIFY(v.present);
                QCOMPARE(v.total, uint64_t(1000));
            };
            const auto bytes
                = [&](ByteRange range) { return bytesOf(b.kv->get(key, range, ValueLimit(), ctx, nullptr, 0)); };
            get(ByteRange::whole());
            QCOMPARE(bytes(ByteRange::whole()), value);
            QCOMPARE(bytes(ByteRange::span(10, 20)), value.mid(10, 20));
            QCOMPARE(bytes(ByteRange::span(0, 1000)), value);
            QCOMPARE(bytes(ByteRange::span(999, 1)), value.right(1));
            QCOMPARE(bytes(ByteRange::suffix(16)), value.right(16));
            QCOMPARE(bytes(ByteRange::suffix(1000)), value);
            // An empty range finds the size without reading.
            get(ByteRange::span(0, 0));
            get(ByteRange::span(1000, 0));
            QCOMPARE(bytes(ByteRange::span(1000, 0)), QByteArray());
            QCOMPARE(bytes(ByteRange::suffix(0)), QByteArray());
        }
        const KvValue missing
            = b.kv->get(KvKey(QByteArrayLiteral("b")), ByteRange::whole(), ValueLimit(), ctx, nullptr, 0);
        QVERIFY(!missing.present);
        QVERIFY(
            !b.kv->get(KvKey(QByteArrayLiteral("c/4"), 4), ByteRange::whole(), ValueLimit(), ctx, nullptr, 0).present);
        QCOMPARE(b.kv->getCopy(KvKey(kA), ByteRange::span(100, 50)), std::optional<QByteArray>(value.mid(100, 50)));
    }

    // A store that copies puts the bytes into the caller's buffer when they fill it exactly, and into
    // the worker's scratch buffer otherwise; memory hands out its own bytes.
    void directBufferTakesAnExactFit_data() { backends(); }
    void directBufferTakesAnExactFit()
    {
        QFETCH(QString, kind);
        Backend b(kind);
        const QByteArray value = pattern(400);
        b.kv->set(KvKey(kSlotted, 3), value, Sync::NoFlush);
        TaskContext ctx;
        QByteArray direct(400, '\0');
        const KvValue whole = b.kv->get(KvKey(kSlotted, 3), ByteRange::whole(), ValueLimit(), ctx, direct.data(), 400);
        QCOMPARE(bytesOf(whole), value);
        QCOMPARE(whole.data == direct.constData(), !b.inMemory);
        QCOMPARE(direct == value, !b.inMemory);
        const KvValue part
            = b.kv->get(KvKey(kSlotted, 3), ByteRange::span(8, 100), ValueLimit(), ctx, direct.data(), 400);
        QCOMPARE(bytesOf(part), value.mid(8, 100));
        QVERIFY(part.data != direct.constData());
        if (!b.inMemory)
            QVERIFY(part.data == ctx.scratch(Scratch::Packed, 0));
    }

    // On disk a range is read with pread alone: the kernel counts the bytes read, and a suffix or a
    // span of a 4 MiB value reads a page at most, where the whole value reads all of it.
    void directoryReadsOnlyTheRange()
    {
        Backend b(QStringLiteral("directory"));
        const QByteArray value = pattern(4 << 20);
        b.kv->set(KvKey(kA), value, Sync::NoFlush);
        TaskContext ctx;
        const auto bytesReadBy = [&](ByteRange range) {
            const uint64_t before = threadReadBytes();
            const KvValue v = b.kv->get(KvKey(kA), range, ValueLimit(), ctx, nullptr, 0);
            const uint64_t after = threadReadBytes();
            if (!v.present)
                return uint64_t(-1);
            return after - before;
        };
        if (threadReadBytes() == 0)
            QSKIP("/proc/thread-self/io is not readable here");
        QVERIFY2(bytesReadBy(ByteRange::suffix(64)) < 4096, "a suffix read more than a page");
        QVERIFY2(bytesReadBy(ByteRange::span(1 << 21, 64)) < 4096, "a span read more than a page");
        QVERIFY(bytesReadBy(ByteRange::whole()) >= uint64_t(4 << 20));
    }

    void countingWrapperCountsGetsAndBytes_data() { backends(); }
    void countingWrapperCountsGetsAndBytes()
    {
        QFETCH(QString, kind);
        Backend b(kind);
        b.kv->set(KvKey(kA), pattern(1000));
        CountingKeyValue counting(std::move(b.kv));
        TaskContext ctx;
        counting.get(KvKey(kA), ByteRange::suffix(16), ValueLimit(), ctx, nullptr, 0);
        counting.get(KvKey(kA), ByteRange::span(100, 20), ValueLimit(), ctx, nullptr, 0);
        counting.get(KvKey(QByteArrayLiteral("b")), ByteRange::whole(), ValueLimit(), ctx, nullptr, 0);
        QCOMPARE(counting.reads(kA), (CountingKeyValue::Reads{2, 36}));
        QCOMPARE(counting.reads(QByteArrayLiteral("b")), (CountingKeyValue::Reads{1, 0}));
        QCOMPARE(counting.bytesRead(), uint64_t(36));
        QCOMPARE(counting.getCopy(KvKey(kA)), std::optional<QByteArray>(pattern(1000)));
    }

    void rangesOutsideTheValueAreRefused_data()
    {
        QTest::addColumn<QString>("kind");
        QTest::addColumn<ByteRange>("range");
        QTest::addColumn<QString>("error");
        for (const QString &kind : {QStringLiteral("memory"), QStringLiteral("directory")}) {
            const auto row = [&](const char *name, ByteRange range, const QString &error) {
                QTest::addRow("%s, %s", qPrintable(kind), name) << kind << range << error;
            };
            row("past the end", ByteRange::span(990, 20),
                QStringLiteral("cannot read bytes [990, 1010) of %1: it has 1000 bytes"));
            row("empty, past the end", ByteRange::span(1001, 0),
                QStringLiteral("cannot read bytes [1001, 1001) of %1: it has 1000 bytes"));
            row("suffix too long", ByteRange::suffix(1001),
                QStringLiteral("cannot read the last 1001 bytes of %1: it has 1000 bytes"));
            row("wrapping", ByteRange::span(UINT64_MAX, 2),
                QStringLiteral("cannot read 2 bytes from byte 18446744073709551615 of %1: it has 1000 bytes"));
        }
    }
    void rangesOutsideTheValueAreRefused()
    {
        QFETCH(QString, kind);
        QFETCH(ByteRange, range);
        QFETCH(QString, error);
        Backend b(kind);
        b.kv->set(KvKey(kA), pattern(1000));
        b.kv->set(KvKey(kSlotted, 3), pattern(1000));
        TaskContext ctx;
        QCOMPARE(errorOf([&] { b.kv->get(KvKey(kA), range, ValueLimit(), ctx, nullptr, 0); }),
                 error.arg(b.name(QStringLiteral("a"))));
        QCOMPARE(errorOf([&] { b.kv->get(KvKey(kSlotted, 3), range, ValueLimit(), ctx, nullptr, 0); }),
                 error.arg(b.name(QStringLiteral("c/3"))));
    }

    // The limit applies to the bytes a get would read, before anything is allocated for them.
    void readsOverTheLimitAreRefused_data() { backends(); }
    void readsOverTheLimitAreRefused()
    {
        QFETCH(QString, kind);
        Backend b(kind);
        b.kv->set(KvKey(kSlotted, 3), pattern(1000), Sync::NoFlush);
        const ValueLimit limit{QStringLiteral("chunk"), 100, QStringLiteral("an encoded chunk of 80 bytes can take")};
        TaskContext ctx;
        QCOMPARE(errorOf([&] { b.kv->get(KvKey(kSlotted, 3), ByteRange::whole(), limit, ctx, nullptr, 0); }),
                 QStringLiteral("%1 is 1000 bytes, more than the 100 an encoded chunk of 80 bytes can take")
                     .arg(b.name(QStringLiteral("c/3"))));
        QCOMPARE(errorOf([&] { b.kv->get(KvKey(kSlotted, 3), ByteRange::span(0, 101), limit, ctx, nullptr, 0); }),
                 QStringLiteral("bytes [0, 101) of %1 are 101 bytes, more than the 100 an encoded chunk of 80 bytes "
                                "can take")
                     .arg(b.name(QStringLiteral("c/3"))));
        QVERIFY(ctx.scratch(Scratch::Packed, 0) == nullptr);
        QCOMPARE(bytesOf(b.kv->get(KvKey(kSlotted, 3), ByteRange::suffix(100), limit, ctx, nullptr, 0)),
                 pattern(1000).right(100));
    }

    // A 64 GiB file (sparse: it costs no disk) at a chunk's key fails at once, having allocated nothing.
    void hugeFileFailsWithoutAllocating()
    {
        Backend b(QStringLiteral("directory"));
        QFile huge(b.dir->filePath(QStringLiteral("0.0")));
        QVERIFY(huge.open(QIODevice::WriteOnly));
        if (!huge.resize(qint64(64) << 30))
            QSKIP("this file system cannot hold a sparse 64 GiB file");
        huge.close();
        const ValueLimit limit{QStringLiteral("chunk"), 4194320,
                               QStringLiteral("an encoded chunk of 4194304 bytes can take")};
        TaskContext ctx;
        QCOMPARE(
            errorOf([&] { b.kv->get(KvKey(QByteArrayLiteral("0.0"), 0), ByteRange::whole(), limit, ctx, nullptr, 0); }),
            QStringLiteral("%1 is 68719476736 bytes, more than the 4194320 an encoded chunk of 4194304 bytes "
                           "can take")
                .arg(b.name(QStringLiteral("0.0"))));
        QVERIFY(ctx.scratch(Scratch::Packed, 0) == nullptr);
        // Its last bytes are still there to read, as a shard's index is.
        QCOMPARE(bytesOf(b.kv->get(KvKey(QByteArrayLiteral("0.0"), 0), ByteRange::suffix(16), limit, ctx, nullptr, 0)),
                 QByteArray(16, '\0'));
    }

    void nonRegularFilesAreRefused()
    {
        Backend b(QStringLiteral("directory"));
        const QString fifo = b.dir->filePath(QStringLiteral("f"));
        QVERIFY(::mkfifo(QFile::encodeName(fifo).constData(), 0600) == 0);
        QVERIFY(QDir().mkdir(b.dir->filePath(QStringLiteral("d"))));
        const ValueLimit chunk{QStringLiteral("chunk"), 100, QStringLiteral("why")};
        TaskContext ctx;
        QCOMPARE(errorOf([&] { b.kv->get(KvKey(QByteArrayLiteral("f")), ByteRange::whole(), chunk, ctx, nullptr, 0); }),
                 QStringLiteral("%1 is a FIFO, not a chunk file").arg(fifo));
        QCOMPARE(errorOf([&] { b.kv->getCopy(KvKey(QByteArrayLiteral("d"))); }),
                 QStringLiteral("%1 is a directory, not a regular file").arg(b.dir->filePath(QStringLiteral("d"))));
        QCOMPARE(errorOf([&] { b.kv->erase(KvKey(QByteArrayLiteral("f"))); }),
                 QStringLiteral("cannot delete %1 (it is a FIFO)").arg(fifo));
        QCOMPARE(errorOf([&] { b.kv->set(KvKey(QByteArrayLiteral("f")), QByteArray("x")); }),
                 QStringLiteral("cannot replace %1 (not a regular file)").arg(fifo));
        QCOMPARE(b.files(), (QStringList{QStringLiteral("d"), QStringLiteral("f")}));
        QVERIFY(QFileInfo(fifo).isFile() == false && QFileInfo::exists(fifo));
    }

    void keysThatLeaveTheDirectoryAreRefused()
    {
        Backend b(QStringLiteral("directory"));
        for (const QByteArray &key : {QByteArrayLiteral("../x"), QByteArrayLiteral("/etc/x"), QByteArrayLiteral("a//b"),
                                      QByteArrayLiteral("a/./b"), QByteArrayLiteral("")}) {
            QCOMPARE(
                errorOf([&] { b.kv->set(KvKey(key), QByteArray("x")); }),
                QStringLiteral("key \"%1\" would leave the directory %2").arg(QString::fromUtf8(key), b.dir->path()));
            QVERIFY(!b.kv->getCopy(KvKey(key)));
        }
        QVERIFY(b.kv->list(QStringLiteral("../")).isEmpty());
        QCOMPARE(b.files(), QStringList());
    }

    void setReplacesTheValue_data() { backends(); }
    void setReplacesTheValue()
    {
        QFETCH(QString, kind);
        Backend b(kind);
        b.kv->set(KvKey(kA), pattern(300, 1));
        b.kv->set(KvKey(kA), pattern(200, 2), Sync::NoFlush);
        QCOMPARE(b.kv->getCopy(KvKey(kA)), std::optional<QByteArray>(pattern(200, 2)));
        TaskContext ctx;
        b.kv->set(KvKey(kSlotted, 3), pattern(300, 3), Sync::NoFlush);
        const KvValue first = b.kv->get(KvKey(kSlotted, 3), ByteRange::whole(), ValueLimit(), ctx, nullptr, 0);
        b.kv->set(KvKey(kSlotted, 3), pattern(300, 4), Sync::NoFlush);
        const KvValue second = b.kv->get(KvKey(kSlotted, 3), ByteRange::whole(), ValueLimit(), ctx, nullptr, 0);
        QCOMPARE(bytesOf(second), pattern(300, 4));
        QCOMPARE(b.kv->storedBytes(), int64_t(500));
        QCOMPARE(b.kv->valueCount(), int64_t(2));
        if (b.inMemory) {
            // A warm slot is rewritten in place: no allocation.
            QVERIFY(second.data == first.data);
        } else {
            QCOMPARE(b.files(), (QStringList{QStringLiteral("a"), QStringLiteral("c"), QStringLiteral("c/3")}));
        }
    }

    // A write that fails (here the file size limit, as a full disk would) leaves the old value and no
    // temporary file; so does a rename refused because a directory stands at the key.
    void failedSetKeepsTheOldValue()
    {
        Backend b(QStringLiteral("directory"));
        b.kv->set(KvKey(kA), pattern(100, 1));
        struct rlimit old;
        QVERIFY(::getrlimit(RLIMIT_FSIZE, &old) == 0);
        const auto oldHandler = std::signal(SIGXFSZ, SIG_IGN);
        struct rlimit small = old;
        small.rlim_cur = 500;
        QVERIFY(::setrlimit(RLIMIT_FSIZE, &small) == 0);
        const QString error = errorOf([&] { b.kv->set(KvKey(kA), pattern(1000, 2)); });
        ::setrlimit(RLIMIT_FSIZE, &old);
        std::signal(SIGXFSZ, oldHandler);
        QCOMPARE(error, QStringLiteral("cannot write %1 (File too large)").arg(b.name(QStringLiteral("a"))));
        QCOMPARE(b.kv->getCopy(KvKey(kA)), std::optional<QByteArray>(pattern(100, 1)));
        QCOMPARE(b.files(), QStringList{QStringLiteral("a")});

        QVERIFY(QDir().mkdir(b.dir->filePath(QStringLiteral("d"))));
        QCOMPARE(errorOf([&] { b.kv->set(KvKey(QByteArrayLiteral("d")), pattern(10)); }),
                 QStringLiteral("cannot replace %1 (Is a directory)").arg(b.name(QStringLiteral("d"))));
        QCOMPARE(b.files(), (QStringList{QStringLiteral("a"), QStringLiteral("d")}));
    }

    void eraseRemovesTheValue_data() { backends(); }
    void eraseRemovesTheValue()
    {
        QFETCH(QString, kind);
        Backend b(kind);
        b.kv->set(KvKey(kA), pattern(100));
        b.kv->set(KvKey(kSlotted, 3), pattern(200), Sync::NoFlush);
        QVERIFY(b.kv->erase(KvKey(kA)));
        QVERIFY(!b.kv->erase(KvKey(kA)));
        QVERIFY(!b.kv->getCopy(KvKey(kA)));
        QCOMPARE(b.kv->storedBytes(), int64_t(200));
        QVERIFY(b.kv->erase(KvKey(kSlotted, 3)));
        QVERIFY(!b.kv->erase(KvKey(kSlotted, 3)));
        QVERIFY(!b.kv->erase(KvKey(QByteArrayLiteral("c/5"), 5)));
        QVERIFY(!b.kv->getCopy(KvKey(kSlotted, 3)));
        QCOMPARE(b.kv->storedBytes(), int64_t(0));
        QCOMPARE(b.kv->valueCount(), int64_t(0));
        QCOMPARE(b.kv->list(), QStringList());
        b.kv->set(KvKey(kSlotted, 3), pattern(50), Sync::NoFlush);
        QCOMPARE(b.kv->getCopy(KvKey(kSlotted, 3)), std::optional<QByteArray>(pattern(50)));
        QCOMPARE(b.kv->valueCount(), int64_t(1));
    }

    void listShowsTheKeysOfAPrefix_data() { backends(); }
    void listShowsTheKeysOfAPrefix()
    {
        QFETCH(QString, kind);
        Backend b(kind);
        for (const char *key : {".zarray", "bc", "a", "b/2", "b/1"})
            b.kv->set(KvKey(QByteArray(key)), QByteArray(key));
        for (const int slot : {10, 0, 2})
            b.kv->set(KvKey(QByteArrayLiteral("c/") + QByteArray::number(slot), slot), QByteArray(3, 'x'),
                      Sync::NoFlush);
        if (!b.inMemory)
            QVERIFY(writeAll(b.dir->filePath(QStringLiteral("b/.1.999999.0.partial")), "half"));
        QCOMPARE(
            b.kv->list(),
            (QStringList{QStringLiteral(".zarray"), QStringLiteral("a"), QStringLiteral("b/1"), QStringLiteral("b/2"),
                         QStringLiteral("bc"), QStringLiteral("c/0"), QStringLiteral("c/10"), QStringLiteral("c/2")}));
        QCOMPARE(b.kv->list(QStringLiteral("b")),
                 (QStringList{QStringLiteral("b/1"), QStringLiteral("b/2"), QStringLiteral("bc")}));
        QCOMPARE(b.kv->list(QStringLiteral("b/")), (QStringList{QStringLiteral("b/1"), QStringLiteral("b/2")}));
        QCOMPARE(b.kv->list(QStringLiteral("c/1")), QStringList{QStringLiteral("c/10")});
        QCOMPARE(b.kv->list(QStringLiteral("z")), QStringList());
        QCOMPARE(b.kv->list(QStringLiteral("z/")), QStringList());
        QCOMPARE(b.kv->valueCount(), int64_t(8));
        QCOMPARE(b.kv->storedBytes(), int64_t(7 + 2 + 1 + 3 + 3 + 9));
    }

    // Workers set and get distinct slotted keys at once, each checking it reads back what it wrote.
    void distinctSlotsFromManyThreads_data() { backends(); }
    void distinctSlotsFromManyThreads()
    {
        QFETCH(QString, kind);
        Backend b(kind);
        constexpr int kThreads = 4;
        constexpr int kSlotsEach = kSlots / kThreads;
        const int rounds = b.inMemory ? 400 : 20;
        std::atomic<int> wrong{0};
        std::atomic<int> failures{0};
        std::vector<std::thread> threads;
        for (int t = 0; t < kThreads; ++t) {
            threads.emplace_back([&, t] {
                TaskContext ctx;
                try {
                    for (int round = 0; round < rounds; ++round) {
                        for (int i = 0; i < kSlotsEach; ++i) {
                            const int slot = t * kSlotsEach + i;
                            const QByteArray key = QByteArrayLiteral("c/") + QByteArray::number(slot);
                            const QByteArray value = pattern(64 + (round % 7) * 16, slot * 1000 + round);
                            b.kv->set(KvKey(key, slot), value.constData(), size_t(value.size()), Sync::NoFlush);
                            const KvValue got
                                = b.kv->get(KvKey(key, slot), ByteRange::whole(), ValueLimit(), ctx, nullptr, 0);
                            if (!got.present || bytesOf(got) != value)
                                ++wrong;
                        }
                    }
                } catch (const StoreError &) {
                    ++failures;
                }
            });
        }
        for (std::thread &t : threads)
            t.join();
        QCOMPARE(failures.load(), 0);
        QCOMPARE(wrong.load(), 0);
        QCOMPARE(b.kv->valueCount(), kSlots);
        for (int slot = 0; slot < kSlots; ++slot) {
            const QByteArray key = QByteArrayLiteral("c/") + QByteArray::number(slot);
            QCOMPARE(b.kv->getCopy(KvKey(key, slot)),
                     std::optional<QByteArray>(pattern(64 + ((rounds - 1) % 7) * 16, slot * 1000 + rounds - 1)));
        }
    }

    void memorySlotsOutsideTheGridAreRefused()
    {
        MemoryKeyValue kv(16);
        QCOMPARE(errorOf([&] { kv.set(KvKey(QByteArrayLiteral("z"), 16), QByteArray("1")); }),
                 QStringLiteral("key \"z\" has slot 16, outside the 16 slots of this store"));
        QCOMPARE(errorOf([&] { kv.getCopy(KvKey(QByteArrayLiteral("z"), 16)); }),
                 QStringLiteral("key \"z\" has slot 16, outside the 16 slots of this store"));
        // Without names, a slot lists as its number.
        kv.set(KvKey(QByteArrayLiteral("x"), 3), QByteArray("1"));
        QCOMPARE(kv.list(), QStringList{QStringLiteral("3")});
        QCOMPARE(kv.slottedValueCount(), std::optional<int64_t>(1));
    }

    // prepareForWriting removes what killed writers left, in the whole tree when keys nest.
    void prepareRemovesStaleTemporaries_data()
    {
        QTest::addColumn<bool>("nested");
        QTest::newRow("nested") << true;
        QTest::newRow("flat") << false;
    }
    void prepareRemovesStaleTemporaries()
    {
        QFETCH(bool, nested);
        Backend b(QStringLiteral("directory"), nested);
        const QString dead = QString::number(deadPid());
        const QString host = temporaryHostName();
        // This host's dead writers, named as replaceFileContents names them and in the older form
        // without a host: removed.
        const QString top = QStringLiteral(".a.0.%1@%2.0.partial").arg(dead, host);
        const QString below = QStringLiteral("n/.b.0.%1@%2.0.partial").arg(dead, host);
        const QString older = QStringLiteral(".d.0.%1.1.partial").arg(dead);
        // A live writer here, and another host's writer whose id is dead here: kept.
        const QString live = QStringLiteral(".c.0.%1@%2.0.partial").arg(::getpid()).arg(host);
        const QString elsewhere = QStringLiteral(".e.0.%1@%2.2.partial").arg(dead, anotherHost(host));
        const QString elsewhereBelow = QStringLiteral("n/.f.%1@%2.0.partial").arg(dead, anotherHost(host));
        QVERIFY(QDir().mkdir(b.dir->filePath(QStringLiteral("n"))));
        for (const QString &name : {top, below, older, live, elsewhere, elsewhereBelow})
            QVERIFY(writeAll(b.dir->filePath(name), "half"));
        b.kv->prepareForWriting();
        QStringList left{QStringLiteral("n"), live, elsewhere, elsewhereBelow};
        if (!nested)
            left.append(below);
        left.sort();
        QCOMPARE(b.files(), left);
        QVERIFY(QFile::link(b.dir->path(), b.dir->filePath(QStringLiteral("n/up"))));
        const QString refusal = errorOf([&] { b.kv->prepareForWriting(); });
        QCOMPARE(refusal,
                 nested ? QStringLiteral("%1 is a symbolic link to a directory; not writing through it")
                              .arg(b.dir->filePath(QStringLiteral("n/up")))
                        : QStringLiteral("(no error)"));
    }

    // Zarr lists an array as zarr does: metadata and other keys first, sorted, then chunks in C order.
    void zarrListsMetadataThenChunks_data() { backends(); }
    void zarrListsMetadataThenChunks()
    {
        QFETCH(QString, kind);
        const Coords shape = Coords::fromVector({12});
        const ZarrChunkKeys keys(ChunkGrid(shape, Coords::fromVector({1})), '.');
        Backend b(kind, true, [&](int64_t linear) { return keys.key(linear); });
        for (const char *key : {"10", ".zattrs", "2", "README", ".zarray", "0"}) {
            const QByteArray bytes(key);
            b.kv->set(keys.anyKey(bytes), bytes);
        }
        QCOMPARE(zarrKeys(*b.kv, keys),
                 (QStringList{QStringLiteral(".zarray"), QStringLiteral(".zattrs"), QStringLiteral("README"),
                              QStringLiteral("0"), QStringLiteral("2"), QStringLiteral("10")}));
        QCOMPARE(zarrChunksInitialized(*b.kv, keys), int64_t(3));
        char buf[ZarrChunkKeys::kMaxKeyBytes];
        QCOMPARE(b.kv->getCopy(keys.chunk(10, Coords::fromVector({10}), buf)), std::optional<QByteArray>("10"));
    }
};

QTEST_GUILESS_MAIN(TestKeyValue)
#include "tst_keyvalue.moc"
