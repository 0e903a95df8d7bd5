#include "array/stridedcopy.h"
#include "io/atomicfile.h"
#include "runner/arraystore.h"
#include "scenario/scenario.h"
#include "storeerrors.h"
#include "stores/zarr/zarrcodecs.h"
#include "stores/zarr/zarrstore.h"
#include "task/taskcontext.h"
#include "testfiles.h"
#include "zarrv2spec.h"

#include "filefaults.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QTemporaryDir>
#include <QTest>

#include <blosc.h>
#include <zlib.h>

#include <cmath>
#include <cstring>
#include <thread>

using namespace cs;

namespace {

Region region(std::vector<int64_t> start, std::vector<int64_t> stop)
{
    return Region{Coords::fromVector(start), Coords::fromVector(stop)};
}

// Bytes of a dense C-order array whose items count up from 1 (item i holds i + 1, little-endian).
QByteArray ramp(const Coords &shape, int itemsize)
{
    const int64_t n = shape.product();
    QByteArray data(int(n * itemsize), '\0');
    for (int64_t i = 0; i < n; ++i) {
        const uint64_t v = uint64_t(i + 1);
        std::memcpy(data.data() + i * itemsize, &v, size_t(itemsize));
    }
    return data;
}

QByteArray readRegion(Store &store, const Region &r, TaskContext &ctx)
{
    QByteArray out(int(r.count() * store.dtype().itemsize()), '\xEE');
    store.read(r, out.data(), ctx);
    return out;
}

QByteArray sub(const QByteArray &whole, const Coords &shape, const Region &r, int itemsize)
{
    QByteArray out(int(r.count() * itemsize), '\0');
    copyBox(whole.constData(), shape, r.start, out.data(), r.shape(), Coords::filled(r.rank(), 0), r.shape(),
            size_t(itemsize));
    return out;
}

// Writes the whole source in blocks of `block` that do not align with the chunks.
void writeInBlocks(Store &store, const QByteArray &source, const Coords &block, TaskContext &ctx)
{
    const ChunkGrid blocks(store.shape(), block);
    for (int64_t b = 0; b < blocks.chunkCount(); ++b) {
        const Region r = blocks.chunkRegion(b);
        const QByteArray part = sub(source, store.shape(), r, store.dtype().itemsize());
        store.write(r, part.constData(), ctx);
    }
}

// A 4 x 10 array of <i4 in chunks of 1 x 5 under nested chunk directories ("2/1"), written in full
// at `name` in `dir` and closed: eight chunk files on disk for a test to tamper with.
ArraySpec writtenNestedArray(const QTemporaryDir &dir, const QString &name)
{
    ArraySpec s = spec(QStringLiteral("<i4"), {4, 10}, {1, 5});
    opts(s).dimensionSeparator = QStringLiteral("/");
    opts(s).path = dir.filePath(name);
    const auto store = createStore(s);
    TaskContext ctx;
    store->write(Region::whole(store->shape()), ramp(store->shape(), 4).constData(), ctx);
    return s;
}

} // namespace

class TestZarrStore : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void roundTrip_data()
    {
        QTest::addColumn<bool>("onDisk");
        QTest::addColumn<QString>("dtype");
        QTest::addColumn<std::optional<CompressorSpec>>("compressor");
        QTest::addColumn<QString>("order");
        QTest::addColumn<QString>("separator");
        for (bool onDisk : {false, true}) {
            const char *where = onDisk ? "dir" : "mem";
            QTest::addRow("%s blosc lz4 i4", where) << onDisk << QStringLiteral("<i4") << std::optional(blosc("lz4"))
                                                    << QStringLiteral("C") << QStringLiteral(".");
            QTest::addRow("%s blosc zstd bitshuffle >u2 nested", where)
                << onDisk << QStringLiteral(">u2") << std::optional(blosc("zstd", 3, 2)) << QStringLiteral("C")
                << QStringLiteral("/");
            QTest::addRow("%s zlib f8", where) << onDisk << QStringLiteral("<f8") << std::optional(zlib(1))
                                               << QStringLiteral("C") << QStringLiteral(".");
            QTest::addRow("%s none u1", where) << onDisk << QStringLiteral("|u1") << std::optional<CompressorSpec>()
                                               << QStringLiteral("C") << QStringLiteral(".");
            QTest::addRow("%s blosc F i2", where) << onDisk << QStringLiteral("<i2") << std::optional(blosc("blosclz"))
                                                  << QStringLiteral("F") << QStringLiteral(".");
            QTest::addRow("%s none F i8", where) << onDisk << QStringLiteral("<i8") << std::optional<CompressorSpec>()
                                                 << QStringLiteral("F") << QStringLiteral("/");
        }
    }
    void roundTrip()
    {
        QFETCH(bool, onDisk);
        QFETCH(QString, dtype);
        QFETCH(std::optional<CompressorSpec>, compressor);
        QFETCH(QString, order);
        QFETCH(QString, separator);
        QTemporaryDir tmp;
        ArraySpec s = spec(dtype, {10, 7, 5}, {4, 3, 2}, compressor);
        opts(s).order = order;
        opts(s).dimensionSeparator = separator;
        if (onDisk)
            opts(s).path = tmp.filePath(QStringLiteral("a.zarr"));
        const auto store = createStore(s);
        const int itemsize = store->dtype().itemsize();
        const QByteArray source = ramp(store->shape(), itemsize);
        TaskContext ctx;
        writeInBlocks(*store, source, Coords::fromVector({3, 4, 5}), ctx);

        QCOMPARE(readRegion(*store, Region::whole(store->shape()), ctx), source);
        for (const Region &r :
             {region({0, 0, 0}, {4, 3, 2}), region({8, 6, 4}, {10, 7, 5}), region({1, 2, 1}, {9, 7, 4}),
              region({4, 0, 0}, {8, 7, 5}), region({5, 5, 0}, {6, 6, 5})})
            QCOMPARE(readRegion(*store, r, ctx), sub(source, store->shape(), r, itemsize));

        const StoreInfo info = store->info();
        QCOMPARE(info.chunksInitialized, int64_t(3 * 3 * 3));
        QCOMPARE(info.chunksTotal, int64_t(27));
        QCOMPARE(info.nbytes, int64_t(350 * itemsize));
        int64_t stored = 0;
        for (const QString &key : zarr(store).keys())
            stored += zarr(store).get(key).size();
        QCOMPARE(info.nbytesStored, stored);
        QCOMPARE(info.location, onDisk ? opts(s).path : QStringLiteral("in memory"));
        QCOMPARE(zarr(store).keys().size(), 28);
        QCOMPARE(zarr(store).get(QStringLiteral(".zarray")), zarr(store).metadata().toJson());
        const QString lastKey = separator == QLatin1String("/") ? QStringLiteral("2/2/2") : QStringLiteral("2.2.2");
        QVERIFY(!zarr(store).get(lastKey).isNull());
        QCOMPARE(zarr(store).chunkKey(Coords::fromVector({2, 2, 2})), lastKey);
        if (onDisk) {
            QVERIFY(QFile::exists(opts(s).path + QLatin1Char('/') + lastKey));
            // Reopened from disk, the array reads the same.
            ArraySpec e = spec(dtype, {10, 7, 5}, {4, 3, 2});
            opts(e).path = opts(s).path;
            e.fill.kind = FillSpec::Kind::Existing;
            const auto reopened = createStore(e);
            QCOMPARE(reopened->chunks(), Coords::fromVector({4, 3, 2}));
            QCOMPARE(readRegion(*reopened, Region::whole(store->shape()), ctx), source);
            QCOMPARE(reopened->info().nbytesStored, info.nbytesStored);
        }
    }

    void chunkBytesArePlainBlosc()
    {
        // Every stored chunk is one blosc frame of the full chunk; edge chunks padded with fill_value.
        ArraySpec s = spec(QStringLiteral("<i4"), {10, 7}, {4, 3}, blosc("lz4", 5, 1));
        opts(s).fillValue = -1;
        const auto store = createStore(s);
        const QByteArray source = ramp(store->shape(), 4);
        TaskContext ctx;
        store->write(Region::whole(store->shape()), source.constData(), ctx);
        const ChunkGrid &grid = store->grid();
        for (int64_t i = 0; i < grid.chunkCount(); ++i) {
            const Coords c = grid.chunkCoords(i);
            const QByteArray frame = zarr(store).get(zarr(store).chunkKey(c));
            QVERIFY(!frame.isNull());
            QByteArray chunk(12 * 4, '\0');
            QCOMPARE(blosc_decompress_ctx(frame.constData(), chunk.data(), size_t(chunk.size()), 1), 48);
            QByteArray expected(48, '\xff');
            const Region valid = grid.chunkRegion(c);
            copyBox(source.constData(), store->shape(), valid.start, expected.data(), store->chunks(),
                    Coords::filled(2, 0), valid.shape(), 4);
            QCOMPARE(chunk, expected);
        }
        QCOMPARE(zarr(store).keys().first(), QStringLiteral(".zarray"));
        QCOMPARE(zarr(store).keys().size(), 1 + 9);
    }

    void fortranChunksAreTransposed()
    {
        ArraySpec s = spec(QStringLiteral("|u1"), {2, 3}, {2, 3}, std::nullopt);
        opts(s).order = QStringLiteral("F");
        const auto store = createStore(s);
        TaskContext ctx;
        store->write(Region::whole(store->shape()), "abcdef", ctx);
        QCOMPARE(zarr(store).get(QStringLiteral("0.0")), QByteArray("adbecf"));
        QCOMPARE(readRegion(*store, region({0, 1}, {2, 3}), ctx), QByteArray("bcef"));
    }

    void missingChunksReadAsFillValue()
    {
        ArraySpec s = spec(QStringLiteral("<f8"), {6, 5}, {4, 3});
        opts(s).fillValue = QStringLiteral("NaN");
        const auto store = createStore(s);
        TaskContext ctx;
        const QByteArray one = ramp(Coords::fromVector({2, 2}), 8);
        store->write(region({4, 3}, {6, 5}), one.constData(), ctx); // the last chunk only, partly
        QCOMPARE(store->info().chunksInitialized, int64_t(1));
        const QByteArray all = readRegion(*store, Region::whole(store->shape()), ctx);
        const double nan = std::numeric_limits<double>::quiet_NaN();
        for (int i = 0; i < 30; ++i) {
            const int row = i / 5, col = i % 5;
            double v;
            std::memcpy(&v, all.constData() + 8 * i, 8);
            if (row >= 4 && col >= 3) {
                QCOMPARE(QByteArray(all.constData() + 8 * i, 8), one.mid(8 * ((row - 4) * 2 + col - 3), 8));
            } else {
                QVERIFY2(std::memcmp(&v, &nan, 8) == 0, qPrintable(QStringLiteral("item %1").arg(i)));
            }
        }
        // The written chunk's padding holds fill_value too.
        QByteArray chunk(4 * 3 * 8, '\0');
        const QByteArray frame = zarr(store).get(QStringLiteral("1.1"));
        QCOMPARE(blosc_decompress_ctx(frame.constData(), chunk.data(), size_t(chunk.size()), 1), chunk.size());
        const QByteArray nanBytes(reinterpret_cast<const char *>(&nan), 8);
        for (int i = 0; i < 12; ++i) {
            const int row = i / 3, col = i % 3;
            QCOMPARE(chunk.mid(8 * i, 8), row < 2 && col < 2 ? one.mid(8 * (row * 2 + col), 8) : nanBytes);
        }

        ArraySpec b = spec(QStringLiteral(">u2"), {5}, {2}, std::nullopt);
        opts(b).fillValue = 42;
        const auto big = createStore(b);
        QCOMPARE(readRegion(*big, region({1}, {4}), ctx), QByteArray("\x00\x2a\x00\x2a\x00\x2a", 6));
    }

    void wholeChunkWritesNeverRead()
    {
        const auto store = createStore(spec(QStringLiteral("<i4"), {8, 6}, {4, 3}));
        const QByteArray source = ramp(store->shape(), 4);
        TaskContext ctx;
        // Blocks of two whole chunks, one of them encoded straight from the caller's buffer.
        writeInBlocks(*store, source, Coords::fromVector({4, 6}), ctx);
        writeInBlocks(*store, source, Coords::fromVector({4, 3}), ctx);
        QCOMPARE(ctx.phaseNs[size_t(Phase::Read)], int64_t(0));
        QVERIFY(ctx.phaseNs[size_t(Phase::Encode)] > 0);
        QVERIFY(ctx.phaseNs[size_t(Phase::Write)] > 0);
        // A partial write reads the chunk first.
        store->write(region({0, 0}, {1, 1}), source.constData(), ctx);
        QVERIFY(ctx.phaseNs[size_t(Phase::Read)] > 0);
        QCOMPARE(readRegion(*store, Region::whole(store->shape()), ctx), source);
    }

    void concurrentPartialWritesOfSharedChunks()
    {
        // Rows of 1 x 64 items written by two workers into chunks of 8 x 64: every chunk is shared.
        const auto store = createStore(spec(QStringLiteral("<i4"), {64, 64}, {8, 64}, blosc("lz4")));
        const QByteArray source = ramp(store->shape(), 4);
        std::mutex io;
        auto worker = [&](int parity) {
            TaskContext ctx;
            ctx.ioLock = &io;
            for (int row = parity; row < 64; row += 2)
                store->write(region({row, 0}, {row + 1, 64}), source.constData() + row * 64 * 4, ctx);
        };
        std::thread a(worker, 0), b(worker, 1);
        a.join();
        b.join();
        TaskContext ctx;
        QCOMPARE(readRegion(*store, Region::whole(store->shape()), ctx), source);
    }

    // A chunk numcodecs' decoders cannot read fails naming the chunk, and the array's other chunks
    // still read.
    void corruptNumcodecsChunks_data()
    {
        QTest::addColumn<QByteArray>("compressor");
        QTest::addColumn<QByteArray>("filters");
        QTest::addColumn<QString>("damage");
        QTest::addColumn<QString>("error");
        QTest::newRow("bz2 truncated") << QByteArray(R"({"id": "bz2"})") << QByteArray("null")
                                       << QStringLiteral("truncate")
                                       << QStringLiteral("array z1, chunk [1]: corrupt bz2 stream (truncated)");
        QTest::newRow("lzma truncated") << QByteArray(R"({"id": "lzma"})") << QByteArray("null")
                                        << QStringLiteral("truncate")
                                        << QStringLiteral("array z1, chunk [1]: corrupt lzma stream (truncated)");
        QTest::newRow("zstd truncated") << QByteArray(R"({"id": "zstd"})") << QByteArray("null")
                                        << QStringLiteral("truncate")
                                        << QStringLiteral(
                                               "array z1, chunk [1]: corrupt zstd frame (Src size is incorrect)");
        QTest::newRow("lz4 truncated") << QByteArray(R"({"id": "lz4"})") << QByteArray("null")
                                       << QStringLiteral("truncate")
                                       << QStringLiteral("array z1, chunk [1]: corrupt lz4 chunk (invalid block)");
        QTest::newRow("lz4 size header lies")
            << QByteArray(R"({"id": "lz4"})") << QByteArray("null") << QStringLiteral("lie")
            << QStringLiteral(
                   "array z1, chunk [1]: corrupt lz4 chunk (its header announces 2147483647 bytes, more than 400)");
        QTest::newRow("gzip truncated") << QByteArray(R"({"id": "gzip"})") << QByteArray("null")
                                        << QStringLiteral("truncate")
                                        << QStringLiteral(
                                               "array z1, chunk [1]: corrupt gzip stream (truncated after 117 bytes)");
        QTest::newRow("astype chunk too short")
            << QByteArray("null") << QByteArray(R"([{"id": "astype", "encode_dtype": "<i2", "decode_dtype": "<i4"}])")
            << QStringLiteral("truncate")
            << QStringLiteral("array z1, chunk [1]: the chunk decodes to 268 bytes, expected 400");
    }
    void corruptNumcodecsChunks()
    {
        QFETCH(QByteArray, compressor);
        QFETCH(QByteArray, filters);
        QFETCH(QString, damage);
        QFETCH(QString, error);
        QTemporaryDir tmp;
        ArraySpec d = spec(QStringLiteral("<i4"), {300}, {100}, std::nullopt);
        opts(d).path = tmp.filePath(QStringLiteral("z"));
        const QJsonValue config = QJsonDocument::fromJson("[" + compressor + "]").array().at(0);
        if (config.isObject())
            opts(d).compressor = numcodecsCompressor(config.toObject());
        opts(d).filters = QJsonDocument::fromJson(filters).array();
        const auto disk = createStore(d);
        const QByteArray source = ramp(disk->shape(), 4);
        TaskContext ctx;
        disk->write(Region::whole(disk->shape()), source.constData(), ctx);
        QByteArray stored = zarr(disk).get(QStringLiteral("1"));
        if (damage == QLatin1String("lie"))
            stored.replace(0, 4, QByteArray("\xff\xff\xff\x7f", 4)); // lz4's little-endian decoded size
        else
            stored.chop(stored.size() / 3);
        QVERIFY(writeAll(opts(d).path + QStringLiteral("/1"), stored));
        QCOMPARE(storeError([&] { readRegion(*disk, region({0}, {300}), ctx); }), error);
        QCOMPARE(readRegion(*disk, region({200}, {300}), ctx), source.mid(800));
    }

    void corruptChunk()
    {
        const auto store = createStore(spec(QStringLiteral("<i4"), {12}, {4}));
        const QByteArray source = ramp(store->shape(), 4);
        TaskContext ctx;
        store->write(Region::whole(store->shape()), source.constData(), ctx);
        const QByteArray frame = zarr(store).get(QStringLiteral("1"));
        const QString sizes = QStringLiteral("header announces 16 bytes compressed to %1").arg(frame.size());

        ArraySpec d = spec(QStringLiteral("<i4"), {12}, {4});
        QTemporaryDir tmp;
        opts(d).path = tmp.filePath(QStringLiteral("z"));
        const auto disk = createStore(d);
        disk->write(Region::whole(store->shape()), source.constData(), ctx);
        QVERIFY(writeAll(opts(d).path + QStringLiteral("/1"), frame.left(frame.size() - 2)));
        QCOMPARE(storeError([&] { readRegion(*disk, region({0}, {12}), ctx); }),
                 QStringLiteral("array z1, chunk [1]: corrupt blosc frame (%1, the frame has %2)")
                     .arg(sizes)
                     .arg(frame.size() - 2));
        QVERIFY(writeAll(opts(d).path + QStringLiteral("/2"), "junk"));
        QCOMPARE(storeError([&] { readRegion(*disk, region({9}, {10}), ctx); }),
                 QStringLiteral("array z1, chunk [2]: corrupt blosc frame (4 bytes, shorter than the 16-byte header)"));
        // A partial write of a corrupt chunk fails the same way instead of overwriting it.
        QCOMPARE(storeError([&] { disk->write(region({9}, {10}), source.constData(), ctx); }),
                 QStringLiteral("array z1, chunk [2]: corrupt blosc frame (4 bytes, shorter than the 16-byte header)"));
        // The chunks around are still fine.
        QCOMPARE(readRegion(*disk, region({0}, {4}), ctx), source.left(16));

        ArraySpec raw = spec(QStringLiteral("<i4"), {12}, {4}, std::nullopt);
        opts(raw).path = tmp.filePath(QStringLiteral("raw"));
        const auto plain = createStore(raw);
        QVERIFY(writeAll(opts(raw).path + QStringLiteral("/0"), "short"));
        QCOMPARE(storeError([&] { readRegion(*plain, region({0}, {4}), ctx); }),
                 QStringLiteral("array z1, chunk [0]: the stored chunk has 5 bytes, expected 16"));
    }

    void unreadableZarray_data()
    {
        QTest::addColumn<QByteArray>("zarray");
        QTest::addColumn<QString>("error");
        const QByteArray good = metadataOf(spec(QStringLiteral("<i4"), {10}, {4})).toJson();
        auto with = [&](const char *from, const char *to) { return QByteArray(good).replace(from, to); };
        QTest::newRow("not json") << QByteArray("{\"zarr_format\": 2,")
                                  << QStringLiteral("not valid JSON (unterminated object at offset 18)");
        QTest::newRow("list") << QByteArray("[]") << QStringLiteral("not a JSON object");
        QTest::newRow("format 3") << with("\"zarr_format\": 2", "\"zarr_format\": 3")
                                  << QStringLiteral("zarr_format 3.0 is not 2");
        QTest::newRow("shape") << with("        10\n", "        -10\n")
                               << QStringLiteral("shape [-10] has a negative extent");
        QTest::newRow("chunks 0") << with("        4\n", "        0\n")
                                  << QStringLiteral("chunks [0] must all be at least 1");
        QTest::newRow("rank") << with("\"chunks\": [", "\"chunks\": [1, ")
                              << QStringLiteral("chunks [1, 4] do not have the rank of shape [10]");
        QTest::newRow("huge chunk") << with("        4\n", "        4000000000\n")
                                    << QStringLiteral(
                                           "chunks [4000000000] exceed the limit of 2147483584 bytes per chunk");
        QTest::newRow("dtype") << with("<i4", "<c32")
                               << QStringLiteral("unsupported dtype \"<c32\" (expected a NumPy type string such as "
                                                 "\"<i4\" or a name such as \"int32\")");
        QTest::newRow("object dtype") << with("<i4", "|O")
                                      << QStringLiteral("unsupported dtype \"|O\": object arrays hold Python objects "
                                                        "(variable-length strings, lists), which have no fixed size to "
                                                        "copy as bytes");
        QTest::newRow("compressor") << with("\"blosc\"", "\"lzf\"")
                                    << QStringLiteral("compressor \"lzf\" is not supported (blosc, zlib, bz2, lzma, "
                                                      "lz4, zstd, gzip and null are)");
        QTest::newRow("compressor key") << with("\"blosc\"", "\"zstd\"")
                                        << QStringLiteral("numcodecs codec \"zstd\": key \"blocksize\" is "
                                                          "not a key of this codec");
        QTest::newRow("cname") << with("\"lz4\"", "\"lzx\"")
                               << QStringLiteral("blosc compressor \"lzx\" is not available (expected one of "
                                                 "blosclz,lz4,lz4hc,snappy,zlib,zstd)");
        QTest::newRow("filter key") << with("\"filters\": null", "\"filters\": [{\"id\": \"delta\"}]")
                                    << QStringLiteral(
                                           "filters[0]: numcodecs codec \"delta\": key \"dtype\" is missing");
        QTest::newRow("unknown filter")
            << with("\"filters\": null", "\"filters\": [{\"id\": \"shuffle\"}, {\"id\": \"vlen-utf8\"}]")
            << QStringLiteral(
                   "filters[1]: numcodecs codec \"vlen-utf8\" is not supported (supported: astype, bz2, "
                   "categorize, delta, fixedscaleoffset, gzip, lz4, lzma, packbits, quantize, shuffle, zlib, zstd)");
        QTest::newRow("filters object") << with("\"filters\": null", "\"filters\": {}")
                                        << QStringLiteral("filters must be a list or null");
        QTest::newRow("order") << with("\"C\"", "\"K\"") << QStringLiteral("order \"K\" is not \"C\" or \"F\"");
        QTest::newRow("separator") << with("\"dtype\"", "\"dimension_separator\": \"/../\", \"dtype\"")
                                   << QStringLiteral("dimension_separator \"/../\" is not \".\" or \"/\"");
        QTest::newRow("fill") << with("\"fill_value\": 0", "\"fill_value\": 2.5")
                              << QStringLiteral("fill_value 2.5 is not valid for dtype <i4 (expected an integer in the "
                                                "dtype's range)");
        QTest::newRow("no fill") << with("\"fill_value\": 0,", "") << QStringLiteral("fill_value is missing");
    }
    void unreadableZarray()
    {
        QFETCH(QByteArray, zarray);
        QFETCH(QString, error);
        QTemporaryDir tmp;
        ArraySpec e = spec(QStringLiteral("<i4"), {10}, {4});
        opts(e).path = tmp.path();
        e.fill.kind = FillSpec::Kind::Existing;
        QVERIFY(writeAll(tmp.filePath(QStringLiteral(".zarray")), zarray));
        QCOMPARE(storeError([&] { createStore(e); }), QStringLiteral("array z1, .zarray: ") + error);
    }

    void existingArrays()
    {
        QTemporaryDir tmp;
        ArraySpec e = spec(QStringLiteral("<i4"), {10}, {4});
        e.fill.kind = FillSpec::Kind::Existing;
        QCOMPARE(storeError([&] { createStore(e); }), QStringLiteral("array z1: fill \"existing\" needs a path"));
        opts(e).path = tmp.filePath(QStringLiteral("none"));
        QCOMPARE(storeError([&] { createStore(e); }),
                 QStringLiteral("array z1: %1 is not a directory").arg(opts(e).path));
        opts(e).path = tmp.path();
        QVERIFY(storeError([&] {
                    createStore(e);
                }).startsWith(QStringLiteral("array z1, .zarray: cannot read %1/.zarray (").arg(tmp.path())));

        ArraySpec s = spec(QStringLiteral("<i4"), {10}, {4});
        opts(s).path = tmp.filePath(QStringLiteral("a"));
        createStore(s);
        opts(e).path = opts(s).path;
        e.shape = {12};
        e.given.insert(QStringLiteral("shape"), QJsonArray{12});
        QCOMPARE(storeError([&] { createStore(e); }),
                 QStringLiteral("array z1: shape [12] differs from [10] in %1/.zarray").arg(opts(s).path));
        e.given = {};
        e.given.insert(QStringLiteral("dtype"), QStringLiteral("<i4"));
        QCOMPARE(createStore(e)->shape(), Coords::fromVector({10}));
    }

    void existingPathNeedsOverwrite()
    {
        QTemporaryDir tmp;
        ArraySpec s = spec(QStringLiteral("<i4"), {10}, {4});
        opts(s).path = tmp.filePath(QStringLiteral("a.zarr"));
        {
            const auto store = createStore(s);
            TaskContext ctx;
            store->write(Region::whole(store->shape()), ramp(store->shape(), 4).constData(), ctx);
        }
        QVERIFY(writeAll(opts(s).path + QStringLiteral("/notes.txt"), "keep me"));
        QCOMPARE(
            storeError([&] { createStore(s); }),
            QStringLiteral("array z1: %1 already exists (set \"overwrite\": true to replace it)").arg(opts(s).path));
        s.overwrite = true;
        s.shape = {3};
        opts(s).dimensionSeparator = QStringLiteral("/");
        const auto fresh = createStore(s);
        QCOMPARE(QDir(opts(s).path).entryList(QDir::Files | QDir::Hidden),
                 (QStringList{QStringLiteral(".zarray"), QStringLiteral("notes.txt")}));
        QCOMPARE(fresh->info().chunksInitialized, int64_t(0));

        QVERIFY(writeAll(tmp.filePath(QStringLiteral("file")), "x"));
        opts(s).path = tmp.filePath(QStringLiteral("file"));
        QCOMPARE(storeError([&] { createStore(s); }),
                 QStringLiteral("array z1: %1 exists and is not a directory").arg(opts(s).path));
    }

    void invalidSpecs()
    {
        QCOMPARE(storeError([&] { createStore(spec(QStringLiteral("<i4"), {10}, {0})); }),
                 QStringLiteral("array z1: chunks [0] must all be at least 1"));
        CompressorSpec lzf;
        lzf.id = QStringLiteral("lzf");
        QCOMPARE(
            storeError([&] { createStore(spec(QStringLiteral("<i4"), {10}, {4}, lzf)); }),
            QStringLiteral(
                "array z1: compressor \"lzf\" is not a Zarr compressor (blosc, zlib, bz2, lzma, lz4, zstd, gzip or "
                "null)"));
        QCOMPARE(storeError([&] { createStore(spec(QStringLiteral("<i4"), {10}, {4}, blosc("lz4", 12))); }),
                 QStringLiteral("array z1: blosc clevel 12 is out of range 0-9"));
    }

    void emptyArray()
    {
        const auto store = createStore(spec(QStringLiteral("<i4"), {0, 5}, {4, 4}));
        TaskContext ctx;
        store->write(Region::whole(store->shape()), nullptr, ctx);
        QCOMPARE(store->info().chunksTotal, int64_t(0));
        QCOMPARE(store->info().nbytesStored, int64_t(zarr(store).get(QStringLiteral(".zarray")).size()));
    }
    void symlinkedChunkDirectoriesAreRefused()
    {
        QTemporaryDir tmp;
        const QString photos = tmp.filePath(QStringLiteral("photos"));
        QVERIFY(QDir().mkpath(photos));
        QVERIFY(writeAll(photos + QStringLiteral("/5"), "irreplaceable"));
        ArraySpec s = writtenNestedArray(tmp, QStringLiteral("tgt.zarr"));
        QVERIFY(QDir(opts(s).path + QStringLiteral("/3")).removeRecursively());
        QVERIFY(QFile::link(QStringLiteral("../photos"), opts(s).path + QStringLiteral("/3")));
        ArraySpec e = s;
        e.fill.kind = FillSpec::Kind::Existing;
        // Reading through the link is harmless; writing is refused before anything is written.
        const auto linked = createStore(e);
        QCOMPARE(storeError([&] { linked->beginWriting(); }),
                 QStringLiteral("array z1: %1/3 is a symbolic link to a directory; not writing through it")
                     .arg(opts(s).path));
        QCOMPARE(QDir(photos).entryList(QDir::Files), QStringList{QStringLiteral("5")});
        QCOMPARE(readAll(photos + QStringLiteral("/5")), QByteArray("irreplaceable"));

        // A link planted after the store opened, where a chunk needs directories created, is refused
        // by the directory walk of the chunk write rather than followed.
        ArraySpec t = spec(QStringLiteral("<i4"), {2, 2, 2}, {1, 1, 1});
        opts(t).dimensionSeparator = QStringLiteral("/");
        opts(t).path = tmp.filePath(QStringLiteral("t3.zarr"));
        const auto store = createStore(t);
        QVERIFY(QFile::link(QStringLiteral("../photos"), opts(t).path + QStringLiteral("/1")));
        TaskContext ctx;
        QCOMPARE(
            storeError([&] { store->write(Region::whole(store->shape()), ramp(store->shape(), 4).constData(), ctx); }),
            QStringLiteral("array z1, chunk [1, 0, 0]: cannot create the directory for %1/1/0/0 (%1/1 is a "
                           "symbolic link to a directory; not writing through it)")
                .arg(opts(t).path));
        QCOMPARE(QDir(photos).entryList(QDir::AllEntries | QDir::NoDotAndDotDot), QStringList{QStringLiteral("5")});
    }

    void oversizedChunkFilesAreRefusedBeforeReading_data()
    {
        QTest::addColumn<QString>("compressor");
        QTest::addColumn<int>("limit");
        QTest::newRow("blosc") << QStringLiteral("blosc") << 416;
        QTest::newRow("zlib") << QStringLiteral("zlib") << int(compressBound(400));
        QTest::newRow("none") << QString() << 400;
    }

    void oversizedChunkFilesAreRefusedBeforeReading()
    {
        QFETCH(QString, compressor);
        QFETCH(int, limit);
        QTemporaryDir tmp;
        std::optional<CompressorSpec> codec;
        if (compressor == QLatin1String("blosc"))
            codec = blosc();
        else if (compressor == QLatin1String("zlib"))
            codec = zlib(1);
        ArraySpec s = spec(QStringLiteral("<i4"), {400}, {100}, codec);
        opts(s).path = tmp.filePath(QStringLiteral("bl.zarr"));
        const auto store = createStore(s);
        TaskContext ctx;
        store->write(Region::whole(store->shape()), ramp(store->shape(), 4).constData(), ctx);
        // Sparse: a file that claims a mebibyte costs no disk. zlib ignores what follows a complete
        // stream (as Python's zlib.decompress does), so only the size check refuses it there.
        QVERIFY(QFile::resize(opts(s).path + QStringLiteral("/3"), qint64(1) << 20));
        QByteArray out(1600, '\0');
        QCOMPARE(storeError([&] { store->read(Region::whole(store->shape()), out.data(), ctx); }),
                 QStringLiteral("array z1, chunk [3]: %1/3 is 1048576 bytes, more than the %2 an encoded chunk of 400 "
                                "bytes can take")
                     .arg(opts(s).path)
                     .arg(limit));
        QVERIFY(QFile::resize(opts(s).path + QStringLiteral("/3"), limit + 1));
        QCOMPARE(storeError([&] { store->read(region({300}, {400}), out.data(), ctx); }),
                 QStringLiteral("array z1, chunk [3]: %1/3 is %2 bytes, more than the %3 an encoded chunk of 400 "
                                "bytes can take")
                     .arg(opts(s).path)
                     .arg(limit + 1)
                     .arg(limit));
    }

    void overwriteDeletesMetadataLast()
    {
        QTemporaryDir tmp;
        ArraySpec s = writtenNestedArray(tmp, QStringLiteral("a.zarr"));
        QVERIFY(writeAll(opts(s).path + QStringLiteral("/.zattrs"), "{}"));
        const QString stuck = opts(s).path + QStringLiteral("/2/1");
        if (!setImmutable(stuck, true))
            QSKIP("this file system or user cannot make a file immutable");
        const QByteArray zarray = readAll(opts(s).path + QStringLiteral("/.zarray"));
        s.overwrite = true;
        const QString error = storeError([&] { createStore(s); });
        QVERIFY(setImmutable(stuck, false));
        QCOMPARE(error, QStringLiteral("array z1: cannot delete %1").arg(stuck));
        // Interrupted midway, the directory is still a Zarr array, so the next overwrite may clear it.
        QCOMPARE(readAll(opts(s).path + QStringLiteral("/.zarray")), zarray);
        QCOMPARE(readAll(opts(s).path + QStringLiteral("/.zattrs")), QByteArray("{}"));
        QCOMPARE(createStore(s)->info().chunksInitialized, int64_t(0));
    }

    void staleTemporariesOfDeadWritersAreRemoved()
    {
        QTemporaryDir tmp;
        ArraySpec s = writtenNestedArray(tmp, QStringLiteral("a.zarr"));
        const QString dead = QString::number(deadPid());
        const QString live = QString::number(::getppid());
        const QString host = temporaryHostName();
        const QStringList gone
            = {QStringLiteral("/.0.%1@%2.3.partial").arg(dead, host),
               QStringLiteral("/2/.1.%1@%2.0.partial").arg(dead, host), QStringLiteral("/.0.%1.4.partial").arg(dead)};
        // Another host's writer may be alive, whatever process ids this host has.
        const QStringList kept = {QStringLiteral("/.0.%1@%2.7.partial").arg(live, host),
                                  QStringLiteral("/2/.1.%1@%2.2.partial").arg(QString::number(::getpid()), host),
                                  QStringLiteral("/2/.1.%1@%2.5.partial").arg(dead, anotherHost(host)),
                                  QStringLiteral("/.notes.partial"), QStringLiteral("/notes.%1.1.partial").arg(dead)};
        for (const QString &name : gone + kept)
            QVERIFY(writeAll(opts(s).path + name, "half a chunk"));
        ArraySpec e = s;
        e.fill.kind = FillSpec::Kind::Existing;
        const auto store = createStore(e);
        // Opened to be read, the directory is left as it is.
        for (const QString &name : gone)
            QCOMPARE(readAll(opts(s).path + name), QByteArray("half a chunk"));
        store->beginWriting();
        for (const QString &name : gone)
            QVERIFY2(!QFileInfo::exists(opts(s).path + name), qPrintable(name));
        for (const QString &name : kept)
            QCOMPARE(readAll(opts(s).path + name), QByteArray("half a chunk"));
        QCOMPARE(store->info().chunksInitialized, int64_t(8));
    }
};

QTEST_GUILESS_MAIN(TestZarrStore)
#include "tst_zarrstore.moc"
