#include "array/stridedcopy.h"
#include "engine/copyrun.h"
#include "io/atomicfile.h"
#include "runner/arraystore.h"
#include "stores/carray/carrayoptions.h"
#include "stores/carray/carraystore.h"
#include "stores/memory/memorystore.h"
#include "task/taskcontext.h"

#include "filefaults.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRandomGenerator>
#include <QTemporaryDir>
#include <QTest>

#include <blosc.h>

#include <algorithm>
#include <cstring>
#include <mutex>
#include <thread>

using namespace cs;

namespace {

const DType kInt32(DType::Kind::Int, 4);
const DType kFloat64(DType::Kind::Float, 8);
const DType kBigU16(DType::Kind::UInt, 2, true);

ArraySpec carraySpec(const std::vector<int64_t> &shape, int64_t chunklen, const DType &dtype = kInt32,
                     const QString &rootdir = {})
{
    ArraySpec spec;
    spec.id = QStringLiteral("c1");
    spec.store = QStringLiteral("carray");
    spec.dtype = dtype;
    spec.shape = shape;
    spec.optionsAs<CarrayOptions>().chunklen = chunklen;
    spec.optionsAs<CarrayOptions>().rootdir = rootdir;
    return spec;
}

std::unique_ptr<CarrayStore> makeCarray(const ArraySpec &spec)
{
    std::unique_ptr<Store> store = createStore(spec);
    auto *carray = dynamic_cast<CarrayStore *>(store.get());
    if (!carray)
        return {};
    store.release();
    return std::unique_ptr<CarrayStore>(carray);
}

ArraySpec existingSpec(const QString &rootdir)
{
    ArraySpec spec;
    spec.id = QStringLiteral("c1");
    spec.store = QStringLiteral("carray");
    spec.fill.kind = FillSpec::Kind::Existing;
    spec.optionsAs<CarrayOptions>().rootdir = rootdir;
    return spec;
}

// Distinct, moderately compressible bytes: element i holds i (or i * 0.5 as a double).
QByteArray pattern(const DType &dtype, int64_t count)
{
    QByteArray bytes(qsizetype(count * dtype.itemsize()), Qt::Uninitialized);
    for (int64_t i = 0; i < count; ++i) {
        char *p = bytes.data() + i * dtype.itemsize();
        if (dtype.kind() == DType::Kind::Float) {
            const double v = double(i) * 0.5;
            std::memcpy(p, &v, 8);
        } else if (dtype.itemsize() == 4) {
            const int32_t v = int32_t(i);
            std::memcpy(p, &v, 4);
        } else {
            const uint16_t v = uint16_t(i * 7);
            std::memcpy(p, &v, 2);
        }
    }
    return bytes;
}

Region box(const std::vector<int64_t> &start, const std::vector<int64_t> &stop)
{
    return {Coords::fromVector(start), Coords::fromVector(stop)};
}

// The bytes of a region of a dense C-order array.
QByteArray extract(const QByteArray &array, const Coords &shape, const Region &region, int itemsize)
{
    QByteArray out(qsizetype(region.count() * itemsize), Qt::Uninitialized);
    copyBox(array.constData(), shape, region.start, out.data(), region.shape(), Coords::filled(shape.rank, 0),
            region.shape(), size_t(itemsize));
    return out;
}

// Writes the whole source through the chunks of a copy grid, in a shuffled order.
void writeInBoxes(Store &store, const QByteArray &source, const Coords &copyChunks, quint32 seed, TaskContext &ctx)
{
    const ChunkGrid grid(store.shape(), copyChunks);
    std::vector<int64_t> order(size_t(grid.chunkCount()));
    for (size_t i = 0; i < order.size(); ++i)
        order[i] = int64_t(i);
    QRandomGenerator rng(seed);
    std::shuffle(order.begin(), order.end(), rng);
    for (int64_t n : order) {
        const Region r = grid.chunkRegion(n);
        store.write(r, extract(source, store.shape(), r, store.dtype().itemsize()).constData(), ctx);
    }
}

QByteArray readRegion(Store &store, const Region &region, TaskContext &ctx)
{
    QByteArray out(qsizetype(region.count() * store.dtype().itemsize()), '\xAA');
    store.read(region, out.data(), ctx);
    return out;
}

QByteArray readAll(Store &store)
{
    TaskContext ctx;
    return readRegion(store, Region::whole(store.shape()), ctx);
}

QByteArray decompress(const QByteArray &frame, size_t nbytes)
{
    QByteArray out(qsizetype(nbytes), '\0');
    const int n = blosc_decompress_ctx(frame.constData(), out.data(), nbytes, 1);
    return n == int(nbytes) ? out : QByteArray();
}

QByteArray fileBytes(const QString &path)
{
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

// A carray of 1000 int32 in chunks of 128 at `root`, written in full and closed: eight chunk files
// and its metadata on disk for a test to tamper with.
ArraySpec writtenCarray(const QString &root)
{
    const ArraySpec spec = carraySpec({1000}, 128, kInt32, root);
    auto store = makeCarray(spec);
    TaskContext ctx;
    store->write(Region::whole(store->shape()), pattern(kInt32, 1000).constData(), ctx);
    return spec;
}

void patchFile(const QString &path, qint64 offset, const QByteArray &bytes)
{
    QFile f(path);
    QVERIFY(f.open(QIODevice::ReadWrite));
    QVERIFY(f.seek(offset));
    QCOMPARE(f.write(bytes), qint64(bytes.size()));
}

template <typename F> QString errorOf(F &&f)
{
    try {
        f();
    } catch (const StoreError &e) {
        return e.message();
    }
    return QStringLiteral("(no error)");
}

const QByteArray kBloscpackHeader("blpk\x01\0\0\0\x01\0\0\0\0\0\0\0", 16);

} // namespace

class TestCarrayStore : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void defaultChunklen_data()
    {
        QTest::addColumn<qint64>("expectedlen");
        QTest::addColumn<qint64>("rowBytes");
        QTest::addColumn<qint64>("chunklen");
        // Values of bcolz's utils.calc_chunksize, computed with bcolz's own formula.
        QTest::newRow("1.6 GB int32") << qint64(400000000) << qint64(4) << qint64(524288);
        QTest::newRow("empty") << qint64(0) << qint64(4) << qint64(4096);
        QTest::newRow("tiny") << qint64(10) << qint64(4) << qint64(4096);
        QTest::newRow("8 KB") << qint64(1000) << qint64(8) << qint64(8192);
        QTest::newRow("1 MiB") << qint64(262144) << qint64(4) << qint64(65536);
        QTest::newRow("3.8 MB") << qint64(1000000) << qint64(4) << qint64(65536);
        QTest::newRow("80 GB clamps") << qint64(10000000000) << qint64(8) << qint64(524288);
        QTest::newRow("rows of 120 bytes") << qint64(50) << qint64(120) << qint64(546);
        QTest::newRow("rows of 30 bytes") << qint64(1000) << qint64(30) << qint64(4369);
        QTest::newRow("huge rows") << qint64(3) << qint64(100000) << qint64(2);
    }
    void defaultChunklen()
    {
        QFETCH(qint64, expectedlen);
        QFETCH(qint64, rowBytes);
        QFETCH(qint64, chunklen);
        QCOMPARE(bcolzDefaultChunklen(expectedlen, rowBytes), int64_t(chunklen));
    }

    void chunklenComesFromSpecThenChunksThenBcolz()
    {
        ArraySpec spec = carraySpec({1000, 3}, 100);
        spec.chunks = {64, 3};
        QCOMPARE(makeCarray(spec)->chunks(), Coords::fromVector({100, 3}));
        spec.optionsAs<CarrayOptions>().chunklen = 0;
        QCOMPARE(makeCarray(spec)->chunks(), Coords::fromVector({64, 3}));
        spec.chunks.clear();
        QCOMPARE(makeCarray(spec)->chunklen(), bcolzDefaultChunklen(1000, 12));
    }

    void roundTrip1d()
    {
        const ArraySpec spec = carraySpec({1000}, 128);
        auto store = makeCarray(spec);
        QVERIFY(store);
        QCOMPARE(store->kind(), QStringLiteral("carray"));
        QCOMPARE(store->fullChunks(), int64_t(7));
        QCOMPARE(store->leftoverRows(), int64_t(104));
        const QByteArray source = pattern(kInt32, 1000);
        TaskContext ctx;
        store->write(Region::whole(store->shape()), source.constData(), ctx);
        QCOMPARE(readAll(*store), source);
        for (const Region &r : {box({100}, {700}), box({128}, {256}), box({890}, {1000}), box({5}, {6})})
            QCOMPARE(readRegion(*store, r, ctx), extract(source, store->shape(), r, 4));

        // Every full chunk is one blosc frame, byte-identical to bcolz's blosc_compress_ctx call
        // (clevel 5, shuffle 1, typesize 4, blosclz, automatic blocksize, one thread).
        for (int64_t n = 0; n < store->fullChunks(); ++n) {
            const QByteArray frame = store->frame(n);
            const QByteArray rows = source.mid(n * 512, 512);
            QCOMPARE(decompress(frame, 512), rows);
            QByteArray expected(512 + BLOSC_MAX_OVERHEAD, '\0');
            const int size = blosc_compress_ctx(5, 1, 4, 512, rows.constData(), expected.data(),
                                                size_t(expected.size()), "blosclz", 0, 1);
            expected.truncate(size);
            QCOMPARE(frame, expected);
        }
        // The leftover rows stay uncompressed.
        QVERIFY(store->frame(7).isEmpty());
        QCOMPARE(store->leftover(), source.mid(7 * 512));

        const StoreInfo info = store->info();
        QCOMPARE(info.store, QStringLiteral("carray"));
        QCOMPARE(info.nbytes, int64_t(4000));
        int64_t frames = 0;
        for (int64_t n = 0; n < 7; ++n)
            frames += store->frame(n).size();
        // bcolz's cbytes: the frames plus the uncompressed leftover chunk buffer.
        QCOMPARE(info.nbytesStored, frames + 512);
        QCOMPARE(info.chunksInitialized, int64_t(8));
        QCOMPARE(info.chunksTotal, int64_t(8));
        QCOMPARE(info.chunks, Coords::fromVector({128}));
        QCOMPARE(info.codec, QStringLiteral("blosc(cname=blosclz, clevel=5, shuffle=1)"));
        QCOMPARE(info.location, QStringLiteral("in memory"));
    }

    void roundTripNd_data()
    {
        QTest::addColumn<std::vector<int64_t>>("copyChunks");
        QTest::newRow("aligned") << std::vector<int64_t>{8, 5, 3};
        QTest::newRow("rows across chunks") << std::vector<int64_t>{5, 5, 3};
        QTest::newRow("trailing split") << std::vector<int64_t>{8, 2, 2};
        QTest::newRow("everything split") << std::vector<int64_t>{3, 4, 1};
    }
    void roundTripNd()
    {
        QFETCH(std::vector<int64_t>, copyChunks);
        ArraySpec spec = carraySpec({37, 5, 3}, 8, kFloat64);
        spec.optionsAs<CarrayOptions>().cparams.cname = QStringLiteral("zlib");
        spec.optionsAs<CarrayOptions>().cparams.clevel = 1;
        auto store = makeCarray(spec);
        QCOMPARE(store->chunks(), Coords::fromVector({8, 5, 3}));
        QCOMPARE(store->leftoverRows(), int64_t(5));
        const QByteArray source = pattern(kFloat64, 37 * 15);
        TaskContext ctx;
        writeInBoxes(*store, source, Coords::fromVector(copyChunks), 7, ctx);
        QCOMPARE(readAll(*store), source);
        QRandomGenerator rng(11);
        for (int i = 0; i < 40; ++i) {
            Region r = Region::whole(store->shape());
            for (int d = 0; d < 3; ++d) {
                r.start[d] = rng.bounded(int(store->shape()[d]));
                r.stop[d] = r.start[d] + 1 + rng.bounded(int(store->shape()[d] - r.start[d]));
            }
            QCOMPARE(readRegion(*store, r, ctx), extract(source, store->shape(), r, 8));
        }
        for (int64_t n = 0; n < 4; ++n)
            QCOMPARE(decompress(store->frame(n), 8 * 15 * 8), source.mid(n * 8 * 15 * 8, 8 * 15 * 8));
        QCOMPARE(store->info().codec, QStringLiteral("blosc(cname=zlib, clevel=1, shuffle=1)"));
    }

    void phasesAreAccounted()
    {
        auto store = makeCarray(carraySpec({1000}, 128));
        const QByteArray source = pattern(kInt32, 1000);
        TaskContext ctx;
        store->write(box({0}, {256}), source.constData(), ctx);
        QVERIFY(ctx.phaseNs[size_t(Phase::Encode)] > 0);
        QVERIFY(ctx.phaseNs[size_t(Phase::Write)] > 0);
        QCOMPARE(ctx.phaseNs[size_t(Phase::Decode)], int64_t(0));
        ctx.resetPhases();
        QByteArray out(40, '\0');
        store->read(box({130}, {140}), out.data(), ctx);
        QVERIFY(ctx.phaseNs[size_t(Phase::Decode)] > 0);
        QCOMPARE(ctx.phaseNs[size_t(Phase::Write)], int64_t(0));
        QCOMPARE(out, source.mid(130 * 4, 40));
    }

    void unwrittenChunksReadAsZeros()
    {
        auto store = makeCarray(carraySpec({300, 2}, 64));
        QVERIFY(store->readsZerosWhenFresh());
        const QByteArray source = pattern(kInt32, 600);
        TaskContext ctx;
        store->write(box({64, 0}, {128, 2}), source.constData() + 64 * 8, ctx);
        QByteArray expected(600 * 4, '\0');
        expected.replace(64 * 8, 64 * 8, source.mid(64 * 8, 64 * 8));
        QCOMPARE(readAll(*store), expected);
        QCOMPARE(store->info().chunksInitialized, int64_t(1));
        QCOMPARE(store->info().nbytesStored, store->frame(1).size() + 64 * 8);
    }

    void zeroChunksAreConstantsInMemory()
    {
        auto store = makeCarray(carraySpec({1000}, 128));
        TaskContext ctx;
        const QByteArray zeros(4000, '\0');
        store->write(Region::whole(store->shape()), zeros.constData(), ctx);
        for (int64_t n = 0; n < 7; ++n) {
            QVERIFY(store->isZeroConstant(n));
            QVERIFY(store->frame(n).isEmpty());
        }
        // As bcolz.zeros reports it: nothing but the leftover chunk buffer.
        QCOMPARE(store->info().nbytesStored, int64_t(512));
        QCOMPARE(store->info().chunksInitialized, int64_t(8));
        QCOMPARE(readAll(*store), zeros);
        const QByteArray source = pattern(kInt32, 1000);
        store->write(box({100}, {300}), source.constData() + 400, ctx);
        QVERIFY(!store->isZeroConstant(0));
        QVERIFY(!store->isZeroConstant(2));
        QVERIFY(store->isZeroConstant(3));
        QByteArray expected = zeros;
        expected.replace(400, 800, source.mid(400, 800));
        QCOMPARE(readAll(*store), expected);
    }

    void concurrentPartialWrites()
    {
        // Four writers of interleaved 10-row boxes share every chunk: the read-modify-writes must
        // not lose each other's rows.
        auto store = makeCarray(carraySpec({1000}, 64));
        const QByteArray source = pattern(kInt32, 1000);
        std::mutex ioLock;
        std::vector<std::thread> threads;
        for (int w = 0; w < 4; ++w) {
            threads.emplace_back([&, w] {
                TaskContext ctx;
                ctx.worker = w;
                ctx.ioLock = &ioLock;
                for (int64_t start = w * 10; start < 1000; start += 40)
                    store->write(box({start}, {start + 10}), source.constData() + start * 4, ctx);
            });
        }
        for (auto &t : threads)
            t.join();
        QCOMPARE(readAll(*store), source);
    }

    void copiesThroughTheEngine_data()
    {
        QTest::addColumn<int>("lock");
        QTest::addColumn<bool>("onDisk");
        for (LockMode lock : {LockMode::Target, LockMode::None, LockMode::Io})
            for (bool onDisk : {false, true})
                QTest::addRow("%s %s", qPrintable(lockModeName(lock)), onDisk ? "rootdir" : "memory")
                    << int(lock) << onDisk;
    }
    void copiesThroughTheEngine()
    {
        QFETCH(int, lock);
        QFETCH(bool, onDisk);
        QTemporaryDir tmp;
        const Coords shape = Coords::fromVector({2000, 3});
        MemoryStore source(QStringLiteral("a1"), kInt32, shape, Coords::fromVector({150, 3}));
        const QByteArray bytes = pattern(kInt32, 6000);
        std::memcpy(source.data(), bytes.constData(), size_t(bytes.size()));
        auto carray
            = makeCarray(carraySpec({2000, 3}, 128, kInt32, onDisk ? tmp.filePath(QStringLiteral("c1")) : QString()));
        CopyOptions options;
        options.workers = 3;
        options.lock = LockMode(lock);
        carray->beginWriting();
        CopyRun in(source, *carray, options); // copy chunks of 150 rows straddle the 128-row chunks
        in.start();
        in.wait();
        carray->endWriting();
        QVERIFY2(!in.failed(), qPrintable(in.error()));
        QCOMPARE(in.verified(), std::optional<bool>(true));
        MemoryStore back(QStringLiteral("a2"), kInt32, shape, Coords::fromVector({128, 3}));
        CopyRun out(*carray, back, options);
        out.start();
        out.wait();
        QVERIFY2(!out.failed(), qPrintable(out.error()));
        QCOMPARE(std::memcmp(back.data(), bytes.constData(), size_t(bytes.size())), 0);
    }

    void rootdirHasTheBcolzLayout()
    {
        QTemporaryDir tmp;
        const QString root = tmp.filePath(QStringLiteral("c1"));
        auto store = makeCarray(carraySpec({1000}, 128, kInt32, root));
        QCOMPARE(store->info().location, root);
        const QByteArray source = pattern(kInt32, 1000);
        TaskContext ctx;
        writeInBoxes(*store, source, Coords::fromVector({100}), 3, ctx);
        // Chunks completed by writes are on disk at once; the leftover only after the flush.
        QVERIFY(QFile::exists(root + QStringLiteral("/data/__6.blp")));
        QVERIFY(!QFile::exists(root + QStringLiteral("/data/__7.blp")));
        store->endWriting();

        QCOMPARE(fileBytes(root + QStringLiteral("/meta/storage")),
                 QByteArray("{\"dtype\": \"int32\", \"cparams\": {\"clevel\": 5, \"shuffle\": 1, \"cname\": "
                            "\"blosclz\", \"quantize\": 0}, \"chunklen\": 128, \"expectedlen\": 1000, \"dflt\": 0}\n"));
        QCOMPARE(fileBytes(root + QStringLiteral("/__attrs__")), QByteArray("{}\n"));
        const QStringList files
            = QDir(root + QStringLiteral("/data")).entryList(QDir::Files | QDir::Hidden, QDir::Name);
        QCOMPARE(files,
                 QStringList({QStringLiteral("__0.blp"), QStringLiteral("__1.blp"), QStringLiteral("__2.blp"),
                              QStringLiteral("__3.blp"), QStringLiteral("__4.blp"), QStringLiteral("__5.blp"),
                              QStringLiteral("__6.blp"), QStringLiteral("__7.blp")}));

        int64_t frames = 0;
        for (int64_t n = 0; n <= 7; ++n) {
            const QByteArray file = fileBytes(root + QStringLiteral("/data/__%1.blp").arg(n));
            QCOMPARE(file.left(16), kBloscpackHeader);
            const QByteArray frame = file.mid(16);
            uint32_t ctbytes = 0;
            std::memcpy(&ctbytes, frame.constData() + 12, 4);
            QCOMPARE(qsizetype(ctbytes), frame.size());
            QCOMPARE(uint8_t(frame[3]), uint8_t(4)); // typesize
            QVERIFY(uint8_t(frame[2]) & 0x1); // byte shuffle
            // The leftover file holds just the leftover rows, as bcolz's flush() compresses them.
            const size_t rows = n < 7 ? 128 : 104;
            QCOMPARE(decompress(frame, rows * 4), source.mid(n * 512, qsizetype(rows * 4)));
            if (n < 7)
                frames += frame.size();
        }
        const QJsonObject sizes = QJsonDocument::fromJson(fileBytes(root + QStringLiteral("/meta/sizes"))).object();
        QCOMPARE(sizes.value(QStringLiteral("shape")).toArray(), QJsonArray({1000}));
        QCOMPARE(sizes.value(QStringLiteral("nbytes")).toInteger(), qint64(4000));
        QCOMPARE(sizes.value(QStringLiteral("cbytes")).toInteger(), qint64(frames + 512));
        QCOMPARE(fileBytes(root + QStringLiteral("/meta/sizes")),
                 QByteArray("{\"shape\": [1000], \"nbytes\": 4000, \"cbytes\": ") + QByteArray::number(frames + 512)
                     + "}\n");
        QCOMPARE(store->info().nbytesStored, frames + 512);
    }

    void rootdirReopensIdentically_data()
    {
        QTest::addColumn<std::vector<int64_t>>("shape");
        QTest::addColumn<qint64>("chunklen");
        QTest::addColumn<bool>("bigEndian");
        QTest::newRow("1-D with leftover") << std::vector<int64_t>{1000} << qint64(128) << false;
        QTest::newRow("1-D without leftover") << std::vector<int64_t>{1024} << qint64(128) << false;
        QTest::newRow("3-D with leftover") << std::vector<int64_t>{37, 5, 3} << qint64(8) << true;
        QTest::newRow("shorter than a chunk") << std::vector<int64_t>{20, 2} << qint64(64) << true;
    }
    void rootdirReopensIdentically()
    {
        QFETCH(std::vector<int64_t>, shape);
        QFETCH(qint64, chunklen);
        QFETCH(bool, bigEndian);
        const DType dtype = bigEndian ? kBigU16 : kInt32;
        QTemporaryDir tmp;
        const QString root = tmp.filePath(QStringLiteral("c1"));
        auto store = makeCarray(carraySpec(shape, chunklen, dtype, root));
        const QByteArray source = pattern(dtype, store->shape().product());
        TaskContext ctx;
        writeInBoxes(*store, source, Coords::fromVector(std::vector<int64_t>(shape.size(), 3)), 5, ctx);
        store->endWriting();
        const StoreInfo before = store->info();
        store.reset();
        if (bigEndian)
            QVERIFY(fileBytes(root + QStringLiteral("/meta/storage")).startsWith("{\"dtype\": \">u2\""));

        auto opened = makeCarray(existingSpec(root));
        QVERIFY(!opened->readsZerosWhenFresh());
        QCOMPARE(opened->dtype(), dtype);
        QCOMPARE(opened->shape(), Coords::fromVector(shape));
        QCOMPARE(opened->chunklen(), int64_t(chunklen));
        QCOMPARE(readAll(*opened), source);
        const StoreInfo after = opened->info();
        QCOMPARE(after.nbytesStored, before.nbytesStored);
        QCOMPARE(after.chunksInitialized, before.chunksTotal);
        QCOMPARE(after.codec, before.codec);

        // Modify a region across chunks, flush, and open again.
        QByteArray modified = source;
        Region r = Region::whole(opened->shape());
        r.start[0] = 1;
        r.stop[0] = std::min<int64_t>(shape[0], chunklen + 3);
        const QByteArray patch(qsizetype(r.count() * dtype.itemsize()), '\x5A');
        opened->write(r, patch.constData(), ctx);
        copyBox(patch.constData(), r.shape(), Coords::filled(r.rank(), 0), modified.data(), opened->shape(), r.start,
                r.shape(), size_t(dtype.itemsize()));
        opened->endWriting();
        opened.reset();
        QCOMPARE(readAll(*makeCarray(existingSpec(root))), modified);
    }

    void flushCompletesTheRootdir()
    {
        QTemporaryDir tmp;
        const QString root = tmp.filePath(QStringLiteral("c1"));
        const QByteArray source = pattern(kInt32, 1000);
        {
            auto store = makeCarray(carraySpec({1000}, 128, kInt32, root));
            TaskContext ctx;
            store->write(box({256}, {384}), source.constData() + 1024, ctx);
            store->write(box({900}, {910}), source.constData() + 3600, ctx);
            // No endWriting(): the destructor flushes what changed.
        }
        QByteArray expected(4000, '\0');
        expected.replace(1024, 512, source.mid(1024, 512));
        expected.replace(3600, 40, source.mid(3600, 40));
        auto opened = makeCarray(existingSpec(root));
        QCOMPARE(opened->info().chunksInitialized, int64_t(8));
        QCOMPARE(readAll(*opened), expected);
    }

    void rootdirErrors()
    {
        QTemporaryDir tmp;
        const QString root = tmp.filePath(QStringLiteral("c1"));
        const ArraySpec spec = carraySpec({1000}, 128, kInt32, root);
        {
            auto store = makeCarray(spec);
            TaskContext ctx;
            const QByteArray source = pattern(kInt32, 1000);
            store->write(Region::whole(store->shape()), source.constData(), ctx);
        }
        QCOMPARE(errorOf([&] { makeCarray(spec); }),
                 QStringLiteral("array c1: rootdir %1 already exists (set \"overwrite\": true to replace it or "
                                "\"fill\": \"existing\" to open it)")
                     .arg(root));
        QCOMPARE(errorOf([&] { makeCarray(existingSpec(tmp.filePath(QStringLiteral("nope")))); }),
                 QStringLiteral("array c1: rootdir %1 does not exist").arg(tmp.filePath(QStringLiteral("nope"))));
        ArraySpec noRootdir = existingSpec({});
        QCOMPARE(errorOf([&] { makeCarray(noRootdir); }),
                 QStringLiteral("array c1: fill \"existing\" needs a rootdir"));

        ArraySpec mismatch = existingSpec(root);
        mismatch.shape = {999};
        mismatch.given.insert(QStringLiteral("shape"), QJsonArray({999}));
        QCOMPARE(errorOf([&] { makeCarray(mismatch); }),
                 QStringLiteral("array c1: rootdir %1 holds shape [1000] but the scenario gives [999]").arg(root));
        mismatch = existingSpec(root);
        mismatch.optionsAs<CarrayOptions>().chunklen = 64;
        mismatch.given.insert(QStringLiteral("chunklen"), 64);
        QCOMPARE(errorOf([&] { makeCarray(mismatch); }),
                 QStringLiteral("array c1: rootdir %1 holds chunklen 128 but the scenario gives 64").arg(root));

        // A directory that is not a bcolz rootdir is never removed, even with overwrite.
        const QString foreign = tmp.filePath(QStringLiteral("foreign"));
        QVERIFY(QDir().mkpath(foreign));
        QFile keep(foreign + QStringLiteral("/keep.txt"));
        QVERIFY(keep.open(QIODevice::WriteOnly));
        keep.close();
        ArraySpec overwriteForeign = carraySpec({10}, 4, kInt32, foreign);
        overwriteForeign.overwrite = true;
        QCOMPARE(
            errorOf([&] { makeCarray(overwriteForeign); }),
            QStringLiteral("array c1: rootdir %1 exists and is not a bcolz rootdir; not removing it").arg(foreign));
        QVERIFY(QFile::exists(foreign + QStringLiteral("/keep.txt")));

        // Chunk files: truncated, without magic, with a frame of the wrong size, missing.
        const auto chunkFile = [&](int n) -> QString { return root + QStringLiteral("/data/__%1.blp").arg(n); };
        uint32_t chunk3Frame = 0;
        std::memcpy(&chunk3Frame, fileBytes(chunkFile(3)).constData() + 16 + 12, 4);
        QVERIFY(QFile::resize(chunkFile(2), 20));
        QVERIFY(QFile::resize(chunkFile(3), 40));
        patchFile(chunkFile(1), 0, QByteArray("bad!"));
        const uint32_t halfChunk = 256;
        patchFile(chunkFile(4), 16 + 4, QByteArray(reinterpret_cast<const char *>(&halfChunk), 4));
        QVERIFY(QFile::remove(chunkFile(5)));
        auto opened = makeCarray(existingSpec(root));
        QCOMPARE(opened->info().chunksInitialized, int64_t(7));
        TaskContext ctx;
        const auto readRows = [&](int64_t start, int64_t stop) {
            QByteArray out(qsizetype((stop - start) * 4), '\0');
            opened->read(box({start}, {stop}), out.data(), ctx);
        };
        QCOMPARE(errorOf([&] { readRows(0, 128); }), QStringLiteral("(no error)"));
        QCOMPARE(errorOf([&] { readRows(300, 310); }),
                 QStringLiteral("array c1, chunk [2]: truncated chunk file %1 (20 bytes; the bloscpack and blosc "
                                "headers need 32)")
                     .arg(chunkFile(2)));
        QCOMPARE(errorOf([&] { readRows(384, 512); }),
                 QStringLiteral("array c1, chunk [3]: truncated chunk file %1 (its blosc frame announces %2 bytes, the "
                                "file holds 24 after the bloscpack header)")
                     .arg(chunkFile(3))
                     .arg(chunk3Frame));
        QCOMPARE(errorOf([&] { readRows(130, 131); }),
                 QStringLiteral("array c1, chunk [1]: %1 is not a bloscpack chunk file (no \"blpk\" magic)")
                     .arg(chunkFile(1)));
        QCOMPARE(errorOf([&] { readRows(512, 640); }),
                 QStringLiteral("array c1, chunk [4]: the blosc frame holds 256 bytes, a chunk of 128 rows holds 512"));
        QCOMPARE(errorOf([&] { readRows(640, 641); }),
                 QStringLiteral("array c1, chunk [5]: missing chunk file %1").arg(chunkFile(5)));
        // A partial write needs the chunk's old data: the same errors.
        QCOMPARE(errorOf([&] {
                     const QByteArray row(4, '\0');
                     opened->write(box({650}, {651}), row.constData(), ctx);
                 }),
                 QStringLiteral("array c1, chunk [5]: missing chunk file %1").arg(chunkFile(5)));

        // The leftover chunk is read on open; meta files are required.
        QVERIFY(QFile::remove(chunkFile(7)));
        QCOMPARE(errorOf([&] { makeCarray(existingSpec(root)); }),
                 QStringLiteral("array c1, chunk [7]: missing chunk file %1").arg(chunkFile(7)));
        const QByteArray storage = fileBytes(root + QStringLiteral("/meta/storage"));
        QVERIFY(QFile::remove(root + QStringLiteral("/meta/storage")));
        QCOMPARE(errorOf([&] { makeCarray(existingSpec(root)); }),
                 QStringLiteral("array c1: missing %1/meta/storage").arg(root));

        // overwrite replaces a bcolz rootdir with a fresh, zero-reading one; one whose metadata does
        // not parse is not known to be a bcolz array and stays.
        ArraySpec replace = spec;
        replace.overwrite = true;
        QCOMPARE(errorOf([&] { makeCarray(replace); }),
                 QStringLiteral("array c1: rootdir %1 exists and is not a bcolz rootdir; not removing it").arg(root));
        QVERIFY(QFile::exists(chunkFile(0)));
        patchFile(root + QStringLiteral("/meta/storage"), 0, storage);
        // The temporary files of chunk writes go too, whoever wrote them, in either form of name.
        const QStringList temporaries
            = {root + QStringLiteral("/data/.__1.blp.%1@%2.0.partial").arg(::getpid()).arg(temporaryHostName()),
               root + QStringLiteral("/data/.__2.blp.%1.3.partial").arg(::getpid())};
        for (const QString &file : temporaries) {
            QFile f(file);
            QVERIFY(f.open(QIODevice::WriteOnly));
        }
        auto fresh = makeCarray(replace);
        QCOMPARE(readAll(*fresh), QByteArray(4000, '\0'));
        QVERIFY(!QFile::exists(chunkFile(0)));
        for (const QString &file : temporaries)
            QVERIFY2(!QFile::exists(file), qPrintable(file));
    }

    void invalidSpecs()
    {
        ArraySpec spec = carraySpec({1000}, -1);
        QCOMPARE(errorOf([&] { makeCarray(spec); }),
                 QStringLiteral("array c1: chunklen must be a positive integer, not -1"));
        spec = carraySpec({1000}, 10);
        spec.optionsAs<CarrayOptions>().cparams.cname = QStringLiteral("lzma");
        QCOMPARE(
            errorOf([&] { makeCarray(spec); }),
            QStringLiteral("array c1: cparams cname \"lzma\" is not one of blosclz, lz4, lz4hc, snappy, zlib, zstd"));
        spec = carraySpec({1000}, 10);
        spec.optionsAs<CarrayOptions>().cparams.shuffle = -1;
        QCOMPARE(errorOf([&] { makeCarray(spec); }),
                 QStringLiteral("array c1: cparams shuffle must be 0, 1 or 2, not -1"));
        spec = carraySpec({}, 10);
        QCOMPARE(errorOf([&] { makeCarray(spec); }),
                 QStringLiteral("array c1: a carray needs a shape of rank 1 to 32"));
        spec = carraySpec({10, 0}, 10);
        QCOMPARE(
            errorOf([&] { makeCarray(spec); }),
            QStringLiteral("array c1: rows of shape [10, 0] hold no bytes (bcolz needs rows of at least one byte)"));
        spec = carraySpec({1000, 1000}, 1000000);
        QCOMPARE(errorOf([&] { makeCarray(spec); }),
                 QStringLiteral("array c1: a chunk of 1000000 rows of 4000 bytes exceeds blosc's limit of 2147483631 "
                                "bytes"));
        spec = carraySpec({100000000}, 1);
        QCOMPARE(errorOf([&] { makeCarray(spec); }),
                 QStringLiteral("array c1: 100000000 chunks of 1 rows are too many (at most 4194304); use a larger "
                                "chunklen"));
        auto store = makeCarray(carraySpec({10}, 4));
        TaskContext ctx;
        QByteArray out(40, '\0');
        QCOMPARE(errorOf([&] { store->read(box({5}, {15}), out.data(), ctx); }),
                 QStringLiteral("array c1: region [[5, 15]] is outside the shape [10]"));
        // An empty array has no chunks but reads and writes nothing without error.
        auto empty = makeCarray(carraySpec({0, 4}, 16));
        QCOMPARE(empty->info().chunksTotal, int64_t(0));
        QCOMPARE(errorOf([&] { empty->write(Region::whole(empty->shape()), nullptr, ctx); }),
                 QStringLiteral("(no error)"));
    }
    void symlinkedDataDirectoryIsRefused()
    {
        QTemporaryDir tmp;
        const QString a = tmp.filePath(QStringLiteral("A"));
        const QString t = tmp.filePath(QStringLiteral("T"));
        for (const QString &root : {a, t}) {
            auto store = makeCarray(carraySpec({1000}, 128, kInt32, root));
            TaskContext ctx;
            store->write(Region::whole(store->shape()), pattern(kInt32, 1000).constData(), ctx);
        }
        const QByteArray chunk0 = fileBytes(a + QStringLiteral("/data/__0.blp"));
        QVERIFY(QDir(t + QStringLiteral("/data")).removeRecursively());
        QVERIFY(QFile::link(QStringLiteral("../A/data"), t + QStringLiteral("/data")));
        const QString refusal
            = QStringLiteral("array c1: rootdir %1: %1/data is a symbolic link to a directory; not writing through it")
                  .arg(t);
        ArraySpec overwrite = carraySpec({1000}, 128, kInt32, t);
        overwrite.overwrite = true;
        QCOMPARE(errorOf([&] { makeCarray(overwrite); }), refusal);
        // Reading through the link is harmless; writing is refused before anything is written.
        auto linked = makeCarray(existingSpec(t));
        QCOMPARE(errorOf([&] { linked->beginWriting(); }), refusal);
        QCOMPARE(fileBytes(a + QStringLiteral("/data/__0.blp")), chunk0);
        QCOMPARE(QDir(a + QStringLiteral("/data")).entryList(QDir::Files).size(), 8);
    }

    void oversizedChunkFileIsRefusedBeforeReading()
    {
        QTemporaryDir tmp;
        const QString root = tmp.filePath(QStringLiteral("c1"));
        writtenCarray(root);
        const QString chunk = root + QStringLiteral("/data/__3.blp");
        // Sparse: a file that claims a mebibyte costs no disk.
        QVERIFY(QFile::resize(chunk, qint64(1) << 20));
        auto opened = makeCarray(existingSpec(root));
        TaskContext ctx;
        QByteArray out(512, '\0');
        QCOMPARE(errorOf([&] { opened->read(box({384}, {512}), out.data(), ctx); }),
                 QStringLiteral("array c1, chunk [3]: %1 is 1048576 bytes, more than the 544 an encoded chunk of 512 "
                                "bytes can take")
                     .arg(chunk));
    }

    void overwriteRemovesMetadataLast()
    {
        QTemporaryDir tmp;
        const QString root = tmp.filePath(QStringLiteral("c1"));
        ArraySpec spec = writtenCarray(root);
        const QString stuck = root + QStringLiteral("/data/__3.blp");
        if (!setImmutable(stuck, true))
            QSKIP("this file system or user cannot make a file immutable");
        const QByteArray storage = fileBytes(root + QStringLiteral("/meta/storage"));
        const QByteArray sizes = fileBytes(root + QStringLiteral("/meta/sizes"));
        spec.overwrite = true;
        const QString error = errorOf([&] { makeCarray(spec); });
        QVERIFY(setImmutable(stuck, false));
        QCOMPARE(error, QStringLiteral("array c1: cannot remove %1").arg(stuck));
        // Interrupted midway, the rootdir is still recognised, so the next overwrite may clear it.
        QCOMPARE(fileBytes(root + QStringLiteral("/meta/storage")), storage);
        QCOMPARE(fileBytes(root + QStringLiteral("/meta/sizes")), sizes);
        QCOMPARE(errorOf([&] { makeCarray(spec); }), QStringLiteral("(no error)"));
    }

    void staleTemporariesOfDeadWritersAreRemoved()
    {
        QTemporaryDir tmp;
        const QString root = tmp.filePath(QStringLiteral("c1"));
        writtenCarray(root);
        const QString data = root + QStringLiteral("/data/");
        const QString dead = QString::number(deadPid());
        const QString host = temporaryHostName();
        const QString gone = data + QStringLiteral(".__3.blp.%1@%2.0.partial").arg(dead, host);
        const QString goneOlder = data + QStringLiteral(".__2.blp.%1.0.partial").arg(dead);
        const QString kept = data + QStringLiteral(".__4.blp.%1@%2.2.partial").arg(::getppid()).arg(host);
        const QString keptElsewhere = data + QStringLiteral(".__5.blp.%1@%2.1.partial").arg(dead, anotherHost(host));
        for (const QString &file : {gone, goneOlder, kept, keptElsewhere}) {
            QFile f(file);
            QVERIFY(f.open(QIODevice::WriteOnly));
            f.write("half a chunk");
        }
        auto opened = makeCarray(existingSpec(root));
        // Opened to be read, the rootdir is left as it is.
        QVERIFY(QFileInfo::exists(gone));
        opened->beginWriting();
        QVERIFY(!QFileInfo::exists(gone));
        QVERIFY(!QFileInfo::exists(goneOlder));
        QCOMPARE(fileBytes(kept), QByteArray("half a chunk"));
        QCOMPARE(fileBytes(keptElsewhere), QByteArray("half a chunk"));
        QCOMPARE(readAll(*opened), pattern(kInt32, 1000));
    }
};

QTEST_GUILESS_MAIN(TestCarrayStore)
#include "tst_carraystore.moc"
