// sharding_indexed's shard index: its bytes as the specification lays them out (checked against bytes a
// separate Python implementation wrote), its configuration, and every way a corrupt index is refused.
#include "codecs/chunkcodec.h"
#include "stores/zarr/v3/shardindex.h"

#include <QJsonDocument>
#include <QTest>

#include <vector>

using namespace cs;

namespace {

constexpr uint64_t E = ShardIndexEntry::kEmpty;

// Four inner chunks (2 x 2): (0, 10), (10, 20), empty, (30, 5), little-endian, then their crc32c.
const char kEndIndex[]
    = "00000000000000000a000000000000000a000000000000001400000000000000ffffffffffffffffffffffffffffffff"
      "1e000000000000000500000000000000df35330b";
// The same chunks behind a 68-byte index at the start (offsets + 68), big-endian, then their crc32c.
const char kStartBigEndianIndex[]
    = "0000000000000044000000000000000a000000000000004e0000000000000014ffffffffffffffffffffffffffffffff0000000000"
      "00006200000000000000056a2b15a6";

ShardIndexLayout layout2x2(bool checksum = true)
{
    ShardIndexLayout layout;
    layout.chunksPerShard = Coords::fromVector({2, 2});
    layout.checksum = checksum;
    return layout;
}

QByteArray encoded(const std::vector<ShardIndexEntry> &entries, const ShardIndexLayout &layout)
{
    QByteArray out(int(layout.encodedSize()), '\0');
    encodeShardIndex(entries.data(), layout, out.data());
    return out;
}

std::vector<ShardIndexEntry> decoded(const QByteArray &index, const ShardIndexLayout &layout, uint64_t shardSize)
{
    std::vector<ShardIndexEntry> entries(size_t(layout.entryCount()));
    decodeShardIndex(index.constData(), size_t(index.size()), layout, shardSize, entries.data());
    return entries;
}

QString decodeError(const QByteArray &index, const ShardIndexLayout &layout, uint64_t shardSize)
{
    try {
        decoded(index, layout, shardSize);
    } catch (const CodecError &e) {
        return e.message();
    }
    return QStringLiteral("no error");
}

QJsonObject config(const char *json)
{
    return QJsonDocument::fromJson(json).object();
}

QString configError(const char *json)
{
    QString error;
    if (ShardIndexLayout::fromConfiguration(config(json), Coords::fromVector({8, 8}), &error))
        return QStringLiteral("no error");
    return error;
}

} // namespace

class TestShardIndex : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void encodesAsTheSpecificationLaysOut()
    {
        const std::vector<ShardIndexEntry> entries{{0, 10}, {10, 20}, {E, E}, {30, 5}};
        const ShardIndexLayout end = layout2x2();
        QCOMPARE(end.encodedSize(), uint64_t(68));
        QCOMPARE(encoded(entries, end).toHex(), QByteArray(kEndIndex));
        QVERIFY(decoded(QByteArray::fromHex(kEndIndex), end, 35 + 68) == entries);

        ShardIndexLayout start = layout2x2();
        start.location = ShardIndexLayout::Location::Start;
        start.bigEndian = true;
        const std::vector<ShardIndexEntry> shifted{{68, 10}, {78, 20}, {E, E}, {98, 5}};
        QCOMPARE(encoded(shifted, start).toHex(), QByteArray(kStartBigEndianIndex));
        QVERIFY(decoded(QByteArray::fromHex(kStartBigEndianIndex), start, 103) == shifted);
        QCOMPARE(start.indexOffset(103), uint64_t(0));
        QCOMPARE(end.indexOffset(103), uint64_t(35));
    }

    void withoutChecksum()
    {
        const ShardIndexLayout layout = layout2x2(false);
        QCOMPARE(layout.encodedSize(), uint64_t(64));
        const std::vector<ShardIndexEntry> entries{{E, E}, {E, E}, {E, E}, {0, 3}};
        const QByteArray bytes = encoded(entries, layout);
        QCOMPARE(bytes,
                 QByteArray::fromHex(kEndIndex).left(48).replace(0, 48, QByteArray(48, '\xff'))
                     + QByteArray::fromHex("00000000000000000300000000000000"));
        QVERIFY(decoded(bytes, layout, 67) == entries);
    }

    void emptyChunksAndSharedBytesAreValid()
    {
        const ShardIndexLayout layout = layout2x2();
        const std::vector<ShardIndexEntry> allEmpty(4);
        QVERIFY(decoded(encoded(allEmpty, layout), layout, 68) == allEmpty);
        // Two inner chunks with the same bytes may point at one copy: the specification allows gaps and
        // says nothing against overlaps.
        const std::vector<ShardIndexEntry> shared{{0, 8}, {0, 8}, {4, 4}, {E, E}};
        QVERIFY(decoded(encoded(shared, layout), layout, 8 + 68) == shared);
        // A zero-length chunk at the very end of the data.
        const std::vector<ShardIndexEntry> zero{{8, 0}, {E, E}, {E, E}, {E, E}};
        QVERIFY(decoded(encoded(zero, layout), layout, 8 + 68) == zero);
    }

    void namesInnerChunksByPosition()
    {
        ShardIndexLayout layout;
        layout.chunksPerShard = Coords::fromVector({2, 3, 4});
        QCOMPARE(layout.innerChunkName(0), QStringLiteral("(0, 0, 0)"));
        QCOMPARE(layout.innerChunkName(5), QStringLiteral("(0, 1, 1)"));
        QCOMPARE(layout.innerChunkName(23), QStringLiteral("(1, 2, 3)"));
    }

    void refusesCorruptIndexes()
    {
        const ShardIndexLayout layout = layout2x2();
        auto index = [&](const std::vector<ShardIndexEntry> &entries) { return encoded(entries, layout); };
        QCOMPARE(decodeError(QByteArray::fromHex(kEndIndex).left(67), layout, 100),
                 QStringLiteral("shard index is 67 bytes, but 4 inner chunks need 68"));
        QCOMPARE(decodeError(QByteArray::fromHex(kEndIndex), layout, 60),
                 QStringLiteral("shard of 60 bytes is shorter than its 68-byte index"));
        QByteArray flipped = QByteArray::fromHex(kEndIndex);
        flipped[8] = char(flipped[8] ^ 1);
        QCOMPARE(decodeError(flipped, layout, 103),
                 QStringLiteral("shard index: crc32c checksum mismatch: stored 0x0b3335df, computed 0x9579e827"));
        QCOMPARE(
            decodeError(index({{0, 10}, {10, 20}, {E, E}, {30, 6}}), layout, 35 + 68),
            QStringLiteral("shard index: inner chunk (1, 1) at bytes 30 to 36 overlaps the index at bytes 35 to 103"));
        QCOMPARE(decodeError(index({{0, 10}, {100, 20}, {E, E}, {30, 5}}), layout, 35 + 68),
                 QStringLiteral("shard index: inner chunk (0, 1) at bytes 100 to 120 lies past the end of the shard "
                                "(103 bytes)"));
        QCOMPARE(
            decodeError(index({{E - 5, 10}, {10, 20}, {E, E}, {30, 5}}), layout, 35 + 68),
            QStringLiteral("shard index: inner chunk (0, 0) has offset 18446744073709551610 + nbytes 10 beyond 2^64"));
        QCOMPARE(decodeError(index({{0, 10}, {10, 20}, {E, 0}, {30, 5}}), layout, 35 + 68),
                 QStringLiteral("shard index: inner chunk (1, 0) has offset 18446744073709551615 and nbytes 0: only "
                                "one marks it empty"));
        QCOMPARE(decodeError(index({{0, 10}, {10, E}, {E, E}, {30, 5}}), layout, 35 + 68),
                 QStringLiteral("shard index: inner chunk (0, 1) has offset 10 and nbytes 18446744073709551615: only "
                                "one marks it empty"));
        ShardIndexLayout start = layout;
        start.location = ShardIndexLayout::Location::Start;
        QCOMPARE(
            decodeError(encoded({{68, 10}, {60, 20}, {E, E}, {98, 5}}, start), start, 103),
            QStringLiteral("shard index: inner chunk (0, 1) at bytes 60 to 80 overlaps the index at bytes 0 to 68"));
    }

    void readsTheShardingConfiguration()
    {
        QString error;
        const auto layout = ShardIndexLayout::fromConfiguration(
            config("{\"chunk_shape\": [2, 4], \"codecs\": [{\"name\": \"bytes\"}], \"index_codecs\": [{\"name\": "
                   "\"bytes\", \"configuration\": {\"endian\": \"big\"}}, {\"name\": \"crc32c\"}], \"index_location\": "
                   "\"start\"}"),
            Coords::fromVector({8, 8}), &error);
        QVERIFY2(layout, qPrintable(error));
        QCOMPARE(layout->chunksPerShard, Coords::fromVector({4, 2}));
        QVERIFY(layout->bigEndian);
        QVERIFY(layout->checksum);
        QCOMPARE(layout->location, ShardIndexLayout::Location::Start);
        QCOMPARE(layout->encodedSize(), uint64_t(8 * 16 + 4));

        const auto plain = ShardIndexLayout::fromConfiguration(
            config("{\"chunk_shape\": [8, 8], \"index_codecs\": [{\"name\": \"bytes\", \"configuration\": "
                   "{\"endian\": \"little\"}}]}"),
            Coords::fromVector({8, 8}), &error);
        QVERIFY2(plain, qPrintable(error));
        QVERIFY(!plain->bigEndian);
        QVERIFY(!plain->checksum);
        QCOMPARE(plain->location, ShardIndexLayout::Location::End);
        QCOMPARE(plain->encodedSize(), uint64_t(16));

        // 10^10 inner chunks would need a 160 GB index.
        QVERIFY(!ShardIndexLayout::fromConfiguration(
            config("{\"chunk_shape\": [1, 1], \"index_codecs\": [{\"name\": \"bytes\", \"configuration\": "
                   "{\"endian\": \"little\"}}]}"),
            Coords::fromVector({100000, 100000}), &error));
        QCOMPARE(error, QStringLiteral("sharding_indexed has too many inner chunks per shard ([100000, 100000])"));
    }

    void refusesBadShardingConfigurations_data()
    {
        QTest::addColumn<QByteArray>("json");
        QTest::addColumn<QByteArray>("error");
        const QByteArray bytesCrc
            = "\"index_codecs\": [{\"name\": \"bytes\", \"configuration\": {\"endian\": \"little\"}}, \"crc32c\"]";
        QTest::newRow("not dividing") << QByteArray(
            "{\"chunk_shape\": [3, 4], " + bytesCrc
            + "}") << QByteArray("sharding_indexed chunk_shape [3, 4] does not divide the shard shape [8, 8]");
        QTest::newRow("zero") << QByteArray("{\"chunk_shape\": [0, 4], " + bytesCrc + "}")
                              << QByteArray(
                                     "sharding_indexed chunk_shape [0, 4] does not divide the shard shape [8, 8]");
        QTest::newRow("rank") << QByteArray("{\"chunk_shape\": [4], " + bytesCrc + "}")
                              << QByteArray("sharding_indexed chunk_shape must be a list of 2 integers");
        QTest::newRow("compressed index")
            << QByteArray("{\"chunk_shape\": [4, 4], \"index_codecs\": [{\"name\": \"bytes\", \"configuration\": "
                          "{\"endian\": \"little\"}}, {\"name\": \"gzip\", \"configuration\": {\"level\": 1}}]}")
            << QByteArray("sharding_indexed index_codecs must be bytes (little or big endian) and an optional crc32c");
        QTest::newRow("no index codecs")
            << QByteArray("{\"chunk_shape\": [4, 4]}")
            << QByteArray("sharding_indexed index_codecs must be bytes (little or big endian) and an "
                          "optional crc32c");
        QTest::newRow("no endian")
            << QByteArray("{\"chunk_shape\": [4, 4], \"index_codecs\": [\"bytes\"]}")
            << QByteArray("sharding_indexed index_codecs bytes endian (missing) is not \"little\" or \"big\"");
        QTest::newRow("location")
            << QByteArray("{\"chunk_shape\": [4, 4], " + bytesCrc + ", \"index_location\": \"middle\"}")
            << QByteArray("sharding_indexed index_location \"middle\" is not \"start\" or \"end\"");
    }
    void refusesBadShardingConfigurations()
    {
        QFETCH(QByteArray, json);
        QFETCH(QByteArray, error);
        QCOMPARE(configError(json.constData()), QString::fromUtf8(error));
    }
};

QTEST_GUILESS_MAIN(TestShardIndex)
#include "tst_shardindex.moc"
