// Zarr v3 arrays written by another hand (make_v3_fixtures.py: numpy, numcodecs and the specification,
// no Chunkscope code): their zarr.json read by ZarrV3Metadata, their shard indexes by decodeShardIndex,
// and every chunk decoded with the v3 codecs and compared element by element with the array's values.
#include "codecs/crc32ccodec.h"
#include "codecs/zlibcodec.h"
#include "codecs/zstdcodec.h"
#include "stores/store.h"
#include "stores/zarr/v3/shardindex.h"
#include "stores/zarr/v3/zarrv3metadata.h"

#include <QDir>
#include <QJsonDocument>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QTest>

#include "interopsupport.h"

#include <algorithm>
#include <memory>
#include <vector>

using namespace cs;
using cs::testing::fileBytes;

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

} // namespace

class TestZarrV3Fixtures : public QObject {
    Q_OBJECT
private:
    QTemporaryDir m_dir;
    QJsonObject m_manifest;

    void checkArray(const QString &name, int expectedChunkFiles)
    {
        const QString root = m_dir.filePath(name);
        const QJsonObject record = m_manifest.value(name).toObject();
        const ZarrV3Metadata meta = ZarrV3Metadata::parse(fileBytes(root + QStringLiteral("/zarr.json")), name);
        const QByteArray whole = fileBytes(root + QStringLiteral(".bin"));
        QCOMPARE(whole.size(), qsizetype(meta.shape.product() * meta.dataType.itemsize));
        QCOMPARE(meta.fill.item.toHex(), record.value(QLatin1String("fill")).toString().toLatin1());
        QCOMPARE(meta.attributes.value(QLatin1String("writer")).toString(), name);

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
            QJsonArray codecs;
            for (const ZarrV3Codec &c : meta.codecs)
                codecs.append(
                    QJsonObject{{QStringLiteral("name"), c.name}, {QStringLiteral("configuration"), c.configuration}});
            for (int64_t i = 0; i < rows; ++i) {
                for (int64_t j = 0; j < cols; ++j) {
                    const QString key = QString::fromLatin1(meta.chunkKey(Coords::fromVector({i, j})));
                    const QByteArray chunk
                        = decodeChunk(codecs, fileBytes(root + QLatin1Char('/') + key),
                                      int(meta.chunks.product() * meta.dataType.itemsize), meta.dataType.itemsize);
                    compareChunk(chunk, meta.chunks, i * meta.chunks[0], j * meta.chunks[1], whole, meta.shape,
                                 meta.fill.item, name + QLatin1Char(' ') + key);
                    if (QTest::currentTestFailed())
                        return;
                }
            }
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
    }

    void unshardedZstd() { checkArray(QStringLiteral("i4_zstd"), 9); }
    void unshardedV2KeysGzipNaNFill() { checkArray(QStringLiteral("f4_v2keys_gzip_nan"), 6); }
    void shardedIndexAtEndGzip() { checkArray(QStringLiteral("f8_sharded_end_gzip"), 4); }
    void shardedIndexAtStartBigEndianZstdCrc32c() { checkArray(QStringLiteral("u2_sharded_start_be_zstd_crc"), 4); }

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
