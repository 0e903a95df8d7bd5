// Zarr v3 arrays written by other hands: by make_v3_fixtures.py (numpy, numcodecs and the specification, no
// Chunkscope code) and by zarrita, the reference implementation (tests/interop/zarrita, installed by
// `npm ci` there, which ./setup.sh test runs). Their zarr.json is read by ZarrV3Metadata, their shard
// indexes by decodeShardIndex, and every chunk is decoded with the v3 codecs and compared element by
// element with the array's values. zarrita also reads the Python fixtures, which checks them in turn.
// Chunkscope's Zarr v3 store reads every one of these arrays too, and zarrita reads what the store writes
// with each codec, sharded and not.
#include "codecs/crc32ccodec.h"
#include "codecs/zlibcodec.h"
#include "codecs/zstdcodec.h"
#include "runner/arraystore.h"
#include "scenario/scenario.h"
#include "stores/store.h"
#include "stores/zarr/v3/shardindex.h"
#include "stores/zarr/v3/zarrv3metadata.h"
#include "stores/zarr/v3/zarrv3store.h"
#include "task/taskcontext.h"

#include <QDir>
#include <QFileInfo>
#include <QJsonDocument>
#include <QProcess>
#include <QRegularExpression>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

#include "interopsupport.h"

#include <algorithm>
#include <cstring>
#include <memory>
#include <vector>

using namespace cs;
using cs::testing::fileBytes;
using cs::testing::runZarrita;
using cs::testing::zarritaDir;

namespace {

// A codecs list as the fixtures use it: bytes (endian), then bytes -> bytes codecs, decoded in reverse.
QByteArray decodeChunk(const QJsonArray &codecs, const QByteArray &encoded, int chunkBytes, int itemsize)
{
    QByteArray bytes = encoded;
    for (int i = int(codecs.size()) - 1; i >= 1; --i) {
        const QJsonObject codec = codecs.at(i).toObject();
        const QString name = codec.value(QLatin1String("name")).toString();
        const int level = codec.value(QLatin1String("configuration")).toObject().value(QLatin1String("level")).toInt();
        std::unique_ptr<ChunkCodec> step;
        if (name == QLatin1String("gzip"))
            step = std::make_unique<ZlibCodec>(level, ZlibContainer::Gzip);
        else if (name == QLatin1String("zstd"))
            step = std::make_unique<ZstdCodec>(level);
        else if (name == QLatin1String("crc32c"))
            step = std::make_unique<Crc32cCodec>();
        else
            qFatal("fixture codec %s", qPrintable(name));
        QByteArray out(std::max(int(bytes.size()), chunkBytes), '\0');
        out.resize(int(step->decode(bytes.constData(), size_t(bytes.size()), out.data(), size_t(out.size()))));
        bytes = out;
    }
    const QString endian = codecs.at(0)
                               .toObject()
                               .value(QLatin1String("configuration"))
                               .toObject()
                               .value(QLatin1String("endian"))
                               .toString();
    if (endian == QLatin1String("big"))
        for (int at = 0; at + itemsize <= bytes.size(); at += itemsize)
            std::reverse(bytes.begin() + at, bytes.begin() + at + itemsize);
    return bytes;
}

// Compares a decoded 2-D chunk whose first element is at (row0, col0) with the array's values, item by item;
// items beyond the array's edge must hold the fill value.
void compareChunk(const QByteArray &chunk, const Coords &chunkShape, int64_t row0, int64_t col0,
                  const QByteArray &whole, const Coords &shape, const QByteArray &fill, const QString &where)
{
    const int size = int(fill.size());
    QCOMPARE(chunk.size(), qsizetype(chunkShape.product() * size));
    for (int64_t r = 0; r < chunkShape[0]; ++r) {
        for (int64_t c = 0; c < chunkShape[1]; ++c) {
            const int64_t row = row0 + r, col = col0 + c;
            const QByteArray expected
                = row < shape[0] && col < shape[1] ? whole.mid(qsizetype((row * shape[1] + col) * size), size) : fill;
            const QByteArray actual = chunk.mid(qsizetype((r * chunkShape[1] + c) * size), size);
            if (actual != expected)
                QFAIL(qPrintable(QStringLiteral("%1, element (%2, %3): %4 instead of %5")
                                     .arg(where)
                                     .arg(row)
                                     .arg(col)
                                     .arg(QString::fromLatin1(actual.toHex()), QString::fromLatin1(expected.toHex()))));
        }
    }
}

// Decodes every chunk of an unsharded 2-D array and compares it with the array's values; a chunk with no
// file reads as the fill value.
void checkUnshardedChunks(const QString &root, const ZarrV3Metadata &meta, const QByteArray &whole, const QString &name)
{
    QJsonArray codecs;
    for (const ZarrV3Codec &c : meta.codecs)
        codecs.append(
            QJsonObject{{QStringLiteral("name"), c.name}, {QStringLiteral("configuration"), c.configuration}});
    const int chunkBytes = int(meta.chunks.product() * meta.dataType.itemsize);
    for (int64_t i = 0; i * meta.chunks[0] < meta.shape[0]; ++i) {
        for (int64_t j = 0; j * meta.chunks[1] < meta.shape[1]; ++j) {
            const QString key = QString::fromLatin1(meta.chunkKey(Coords::fromVector({i, j})));
            const QString path = root + QLatin1Char('/') + key;
            const QByteArray chunk = QFileInfo::exists(path)
                ? decodeChunk(codecs, fileBytes(path), chunkBytes, meta.dataType.itemsize)
                : meta.fill.item.repeated(int(meta.chunks.product()));
            compareChunk(chunk, meta.chunks, i * meta.chunks[0], j * meta.chunks[1], whole, meta.shape, meta.fill.item,
                         name + QLatin1Char(' ') + key);
            if (QTest::currentTestFailed())
                return;
        }
    }
}

// One item's little-endian bytes from a value as the zarrita scripts spell it (numbers, or strings for
// 64-bit integers and NaN).
QByteArray itemFromJson(const QJsonValue &v, const QString &dataType)
{
    QByteArray item;
    auto put = [&](auto x) { item = QByteArray(reinterpret_cast<const char *>(&x), sizeof x); };
    if (dataType == QLatin1String("int32"))
        put(qint32(v.toInteger()));
    else if (dataType == QLatin1String("uint16"))
        put(quint16(v.toInteger()));
    else if (dataType == QLatin1String("int64"))
        put(qint64(v.isString() ? v.toString().toLongLong() : v.toInteger()));
    else if (dataType == QLatin1String("float32"))
        put(float(v.isString() ? qQNaN() : v.toDouble()));
    else if (dataType == QLatin1String("float64"))
        put(v.isString() ? qQNaN() : v.toDouble());
    return item;
}

// Opens the Zarr array in a directory as Chunkscope's store does for "existing", reads it whole and compares
// it item by item with the expected bytes.
void checkStoreReads(const QString &dir, const QByteArray &whole)
{
    ArraySpec e;
    e.id = QStringLiteral("e");
    e.store = QStringLiteral("zarr");
    e.fill.kind = FillSpec::Kind::Existing;
    e.optionsAs<ZarrOptions>().path = dir;
    std::unique_ptr<Store> store;
    try {
        store = createStore(e);
    } catch (const StoreError &err) {
        QFAIL(qPrintable(err.message()));
    }
    QVERIFY(dynamic_cast<ZarrV3Store *>(store.get()));
    const int size = store->dtype().itemsize();
    QCOMPARE(store->nbytes(), int64_t(whole.size()));
    QByteArray read(whole.size(), '\xEE');
    TaskContext ctx;
    store->read(Region::whole(store->shape()), read.data(), ctx);
    for (int i = 0; i < whole.size(); i += size)
        if (read.mid(i, size) != whole.mid(i, size))
            QFAIL(qPrintable(QStringLiteral("%1, item %2: %3 instead of %4")
                                 .arg(dir)
                                 .arg(i / size)
                                 .arg(QString::fromLatin1(read.mid(i, size).toHex()),
                                      QString::fromLatin1(whole.mid(i, size).toHex()))));
}

} // namespace

class TestZarrV3Fixtures : public QObject {
    Q_OBJECT
private:
    QTemporaryDir m_dir;
    QJsonObject m_manifest;
    QString m_zarritaError; // why zarrita cannot run here, or empty

    void checkArray(const QString &name, int expectedChunkFiles)
    {
        const QString root = m_dir.filePath(name);
        const QJsonObject record = m_manifest.value(name).toObject();
        const ZarrV3Metadata meta = ZarrV3Metadata::parse(fileBytes(root + QStringLiteral("/zarr.json")), name);
        const QByteArray whole = fileBytes(root + QStringLiteral(".bin"));
        QCOMPARE(whole.size(), qsizetype(meta.shape.product() * meta.dataType.itemsize));
        QCOMPARE(meta.fill.item.toHex(), record.value(QLatin1String("fill")).toString().toLatin1());
        QCOMPARE(meta.attributes.value(QLatin1String("writer")).toString(), name);
        checkStoreReads(root, whole);
        if (QTest::currentTestFailed())
            return;

        // Every key the metadata names for the chunk grid is a file the writer wrote, and nothing more.
        QStringList keys;
        const int64_t rows = (meta.shape[0] + meta.chunks[0] - 1) / meta.chunks[0];
        const int64_t cols = (meta.shape[1] + meta.chunks[1] - 1) / meta.chunks[1];
        for (int64_t i = 0; i < rows; ++i)
            for (int64_t j = 0; j < cols; ++j)
                keys << QString::fromLatin1(meta.chunkKey(Coords::fromVector({i, j})));
        QStringList written;
        for (const QJsonValue &k : record.value(QLatin1String("keys")).toArray())
            written << k.toString();
        QCOMPARE(written.size(), expectedChunkFiles);
        for (const QString &key : written)
            QVERIFY2(keys.contains(key), qPrintable(key));

        if (meta.codecs[0].name != QLatin1String("sharding_indexed")) {
            checkUnshardedChunks(root, meta, whole, name);
            return;
        }

        QString error;
        const auto layout = ShardIndexLayout::fromConfiguration(meta.codecs[0].configuration, meta.chunks, &error);
        QVERIFY2(layout, qPrintable(error));
        const Coords inner = Coords::fromVector(
            {meta.chunks[0] / layout->chunksPerShard[0], meta.chunks[1] / layout->chunksPerShard[1]});
        const QJsonArray innerCodecs = meta.codecs[0].configuration.value(QLatin1String("codecs")).toArray();
        const QJsonObject shards = record.value(QLatin1String("shards")).toObject();
        QCOMPARE(shards.size(), expectedChunkFiles);
        for (auto it = shards.begin(); it != shards.end(); ++it) {
            const QByteArray shard = fileBytes(root + QLatin1Char('/') + it.key());
            QCOMPARE(shard.size(), it.value().toObject().value(QLatin1String("size")).toInt());
            const uint64_t at = layout->indexOffset(uint64_t(shard.size()));
            std::vector<ShardIndexEntry> entries(size_t(layout->entryCount()));
            decodeShardIndex(shard.constData() + at, size_t(layout->encodedSize()), *layout, uint64_t(shard.size()),
                             entries.data());
            const QJsonArray expected = it.value().toObject().value(QLatin1String("index")).toArray();
            QCOMPARE(qsizetype(entries.size()), expected.size());
            const QStringList parts = it.key().split(QRegularExpression(QStringLiteral("[./]")));
            const int64_t shardRow = parts.at(parts.size() - 2).toLongLong() * meta.chunks[0];
            const int64_t shardCol = parts.at(parts.size() - 1).toLongLong() * meta.chunks[1];
            for (int64_t e = 0; e < int64_t(entries.size()); ++e) {
                const QString where
                    = QStringLiteral("%1 %2 inner chunk %3").arg(name, it.key(), layout->innerChunkName(e));
                const int64_t row0 = shardRow + (e / layout->chunksPerShard[1]) * inner[0];
                const int64_t col0 = shardCol + (e % layout->chunksPerShard[1]) * inner[1];
                const QJsonValue want = expected.at(e);
                if (want.isNull()) {
                    QVERIFY2(entries[size_t(e)].isEmpty(), qPrintable(where));
                    // An empty inner chunk reads as the fill value: so the array must hold only that there.
                    const QByteArray fills = meta.fill.item.repeated(int(inner.product()));
                    compareChunk(fills, inner, row0, col0, whole, meta.shape, meta.fill.item, where);
                } else {
                    QCOMPARE(entries[size_t(e)].offset, uint64_t(want.toArray().at(0).toInteger()));
                    QCOMPARE(entries[size_t(e)].nbytes, uint64_t(want.toArray().at(1).toInteger()));
                    const QByteArray chunk = decodeChunk(
                        innerCodecs,
                        shard.mid(qsizetype(entries[size_t(e)].offset), qsizetype(entries[size_t(e)].nbytes)),
                        int(inner.product() * meta.dataType.itemsize), meta.dataType.itemsize);
                    compareChunk(chunk, inner, row0, col0, whole, meta.shape, meta.fill.item, where);
                }
                if (QTest::currentTestFailed())
                    return;
            }
        }
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        QString output;
        QVERIFY2(cs::testing::runPython(
                     {cs::testing::interopScript(QStringLiteral("make_v3_fixtures.py")), m_dir.path()}, &output),
                 qPrintable(output));
        m_manifest = QJsonDocument::fromJson(fileBytes(m_dir.filePath(QStringLiteral("manifest.json")))).object();
        QCOMPARE(m_manifest.size(), 4);
        if (QStandardPaths::findExecutable(QStringLiteral("node")).isEmpty())
            m_zarritaError = QStringLiteral("node is not installed (./setup.sh installs Debian's nodejs and npm)");
        else if (!QFileInfo::exists(zarritaDir() + QStringLiteral("/node_modules/zarrita/package.json")))
            m_zarritaError
                = QStringLiteral("zarrita is not installed: run npm ci in %1 (./setup.sh test does)").arg(zarritaDir());
    }

    void unshardedZstd() { checkArray(QStringLiteral("i4_zstd"), 9); }
    void unshardedV2KeysGzipNaNFill() { checkArray(QStringLiteral("f4_v2keys_gzip_nan"), 6); }
    void shardedIndexAtEndGzip() { checkArray(QStringLiteral("f8_sharded_end_gzip"), 4); }
    void shardedIndexAtStartBigEndianZstdCrc32c() { checkArray(QStringLiteral("u2_sharded_start_be_zstd_crc"), 4); }

    void zarritaReadsTheHandWrittenFixtures_data()
    {
        QTest::addColumn<QString>("name");
        // zarrita 0.7.5 reads a shard's index from its end whatever index_location says, so the fixture
        // with its index at the start is read by Chunkscope alone.
        QTest::newRow("i4_zstd") << QStringLiteral("i4_zstd");
        QTest::newRow("f4_v2keys_gzip_nan") << QStringLiteral("f4_v2keys_gzip_nan");
        QTest::newRow("f8_sharded_end_gzip") << QStringLiteral("f8_sharded_end_gzip");
    }
    void zarritaReadsTheHandWrittenFixtures()
    {
        QFETCH(QString, name);
        QVERIFY2(m_zarritaError.isEmpty(), qPrintable(m_zarritaError));
        QByteArray output;
        QVERIFY2(runZarrita({zarritaDir() + QStringLiteral("/read.mjs"), m_dir.filePath(name)}, &output),
                 output.constData());
        const QJsonObject read = QJsonDocument::fromJson(output).object();
        const QString dataType = read.value(QLatin1String("data_type")).toString();
        const QJsonArray values = read.value(QLatin1String("values")).toArray();
        const QByteArray whole = fileBytes(m_dir.filePath(name + QStringLiteral(".bin")));
        const int size = int(itemFromJson(0, dataType).size());
        QVERIFY2(size > 0, qPrintable(dataType));
        QCOMPARE(values.size() * size, whole.size());
        for (int i = 0; i < values.size(); ++i)
            QCOMPARE(itemFromJson(values.at(i), dataType).toHex(), whole.mid(i * size, size).toHex());
    }

    void chunkscopeReadsZarritaOutput_data()
    {
        QTest::addColumn<QString>("dataType");
        QTest::addColumn<QByteArray>("codecs");
        QTest::addColumn<QJsonValue>("fill");
        QTest::addColumn<QString>("separator");
        // zarrita 0.7.5 encodes bytes and zstd but neither gzip nor crc32c ("Failed to encode chunk via codec"),
        // and writes no shards.
        QTest::newRow("int32 zstd")
            << QStringLiteral("int32")
            << QByteArray("[{\"name\": \"bytes\", \"configuration\": {\"endian\": \"little\"}},"
                          " {\"name\": \"zstd\", \"configuration\": {\"level\": 3, \"checksum\": false}}]")
            << QJsonValue(0) << QStringLiteral("/");
        QTest::newRow("float64 big-endian NaN")
            << QStringLiteral("float64")
            << QByteArray("[{\"name\": \"bytes\", \"configuration\": {\"endian\": \"big\"}}]")
            << QJsonValue(QStringLiteral("NaN")) << QStringLiteral(".");
        QTest::newRow("uint16 zstd fill 7")
            << QStringLiteral("uint16")
            << QByteArray("[{\"name\": \"bytes\", \"configuration\": {\"endian\": \"little\"}},"
                          " {\"name\": \"zstd\", \"configuration\": {\"level\": 1, \"checksum\": false}}]")
            << QJsonValue(7) << QStringLiteral("/");
        QTest::newRow("int64 raw") << QStringLiteral("int64")
                                   << QByteArray("[{\"name\": \"bytes\", \"configuration\": {\"endian\": \"little\"}}]")
                                   << QJsonValue(0) << QStringLiteral("/");
    }
    void chunkscopeReadsZarritaOutput()
    {
        QFETCH(QString, dataType);
        QFETCH(QByteArray, codecs);
        QFETCH(QJsonValue, fill);
        QFETCH(QString, separator);
        QVERIFY2(m_zarritaError.isEmpty(), qPrintable(m_zarritaError));
        // 11 x 7 items in chunks of 4 x 3: edge chunks on both axes.
        const QJsonArray shape{11, 7};
        QJsonArray values;
        QByteArray whole;
        for (int i = 0; i < 77; ++i) {
            QJsonValue v;
            if (dataType == QLatin1String("int64"))
                v = QString::number(qint64(i) * 1000000000007LL - 5);
            else if (dataType == QLatin1String("float64"))
                v = i == 76 ? QJsonValue(QStringLiteral("NaN")) : QJsonValue(i / 3.0);
            else if (dataType == QLatin1String("uint16"))
                v = i * 11;
            else
                v = i * 3 - 40;
            values.append(v);
            whole += itemFromJson(v, dataType);
        }
        const QJsonObject description{{QStringLiteral("shape"), shape},
                                      {QStringLiteral("chunk_shape"), QJsonArray{4, 3}},
                                      {QStringLiteral("data_type"), dataType},
                                      {QStringLiteral("codecs"), QJsonDocument::fromJson(codecs).array()},
                                      {QStringLiteral("fill_value"), fill},
                                      {QStringLiteral("separator"), separator},
                                      {QStringLiteral("values"), values}};
        const QString dir = m_dir.filePath(
            QStringLiteral("zarrita-")
            + QString::fromLatin1(QTest::currentDataTag()).replace(QLatin1Char(' '), QLatin1Char('-')));
        const QString descriptionPath = dir + QStringLiteral(".json");
        QFile f(descriptionPath);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(QJsonDocument(description).toJson());
        f.close();
        QByteArray output;
        QVERIFY2(runZarrita({zarritaDir() + QStringLiteral("/write.mjs"), dir, descriptionPath}, &output),
                 output.constData());

        const ZarrV3Metadata meta = ZarrV3Metadata::parse(fileBytes(dir + QStringLiteral("/zarr.json")), dir);
        QCOMPARE(meta.shape, Coords::fromVector({11, 7}));
        QCOMPARE(meta.chunks, Coords::fromVector({4, 3}));
        QCOMPARE(meta.dataType.name(), dataType);
        QCOMPARE(meta.separator, separator.at(0).toLatin1());
        QCOMPARE(meta.attributes.value(QLatin1String("writer")).toString(), QStringLiteral("zarrita"));
        QCOMPARE(meta.fill.item, itemFromJson(fill, dataType));
        QVERIFY(
            QFileInfo::exists(dir + QLatin1Char('/') + QString::fromLatin1(meta.chunkKey(Coords::fromVector({2, 2})))));
        checkUnshardedChunks(dir, meta, whole, dir);
        checkStoreReads(dir, whole);
    }

    void zarritaReadsChunkscopeOutput_data()
    {
        QTest::addColumn<QByteArray>("codecs");
        const QByteArray little = R"({"name": "bytes", "configuration": {"endian": "little"}})";
        const QByteArray big = R"({"name": "bytes", "configuration": {"endian": "big"}})";
        QTest::newRow("bytes") << "[" + little + "]";
        QTest::newRow("bytes big") << "[" + big + "]";
        QTest::newRow("transpose") << R"([{"name": "transpose", "configuration": {"order": [1, 0]}}, )" + little + "]";
        QTest::newRow("blosc") << "[" + little
                + R"(, {"name": "blosc", "configuration": {"cname": "lz4", "clevel": 5, "shuffle": "shuffle", "typesize": 4, "blocksize": 0}}])";
        QTest::newRow("gzip") << "[" + big + R"(, {"name": "gzip", "configuration": {"level": 5}}])";
        QTest::newRow("zstd") << "[" + little
                + R"(, {"name": "zstd", "configuration": {"level": 0, "checksum": false}}])";
        QTest::newRow("crc32c") << "[" + little + R"(, {"name": "crc32c"}])";
        QTest::newRow("sharded")
            << R"([{"name": "sharding_indexed", "configuration": {"chunk_shape": [2, 3], "codecs": [)" + little
                + R"(, {"name": "zstd", "configuration": {"level": 1, "checksum": false}}], "index_codecs": [)" + little
                + R"(, {"name": "crc32c"}], "index_location": "end"}}])";
        QTest::newRow("sharded gzip crc32c")
            << R"([{"name": "sharding_indexed", "configuration": {"chunk_shape": [1, 3], "codecs": [)" + big
                + R"(, {"name": "gzip", "configuration": {"level": 1}}, {"name": "crc32c"}], "index_codecs": [)"
                + little + "]}}]";
    }
    void zarritaReadsChunkscopeOutput()
    {
        QFETCH(QByteArray, codecs);
        QVERIFY2(m_zarritaError.isEmpty(), qPrintable(m_zarritaError));
        // 11 x 7 int32 in chunks (or shards) of 4 x 6: edge chunks on both axes, written in blocks that
        // straddle them.
        ArraySpec s;
        s.id = QStringLiteral("z");
        s.store = QStringLiteral("zarr");
        s.dtype = *DType::parse(QStringLiteral("<i4"));
        s.shape = {11, 7};
        s.chunks = {4, 6};
        ZarrOptions &o = s.optionsAs<ZarrOptions>();
        o.zarrFormat = 3;
        o.codecs = QJsonDocument::fromJson(codecs).array();
        o.fillValue = 3;
        o.path = m_dir.filePath(
            QStringLiteral("chunkscope-")
            + QString::fromLatin1(QTest::currentDataTag()).replace(QLatin1Char(' '), QLatin1Char('-')));
        QByteArray whole(77 * 4, '\0');
        for (int i = 0; i < 77; ++i) {
            const qint32 v = i == 40 ? 3 : i * 1009 - 30000;
            std::memcpy(whole.data() + 4 * i, &v, 4);
        }
        {
            const auto store = createStore(s);
            TaskContext ctx;
            for (int64_t r = 0; r < 11; r += 3) {
                const Region rows{Coords::fromVector({r, 0}), Coords::fromVector({std::min<int64_t>(r + 3, 11), 7})};
                store->write(rows, whole.constData() + r * 7 * 4, ctx);
            }
        }
        QByteArray output;
        QVERIFY2(runZarrita({zarritaDir() + QStringLiteral("/read.mjs"), o.path}, &output), output.constData());
        const QJsonObject read = QJsonDocument::fromJson(output).object();
        QCOMPARE(read.value(QLatin1String("data_type")).toString(), QStringLiteral("int32"));
        const QJsonArray values = read.value(QLatin1String("values")).toArray();
        QCOMPARE(values.size(), 77);
        for (int i = 0; i < values.size(); ++i)
            QCOMPARE(itemFromJson(values.at(i), QStringLiteral("int32")).toHex(), whole.mid(i * 4, 4).toHex());
    }

    void corruptFixtureShardsAreRefused()
    {
        const QString path = m_dir.filePath(QStringLiteral("f8_sharded_end_gzip/c/0/0"));
        QByteArray shard = fileBytes(path);
        const ZarrV3Metadata meta = ZarrV3Metadata::parse(
            fileBytes(m_dir.filePath(QStringLiteral("f8_sharded_end_gzip/zarr.json"))), QStringLiteral("f"));
        QString error;
        const auto layout = ShardIndexLayout::fromConfiguration(meta.codecs[0].configuration, meta.chunks, &error);
        QVERIFY(layout);
        std::vector<ShardIndexEntry> entries(size_t(layout->entryCount()));
        const uint64_t at = layout->indexOffset(uint64_t(shard.size()));
        shard[qsizetype(at)] = char(shard[qsizetype(at)] ^ 0x40); // inner chunk (0, 0)'s offset
        QVERIFY_THROWS_EXCEPTION(CodecError,
                                 decodeShardIndex(shard.constData() + at, size_t(layout->encodedSize()), *layout,
                                                  uint64_t(shard.size()), entries.data()));
        // The index is intact but the shard was cut short: inner chunk (0, 0) is the last in the file.
        shard = fileBytes(path);
        const QByteArray index = shard.right(qsizetype(layout->encodedSize()));
        try {
            decodeShardIndex(index.constData(), size_t(index.size()), *layout, uint64_t(shard.size()) - 100,
                             entries.data());
            QFAIL("a shard cut short was accepted");
        } catch (const CodecError &e) {
            QCOMPARE(
                e.message(),
                QStringLiteral(
                    "shard index: inner chunk (0, 0) at bytes 133 to 196 lies past the end of the shard (164 bytes)"));
        }
    }
};

QTEST_GUILESS_MAIN(TestZarrV3Fixtures)
#include "tst_zarrv3fixtures.moc"
