// Faults during a run: a full disk under a Zarr directory store, a bcolz rootdir and an HDF5 file (a
// file size limit, and a small tmpfs that really runs out of space), a corrupt chunk in the middle of
// the source, cancellation while the workers are in each phase, and cancellation while the run's
// arrays are being filled. In every case the run ends failed or cancelled within one task per worker,
// every pool thread is joined, no file descriptor is left open, the next run works, and a run that
// did not finish is never reported verified. Leaks are AddressSanitizer's job: this suite runs under
// the asan preset too.
#include "engine/copyrun.h"
#include "phasegate.h"
#include "processprobe.h"
#include "results/resultsjson.h"
#include "runner/arrayset.h"
#include "runner/runexecutor.h"
#include "scenario/scenarioparser.h"
#include "smalldisk.h"
#include "stores/generatorstore.h"
#include "stores/hdf5/hdf5store.h"
#include "stores/memory/memorystore.h"
#include "stores/zarr/zarroptions.h"
#include "stores/zarr/zarrstore.h"
#include "task/taskcontext.h"

#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRandomGenerator>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QTest>
#include <QThread>

#include <csignal>
#include <sys/resource.h>
#include <unistd.h>

using namespace cs;
using namespace reliability;

namespace {

// A disk with `bytes` left for any one file: RLIMIT_FSIZE makes write(2) fail with EFBIG past it,
// for root too, which is what a full disk looks like to the stores (a failed write, the same path as
// ENOSPC). SIGXFSZ is ignored meanwhile, as it would otherwise end the process.
class FileSizeLimit {
public:
    explicit FileSizeLimit(rlim_t bytes)
    {
        m_oldHandler = std::signal(SIGXFSZ, SIG_IGN);
        ::getrlimit(RLIMIT_FSIZE, &m_old);
        rlimit limited = m_old;
        limited.rlim_cur = bytes;
        ::setrlimit(RLIMIT_FSIZE, &limited);
    }
    ~FileSizeLimit()
    {
        ::setrlimit(RLIMIT_FSIZE, &m_old);
        std::signal(SIGXFSZ, m_oldHandler);
    }
    FileSizeLimit(const FileSizeLimit &) = delete;
    FileSizeLimit &operator=(const FileSizeLimit &) = delete;

private:
    rlimit m_old{};
    void (*m_oldHandler)(int) = nullptr;
};

std::optional<Scenario> parse(const QByteArray &json, const QString &dir)
{
    QString error;
    std::optional<Scenario> s = parseScenario(json, QStringLiteral("faults.json"), &error, dir);
    if (!s)
        qWarning("%s", qPrintable(error));
    return s;
}

// How many tasks began after the failing one had ended: at most one per other worker, since the
// run is flagged as failed before the failing task's end is stamped.
int64_t tasksBegunAfter(const std::vector<TaskEvent> &events, int64_t failingTask)
{
    const auto failed
        = std::find_if(events.begin(), events.end(), [&](const TaskEvent &e) { return e.task == failingTask; });
    if (failed == events.end())
        return -1;
    int64_t after = 0;
    for (const TaskEvent &e : events)
        after += e.startNs > failed->endNs;
    return after;
}

// What a Zarr directory store and a bcolz rootdir's data folder hold once every write has ended.
const QString kZarrNames = QStringLiteral("\\.zarray|[0-9]+");
const QString kBcolzDataNames = QStringLiteral("__[0-9]+\\.blp");

// Runs `run` once more, as the user would after a failure, and says what is wrong with the result:
// empty when it ended ok, verified, with `bytes` copied (any when negative).
QString nextRunProblem(const RunSpec &run, ArraySet &arrays, int64_t bytes = -1)
{
    const QList<RunResult> next = executeRun(run, arrays);
    if (next.size() != 1)
        return QStringLiteral("%1 results").arg(next.size());
    const RunResult &r = next[0];
    if (r.status != RunResult::Status::Ok)
        return QStringLiteral("%1: %2").arg(statusName(r.status), r.error);
    if (r.verified != std::optional<bool>(true))
        return QStringLiteral("not verified: %1").arg(r.verifyMessage);
    if (bytes >= 0 && r.bytes != bytes)
        return QStringLiteral("%1 bytes copied of %2").arg(r.bytes).arg(bytes);
    return {};
}

// Every entry of a directory whose name does not match `pattern`: leftovers of a failed write.
QStringList strayFiles(const QString &dir, const QString &pattern)
{
    const QRegularExpression re(QRegularExpression::anchoredPattern(pattern));
    QStringList stray;
    const QStringList names
        = QDir(dir).entryList(QDir::AllEntries | QDir::Hidden | QDir::System | QDir::NoDotAndDotDot);
    for (const QString &name : names)
        if (!re.match(name).hasMatch())
            stray << name;
    return stray;
}

void truncateFile(const QString &path, qint64 keep)
{
    QFile f(path);
    QVERIFY2(f.exists(), qPrintable(path));
    QVERIFY(f.resize(keep));
}

std::unique_ptr<MemoryStore> arangeStore(const Coords &shape, const Coords &chunks)
{
    const DType i4(DType::Kind::Int, 4);
    auto store = std::make_unique<MemoryStore>(QStringLiteral("src"), i4, shape, chunks);
    FillSpec fill;
    fill.kind = FillSpec::Kind::Arange;
    GeneratorStore gen(fill, i4, shape, chunks);
    TaskContext ctx;
    gen.read(Region::whole(shape), store->data(), ctx);
    return store;
}

std::unique_ptr<CopyRun> copyAndWait(Store &source, Store &target, const CopyOptions &options)
{
    auto run = std::make_unique<CopyRun>(source, target, options);
    run->start();
    run->wait();
    return run;
}

enum class Where { Read, Decode, Encode, Write, LockWaitTarget, LockWaitIo };

} // namespace

class TestFaults : public QObject {
    Q_OBJECT
public:
    static void initMain() { checkMountingAtStart(); }

private Q_SLOTS:
    void diskFullFailsTheRun_data()
    {
        QTest::addColumn<QString>("target");
        QTest::addColumn<int>("workers");
        for (const char *target : {"z", "c"})
            for (int workers : {1, 2, 3})
                QTest::addRow("%s w%d", target[0] == 'z' ? "zarr directory" : "bcolz rootdir", workers)
                    << QString::fromLatin1(target) << workers;
    }
    void diskFullFailsTheRun()
    {
        QFETCH(QString, target);
        QFETCH(int, workers);
        QTemporaryDir dir;
        QByteArray json = R"({"chunkscope": 1, "arrays": {
            "a": {"store": "memory", "dtype": "<i4", "shape": [16384], "chunks": [1024], "fill": "zeros"},
            "z": {"store": "zarr", "like": "a", "path": "z.zarr", "fill": "empty",
                  "compressor": {"id": "blosc", "cname": "lz4", "clevel": 5, "shuffle": 1}},
            "c": {"store": "carray", "like": "a", "chunklen": 1024, "rootdir": "c.bcolz", "fill": "empty"}},
            "runs": [{"name": "copy", "source": "a", "target": "TARGET", "workers": WORKERS, "sample_ms": 5}]})";
        json.replace("TARGET", target.toUtf8()).replace("WORKERS", QByteArray::number(workers));
        const std::optional<Scenario> s = parse(json, dir.path());
        QVERIFY(s);
        ArraySet arrays(*s);
        Store &source = arrays.get(QStringLiteral("a"));
        arrays.get(target);
        // Chunk 9 of the source is random, so that it alone compresses to more than the disk has
        // left; the chunks of zeros around it compress to a few dozen bytes and fit.
        char *chunk9 = source.contiguousMutable(source.grid().chunkRegion(9));
        QVERIFY(chunk9);
        QRandomGenerator(9).fillRange(reinterpret_cast<quint32 *>(chunk9), 1024);

        const int threadsBefore = quietThreadCount();
        const int fdsBefore = openFdCount();
        QList<RunResult> results;
        {
            FileSizeLimit full(1024);
            results = executeRun(s->runs[0], arrays);
        }
        QCOMPARE(results.size(), 1);
        const RunResult &r = results[0];
        QCOMPARE(statusName(r.status), QStringLiteral("failed"));
        QCOMPARE(r.verified, std::optional<bool>(false));
        const QString expected = target == QLatin1String("z")
            ? QStringLiteral("array z, chunk [9]: cannot write %1/z.zarr/9 (File too large)").arg(dir.path())
            : QStringLiteral("array c, chunk [9]: cannot write %1/c.bcolz/data/__9.blp: File too large")
                  .arg(dir.path());
        QCOMPARE(r.error, expected);
        const auto failed
            = std::find_if(r.events.begin(), r.events.end(), [](const TaskEvent &e) { return e.task == 9; });
        QVERIFY(failed != r.events.end());
        QCOMPARE(failed->bytes, int64_t(0));
        const int64_t after = tasksBegunAfter(r.events, 9);
        QVERIFY2(after >= 0 && after <= workers - 1, qPrintable(QString::number(after)));
        QVERIFY(r.bytes < source.nbytes());
        // The failed write left no temporary file behind.
        if (target == QLatin1String("z"))
            QCOMPARE(strayFiles(dir.filePath(QStringLiteral("z.zarr")), kZarrNames), QStringList());
        else
            QCOMPARE(strayFiles(dir.filePath(QStringLiteral("c.bcolz/data")), kBcolzDataNames), QStringList());
        QCOMPARE(leftBehind(threadsBefore, fdsBefore), QString());

        // Room on the disk again: the same copy into the same target works and verifies.
        QCOMPARE(nextRunProblem(s->runs[0], arrays, source.nbytes()), QString());
        QCOMPARE(leftBehind(threadsBefore, fdsBefore), QString());
    }

    void noSpaceLeftFailsTheRun_data()
    {
        QTest::addColumn<QString>("target");
        QTest::addColumn<QString>("hdf5Path");
        QTest::addColumn<int>("workers");
        QTest::addColumn<QString>("lock");
        struct Target {
            const char *id;
            const char *name;
            const char *hdf5Path;
        };
        const Target targets[] = {{"z", "zarr directory", "auto"},
                                  {"c", "bcolz rootdir", "auto"},
                                  {"h", "hdf5 direct", "direct"},
                                  {"h", "hdf5 library", "library"}};
        // Writes one at a time (one worker, or a lock around every write): chunk 9's temporary file
        // takes whatever space is left before it fails, and a write of another worker meanwhile
        // would fail too, so without a lock which of them reports first would be a race.
        struct Mode {
            int workers;
            const char *lock;
        };
        const Mode modes[] = {{1, "none"}, {2, "io"}, {3, "target"}};
        for (const Target &t : targets)
            for (const Mode &m : modes)
                QTest::addRow("%s w%d lock %s", t.name, m.workers, m.lock)
                    << QString::fromLatin1(t.id) << QString::fromLatin1(t.hdf5Path) << m.workers
                    << QString::fromLatin1(m.lock);
    }
    void noSpaceLeftFailsTheRun()
    {
        QFETCH(QString, target);
        QFETCH(QString, hdf5Path);
        QFETCH(int, workers);
        QFETCH(QString, lock);
        if (!cannotMount().isEmpty())
            QSKIP(qPrintable(cannotMount()));
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        SmallDisk disk(dir.path(), qint64(8) << 20);
        QVERIFY2(disk.isMounted(), qPrintable(disk.error()));

        // 16 chunks of 128 KiB. Chunks of zeros compress to a few hundred bytes, a page each on a
        // tmpfs (HDF5 packs them closer still); chunk 9 is noise, which no codec shrinks.
        QByteArray json = R"({"chunkscope": 1, "arrays": {
            "a": {"store": "memory", "dtype": "<i4", "shape": [524288], "chunks": [32768], "fill": "zeros"},
            "z": {"store": "zarr", "like": "a", "path": "z.zarr", "fill": "empty",
                  "compressor": {"id": "blosc", "cname": "lz4", "clevel": 5, "shuffle": 1}},
            "c": {"store": "carray", "like": "a", "chunklen": 32768, "rootdir": "c.bcolz", "fill": "empty"},
            "h": {"store": "hdf5", "like": "a", "file": "h.h5", "dataset": "d", "compression": "lzf", "shuffle": true,
                  "fill": "empty"}},
            "runs": [{"name": "copy", "source": "a", "target": "TARGET", "workers": WORKERS, "lock": "LOCK",
                      "hdf5_path": "PATH", "sample_ms": 5}]})";
        json.replace("TARGET", target.toUtf8())
            .replace("WORKERS", QByteArray::number(workers))
            .replace("LOCK", lock.toUtf8())
            .replace("PATH", hdf5Path.toUtf8());
        const std::optional<Scenario> s = parse(json, dir.path());
        QVERIFY(s);
        ArraySet arrays(*s);
        Store &source = arrays.get(QStringLiteral("a"));
        arrays.get(target);
        char *chunk9 = source.contiguousMutable(source.grid().chunkRegion(9));
        QVERIFY(chunk9);
        QRandomGenerator(9).fillRange(reinterpret_cast<quint32 *>(chunk9), 32768);

        // Room for the 15 chunks of zeros (and a temporary file at a time), not for chunk 9.
        const qint64 page = ::sysconf(_SC_PAGESIZE);
        QVERIFY2(disk.leaveFree(24 * page), qPrintable(QString::number(disk.freeBytes())));

        const int threadsBefore = quietThreadCount();
        const int fdsBefore = openFdCount();
        const QList<RunResult> results = executeRun(s->runs[0], arrays);
        QCOMPARE(results.size(), 1);
        const RunResult &r = results[0];
        QCOMPARE(statusName(r.status), QStringLiteral("failed"));
        QCOMPARE(r.verified, std::optional<bool>(false));
        const QString noSpace = QStringLiteral("No space left on device");
        int64_t failing = 9;
        if (target == QLatin1String("z")) {
            QCOMPARE(r.error,
                     QStringLiteral("array z, chunk [9]: cannot write %1/z.zarr/9 (%2)").arg(dir.path(), noSpace));
        } else if (target == QLatin1String("c")) {
            QCOMPARE(r.error,
                     QStringLiteral("array c, chunk [9]: cannot write %1/c.bcolz/data/__9.blp: %2")
                         .arg(dir.path(), noSpace));
        } else if (hdf5Path == QLatin1String("direct")) {
            // HDF5 keeps what a failed write put in the file, so the disk stays full after chunk 9:
            // the write of another worker's chunk that gets the lock next fails too, and may report
            // first. Chunk 9 itself is never stored either way.
            const QRegularExpression re(QStringLiteral("^array h, chunk \\[([0-9]+)\\]: cannot write %1/h\\.h5:/d: %2$")
                                            .arg(QRegularExpression::escape(dir.path()), noSpace));
            const QRegularExpressionMatch m = re.match(r.error);
            QVERIFY2(m.hasMatch(), qPrintable(r.error));
            failing = m.captured(1).toLongLong();
            QVERIFY2(failing == 9 || workers > 1, qPrintable(r.error));
        } else {
            // HDF5's chunk cache holds the library path's chunks back: chunk 9 reaches the file when
            // the dataset is flushed, or when a later write (of whichever chunk) evicts it.
            const QRegularExpression re(
                QStringLiteral("^array h(, chunk \\[[0-9]+\\])?: cannot (write|flush) %1/h\\.h5:/d: %2$")
                    .arg(QRegularExpression::escape(dir.path()), noSpace));
            QVERIFY2(re.match(r.error).hasMatch(), qPrintable(r.error));
        }
        if (hdf5Path != QLatin1String("library")) {
            for (const int64_t task : {int64_t(9), failing}) {
                const auto failed = std::find_if(r.events.begin(), r.events.end(),
                                                 [&](const TaskEvent &e) { return e.task == task; });
                QVERIFY(failed != r.events.end());
                QCOMPARE(failed->bytes, int64_t(0));
            }
            const int64_t after = tasksBegunAfter(r.events, failing);
            QVERIFY2(after >= 0 && after <= workers - 1, qPrintable(QString::number(after)));
            QVERIFY(r.bytes < source.nbytes());
        }
        // Nothing half written is left beside the chunks, nor in chunk 9's place.
        const QString root = disk.path();
        if (target == QLatin1String("z")) {
            QCOMPARE(strayFiles(root + QStringLiteral("/z.zarr"), kZarrNames), QStringList());
            QVERIFY(!QFile::exists(root + QStringLiteral("/z.zarr/9")));
        } else if (target == QLatin1String("c")) {
            QCOMPARE(strayFiles(root + QStringLiteral("/c.bcolz/data"), kBcolzDataNames), QStringList());
            QCOMPARE(strayFiles(root + QStringLiteral("/c.bcolz/meta"), QStringLiteral("sizes|storage")),
                     QStringList());
        }
        QCOMPARE(strayFiles(root, QStringLiteral("ballast|z\\.zarr|c\\.bcolz|h\\.h5")), QStringList());
        if (hdf5Path != QLatin1String("library")) {
            // Chunk 9 reads as never written (the fill value), not as part of the noise.
            Store &written = arrays.get(target);
            std::vector<qint32> back(32768, -1);
            TaskContext ctx;
            written.read(written.grid().chunkRegion(9), back.data(), ctx);
            QVERIFY(std::all_of(back.begin(), back.end(), [](qint32 v) { return v == 0; }));
        }
        QCOMPARE(leftBehind(threadsBefore, fdsBefore), QString());

        // Room on the disk again: the same copy into the same target works and verifies.
        QVERIFY(disk.makeRoom());
        QCOMPARE(nextRunProblem(s->runs[0], arrays, source.nbytes()), QString());
        QCOMPARE(leftBehind(threadsBefore, fdsBefore), QString());
    }

    void corruptChunkFailsTheRun_data()
    {
        QTest::addColumn<QString>("source");
        QTest::addColumn<QString>("hdf5Path");
        QTest::addColumn<int>("workers");
        QTest::addColumn<QString>("error"); // %1: the directory
        const QString zarr = QStringLiteral("array z, chunk [9]: corrupt blosc frame (header announces 4096 bytes "
                                            "compressed to 359, the frame has 20)");
        const QString carray = QStringLiteral("array c, chunk [9]: truncated chunk file %1/c.bcolz/data/__9.blp (its "
                                              "blosc frame announces 1120 bytes, the file holds 20 after the "
                                              "bloscpack header)");
        const QString direct = QStringLiteral("array h, chunk [9]: cannot decode %1/h.h5:/d: lzf: corrupt input");
        const QString library
            = QStringLiteral("array h, chunk [9]: cannot read %1/h.h5:/d: Invalid data for LZF decompression");
        for (int workers : {1, 3}) {
            QTest::addRow("zarr w%d", workers) << "z"
                                               << "auto" << workers << zarr;
            QTest::addRow("carray w%d", workers) << "c"
                                                 << "auto" << workers << carray;
            QTest::addRow("hdf5 direct w%d", workers) << "h"
                                                      << "direct" << workers << direct;
            QTest::addRow("hdf5 library w%d", workers) << "h"
                                                       << "library" << workers << library;
        }
    }
    void corruptChunkFailsTheRun()
    {
        QFETCH(QString, source);
        QFETCH(QString, hdf5Path);
        QFETCH(int, workers);
        QFETCH(QString, error);
        QTemporaryDir dir;
        QByteArray json = R"({"chunkscope": 1, "arrays": {
            "a": {"store": "memory", "dtype": "<i4", "shape": [16384], "chunks": [1024], "fill": "arange"},
            "z": {"store": "zarr", "like": "a", "path": "z.zarr", "fill": {"copy": "a"},
                  "compressor": {"id": "blosc", "cname": "lz4", "clevel": 5, "shuffle": 1}},
            "c": {"store": "carray", "like": "a", "chunklen": 1024, "rootdir": "c.bcolz", "fill": {"copy": "a"}},
            "h": {"store": "hdf5", "like": "a", "file": "h.h5", "dataset": "d", "compression": "lzf", "shuffle": true,
                  "fill": {"copy": "a"}},
            "out": {"store": "memory", "like": "a", "fill": "empty"}},
            "runs": [{"name": "corrupt", "source": "SOURCE", "target": "out", "workers": WORKERS, "hdf5_path": "PATH"},
                     {"name": "next", "source": "a", "target": "out", "workers": WORKERS}]})";
        json.replace("SOURCE", source.toUtf8())
            .replace("WORKERS", QByteArray::number(workers))
            .replace("PATH", hdf5Path.toUtf8());
        const std::optional<Scenario> s = parse(json, dir.path());
        QVERIFY(s);
        ArraySet arrays(*s);
        Store &store = arrays.get(source);
        store.endWriting();
        arrays.get(QStringLiteral("out"));

        // Chunk 9 of 16 goes bad on disk, between chunks that are fine.
        if (source == QLatin1String("z")) {
            truncateFile(dir.filePath(QStringLiteral("z.zarr/9")), 20);
        } else if (source == QLatin1String("c")) {
            truncateFile(dir.filePath(QStringLiteral("c.bcolz/data/__9.blp")), 16 + 20);
        } else {
            auto *h5 = dynamic_cast<Hdf5Store *>(&store);
            QVERIFY(h5);
            h5->writeRawChunk(Coords::fromVector({9}), QByteArray("\xff\xff\xff\xff garbage", 12), 0);
        }
        if (QTest::currentTestFailed())
            return;

        const int threadsBefore = quietThreadCount();
        const int fdsBefore = openFdCount();
        const QList<RunResult> results = executeRun(s->runs[0], arrays);
        QCOMPARE(results.size(), 1);
        const RunResult &r = results[0];
        QCOMPARE(statusName(r.status), QStringLiteral("failed"));
        QCOMPARE(r.error, error.contains(QLatin1String("%1")) ? error.arg(dir.path()) : error);
        QCOMPARE(r.verified, std::optional<bool>(false));
        const int64_t after = tasksBegunAfter(r.events, 9);
        QVERIFY2(after >= 0 && after <= workers - 1, qPrintable(QString::number(after)));
        QCOMPARE(leftBehind(threadsBefore, fdsBefore), QString());

        const QList<RunResult> next = executeRun(s->runs[1], arrays);
        QCOMPARE(next.size(), 1);
        QCOMPARE(statusName(next[0].status), QStringLiteral("ok"));
        QCOMPARE(next[0].verified, std::optional<bool>(true));
        QCOMPARE(leftBehind(threadsBefore, fdsBefore), QString());
    }

    void cancelInEveryPhase_data()
    {
        QTest::addColumn<int>("where");
        QTest::addRow("read") << int(Where::Read);
        QTest::addRow("decode") << int(Where::Decode);
        QTest::addRow("encode") << int(Where::Encode);
        QTest::addRow("write") << int(Where::Write);
        QTest::addRow("lock wait, lock target") << int(Where::LockWaitTarget);
        QTest::addRow("lock wait, lock io") << int(Where::LockWaitIo);
    }
    void cancelInEveryPhase()
    {
        QFETCH(int, where);
        const Where at = Where(where);
        constexpr int kWorkers = 3;
        constexpr int kHoldMs = 100;
        const Coords shape = Coords::fromVector({3000});
        const Coords chunks = Coords::fromVector({100});
        const auto memSource = arangeStore(shape, chunks);
        MemoryStore memTarget(QStringLiteral("dst"), memSource->dtype(), shape, chunks);

        // A Zarr array in memory whose backend can hold a worker inside the store's Read or Write.
        ArraySpec spec;
        spec.id = QStringLiteral("z");
        spec.store = QStringLiteral("zarr");
        spec.dtype = memSource->dtype();
        spec.shape = {3000};
        spec.chunks = {100};
        spec.optionsAs<ZarrOptions>().compressor
            = CompressorSpec{QStringLiteral("blosc"), QStringLiteral("lz4"), 5, 1, 0};
        const ZarrMetadata meta = ZarrMetadata::fromOptions(spec.optionsAs<ZarrOptions>(), spec.storeArray());
        const ChunkGrid grid(meta.shape, meta.chunks);
        PhaseGate gate;
        ZarrStore zarr(
            QStringLiteral("z"), meta,
            std::make_unique<GatedKeyValue>(grid.chunkCount(), gate,
                                            at == Where::Read ? GatedKeyValue::At::Get : GatedKeyValue::At::Set));
        GatedStore decoding(zarr, gate, Phase::Decode);
        GatedStore encoding(zarr, gate, Phase::Encode);

        CopyOptions options;
        options.workers = kWorkers;
        options.lock = LockMode::None;
        options.sampleMs = 10;
        Store *source = memSource.get();
        Store *target = &zarr;
        Phase held = Phase::Write;
        switch (at) {
        case Where::Read:
        case Where::Decode:
            QVERIFY(!copyAndWait(*memSource, zarr, options)->failed());
            source = at == Where::Read ? static_cast<Store *>(&zarr) : &decoding;
            target = &memTarget;
            held = at == Where::Read ? Phase::Read : Phase::Decode;
            break;
        case Where::Encode:
            target = &encoding;
            held = Phase::Encode;
            break;
        case Where::Write:
            break;
        case Where::LockWaitTarget:
            options.lock = LockMode::Target;
            break;
        case Where::LockWaitIo:
            options.lock = LockMode::Io;
            break;
        }
        const bool lockWait = at == Where::LockWaitTarget || at == Where::LockWaitIo;

        const int threadsBefore = quietThreadCount();
        const int fdsBefore = openFdCount();
        gate.arm();
        auto run = std::make_unique<CopyRun>(*source, *target, options);
        run->start();
        // Without a lock every worker reaches the gate; with one, one worker holds the lock at the
        // gate and the others queue for the lock once their tasks have begun.
        const bool arrived = gate.waitForArrivals(lockWait ? 1 : kWorkers);
        if (lockWait) {
            RunSnapshot snap;
            for (int i = 0; i < 500 && snap.pending.size() < size_t(kWorkers); ++i) {
                QThread::msleep(10);
                run->snapshot(snap);
            }
        }
        QThread::msleep(kHoldMs);
        run->cancel();
        gate.open();
        QVERIFY(arrived);
        QVERIFY(run->wait(5000));
        QVERIFY(run->cancelled());
        QVERIFY(!run->failed());
        QCOMPARE(run->verified(), std::optional<bool>());

        // Each worker finished the task it was in and began no other.
        RunSnapshot snap;
        run->snapshot(snap);
        QCOMPARE(snap.tasksDone, int64_t(kWorkers));
        QVERIFY(snap.pending.empty());
        const std::vector<TaskEvent> events = run->events();
        QCOMPARE(int(events.size()), kWorkers);
        const int64_t holdNs = int64_t(kHoldMs) * 1000000 * 9 / 10;
        int inHeld = 0;
        int waited = 0;
        for (const TaskEvent &e : events) {
            QVERIFY(e.task < kWorkers);
            inHeld += e.phaseNs[size_t(held)] >= holdNs;
            waited += e.phaseNs[size_t(Phase::LockWait)] >= holdNs;
        }
        QCOMPARE(inHeld, lockWait ? 1 : kWorkers);
        QCOMPARE(waited, lockWait ? kWorkers - 1 : 0);

        run.reset();
        QCOMPARE(leftBehind(threadsBefore, fdsBefore), QString());

        // The next run on the same stores copies everything and verifies.
        const auto next = copyAndWait(*source, *target, options);
        QVERIFY(!next->failed());
        QVERIFY(!next->cancelled());
        QCOMPARE(next->verified(), std::optional<bool>(true));
    }

    void cancelledRunIsNeverReportedVerified()
    {
        QTemporaryDir dir;
        const QByteArray json = R"({"chunkscope": 1, "arrays": {
            "a": {"store": "memory", "dtype": "<i4", "shape": [16384], "chunks": [1024], "fill": "arange"},
            "z": {"store": "zarr", "like": "a", "path": "z.zarr", "fill": "empty"}},
            "runs": [{"name": "copy", "source": "a", "target": "z", "workers": 2}]})";
        const std::optional<Scenario> s = parse(json, dir.path());
        QVERIFY(s);
        ArraySet arrays(*s);
        arrays.get(QStringLiteral("z"));
        const int threadsBefore = quietThreadCount();
        RunHooks hooks;
        hooks.started = [](const RunSpec &, int, const std::shared_ptr<CopyRun> &run) { run->cancel(); };
        const QList<RunResult> results = executeRun(s->runs[0], arrays, hooks);
        QCOMPARE(results.size(), 1);
        QCOMPARE(statusName(results[0].status), QStringLiteral("cancelled"));
        QCOMPARE(results[0].error, QStringLiteral("cancelled after 0 of 16 tasks"));
        QCOMPARE(results[0].verified, std::optional<bool>(false));
        QCOMPARE(settledThreadCount(threadsBefore), threadsBefore);

        QCOMPARE(nextRunProblem(s->runs[0], arrays), QString());
    }

    void cancelWhileFilling_data()
    {
        QTest::addColumn<QString>("array"); // whose fill is cancelled
        QTest::addColumn<bool>("running"); // while its workers run, or as its fill is announced
        QTest::addRow("generated source, as its fill begins") << "a" << false;
        QTest::addRow("generated source, while its workers run") << "a" << true;
        QTest::addRow("zarr directory copying it, as its fill begins") << "z" << false;
        QTest::addRow("zarr directory copying it, while its workers run") << "z" << true;
    }
    void cancelWhileFilling()
    {
        QFETCH(QString, array);
        QFETCH(bool, running);
        const int64_t chunks = array == QLatin1String("a") ? 4096 : 256;
        QTemporaryDir dir;
        // a's fill is 4096 generated chunks in memory, z's 256 chunk files: either goes on long after
        // its first chunk is done.
        const QByteArray json = R"({"chunkscope": 1, "arrays": {
            "a": {"store": "memory", "dtype": "<i4", "shape": [4194304], "chunks": [1024],
                  "fill": {"random": {"seed": 7}}},
            "z": {"store": "zarr", "like": "a", "chunks": [16384], "path": "z.zarr", "fill": {"copy": "a"},
                  "compressor": {"id": "blosc", "cname": "lz4", "clevel": 1, "shuffle": 1}},
            "out": {"store": "memory", "like": "a", "fill": "empty"}},
            "runs": [{"name": "copy", "source": "z", "target": "out", "workers": 2}]})";
        const std::optional<Scenario> s = parse(json, dir.path());
        QVERIFY(s);
        const int threadsBefore = quietThreadCount();
        const int fdsBefore = openFdCount();
        ArraySet arrays(*s);

        // The user's cancel flag, as the app keeps it. Either it is set when the fill is announced
        // (the status line says "filling ..."), so it is seen before the fill's workers start; or
        // once the fill's workers have finished a chunk, so it lands in the middle of the fill.
        bool cancel = false;
        int64_t doneBeforeCancel = -1;
        const QString announced
            = array == QLatin1String("a") ? QStringLiteral("filling a") : QStringLiteral("filling z with a copy of a");
        RunHooks hooks;
        hooks.shouldCancel = [&] { return cancel; };
        hooks.status = [&](const QString &text) {
            if (!running && text == announced)
                cancel = true;
        };
        hooks.fillStarted = [&](const QString &id, const std::shared_ptr<CopyRun> &run) {
            if (!running || id != array)
                return;
            RunSnapshot snap;
            QElapsedTimer clock;
            clock.start();
            do
                run->snapshot(snap);
            while (snap.tasksDone == 0 && !snap.finished && clock.elapsed() < 10000);
            doneBeforeCancel = snap.tasksDone;
            cancel = true;
        };
        const QList<RunResult> results = executeRun(s->runs[0], arrays, hooks);
        QCOMPARE(results.size(), 1);
        const RunResult &r = results[0];
        QCOMPARE(statusName(r.status), QStringLiteral("cancelled"));
        if (running) {
            const QRegularExpression re(
                QStringLiteral("^cancelled while filling array %1, after ([0-9]+) of %2 chunks$")
                    .arg(array)
                    .arg(chunks));
            const QRegularExpressionMatch m = re.match(r.error);
            QVERIFY2(m.hasMatch(), qPrintable(r.error));
            const int64_t done = m.captured(1).toLongLong();
            QVERIFY2(doneBeforeCancel >= 1 && done >= doneBeforeCancel && done < chunks,
                     qPrintable(QStringLiteral("%1 then %2").arg(doneBeforeCancel).arg(done)));
        } else {
            QCOMPARE(r.error,
                     QStringLiteral("cancelled while filling array %1, after 0 of %2 chunks").arg(array).arg(chunks));
        }
        QCOMPARE(r.verified, std::optional<bool>(false));
        QCOMPARE(r.bytes, int64_t(0));
        QVERIFY(r.events.empty());
        QCOMPARE(r.wallSeconds, 0.0);
        QVERIFY(!arrays.isBuilt(array));
        QVERIFY(!arrays.isBuilt(QStringLiteral("out")));

        // The results document says the same.
        const QJsonDocument doc = QJsonDocument::fromJson(resultsToJson(s->name, HostInfo::current(), results));
        const QJsonObject run = doc.object().value(QStringLiteral("runs")).toArray().at(0).toObject();
        QCOMPARE(run.value(QStringLiteral("status")).toString(), QStringLiteral("cancelled"));
        QCOMPARE(run.value(QStringLiteral("error")).toString(), r.error);
        QCOMPARE(run.value(QStringLiteral("verified")), QJsonValue(false));

        if (array == QLatin1String("z"))
            QCOMPARE(strayFiles(dir.filePath(QStringLiteral("z.zarr")), kZarrNames), QStringList());
        QCOMPARE(leftBehind(threadsBefore, fdsBefore), QString());

        // The next run fills what the cancelled fill left unfinished, in place (z's directory is
        // there already), copies and verifies.
        QCOMPARE(nextRunProblem(s->runs[0], arrays), QString());
        QVERIFY(arrays.isBuilt(array));
        QCOMPARE(leftBehind(threadsBefore, fdsBefore), QString());
    }
};

QTEST_GUILESS_MAIN(TestFaults)
#include "tst_faults.moc"
