// Zarr v3 arrays as stores: every codec written and read back item by item, sharding with the index at
// either end, what a read of one inner chunk costs, the bytes a v2 array and its v3 copy share, and the
// errors corrupt shards and metadata give.
#include "array/stridedcopy.h"
#include "codecs/crc32c.h"
#include "engine/copyrun.h"
#include "kv/memorykeyvalue.h"
#include "runner/arraystore.h"
#include "scenario/scenario.h"
#include "scenario/scenarioparser.h"
#include "scenario/scenariowriter.h"
#include "storeerrors.h"
#include "stores/passthrough.h"
#include "stores/zarr/v3/zarrv3store.h"
#include "stores/zarr/zarrkind.h"
#include "stores/zarr/zarrstore.h"
#include "task/taskcontext.h"
#include "testfiles.h"

#include "countingkeyvalue.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QTest>

#include <algorithm>
#include <cstring>

using namespace cs;

namespace {

QJsonArray codecsJson(const char *json)
{
    return QJsonDocument::fromJson(json).array();
}

ArraySpec spec(const char *codecs, std::vector<int64_t> shape = {11, 7}, std::vector<int64_t> chunks = {4, 6})
{
    ArraySpec s;
    s.id = QStringLiteral("z1");
    s.store = QStringLiteral("zarr");
    s.dtype = *DType::parse(QStringLiteral("<i4"));
    s.shape = std::move(shape);
    s.chunks = std::move(chunks);
    ZarrOptions &o = s.optionsAs<ZarrOptions>();
    o.zarrFormat = 3;
    if (codecs)
        o.codecs = codecsJson(codecs);
    return s;
}

ZarrOptions &opts(ArraySpec &s)
{
    return s.optionsAs<ZarrOptions>();
}

Region region(std::vector<int64_t> start, std::vector<int64_t> stop)
{
    return Region{Coords::fromVector(start), Coords::fromVector(stop)};
}

// Item i holds i * 7919 - 50000, so that every byte of an item varies.
QByteArray values(const Coords &shape)
{
    QByteArray data(int(shape.product() * 4), '\0');
    for (int64_t i = 0; i < shape.product(); ++i) {
        const qint32 v = qint32(i * 7919 - 50000);
        std::memcpy(data.data() + i * 4, &v, 4);
    }
    return data;
}

QByteArray sub(const QByteArray &whole, const Coords &shape, const Region &r)
{
    QByteArray out(int(r.count() * 4), '\0');
    copyBox(whole.constData(), shape, r.start, out.data(), r.shape(), Coords::filled(r.rank(), 0), r.shape(), 4);
    return out;
}

QByteArray readRegion(Store &store, const Region &r, TaskContext &ctx)
{
    QByteArray out(int(r.count() * 4), '\xEE');
    store.read(r, out.data(), ctx);
    return out;
}

// Compares int32 items one by one and names the first that differs.
void compareItems(const QByteArray &actual, const QByteArray &expected, const QString &where)
{
    QCOMPARE(actual.size(), expected.size());
    for (int i = 0; i + 4 <= actual.size(); i += 4) {
        qint32 a = 0, e = 0;
        std::memcpy(&a, actual.constData() + i, 4);
        std::memcpy(&e, expected.constData() + i, 4);
        if (a != e)
            QFAIL(qPrintable(QStringLiteral("%1, item %2: %3 instead of %4").arg(where).arg(i / 4).arg(a).arg(e)));
    }
}

// Writes the whole array in blocks of `block` that straddle the store's chunks.
void writeInBlocks(Store &store, const QByteArray &source, const Coords &block, TaskContext &ctx)
{
    const ChunkGrid blocks(store.shape(), block);
    for (int64_t b = 0; b < blocks.chunkCount(); ++b) {
        const Region r = blocks.chunkRegion(b);
        store.write(r, sub(source, store.shape(), r).constData(), ctx);
    }
}

const char kSharded[] = R"([{"name": "sharding_indexed", "configuration": {"chunk_shape": [2, 3],
    "codecs": [{"name": "bytes", "configuration": {"endian": "little"}}, {"name": "zstd", "configuration": {"level": 1}}],
    "index_codecs": [{"name": "bytes", "configuration": {"endian": "little"}}, {"name": "crc32c"}],
    "index_location": "end"}}])";

// A store over a counting memory key-value store, for tests that look at what was read.
struct Counted {
    CountingKeyValue *counter = nullptr;
    std::unique_ptr<ZarrV3Store> store;
};

Counted countedStore(const char *codecs, const Coords &shape, const Coords &chunks, const char *fill = "0")
{
    const QByteArray json = QByteArrayLiteral("{\"zarr_format\": 3, \"node_type\": \"array\", \"shape\": ")
        + shape.toString().toLatin1()
        + ", \"data_type\": \"int32\", \"chunk_grid\": {\"name\": \"regular\", \"configuration\": {\"chunk_shape\": "
        + chunks.toString().toLatin1() + "}}, \"chunk_key_encoding\": {\"name\": \"default\"}, \"fill_value\": " + fill
        + ", \"codecs\": " + codecs + "}";
    const ZarrV3Metadata meta = ZarrV3Metadata::parse(json, QStringLiteral("z1"));
    const ChunkGrid grid(meta.shape, meta.chunks);
    const ZarrChunkKeys keys(grid, '/', true);
    auto counting = std::make_unique<CountingKeyValue>(
        std::make_unique<MemoryKeyValue>(grid.chunkCount(), [keys](int64_t linear) { return keys.key(linear); }));
    Counted c;
    c.counter = counting.get();
    c.store = std::make_unique<ZarrV3Store>(
        QStringLiteral("z1"), meta, *meta.dataType.toDType(),
        makeZarrV3Codecs(meta.codecs, meta.chunks, *DType::parse(QStringLiteral("<i4"))), std::move(counting));
    return c;
}

} // namespace

class TestZarrV3Store : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void roundTripEveryCodec_data()
    {
        QTest::addColumn<QByteArray>("codecs");
        QTest::newRow("bytes little") << QByteArray(R"([{"name": "bytes", "configuration": {"endian": "little"}}])");
        QTest::newRow("bytes big") << QByteArray(R"([{"name": "bytes", "configuration": {"endian": "big"}}])");
        QTest::newRow("transpose zstd") << QByteArray(
            R"([{"name": "transpose", "configuration": {"order": [1, 0]}}, {"name": "bytes", "configuration": {"endian": "little"}}, {"name": "zstd", "configuration": {"level": 3, "checksum": true}}])");
        QTest::newRow("blosc") << QByteArray(
            R"([{"name": "bytes", "configuration": {"endian": "little"}}, {"name": "blosc", "configuration": {"cname": "zstd", "clevel": 5, "shuffle": "bitshuffle", "typesize": 4, "blocksize": 0}}])");
        QTest::newRow("gzip") << QByteArray(
            R"([{"name": "bytes", "configuration": {"endian": "big"}}, {"name": "gzip", "configuration": {"level": 6}}])");
        QTest::newRow("numcodecs delta and bz2") << QByteArray(
            R"([{"name": "numcodecs.delta", "configuration": {"dtype": "<i4"}}, {"name": "bytes", "configuration": {"endian": "little"}}, {"name": "numcodecs.bz2", "configuration": {"level": 5}}])");
        QTest::newRow("crc32c") << QByteArray(
            R"([{"name": "bytes", "configuration": {"endian": "little"}}, {"name": "crc32c"}])");
        QTest::newRow("sharded, index at end") << QByteArray(kSharded);
        QTest::newRow("sharded, index at start") << QByteArray(
            R"([{"name": "sharding_indexed", "configuration": {"chunk_shape": [2, 2],
                "codecs": [{"name": "transpose", "configuration": {"order": [1, 0]}}, {"name": "bytes", "configuration": {"endian": "big"}},
                           {"name": "gzip", "configuration": {"level": 1}}, {"name": "crc32c"}],
                "index_codecs": [{"name": "bytes", "configuration": {"endian": "big"}}, {"name": "crc32c"}],
                "index_location": "start"}}])");
    }
    void roundTripEveryCodec()
    {
        QFETCH(QByteArray, codecs);
        QTemporaryDir tmp;
        ArraySpec s = spec(codecs.constData(), {11, 7}, {4, 6});
        opts(s).path = tmp.filePath(QStringLiteral("a"));
        const Coords shape = Coords::fromVector(s.shape);
        const QByteArray source = values(shape);
        TaskContext ctx;
        {
            const auto store = createStore(s);
            // Blocks of 3 x 4 straddle chunks, shards and inner chunks: partial writes read-modify-write.
            writeInBlocks(*store, source, Coords::fromVector({3, 4}), ctx);
            compareItems(readRegion(*store, Region::whole(shape), ctx), source, QStringLiteral("written"));
        }
        // The zarr.json names the codecs as given, and the array opens from the files alone.
        const ZarrV3Metadata meta
            = ZarrV3Metadata::parse(readAll(opts(s).path + QStringLiteral("/zarr.json")), QStringLiteral("z1"));
        QCOMPARE(QJsonDocument(codecsJson(codecs.constData())).toJson(),
                 QJsonDocument(QJsonDocument::fromJson(readAll(opts(s).path + QStringLiteral("/zarr.json")))
                                   .object()
                                   .value(QLatin1String("codecs"))
                                   .toArray())
                     .toJson());
        QCOMPARE(meta.chunks, Coords::fromVector({4, 6}));
        ArraySpec e = spec(nullptr);
        opts(e).zarrFormat = 2; // "existing" finds the format in the files
        opts(e).path = opts(s).path;
        e.fill.kind = FillSpec::Kind::Existing;
        const auto reopened = createStore(e);
        QVERIFY(dynamic_cast<ZarrV3Store *>(reopened.get()));
        compareItems(readRegion(*reopened, Region::whole(shape), ctx), source, QStringLiteral("reopened"));
        const Region part = region({1, 2}, {10, 5});
        compareItems(readRegion(*reopened, part, ctx), sub(source, shape, part), QStringLiteral("part"));
        QVERIFY(QFileInfo::exists(opts(s).path + QStringLiteral("/c/2/1")));
    }

    // float16 and complex arrays move as bytes, NaN payloads included; a big-endian bytes codec swaps a
    // complex item's two floats each on its own, as NumPy's ">c8" lays them out.
    void halfAndComplexMoveAsBytes_data()
    {
        QTest::addColumn<QString>("dtype");
        QTest::addColumn<QString>("dataType");
        QTest::newRow("float16") << QStringLiteral("<f2") << QStringLiteral("float16");
        QTest::newRow("complex64") << QStringLiteral("<c8") << QStringLiteral("complex64");
        QTest::newRow("complex128") << QStringLiteral("<c16") << QStringLiteral("complex128");
    }
    void halfAndComplexMoveAsBytes()
    {
        QFETCH(QString, dtype);
        QFETCH(QString, dataType);
        QTemporaryDir tmp;
        ArraySpec s = spec(R"([{"name": "bytes", "configuration": {"endian": "big"}}])", {10}, {4});
        s.dtype = *DType::parse(dtype);
        opts(s).path = tmp.filePath(QStringLiteral("a"));
        const int itemsize = s.dtype.itemsize();
        const int unit = s.dtype.swapUnit();
        // Every byte differs, and the first item of chunk 1 is a NaN with a payload.
        QByteArray source(10 * itemsize, '\0');
        for (int i = 0; i < source.size(); ++i)
            source[i] = char(i * 37 + 11);
        const QByteArray nan = unit == 2 ? QByteArray::fromHex("017e")
            : unit == 4                  ? QByteArray::fromHex("0100c07f")
                                         : QByteArray::fromHex("010000000000f87f");
        source.replace(4 * itemsize, unit, nan);
        TaskContext ctx;
        {
            const auto store = createStore(s);
            store->write(Region::whole(store->shape()), source.constData(), ctx);
            QByteArray back(source.size(), '\xEE');
            store->read(Region::whole(store->shape()), back.data(), ctx);
            QCOMPARE(back.toHex(), source.toHex());
        }
        const QJsonObject meta = QJsonDocument::fromJson(readAll(opts(s).path + QStringLiteral("/zarr.json"))).object();
        QCOMPARE(meta.value(QLatin1String("data_type")).toString(), dataType);
        // Chunk 1 holds items 4 to 7, each unit reversed.
        QByteArray expected = source.mid(4 * itemsize, 4 * itemsize);
        for (int i = 0; i < expected.size(); i += unit)
            std::reverse(expected.begin() + i, expected.begin() + i + unit);
        QCOMPARE(readAll(opts(s).path + QStringLiteral("/c/1")).toHex(), expected.toHex());
    }
    void defaultsAreZarrPythons()
    {
        QTemporaryDir tmp;
        ArraySpec s = spec(nullptr, {5}, {2});
        opts(s).path = tmp.filePath(QStringLiteral("a"));
        opts(s).dimensionNames = QJsonArray{QStringLiteral("x")};
        opts(s).attributes = QJsonObject{{QStringLiteral("units"), QStringLiteral("m")}};
        createStore(s);
        QCOMPARE(readAll(opts(s).path + QStringLiteral("/zarr.json")),
                 QByteArray("{\n    \"zarr_format\": 3,\n    \"node_type\": \"array\",\n    \"shape\": [5],\n"
                            "    \"data_type\": \"int32\",\n"
                            "    \"chunk_grid\": {\"name\": \"regular\", \"configuration\": {\"chunk_shape\": [2]}},\n"
                            "    \"chunk_key_encoding\": {\"name\": \"default\", \"configuration\": {\"separator\": "
                            "\"/\"}},\n    \"fill_value\": 0,\n"
                            "    \"codecs\": [{\"configuration\":{\"endian\":\"little\"},\"name\":\"bytes\"},"
                            "{\"configuration\":{\"checksum\":false,\"level\":0},\"name\":\"zstd\"}],\n"
                            "    \"attributes\": {\"units\":\"m\"},\n    \"dimension_names\": [\"x\"]\n}\n"));
    }

    void readingAnInnerChunkReadsOnlyItsBytes()
    {
        Counted c = countedStore(kSharded, Coords::fromVector({8, 12}), Coords::fromVector({4, 6}));
        const Coords shape = c.store->shape();
        const QByteArray source = values(shape);
        TaskContext ctx;
        c.store->write(Region::whole(shape), source.constData(), ctx);
        // Whole shards were written without reading anything.
        QCOMPARE(c.counter->bytesRead(), uint64_t(0));
        // The profile shows the shard's own work beside the inner chunks' encodes and the write.
        for (Phase p : {Phase::ShardAssembly, Phase::ShardIndex, Phase::Encode, Phase::Write})
            QVERIFY2(ctx.phaseNs[size_t(p)] > 0, phaseKey(p));
        QCOMPARE(ctx.phaseNs[size_t(Phase::Read)], int64_t(0));
        ctx.resetPhases();

        // Inner chunk (1, 1) of shard c/1/1: rows 6-7, columns 9-11.
        const QByteArray shard = *c.counter->inner().getCopy(KvKey(QByteArrayLiteral("c/1/1"), 3));
        const int index = 4 * 16 + 4;
        std::vector<ShardIndexEntry> entries(4);
        QString error;
        const ShardIndexLayout layout = *ShardIndexLayout::fromConfiguration(
            c.store->metadata().codecs[0].configuration, c.store->chunks(), &error);
        decodeShardIndex(shard.constData() + shard.size() - index, index, layout, uint64_t(shard.size()),
                         entries.data());
        const Region part = region({6, 10}, {8, 12});
        compareItems(readRegion(*c.store, part, ctx), sub(source, shape, part), QStringLiteral("inner chunk"));
        QCOMPARE(c.counter->reads("c/1/1"), (CountingKeyValue::Reads{2, uint64_t(index) + entries[3].nbytes}));
        QVERIFY(entries[3].nbytes < uint64_t(shard.size()) - index);
        QCOMPARE(c.counter->bytesRead(), uint64_t(index) + entries[3].nbytes);
        for (Phase p : {Phase::Read, Phase::ShardIndex, Phase::Decode, Phase::ShardAssembly})
            QVERIFY2(ctx.phaseNs[size_t(p)] > 0, phaseKey(p));
    }

    void innerChunksOfFillAreEmpty()
    {
        Counted c = countedStore(kSharded, Coords::fromVector({4, 6}), Coords::fromVector({4, 6}), "7");
        TaskContext ctx;
        // One item written: a read-modify-write of a shard never stored; three inner chunks hold only 7.
        const qint32 one = 42;
        c.store->write(region({3, 4}, {4, 5}), &one, ctx);
        const QByteArray shard = *c.counter->inner().getCopy(KvKey(QByteArrayLiteral("c/0/0"), 0));
        QString error;
        const ShardIndexLayout layout = *ShardIndexLayout::fromConfiguration(
            c.store->metadata().codecs[0].configuration, c.store->chunks(), &error);
        std::vector<ShardIndexEntry> entries(4);
        decodeShardIndex(shard.constData() + shard.size() - 68, 68, layout, uint64_t(shard.size()), entries.data());
        QVERIFY(entries[0].isEmpty() && entries[1].isEmpty() && entries[2].isEmpty());
        QCOMPARE(entries[3].offset, uint64_t(0));
        QCOMPARE(uint64_t(shard.size()), entries[3].nbytes + 68);
        QByteArray expected(24 * 4, '\0');
        for (int i = 0; i < 24; ++i) {
            const qint32 v = i == 3 * 6 + 4 ? 42 : 7;
            std::memcpy(expected.data() + 4 * i, &v, 4);
        }
        compareItems(readRegion(*c.store, Region::whole(c.store->shape()), ctx), expected, QStringLiteral("shard"));
        // Fill again: the shard holds nothing but the fill value and is removed.
        const qint32 seven = 7;
        c.store->write(region({3, 4}, {4, 5}), &seven, ctx);
        QVERIFY(!c.counter->inner().getCopy(KvKey(QByteArrayLiteral("c/0/0"), 0)));
    }

    // A write of whole shards that streams its source stores each shard byte for byte as a write of
    // the whole array does: edge shards padded with the fill value around inner chunks the edge cuts
    // both ways, inner chunks wholly past the edge and shards of nothing but the fill value left out.
    void streamedShardsEqualWrittenShards_data()
    {
        QTest::addColumn<QByteArray>("codecs");
        QTest::newRow("index at end") << QByteArray(kSharded);
        QTest::newRow("index at start") << QByteArray(kSharded).replace("\"end\"", "\"start\"");
    }

    void streamedShardsEqualWrittenShards()
    {
        QFETCH(QByteArray, codecs);
        // Shards of 4 x 6 with inner chunks of 2 x 3, which span no whole row of their shard.
        const Coords shape = Coords::fromVector({11, 7});
        QByteArray data = values(shape);
        // Rows 4 to 7 hold only the fill value 7: the shards of that row are not stored.
        for (int64_t i = 4 * 7; i < 8 * 7; ++i) {
            const qint32 seven = 7;
            std::memcpy(data.data() + i * 4, &seven, 4);
        }
        // The source's chunks of 3 x 3 cross the inner chunks, so that each part read takes several.
        Counted source = countedStore(R"([{"name": "bytes", "configuration": {"endian": "little"}}])", shape,
                                      Coords::fromVector({3, 3}));
        Counted written = countedStore(codecs.constData(), shape, Coords::fromVector({4, 6}), "7");
        Counted streamed = countedStore(codecs.constData(), shape, Coords::fromVector({4, 6}), "7");
        TaskContext ctx;
        source.store->write(Region::whole(shape), data.constData(), ctx);
        written.store->write(Region::whole(shape), data.constData(), ctx);
        ctx.resetPhases();
        source.counter->reset();
        QVERIFY(streamed.store->writeStreamed(Region::whole(shape), *source.store, ctx, nullptr));

        int stored = 0;
        for (int64_t s = 0; s < streamed.store->grid().chunkCount(); ++s) {
            const Coords c = streamed.store->grid().chunkCoords(s);
            const QByteArray name = QStringLiteral("c/%1/%2").arg(c[0]).arg(c[1]).toLatin1();
            const KvKey key(name, s);
            const auto expected = written.counter->inner().getCopy(key);
            const auto actual = streamed.counter->inner().getCopy(key);
            QCOMPARE(bool(actual), bool(expected));
            if (!actual)
                continue;
            QCOMPARE(*actual, *expected);
            ++stored;
        }
        QCOMPARE(stored, 4); // of 6: the two shards of rows 4 to 7 are left out
        QCOMPARE(streamed.counter->bytesRead(), uint64_t(0)); // nothing of the target is read
        for (Phase p : {Phase::ShardAssembly, Phase::Encode, Phase::ShardIndex, Phase::Write, Phase::Read})
            QVERIFY2(ctx.phaseNs[size_t(p)] > 0, phaseKey(p));
        compareItems(readRegion(*streamed.store, Region::whole(shape), ctx), data, QStringLiteral("streamed"));
    }

    // A shard packed from another array's stored chunks: its inner chunks are those chunks' bytes, only
    // the index is computed; an edge chunk the caller does not let pass (as for a source that keeps its
    // last chunk another way) is decoded and encoded, and reads back the same.
    void packedShardsHoldTheSourceChunks()
    {
        const Coords shape = Coords::fromVector({11, 7});
        const QByteArray data = values(shape);
        Counted source = countedStore(R"([{"name": "bytes", "configuration": {"endian": "little"}},
            {"name": "zstd", "configuration": {"level": 1}}])",
                                      shape, Coords::fromVector({2, 3}));
        TaskContext ctx;
        source.store->write(Region::whole(shape), data.constData(), ctx);
        int64_t sourceBytes = 0;
        for (int64_t i = 0; i < source.store->grid().chunkCount(); ++i)
            sourceBytes += source.store->get(source.store->chunkKey(source.store->grid().chunkCoords(i))).size();
        for (const bool passEdges : {true, false}) {
            Counted target = countedStore(kSharded, shape, Coords::fromVector({4, 6}));
            const PassthroughPlan plan = planPassthrough(*source.store, *target.store, Coords::fromVector({4, 6}));
            QVERIFY(plan.passesEdges() && plan.packs);
            int64_t moved = 0;
            ctx.resetPhases();
            for (int64_t i = 0; i < target.store->grid().chunkCount(); ++i) {
                const Coords c = target.store->grid().chunkCoords(i);
                const PassedChunks passed = target.store->packChunksFrom(*source.store, c, passEdges, ctx, nullptr);
                // Shards on the last row (rows 8 to 11 of 12) or column (6 of 12) hold edge chunks.
                QCOMPARE(passed.reencoded, !passEdges && (c[0] == 2 || c[1] == 1));
                moved += passed.storedBytes;
            }
            QCOMPARE(moved == sourceBytes, passEdges);
            QCOMPARE(ctx.phaseNs[size_t(Phase::Decode)] > 0, !passEdges);
            QCOMPARE(ctx.phaseNs[size_t(Phase::Encode)] > 0, !passEdges);
            compareItems(readRegion(*target.store, Region::whole(shape), ctx), data,
                         passEdges ? QStringLiteral("passed") : QStringLiteral("edges re-encoded"));
        }
    }

    // Only regions made of whole shards stream; for any other the write reads and stores nothing and
    // leaves it to write(), whose read-modify-write keeps what the shard already holds.
    void partOfAShardDoesNotStream()
    {
        const Coords shape = Coords::fromVector({11, 7});
        const QByteArray data = values(shape);
        Counted source = countedStore(R"([{"name": "bytes", "configuration": {"endian": "little"}}])", shape,
                                      Coords::fromVector({11, 7}));
        Counted target = countedStore(kSharded, shape, Coords::fromVector({4, 6}), "7");
        TaskContext ctx;
        source.store->write(Region::whole(shape), data.constData(), ctx);
        source.counter->reset();
        for (const Region &r : {region({0, 0}, {4, 3}), region({2, 0}, {6, 6}), region({0, 0}, {8, 6})}) {
            const bool whole = r == region({0, 0}, {8, 6});
            QCOMPARE(target.store->writeStreamed(r, *source.store, ctx, nullptr), whole);
            if (!whole)
                QCOMPARE(source.counter->bytesRead(), uint64_t(0));
        }
        QVERIFY(target.counter->inner().getCopy(KvKey(QByteArrayLiteral("c/0/0"), 0)));
        QVERIFY(target.counter->inner().getCopy(KvKey(QByteArrayLiteral("c/1/0"), 2)));
        QVERIFY(!target.counter->inner().getCopy(KvKey(QByteArrayLiteral("c/0/1"), 1)));
    }

    // Through the engine: a copy whose tasks are whole shards streams in every lock mode, reading the
    // source an inner chunk at a time rather than each task's region whole ("target" holds its lock
    // around each inner chunk's encoding and the shard's write). The source's gets tell the two apart;
    // every item arrives.
    void copyIntoShardsEveryLockMode()
    {
        const Coords shape = Coords::fromVector({11, 7});
        const QByteArray data = values(shape);
        Counted source = countedStore(R"([{"name": "bytes", "configuration": {"endian": "little"}}])", shape,
                                      Coords::fromVector({3, 3}));
        TaskContext ctx;
        source.store->write(Region::whole(shape), data.constData(), ctx);
        const ChunkGrid &sourceGrid = source.store->grid();
        const auto touched = [&](const Region &r) {
            int64_t n = 0;
            sourceGrid.forEachChunk(r, [&](const Coords &) { ++n; });
            return n;
        };
        const ChunkGrid shards(shape, Coords::fromVector({4, 6}));
        const ChunkGrid inner(Coords::fromVector({4, 6}), Coords::fromVector({2, 3}));
        int64_t perTask = 0, perInner = 0;
        for (int64_t s = 0; s < shards.chunkCount(); ++s) {
            const Region valid = shards.chunkRegion(s);
            perTask += touched(valid);
            for (int64_t e = 0; e < inner.chunkCount(); ++e) {
                Region r = inner.chunkRegion(e);
                for (int d = 0; d < 2; ++d) {
                    r.start[d] += valid.start[d];
                    r.stop[d] += valid.start[d];
                }
                if (const auto held = r.intersect(valid); held && !held->isEmpty())
                    perInner += touched(*held);
            }
        }
        QVERIFY(perTask != perInner);
        for (LockMode lock : {LockMode::None, LockMode::Io, LockMode::Target}) {
            Counted target = countedStore(kSharded, shape, Coords::fromVector({4, 6}), "7");
            source.counter->reset();
            CopyOptions o;
            o.chunks = shards.chunks();
            o.workers = 2;
            o.lock = lock;
            o.verify = false; // its reads would count too
            CopyRun run(*source.store, *target.store, o);
            run.start();
            run.wait();
            QVERIFY2(!run.failed(), qPrintable(run.error()));
            int64_t gets = 0;
            for (int64_t c = 0; c < sourceGrid.chunkCount(); ++c) {
                const Coords cc = sourceGrid.chunkCoords(c);
                gets += source.counter->reads(QStringLiteral("c/%1/%2").arg(cc[0]).arg(cc[1]).toLatin1()).gets;
            }
            QCOMPARE(gets, perInner);
            compareItems(readRegion(*target.store, Region::whole(shape), ctx), data, lockModeName(lock));
        }
    }

    void v2BloscChunksAreV3Chunks()
    {
        QTemporaryDir tmp;
        ArraySpec v2;
        v2.id = QStringLiteral("v2");
        v2.store = QStringLiteral("zarr");
        v2.dtype = *DType::parse(QStringLiteral("<i4"));
        v2.shape = {11, 7};
        v2.chunks = {4, 6};
        opts(v2).compressor = bloscSpec(QStringLiteral("lz4"));
        opts(v2).path = tmp.filePath(QStringLiteral("v2"));
        ArraySpec v3 = spec(R"([{"name": "bytes", "configuration": {"endian": "little"}},
            {"name": "blosc", "configuration": {"cname": "lz4", "clevel": 5, "shuffle": "shuffle", "typesize": 4, "blocksize": 0}}])");
        opts(v3).path = tmp.filePath(QStringLiteral("v3"));
        const auto from = createStore(v2);
        const auto to = createStore(v3);
        TaskContext ctx;
        const Coords shape = from->shape();
        from->write(Region::whole(shape), values(shape).constData(), ctx);
        const QByteArray copied = readRegion(*from, Region::whole(shape), ctx);
        to->write(Region::whole(shape), copied.constData(), ctx);
        for (int i = 0; i < 3; ++i)
            for (int j = 0; j < 2; ++j) {
                const QString v2Chunk = opts(v2).path + QStringLiteral("/%1.%2").arg(i).arg(j);
                QVERIFY(QFileInfo::exists(v2Chunk));
                const QByteArray a = readAll(v2Chunk);
                QCOMPARE(readAll(opts(v3).path + QStringLiteral("/c/%1/%2").arg(i).arg(j)), a);
            }
    }

    void overwriteReplacesAV3Array()
    {
        QTemporaryDir tmp;
        ArraySpec s = spec(nullptr);
        opts(s).path = tmp.filePath(QStringLiteral("a"));
        TaskContext ctx;
        createStore(s)->write(Region::whole(Coords::fromVector(s.shape)),
                              values(Coords::fromVector(s.shape)).constData(), ctx);
        QCOMPARE(
            storeError([&] { createStore(s); }),
            QStringLiteral("array z1: %1 already exists (set \"overwrite\": true to replace it)").arg(opts(s).path));
        s.overwrite = true;
        createStore(s);
        QCOMPARE(QDir(opts(s).path).entryList(QDir::AllEntries | QDir::NoDotAndDotDot),
                 QStringList{QStringLiteral("zarr.json")});
        QVERIFY(
            writeAll(opts(s).path + QStringLiteral("/zarr.json"), "{\"zarr_format\": 3, \"node_type\": \"group\"}"));
        QCOMPARE(storeError([&] { createStore(s); }),
                 QStringLiteral("array z1: %1 exists and is not a Zarr array (zarr.json: node_type \"group\" is not an "
                                "array); not removing it")
                     .arg(opts(s).path));
    }

    void corruptShardsNameTheShardAndInnerChunk()
    {
        const char *codecs = R"([{"name": "sharding_indexed", "configuration": {"chunk_shape": [2, 3],
            "codecs": [{"name": "bytes", "configuration": {"endian": "little"}}, {"name": "crc32c"}],
            "index_codecs": [{"name": "bytes", "configuration": {"endian": "little"}}, {"name": "crc32c"}]}}])";
        Counted c = countedStore(codecs, Coords::fromVector({4, 6}), Coords::fromVector({4, 6}));
        TaskContext ctx;
        const Coords shape = c.store->shape();
        c.store->write(Region::whole(shape), values(shape).constData(), ctx);
        const KvKey key(QByteArrayLiteral("c/0/0"), 0);
        const QByteArray good = *c.counter->inner().getCopy(key);
        QCOMPARE(good.size(), 4 * (6 * 4 + 4) + 68);
        const auto readAll = [&] { readRegion(*c.store, Region::whole(shape), ctx); };

        // A flipped bit in inner chunk (0, 1): its checksum fails.
        QByteArray bad = good;
        bad[28 + 5] = char(bad[28 + 5] ^ 1);
        c.counter->inner().set(key, bad);
        const QByteArray inner01 = good.mid(28, 24);
        const auto hex = [](uint32_t v) { return QStringLiteral("0x%1").arg(v, 8, 16, QLatin1Char('0')); };
        uint32_t stored = 0;
        std::memcpy(&stored, good.constData() + 28 + 24, 4);
        QCOMPARE(storeError(readAll),
                 QStringLiteral("array z1, chunk [0, 0]: shard c/0/0, inner chunk (0, 1): crc32c checksum mismatch: "
                                "stored %1, computed %2")
                     .arg(hex(stored), hex(crc32c(bad.constData() + 28, 24))));
        QVERIFY(crc32c(inner01.constData(), 24) == stored);

        // A flipped bit in the index: its own checksum fails.
        bad = good;
        bad[good.size() - 68 + 3] = char(bad[good.size() - 68 + 3] ^ 1);
        c.counter->inner().set(key, bad);
        std::memcpy(&stored, good.constData() + good.size() - 4, 4);
        QCOMPARE(storeError(readAll),
                 QStringLiteral("array z1, chunk [0, 0]: shard c/0/0: shard index: crc32c checksum mismatch: stored "
                                "%1, computed %2")
                     .arg(hex(stored), hex(crc32c(bad.constData() + good.size() - 68, 64))));

        // An index entry past the end of the shard, its checksum made to match.
        bad = good;
        const uint64_t far = 1000;
        std::memcpy(bad.data() + good.size() - 68 + 16 * 2 + 8, &far, 8); // inner chunk (1, 0)'s nbytes
        const uint32_t crc = crc32c(bad.constData() + good.size() - 68, 64);
        std::memcpy(bad.data() + good.size() - 4, &crc, 4);
        c.counter->inner().set(key, bad);
        QCOMPARE(storeError(readAll),
                 QStringLiteral("array z1, chunk [0, 0]: shard c/0/0: shard index: inner chunk (1, 0) at bytes 56 to "
                                "1056 lies past the end of the shard (180 bytes)"));

        // A shard shorter than its index.
        c.counter->inner().set(key, good.left(20));
        QVERIFY(storeError(readAll).startsWith(QStringLiteral("array z1, chunk [0, 0]: ")));

        // The store reads on once the shard is whole again.
        c.counter->inner().set(key, good);
        compareItems(readRegion(*c.store, Region::whole(shape), ctx), values(shape), QStringLiteral("repaired"));
    }

    void scenarioKeysAreZarrJsons()
    {
        const QByteArray text = R"({"chunkscope": 1, "arrays": {
            "a": {"store": "memory", "dtype": "<i4", "shape": [8, 12], "chunks": [4, 6]},
            "z": {"store": "zarr", "like": "a", "zarr_format": 3, "fill_value": 5,
                  "codecs": [{"name": "sharding_indexed", "configuration": {"chunk_shape": [2, 3],
                      "codecs": [{"name": "bytes", "configuration": {"endian": "little"}}],
                      "index_codecs": [{"name": "bytes", "configuration": {"endian": "little"}}, {"name": "crc32c"}]}}],
                  "chunk_key_encoding": {"name": "v2", "configuration": {"separator": "."}},
                  "dimension_names": ["y", "x"], "attributes": {"a": 1}}},
            "runs": [{"name": "r", "source": "a", "target": "z"}]})";
        QString error;
        const std::optional<Scenario> first = parseScenario(text, QStringLiteral("t.json"), &error);
        QVERIFY2(first, qPrintable(error));
        const ZarrOptions &o = *first->array(QStringLiteral("z"))->optionsIf<ZarrOptions>();
        QCOMPARE(o.zarrFormat, 3);
        QCOMPARE(o.dimensionNames, QJsonValue(QJsonArray{QStringLiteral("y"), QStringLiteral("x")}));
        // The writer gives the v3 keys back and none of v2's, and they parse to the same options.
        const QJsonObject written = QJsonDocument::fromJson(scenarioToJson(*first))
                                        .object()
                                        .value(QLatin1String("arrays"))
                                        .toObject()
                                        .value(QLatin1String("z"))
                                        .toObject();
        QCOMPARE(written.value(QLatin1String("zarr_format")), QJsonValue(3));
        QVERIFY(!written.contains(QLatin1String("compressor")));
        QVERIFY(!written.contains(QLatin1String("order")));
        QCOMPARE(written.value(QLatin1String("codecs")), o.codecs);
        QCOMPARE(written.value(QLatin1String("attributes")), QJsonValue(QJsonObject{{QStringLiteral("a"), 1}}));
        const std::optional<Scenario> second = parseScenario(scenarioToJson(*first), QStringLiteral("t.json"), &error);
        QVERIFY2(second, qPrintable(error));
        const ZarrOptions &o2 = *second->array(QStringLiteral("z"))->optionsIf<ZarrOptions>();
        QCOMPARE(o2.codecs, o.codecs);
        QCOMPARE(o2.chunkKeyEncoding, o.chunkKeyEncoding);

        // The store it makes keeps v2-style keys and the shard grid.
        const auto store = createStore(*first->array(QStringLiteral("z")));
        TaskContext ctx;
        const QByteArray source = values(store->shape());
        store->write(Region::whole(store->shape()), source.constData(), ctx);
        QCOMPARE(static_cast<ZarrV3Store &>(*store).keys(),
                 (QStringList{QStringLiteral("zarr.json"), QStringLiteral("0.0"), QStringLiteral("0.1"),
                              QStringLiteral("1.0"), QStringLiteral("1.1")}));
        compareItems(readRegion(*store, Region::whole(store->shape()), ctx), source, QStringLiteral("scenario"));

        // Keys of the other format are refused.
        QVERIFY(!parseScenario(QByteArray(text).replace("\"zarr_format\": 3,", "\"zarr_format\": 3, \"order\": \"F\","),
                               QStringLiteral("t.json"), &error));
        QVERIFY2(error.contains(QStringLiteral("/arrays/z/order: is a Zarr v2 key; a Zarr v3 array gives \"codecs\"")),
                 qPrintable(error));
        // A v3 array's filters are among its codecs: a v2 "filters" list is refused, never ignored.
        QVERIFY(!parseScenario(
            QByteArray(text).replace("\"zarr_format\": 3,",
                                     "\"zarr_format\": 3, \"filters\": [{\"id\": \"delta\", \"dtype\": \"<i4\"}],"),
            QStringLiteral("t.json"), &error));
        QVERIFY2(
            error.contains(QStringLiteral("/arrays/z/filters: is a Zarr v2 key; a Zarr v3 array gives \"codecs\"")),
            qPrintable(error));
        QVERIFY(!parseScenario(QByteArray(text).replace("\"zarr_format\": 3,", ""), QStringLiteral("t.json"), &error));
        QVERIFY2(error.contains(QStringLiteral("/arrays/z/codecs: is a Zarr v3 key (set \"zarr_format\": 3)")),
                 qPrintable(error));
    }

    // An out-of-order codecs list is refused when the scenario is read, at its key, in the chain's words,
    // not first when a run creates the store.
    void codecsAreCheckedWhenTheScenarioIsRead_data()
    {
        QTest::addColumn<QByteArray>("codecs");
        QTest::addColumn<QString>("error");
        QTest::newRow("crc32c before bytes")
            << QByteArray(R"([{"name": "crc32c"}, {"name": "bytes", "configuration": {"endian": "little"}}])")
            << QStringLiteral("codecs[0] \"crc32c\" is a bytes-to-bytes codec and must come after bytes");
        QTest::newRow("two array-to-bytes codecs")
            << QByteArray(R"([{"name": "bytes", "configuration": {"endian": "little"}}, {"name": "bytes"}])")
            << QStringLiteral("codecs[1] \"bytes\" is a second array-to-bytes codec");
        QTest::newRow("inner chunks that do not divide the shard")
            << QByteArray(R"([{"name": "sharding_indexed", "configuration": {"chunk_shape": [3, 3],
                   "codecs": [{"name": "bytes", "configuration": {"endian": "little"}}],
                   "index_codecs": [{"name": "bytes", "configuration": {"endian": "little"}}]}}])")
            << QString();
        QTest::newRow("no array-to-bytes codec")
            << QByteArray(R"([])")
            << QStringLiteral("codecs must hold an array-to-bytes codec (bytes or sharding_indexed)");
    }
    void codecsAreCheckedWhenTheScenarioIsRead()
    {
        QFETCH(QByteArray, codecs);
        QFETCH(QString, error);
        const QByteArray text = R"({"chunkscope": 1, "arrays": {
            "a": {"store": "memory", "dtype": "<i4", "shape": [8, 12], "chunks": [4, 6]},
            "z": {"store": "zarr", "like": "a", "zarr_format": 3, "codecs": CODECS}},
            "runs": [{"name": "r", "source": "a", "target": "z"}]})";
        QString message;
        QVERIFY(!parseScenario(QByteArray(text).replace("CODECS", codecs), QStringLiteral("t.json"), &message));
        if (error.isEmpty()) { // the shard index's own words
            QString layoutError;
            QVERIFY(!ShardIndexLayout::fromConfiguration(QJsonDocument::fromJson(codecs)
                                                             .array()
                                                             .at(0)
                                                             .toObject()
                                                             .value(QLatin1String("configuration"))
                                                             .toObject(),
                                                         Coords::fromVector({4, 6}), &layoutError));
            error = QStringLiteral("codecs[0] ") + layoutError;
        }
        QCOMPARE(message, QStringLiteral("t.json: /arrays/z/codecs: ") + error);
    }

    void formShowsEachFormatsRows()
    {
        const QStringList v2 = zarrKind().formFields(QJsonObject{});
        QVERIFY(v2.contains(QStringLiteral("compressor/cname")) && v2.contains(QStringLiteral("order")));
        QVERIFY(!v2.contains(QStringLiteral("codecs")) && v2.contains(QStringLiteral("zarr_format")));
        const QStringList v3
            = {QStringLiteral("path"),       QStringLiteral("fill_value"),         QStringLiteral("codecs/sharding"),
               QStringLiteral("codecs"),     QStringLiteral("chunk_key_encoding"), QStringLiteral("dimension_names"),
               QStringLiteral("attributes"), QStringLiteral("zarr_format")};
        QCOMPARE(zarrKind().formFields(QJsonObject{{QStringLiteral("zarr_format"), 3}}), v3);
        // A sharded array's index location has a row too.
        const QJsonObject sharded{
            {QStringLiteral("zarr_format"), 3},
            {QStringLiteral("codecs"),
             QJsonArray{QJsonObject{{QStringLiteral("name"), QStringLiteral("sharding_indexed")}}}}};
        QVERIFY(zarrKind().formFields(sharded).contains(QStringLiteral("codecs/index_location")));
        QVERIFY(!zarrKind()
                     .formFields(QJsonObject{{QStringLiteral("zarr_format"), 3}})
                     .contains(QStringLiteral("codecs/index_location")));
    }

    void badMetadataIsRefused_data()
    {
        QTest::addColumn<QByteArray>("json");
        QTest::addColumn<QString>("error");
        const QByteArray head = R"({"zarr_format": 3, "node_type": "array", "shape": [4], "data_type": "int32",
            "chunk_grid": {"name": "regular", "configuration": {"chunk_shape": [2]}},
            "chunk_key_encoding": {"name": "default"}, "fill_value": 0, "codecs": )";
        QTest::newRow("unknown codec")
            << head + R"([{"name": "bytes", "configuration": {"endian": "little"}}, {"name": "lz5"}]})"
            << QStringLiteral("codecs[1] \"lz5\" is not supported (bytes, transpose, blosc, gzip, zstd, crc32c, "
                              "sharding_indexed and numcodecs.<id> for numcodecs' codecs are)");
        QTest::newRow("a numcodecs codec Debian's numcodecs lacks")
            << head
                + R"([{"name": "bytes", "configuration": {"endian": "little"}}, {"name": "numcodecs.bitround", "configuration": {"keepbits": 3}}]})"
            << QStringLiteral(
                   "codecs[1] \"numcodecs.bitround\" numcodecs codec \"bitround\" is not supported (supported: "
                   "astype, bz2, categorize, delta, fixedscaleoffset, gzip, lz4, lzma, packbits, quantize, shuffle, "
                   "zlib, zstd)");
        QTest::newRow("no array-to-bytes codec")
            << head + R"([{"name": "zstd", "configuration": {"level": 1}}]})"
            << QStringLiteral("codecs[0] \"zstd\" is a bytes-to-bytes codec and must come after bytes");
        QTest::newRow("a group") << QByteArray(R"({"zarr_format": 3, "node_type": "group", "attributes": {}})")
                                 << QStringLiteral("node_type \"group\" is not an array");
        QTest::newRow("a data type outside the core spec")
            << QByteArray(head).replace("int32", "bfloat16")
                + R"([{"name": "bytes", "configuration": {"endian": "little"}}]})"
            << QStringLiteral("data_type \"bfloat16\" is not supported (bool, int8 to int64, uint8 to uint64, "
                              "float16, float32, float64, complex64 and complex128 are)");
    }
    void badMetadataIsRefused()
    {
        QFETCH(QByteArray, json);
        QFETCH(QString, error);
        QTemporaryDir tmp;
        QVERIFY(writeAll(tmp.filePath(QStringLiteral("zarr.json")), json));
        ArraySpec e = spec(nullptr);
        opts(e).path = tmp.path();
        e.fill.kind = FillSpec::Kind::Existing;
        QCOMPARE(storeError([&] { createStore(e); }), QStringLiteral("array z1, zarr.json: ") + error);
    }
};

QTEST_GUILESS_MAIN(TestZarrV3Store)
#include "tst_zarrv3store.moc"
