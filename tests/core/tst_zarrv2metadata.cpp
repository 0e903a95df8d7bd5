// Zarr v2's .zarray: the metadata bytes as zarr-python writes them, fill values of every dtype spelled
// as zarr spells them, and the exact error a bad fill value gets.
#include "storeerrors.h"
#include "zarrv2spec.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonValue>
#include <QTest>

#include <cmath>
#include <cstdint>

using namespace cs;

class TestZarrV2Metadata : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void metadataBytesAsZarrWritesThem()
    {
        // zarr.create(shape=(10, 7), chunks=(4, 3), dtype='<f8', store={}, fill_value=np.nan)
        ArraySpec s = spec(QStringLiteral("<f8"), {10, 7}, {4, 3});
        opts(s).fillValue = QStringLiteral("NaN");
        QCOMPARE(metadataOf(s).toJson(),
                 QByteArray("{\n    \"chunks\": [\n        4,\n        3\n    ],\n    \"compressor\": {\n        "
                            "\"blocksize\": 0,\n        \"clevel\": 5,\n        \"cname\": \"lz4\",\n        \"id\": "
                            "\"blosc\",\n        \"shuffle\": 1\n    },\n    \"dtype\": \"<f8\",\n    \"fill_value\": "
                            "\"NaN\",\n    \"filters\": null,\n    \"order\": \"C\",\n    \"shape\": [\n        10,\n "
                            "       7\n    ],\n    \"zarr_format\": 2\n}"));
        // ... dimension_separator='/', compressor=Blosc('blosclz', 5, 1), dtype='<i4', 3-D
        ArraySpec n = spec(QStringLiteral("<i4"), {10, 7, 5}, {4, 3, 2}, blosc("blosclz"));
        opts(n).dimensionSeparator = QStringLiteral("/");
        QCOMPARE(
            metadataOf(n).toJson(),
            QByteArray("{\n    \"chunks\": [\n        4,\n        3,\n        2\n    ],\n    \"compressor\": {\n  "
                       "      \"blocksize\": 0,\n        \"clevel\": 5,\n        \"cname\": \"blosclz\",\n       "
                       " \"id\": \"blosc\",\n        \"shuffle\": 1\n    },\n    \"dimension_separator\": \"/\",\n"
                       "    \"dtype\": \"<i4\",\n    \"fill_value\": 0,\n    \"filters\": null,\n    \"order\": "
                       "\"C\",\n    \"shape\": [\n        10,\n        7,\n        5\n    ],\n    \"zarr_format\": "
                       "2\n}"));
        // ... dtype='>u2', compressor=None, fill_value=42
        ArraySpec u = spec(QStringLiteral(">u2"), {5}, {2}, std::nullopt);
        opts(u).fillValue = 42;
        QCOMPARE(metadataOf(u).toJson(),
                 QByteArray("{\n    \"chunks\": [\n        2\n    ],\n    \"compressor\": null,\n    \"dtype\": "
                            "\">u2\",\n    \"fill_value\": 42,\n    \"filters\": null,\n    \"order\": \"C\",\n    "
                            "\"shape\": [\n        5\n    ],\n    \"zarr_format\": 2\n}"));
        QCOMPARE(metadataOf(u).fillItem, QByteArray("\x00\x2a", 2));
    }

    void fillValueSpelling_data()
    {
        QTest::addColumn<QString>("dtype");
        QTest::addColumn<QJsonValue>("fill");
        QTest::addColumn<QByteArray>("json");
        QTest::newRow("f8 0.1") << QStringLiteral("<f8") << QJsonValue(0.1) << QByteArray("0.1");
        QTest::newRow("f4 0.1") << QStringLiteral("<f4") << QJsonValue(0.1) << QByteArray("0.10000000149011612");
        QTest::newRow("f8 0") << QStringLiteral("<f8") << QJsonValue(0) << QByteArray("0.0");
        QTest::newRow("f8 -0") << QStringLiteral("<f8") << QJsonValue(-0.0) << QByteArray("0.0");
        QTest::newRow("f8 1e-05") << QStringLiteral("<f8") << QJsonValue(1e-05) << QByteArray("1e-05");
        QTest::newRow("f8 0.0001") << QStringLiteral("<f8") << QJsonValue(0.0001) << QByteArray("0.0001");
        QTest::newRow("f8 1e16") << QStringLiteral("<f8") << QJsonValue(1e16) << QByteArray("1e+16");
        QTest::newRow("f8 123.5e13") << QStringLiteral("<f8") << QJsonValue(1.235e15)
                                     << QByteArray("1235000000000000.0");
        QTest::newRow("f8 -2.5e-300") << QStringLiteral("<f8") << QJsonValue(-2.5e-300) << QByteArray("-2.5e-300");
        QTest::newRow("f4 3.4e38") << QStringLiteral("<f4") << QJsonValue(3.4e38)
                                   << QByteArray("3.3999999521443642e+38");
        QTest::newRow("f4 1e300") << QStringLiteral("<f4") << QJsonValue(1e300) << QByteArray("\"Infinity\"");
        QTest::newRow("f8 -Infinity") << QStringLiteral("<f8") << QJsonValue(QStringLiteral("-Infinity"))
                                      << QByteArray("\"-Infinity\"");
        QTest::newRow("i4 -7") << QStringLiteral("<i4") << QJsonValue(-7) << QByteArray("-7");
        QTest::newRow("i8 min") << QStringLiteral("<i8") << QJsonValue(qint64(INT64_MIN))
                                << QByteArray("-9223372036854775808");
        QTest::newRow("b1 1") << QStringLiteral("|b1") << QJsonValue(1) << QByteArray("true");
        QTest::newRow("u1 null") << QStringLiteral("|u1") << QJsonValue(QJsonValue::Null) << QByteArray("null");
    }
    void fillValueSpelling()
    {
        QFETCH(QString, dtype);
        QFETCH(QJsonValue, fill);
        QFETCH(QByteArray, json);
        ArraySpec s = spec(dtype, {4}, {2});
        opts(s).fillValue = fill;
        const ZarrMetadata m = metadataOf(s);
        QCOMPARE(m.fillJson, json);
        // What we write, we read back to the same item.
        QCOMPARE(ZarrMetadata::parse(m.toJson(), QStringLiteral("z1")).fillItem, m.fillItem);
    }

    // The spellings and items zarr-python 2.13 writes and reads for these fill values (zarr.create(...,
    // fill_value=F); its .zarray's fill_value and np.array(z.fill_value, dtype).tobytes()).
    void byteDtypeFillValues_data()
    {
        QTest::addColumn<QString>("dtype");
        QTest::addColumn<QJsonValue>("fill");
        QTest::addColumn<QByteArray>("json");
        QTest::addColumn<QByteArray>("itemHex");
        const QByteArray nanPair = "[\n        \"NaN\",\n        \"NaN\"\n    ]";
        QTest::newRow("S3") << QStringLiteral("|S3") << QJsonValue(QStringLiteral("YWI=")) << QByteArray("\"YWI=\"")
                            << QByteArray("616200");
        QTest::newRow("S3 trailing NULs") << QStringLiteral("|S3") << QJsonValue(QStringLiteral("YQBiAA=="))
                                          << QByteArray("\"YQBi\"") << QByteArray("610062");
        QTest::newRow("S2 zero") << QStringLiteral("|S2") << QJsonValue(0) << QByteArray("\"\"") << QByteArray("0000");
        QTest::newRow("U2") << QStringLiteral("<U2") << QJsonValue(QStringLiteral("ab")) << QByteArray("\"ab\"")
                            << QByteArray("6100000062000000");
        QTest::newRow("U2 big-endian, beyond ASCII")
            << QStringLiteral(">U2") << QJsonValue(QStringLiteral("\u00e9\U0001F600"))
            << QByteArray("\"\\u00e9\\ud83d\\ude00\"") << QByteArray("000000e90001f600");
        QTest::newRow("U1 cut") << QStringLiteral("<U1") << QJsonValue(QStringLiteral("xy")) << QByteArray("\"xy\"")
                                << QByteArray("78000000");
        QTest::newRow("M8 NaT") << QStringLiteral("<M8[ns]") << QJsonValue(qint64(INT64_MIN))
                                << QByteArray("-9223372036854775808") << QByteArray("0000000000000080");
        QTest::newRow("m8 big-endian") << QStringLiteral(">m8[s]") << QJsonValue(5) << QByteArray("5")
                                       << QByteArray("0000000000000005");
        QTest::newRow("c8") << QStringLiteral("<c8") << QJsonValue(QJsonArray{1.5, -2})
                            << QByteArray("[\n        1.5,\n        -2.0\n    ]") << QByteArray("0000c03f000000c0");
        // zarr reads [1.0, "NaN"] as 1.0 + 1j * nan, which is NaN in both parts.
        QTest::newRow("c8 NaN") << QStringLiteral("<c8") << QJsonValue(QJsonArray{1.0, QStringLiteral("NaN")})
                                << nanPair << QByteArray("0000c07f0000c07f");
        QTest::newRow("c16 big-endian zero")
            << QStringLiteral(">c16") << QJsonValue(0) << QByteArray("[\n        0.0,\n        0.0\n    ]")
            << QByteArray(32, '0');
        QTest::newRow("f2 0.1") << QStringLiteral("<f2") << QJsonValue(0.1) << QByteArray("0.0999755859375")
                                << QByteArray("662e");
        QTest::newRow("f2 overflow") << QStringLiteral("<f2") << QJsonValue(65520) << QByteArray("\"Infinity\"")
                                     << QByteArray("007c");
        QTest::newRow("f2 subnormal") << QStringLiteral("<f2") << QJsonValue(6e-8)
                                      << QByteArray("5.960464477539063e-08") << QByteArray("0100");
        QTest::newRow("f2 big-endian") << QStringLiteral(">f2") << QJsonValue(-0.5) << QByteArray("-0.5")
                                       << QByteArray("b800");
    }
    void byteDtypeFillValues()
    {
        QFETCH(QString, dtype);
        QFETCH(QJsonValue, fill);
        QFETCH(QByteArray, json);
        QFETCH(QByteArray, itemHex);
        ArraySpec s = spec(dtype, {4}, {2});
        opts(s).fillValue = fill;
        const ZarrMetadata m = metadataOf(s);
        QCOMPARE(m.fillJson, json);
        QCOMPARE(m.fillItem.toHex(), itemHex);
        QCOMPARE(ZarrMetadata::parse(m.toJson(), QStringLiteral("z1")).fillItem, m.fillItem);
    }

    void badByteDtypeFillValues_data()
    {
        QTest::addColumn<QString>("dtype");
        QTest::addColumn<QJsonValue>("fill");
        QTest::addColumn<QString>("why");
        QTest::newRow("S not base64") << QStringLiteral("|S4") << QJsonValue(QStringLiteral("ab!"))
                                      << QStringLiteral(
                                             "\"ab!\" is not valid for dtype |S4 (expected the bytes in base64)");
        QTest::newRow("U number") << QStringLiteral("<U2") << QJsonValue(3)
                                  << QStringLiteral("3.0 is not valid for dtype <U2 (expected a string)");
        QTest::newRow("M8 fraction") << QStringLiteral("<M8[ns]") << QJsonValue(1.5)
                                     << QStringLiteral(
                                            "1.5 is not valid for dtype <M8[ns] (expected an integer count of "
                                            "ns, -9223372036854775808 for NaT)");
        QTest::newRow("c8 one part") << QStringLiteral("<c8") << QJsonValue(QJsonArray{1})
                                     << QStringLiteral(
                                            "a JSON list is not valid for dtype <c8 (expected [real, imaginary], "
                                            "each a number, \"NaN\", \"Infinity\" or \"-Infinity\")");
    }
    void badByteDtypeFillValues()
    {
        QFETCH(QString, dtype);
        QFETCH(QJsonValue, fill);
        QFETCH(QString, why);
        ArraySpec s = spec(dtype, {4}, {2});
        opts(s).fillValue = fill;
        QCOMPARE(storeError([&] { metadataOf(s); }), QStringLiteral("array z1: fill_value ") + why);
    }

    void badFillValues()
    {
        ArraySpec s = spec(QStringLiteral("|u1"), {4}, {2});
        opts(s).fillValue = 256;
        QCOMPARE(storeError([&] { metadataOf(s); }),
                 QStringLiteral("array z1: fill_value 256.0 is not valid for dtype |u1 (expected an integer in the "
                                "dtype's range)"));
        opts(s).fillValue = QStringLiteral("NaN");
        QCOMPARE(storeError([&] { metadataOf(s); }),
                 QStringLiteral("array z1: fill_value \"NaN\" is not valid for dtype |u1 (expected an integer in the "
                                "dtype's range)"));
    }
};

QTEST_MAIN(TestZarrV2Metadata)
#include "tst_zarrv2metadata.moc"
