// Zarr v3's zarr.json: every field of the core specification read, written and refused with the message
// a user needs.
#include "stores/store.h"
#include "stores/zarr/v3/zarrv3metadata.h"

#include <QJsonDocument>
#include <QTest>

using namespace cs;

namespace {

// A valid array document; tests change one field at a time.
QJsonObject baseDocument()
{
    return QJsonDocument::fromJson(
               "{\"zarr_format\": 3, \"node_type\": \"array\", \"shape\": [10000, 1000], \"data_type\": \"float64\","
               " \"chunk_grid\": {\"name\": \"regular\", \"configuration\": {\"chunk_shape\": [1000, 100]}},"
               " \"chunk_key_encoding\": {\"name\": \"default\", \"configuration\": {\"separator\": \"/\"}},"
               " \"codecs\": [{\"name\": \"bytes\", \"configuration\": {\"endian\": \"little\"}}],"
               " \"fill_value\": \"NaN\"}")
        .object();
}

QByteArray text(const QJsonObject &o)
{
    return QJsonDocument(o).toJson();
}

// A document with the data type and fill value spelt exactly as given.
QByteArray withFill(const QByteArray &dataType, const QByteArray &fillJson)
{
    return "{\"zarr_format\": 3, \"node_type\": \"array\", \"shape\": [4], \"data_type\": \"" + dataType
        + "\", \"chunk_grid\": {\"name\": \"regular\", \"configuration\": {\"chunk_shape\": [2]}},"
          " \"chunk_key_encoding\": {\"name\": \"default\"}, \"codecs\": [{\"name\": \"bytes\"}], \"fill_value\": "
        + fillJson + "}";
}

QString parseError(const QByteArray &json)
{
    try {
        ZarrV3Metadata::parse(json, QStringLiteral("a"));
    } catch (const StoreError &e) {
        return e.message();
    }
    return QStringLiteral("no error");
}

Coords coords(std::initializer_list<int64_t> values)
{
    return Coords::fromVector(std::vector<int64_t>(values));
}

} // namespace

class TestZarrV3Metadata : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void parsesTheSpecificationsExample()
    {
        QJsonObject o = baseDocument();
        o.insert(QStringLiteral("dimension_names"), QJsonArray{QStringLiteral("rows"), QStringLiteral("columns")});
        o.insert(QStringLiteral("attributes"),
                 QJsonObject{{QStringLiteral("foo"), 42}, {QStringLiteral("bar"), QStringLiteral("apples")}});
        const ZarrV3Metadata m = ZarrV3Metadata::parse(text(o), QStringLiteral("a"));
        QCOMPARE(m.shape, coords({10000, 1000}));
        QCOMPARE(m.chunks, coords({1000, 100}));
        QCOMPARE(m.dataType.name(), QStringLiteral("float64"));
        QVERIFY(m.dataType.toDType() == DType(DType::Kind::Float, 8));
        QCOMPARE(m.keyEncoding, ZarrV3Metadata::KeyEncoding::Default);
        QCOMPARE(m.separator, '/');
        QCOMPARE(m.fill.json, QByteArray("\"NaN\""));
        QCOMPARE(m.fill.item, QByteArray::fromHex("000000000000f87f"));
        QCOMPARE(m.codecs.size(), 1);
        QCOMPARE(m.codecs[0].name, QStringLiteral("bytes"));
        QCOMPARE(m.codecs[0].configuration, QJsonObject({{QStringLiteral("endian"), QStringLiteral("little")}}));
        QVERIFY(m.codecs[0].mustUnderstand);
        QCOMPARE(m.attributes.value(QLatin1String("foo")).toInt(), 42);
        QCOMPARE(m.attributes.value(QLatin1String("bar")).toString(), QStringLiteral("apples"));
        QVERIFY(m.dimensionNames.has_value());
        QCOMPARE(*m.dimensionNames, QJsonArray({QStringLiteral("rows"), QStringLiteral("columns")}));
    }

    void dataTypes_data()
    {
        QTest::addColumn<QByteArray>("name");
        QTest::addColumn<int>("itemsize");
        QTest::addColumn<QByteArray>("dtype"); // the engine's typestr, or empty where cs::DType has none
        QTest::newRow("bool") << QByteArray("bool") << 1 << QByteArray("|b1");
        QTest::newRow("int8") << QByteArray("int8") << 1 << QByteArray("|i1");
        QTest::newRow("int16") << QByteArray("int16") << 2 << QByteArray("<i2");
        QTest::newRow("int32") << QByteArray("int32") << 4 << QByteArray("<i4");
        QTest::newRow("int64") << QByteArray("int64") << 8 << QByteArray("<i8");
        QTest::newRow("uint8") << QByteArray("uint8") << 1 << QByteArray("|u1");
        QTest::newRow("uint16") << QByteArray("uint16") << 2 << QByteArray("<u2");
        QTest::newRow("uint32") << QByteArray("uint32") << 4 << QByteArray("<u4");
        QTest::newRow("uint64") << QByteArray("uint64") << 8 << QByteArray("<u8");
        QTest::newRow("float16") << QByteArray("float16") << 2 << QByteArray("<f2");
        QTest::newRow("float32") << QByteArray("float32") << 4 << QByteArray("<f4");
        QTest::newRow("float64") << QByteArray("float64") << 8 << QByteArray("<f8");
        QTest::newRow("complex64") << QByteArray("complex64") << 8 << QByteArray("<c8");
        QTest::newRow("complex128") << QByteArray("complex128") << 16 << QByteArray("<c16");
    }
    void dataTypes()
    {
        QFETCH(QByteArray, name);
        QFETCH(int, itemsize);
        QFETCH(QByteArray, dtype);
        const ZarrV3Metadata m = ZarrV3Metadata::parse(withFill(name,
                                                                name == "bool"                   ? "false"
                                                                    : name.startsWith("complex") ? "[0, 0]"
                                                                                                 : "0"),
                                                       QStringLiteral("a"));
        QCOMPARE(m.dataType.name(), QString::fromLatin1(name));
        QCOMPARE(m.dataType.itemsize, itemsize);
        QCOMPARE(m.fill.item, QByteArray(itemsize, '\0'));
        const auto engine = m.dataType.toDType();
        QCOMPARE(engine ? engine->typestr() : QString(), QString::fromLatin1(dtype));
    }

    void fillValues_data()
    {
        QTest::addColumn<QByteArray>("dataType");
        QTest::addColumn<QByteArray>("fill");
        QTest::addColumn<QByteArray>("item"); // hex, little-endian
        QTest::addColumn<QByteArray>("written");
        QTest::newRow("bool true") << QByteArray("bool") << QByteArray("true") << QByteArray("01")
                                   << QByteArray("true");
        QTest::newRow("int8 min") << QByteArray("int8") << QByteArray("-128") << QByteArray("80") << QByteArray("-128");
        QTest::newRow("int16 -2") << QByteArray("int16") << QByteArray("-2") << QByteArray("feff") << QByteArray("-2");
        QTest::newRow("int64 min") << QByteArray("int64") << QByteArray("-9223372036854775808")
                                   << QByteArray("0000000000000080") << QByteArray("-9223372036854775808");
        QTest::newRow("uint32 max") << QByteArray("uint32") << QByteArray("4294967295") << QByteArray("ffffffff")
                                    << QByteArray("4294967295");
        // Beyond 2^53: only the file's digits hold it.
        QTest::newRow("uint64 max") << QByteArray("uint64") << QByteArray("18446744073709551615")
                                    << QByteArray("ffffffffffffffff") << QByteArray("18446744073709551615");
        QTest::newRow("uint64 2^64-2") << QByteArray("uint64") << QByteArray("18446744073709551614")
                                       << QByteArray("feffffffffffffff") << QByteArray("18446744073709551614");
        QTest::newRow("float16 NaN") << QByteArray("float16") << QByteArray("\"NaN\"") << QByteArray("007e")
                                     << QByteArray("\"NaN\"");
        QTest::newRow("float32 NaN") << QByteArray("float32") << QByteArray("\"NaN\"") << QByteArray("0000c07f")
                                     << QByteArray("\"NaN\"");
        QTest::newRow("float64 NaN") << QByteArray("float64") << QByteArray("\"NaN\"") << QByteArray("000000000000f87f")
                                     << QByteArray("\"NaN\"");
        QTest::newRow("float32 Infinity") << QByteArray("float32") << QByteArray("\"Infinity\"")
                                          << QByteArray("0000807f") << QByteArray("\"Infinity\"");
        QTest::newRow("float64 -Infinity") << QByteArray("float64") << QByteArray("\"-Infinity\"")
                                           << QByteArray("000000000000f0ff") << QByteArray("\"-Infinity\"");
        QTest::newRow("float16 -Infinity") << QByteArray("float16") << QByteArray("\"-Infinity\"") << QByteArray("00fc")
                                           << QByteArray("\"-Infinity\"");
        // A NaN with a payload: the hex form is the only way to write one.
        QTest::newRow("float32 hex NaN") << QByteArray("float32") << QByteArray("\"0x7fc00001\"")
                                         << QByteArray("0100c07f") << QByteArray("\"0x7fc00001\"");
        QTest::newRow("float64 hex") << QByteArray("float64") << QByteArray("\"0x3ff0000000000000\"")
                                     << QByteArray("000000000000f03f") << QByteArray("\"0x3ff0000000000000\"");
        QTest::newRow("float16 hex") << QByteArray("float16") << QByteArray("\"0x3c00\"") << QByteArray("003c")
                                     << QByteArray("\"0x3c00\"");
        QTest::newRow("float32 0.1") << QByteArray("float32") << QByteArray("0.1") << QByteArray("cdcccc3d")
                                     << QByteArray("0.1");
        QTest::newRow("float64 -1.5") << QByteArray("float64") << QByteArray("-1.5") << QByteArray("000000000000f8bf")
                                      << QByteArray("-1.5");
        QTest::newRow("float64 integer") << QByteArray("float64") << QByteArray("3") << QByteArray("0000000000000840")
                                         << QByteArray("3.0");
        QTest::newRow("float16 1") << QByteArray("float16") << QByteArray("1") << QByteArray("003c")
                                   << QByteArray("1.0");
        QTest::newRow("float16 0.1") << QByteArray("float16") << QByteArray("0.1") << QByteArray("662e")
                                     << QByteArray("0.1");
        QTest::newRow("float16 max") << QByteArray("float16") << QByteArray("65504") << QByteArray("ff7b")
                                     << QByteArray("65504.0");
        QTest::newRow("float16 to inf") << QByteArray("float16") << QByteArray("65520") << QByteArray("007c")
                                        << QByteArray("65520.0");
        QTest::newRow("float16 smallest") << QByteArray("float16") << QByteArray("5.960464477539063e-08")
                                          << QByteArray("0100") << QByteArray("5.960464477539063e-08");
        // 2^-25 lies halfway between 0 and the smallest subnormal: ties go to the even one, 0.
        QTest::newRow("float16 tie to zero") << QByteArray("float16") << QByteArray("2.9802322387695312e-08")
                                             << QByteArray("0000") << QByteArray("2.9802322387695312e-08");
        // 1 + 2^-11 lies halfway between 1 and 1 + 2^-10: ties go to 1 (even mantissa).
        QTest::newRow("float16 tie to even") << QByteArray("float16") << QByteArray("1.00048828125")
                                             << QByteArray("003c") << QByteArray("1.00048828125");
        // Rounding up: 0.3 lies 0.8 of a step above mantissa 204; 1 + 1.5 * 2^-10 ties between mantissas 1 and 2.
        QTest::newRow("float16 0.3") << QByteArray("float16") << QByteArray("0.3") << QByteArray("cd34")
                                     << QByteArray("0.3");
        QTest::newRow("float16 tie up to even") << QByteArray("float16") << QByteArray("1.00146484375")
                                                << QByteArray("023c") << QByteArray("1.00146484375");
        QTest::newRow("complex64") << QByteArray("complex64") << QByteArray("[1, \"NaN\"]")
                                   << QByteArray("0000803f0000c07f") << QByteArray("[1.0, \"NaN\"]");
        QTest::newRow("complex128") << QByteArray("complex128") << QByteArray("[\"-Infinity\", 2.5]")
                                    << QByteArray("000000000000f0ff0000000000000440")
                                    << QByteArray("[\"-Infinity\", 2.5]");
        // zarrita writes null when no fill value is given; it reads as zeros.
        QTest::newRow("null") << QByteArray("int32") << QByteArray("null") << QByteArray("00000000")
                              << QByteArray("null");
    }
    void fillValues()
    {
        QFETCH(QByteArray, dataType);
        QFETCH(QByteArray, fill);
        QFETCH(QByteArray, item);
        QFETCH(QByteArray, written);
        const ZarrV3Metadata m = ZarrV3Metadata::parse(withFill(dataType, fill), QStringLiteral("a"));
        QCOMPARE(m.fill.item.toHex(), item);
        QCOMPARE(m.fill.json, written);
        // Written and read again, the same bytes.
        QCOMPARE(ZarrV3Metadata::parse(m.toJson(), QStringLiteral("a")).fill.item.toHex(), item);
    }

    void refusedFillValues_data()
    {
        QTest::addColumn<QByteArray>("dataType");
        QTest::addColumn<QByteArray>("fill");
        QTest::addColumn<QByteArray>("error");
        const QByteArray integer = "(expected an integer in its range)";
        const QByteArray floating
            = "(expected a number, \"NaN\", \"Infinity\", \"-Infinity\" or \"0x\" and the value's bits in hex)";
        QTest::newRow("int32 fraction") << QByteArray("int32") << QByteArray("1.5")
                                        << QByteArray("fill_value 1.5 is not valid for data_type int32 " + integer);
        QTest::newRow("int32 1.0") << QByteArray("int32") << QByteArray("1.0")
                                   << QByteArray("fill_value 1.0 is not valid for data_type int32 " + integer);
        QTest::newRow("int32 exponent") << QByteArray("int32") << QByteArray("1e3")
                                        << QByteArray("fill_value 1e3 is not valid for data_type int32 " + integer);
        QTest::newRow("int8 128") << QByteArray("int8") << QByteArray("128")
                                  << QByteArray("fill_value 128 is not valid for data_type int8 " + integer);
        QTest::newRow("int8 -129") << QByteArray("int8") << QByteArray("-129")
                                   << QByteArray("fill_value -129 is not valid for data_type int8 " + integer);
        QTest::newRow("uint8 -1") << QByteArray("uint8") << QByteArray("-1")
                                  << QByteArray("fill_value -1 is not valid for data_type uint8 " + integer);
        QTest::newRow("uint64 2^64") << QByteArray("uint64") << QByteArray("18446744073709551616")
                                     << QByteArray("fill_value 18446744073709551616 is not valid for data_type uint64 "
                                                   + integer);
        QTest::newRow("int16 string") << QByteArray("int16") << QByteArray("\"7\"")
                                      << QByteArray("fill_value \"7\" is not valid for data_type int16 " + integer);
        QTest::newRow("bool 1") << QByteArray("bool") << QByteArray("1")
                                << QByteArray("fill_value 1 is not valid for data_type bool (expected true or false)");
        QTest::newRow("float32 nan") << QByteArray("float32") << QByteArray("\"nan\"")
                                     << QByteArray("fill_value \"nan\" is not valid for data_type float32 " + floating);
        QTest::newRow("float32 hex too long")
            << QByteArray("float32") << QByteArray("\"0x7fc000000\"")
            << QByteArray("fill_value \"0x7fc000000\" is not valid for data_type float32 " + floating);
        QTest::newRow("float16 hex not hex")
            << QByteArray("float16") << QByteArray("\"0x7g00\"")
            << QByteArray("fill_value \"0x7g00\" is not valid for data_type float16 " + floating);
        QTest::newRow("float64 bool") << QByteArray("float64") << QByteArray("true")
                                      << QByteArray("fill_value true is not valid for data_type float64 " + floating);
        QTest::newRow("complex64 one part")
            << QByteArray("complex64") << QByteArray("[1]")
            << QByteArray("fill_value a JSON list is not valid for data_type complex64 (expected a list of two "
                          "floats, each a number, \"NaN\", \"Infinity\", \"-Infinity\" or \"0x\" and its bits "
                          "in hex)");
    }
    void refusedFillValues()
    {
        QFETCH(QByteArray, dataType);
        QFETCH(QByteArray, fill);
        QFETCH(QByteArray, error);
        QCOMPARE(parseError(withFill(dataType, fill)),
                 QStringLiteral("array a, zarr.json: ") + QString::fromUtf8(error));
    }

    void integerFillIsReadFromTheTopLevelOnly()
    {
        // An attribute of the same name comes first in the text; the fill value is the array's own, and of
        // two, the last, as QJsonDocument keeps it.
        const QByteArray json
            = "{\"fill_value\": 5, \"attributes\": {\"fill_value\": 1.5, \"x\": [\"fill_value\", 2]},"
              " \"zarr_format\": 3, \"node_type\": \"array\", \"shape\": [4], \"data_type\": \"uint64\","
              " \"chunk_grid\": {\"name\": \"regular\", \"configuration\": {\"chunk_shape\": [2]}},"
              " \"chunk_key_encoding\": {\"name\": \"default\"}, \"codecs\": [{\"name\": \"bytes\"}],"
              " \"fill_value\" :\n 18446744073709551613 }";
        const ZarrV3Metadata m = ZarrV3Metadata::parse(json, QStringLiteral("a"));
        QCOMPARE(m.fill.item.toHex(), QByteArray("fdffffffffffffff"));
        QCOMPARE(m.attributes.value(QLatin1String("fill_value")).toDouble(), 1.5);
    }

    void refusedDocuments_data()
    {
        QTest::addColumn<QByteArray>("json");
        QTest::addColumn<QByteArray>("error");
        auto with = [](const char *key, const QJsonValue &value) {
            QJsonObject o = baseDocument();
            if (value.isUndefined())
                o.remove(QLatin1String(key));
            else
                o.insert(QLatin1String(key), value);
            return text(o);
        };
        auto grid = [](const QString &name, const QJsonValue &shape) {
            return QJsonObject{{QStringLiteral("name"), name},
                               {QStringLiteral("configuration"), QJsonObject{{QStringLiteral("chunk_shape"), shape}}}};
        };
        QTest::newRow("group") << QByteArray("{\"zarr_format\": 3, \"node_type\": \"group\", \"attributes\": {}}")
                               << QByteArray("node_type \"group\" is not an array");
        QTest::newRow("no node type") << with("node_type", QJsonValue::Undefined) << QByteArray("node_type is missing");
        QTest::newRow("v2") << with("zarr_format", 2) << QByteArray("zarr_format 2 is not 3");
        QTest::newRow("no format") << with("zarr_format", QJsonValue::Undefined)
                                   << QByteArray("zarr_format is missing");
        QTest::newRow("not json") << QByteArray("{\"zarr_format\": 3,")
                                  << QByteArray("not valid JSON (unterminated object at offset 18)");
        QTest::newRow("a list") << QByteArray("[3]") << QByteArray("not a JSON object");
        QTest::newRow("unknown field") << with("consolidated", QJsonObject{{QStringLiteral("name"), 1}})
                                       << QByteArray(
                                              "field \"consolidated\" is not understood (an extension that may be "
                                              "ignored says \"must_understand\": false)");
        QTest::newRow("unknown must understand")
            << with("future", QJsonObject{{QStringLiteral("must_understand"), true}})
            << QByteArray("field \"future\" is not understood (an extension that may be ignored says "
                          "\"must_understand\": false)");
        QTest::newRow("unknown plain value")
            << with("future", 1)
            << QByteArray("field \"future\" is not understood (an extension that may be ignored "
                          "says \"must_understand\": false)");
        QTest::newRow("storage transformer")
            << with("storage_transformers", QJsonArray{QJsonObject{{QStringLiteral("name"), QStringLiteral("t")}}})
            << QByteArray("storage_transformers [{\"name\":\"t\"}] are not supported");
        QTest::newRow("raw type") << with("data_type", QStringLiteral("r16"))
                                  << QByteArray(
                                         "data_type \"r16\" is not supported (bool, int8 to int64, uint8 to uint64, "
                                         "float16, float32, float64, complex64 and complex128 are)");
        QTest::newRow("extension type")
            << with("data_type",
                    QJsonObject{{QStringLiteral("name"), QStringLiteral("datetime")},
                                {QStringLiteral("configuration"), QJsonObject{{QStringLiteral("unit"), 1}}}})
            << QByteArray(
                   "data_type \"datetime\" is not supported (bool, int8 to int64, uint8 to uint64, float16, float32, "
                   "float64, complex64 and complex128 are)");
        QTest::newRow("type number") << with("data_type", 3)
                                     << QByteArray("data_type 3 is not a name or an object with a name");
        QTest::newRow("no shape") << with("shape", QJsonValue::Undefined)
                                  << QByteArray("shape must be a list of at most 32 integers");
        QTest::newRow("other grid") << with("chunk_grid", grid(QStringLiteral("rectilinear"), QJsonArray{1, 1}))
                                    << QByteArray("chunk_grid \"rectilinear\" is not supported (\"regular\" is)");
        QTest::newRow("grid rank") << with("chunk_grid", grid(QStringLiteral("regular"), QJsonArray{10}))
                                   << QByteArray(
                                          "chunk_grid chunk_shape [10] does not have the rank of shape [10000, 1000]");
        QTest::newRow("grid zero") << with("chunk_grid", grid(QStringLiteral("regular"), QJsonArray{10, 0}))
                                   << QByteArray("chunk_grid chunk_shape [10, 0] must all be at least 1");
        QTest::newRow("grid no shape") << with("chunk_grid", QStringLiteral("regular"))
                                       << QByteArray("chunk_grid chunk_shape must be a list of at most 32 integers");
        QTest::newRow("grid config not object")
            << with("chunk_grid",
                    QJsonObject{{QStringLiteral("name"), QStringLiteral("regular")},
                                {QStringLiteral("configuration"), 5}})
            << QByteArray("chunk_grid configuration of \"regular\" is not an object");
        QTest::newRow("key encoding")
            << with("chunk_key_encoding", QStringLiteral("morton"))
            << QByteArray("chunk_key_encoding \"morton\" is not supported (\"default\" and \"v2\" are)");
        QTest::newRow("separator") << with(
            "chunk_key_encoding",
            QJsonObject{
                {QStringLiteral("name"), QStringLiteral("default")},
                {QStringLiteral("configuration"), QJsonObject{{QStringLiteral("separator"), QStringLiteral("-")}}}})
                                   << QByteArray("chunk_key_encoding separator \"-\" is not \"/\" or \".\"");
        QTest::newRow("no fill") << with("fill_value", QJsonValue::Undefined) << QByteArray("fill_value is missing");
        QTest::newRow("no codecs") << with("codecs", QJsonValue::Undefined)
                                   << QByteArray("codecs must be a non-empty list");
        QTest::newRow("empty codecs") << with("codecs", QJsonArray{}) << QByteArray("codecs must be a non-empty list");
        QTest::newRow("codec without name")
            << with("codecs", QJsonArray{QStringLiteral("bytes"), QJsonObject{{QStringLiteral("level"), 1}}})
            << QByteArray("codecs[1] name a JSON object is not a string");
        QTest::newRow("codec must_understand")
            << with("codecs",
                    QJsonArray{QJsonObject{{QStringLiteral("name"), QStringLiteral("bytes")},
                                           {QStringLiteral("must_understand"), QStringLiteral("no")}}})
            << QByteArray("codecs[0] must_understand of \"bytes\" is not true or false");
        QTest::newRow("attributes") << with("attributes", QJsonArray{1}) << QByteArray("attributes must be an object");
        QTest::newRow("dimension names length") << with("dimension_names", QJsonArray{QStringLiteral("x")})
                                                << QByteArray("dimension_names must be a list of 2 strings or nulls");
        QTest::newRow("dimension names type") << with("dimension_names", QJsonArray{QStringLiteral("x"), 3})
                                              << QByteArray("dimension_names must be a list of 2 strings or nulls");
        QTest::newRow("negative shape") << with("shape", QJsonArray{-1, 10})
                                        << QByteArray("shape [-1, 10] has a negative extent");
        QTest::newRow("huge chunk") << with("chunk_grid", grid(QStringLiteral("regular"), QJsonArray{100000, 100000}))
                                    << QByteArray(
                                           "chunks [100000, 100000] exceed the limit of 2147483584 bytes per chunk");
    }
    void refusedDocuments()
    {
        QFETCH(QByteArray, json);
        QFETCH(QByteArray, error);
        QCOMPARE(parseError(json), QStringLiteral("array a, zarr.json: ") + QString::fromUtf8(error));
    }

    void ignoresWhatMayBeIgnoredAndKeepsCodecsAsWritten()
    {
        QJsonObject o = baseDocument();
        o.insert(QStringLiteral("future"), QJsonObject{{QStringLiteral("must_understand"), false}});
        o.insert(QStringLiteral("storage_transformers"), QJsonArray{});
        const QJsonObject sharding{
            {QStringLiteral("chunk_shape"), QJsonArray{100, 10}},
            {QStringLiteral("codecs"), QJsonArray{QJsonObject{{QStringLiteral("name"), QStringLiteral("bytes")}}}},
            {QStringLiteral("index_location"), QStringLiteral("start")}};
        o.insert(QStringLiteral("codecs"),
                 QJsonArray{QJsonObject{{QStringLiteral("name"), QStringLiteral("sharding_indexed")},
                                        {QStringLiteral("configuration"), sharding}},
                            QStringLiteral("crc32c"),
                            QJsonObject{{QStringLiteral("name"), QStringLiteral("x.checksum")},
                                        {QStringLiteral("must_understand"), false}}});
        const ZarrV3Metadata m = ZarrV3Metadata::parse(text(o), QStringLiteral("a"));
        QCOMPARE(m.codecs.size(), 3);
        QCOMPARE(m.codecs[0], (ZarrV3Codec{QStringLiteral("sharding_indexed"), sharding, true}));
        QCOMPARE(m.codecs[1], (ZarrV3Codec{QStringLiteral("crc32c"), {}, true}));
        QCOMPARE(m.codecs[2], (ZarrV3Codec{QStringLiteral("x.checksum"), {}, false}));
        const ZarrV3Metadata again = ZarrV3Metadata::parse(m.toJson(), QStringLiteral("a"));
        QCOMPARE(again.codecs, m.codecs);
    }

    void chunkKeys_data()
    {
        QTest::addColumn<QJsonValue>("encoding");
        QTest::addColumn<QByteArray>("key");
        auto named = [](const char *name, const char *separator) {
            return QJsonValue(QJsonObject{{QStringLiteral("name"), QLatin1String(name)},
                                          {QStringLiteral("configuration"),
                                           QJsonObject{{QStringLiteral("separator"), QLatin1String(separator)}}}});
        };
        QTest::newRow("default /") << named("default", "/") << QByteArray("c/1/23/45");
        QTest::newRow("default .") << named("default", ".") << QByteArray("c.1.23.45");
        QTest::newRow("default short-hand") << QJsonValue(QStringLiteral("default")) << QByteArray("c/1/23/45");
        QTest::newRow("v2 short-hand") << QJsonValue(QStringLiteral("v2")) << QByteArray("1.23.45");
        QTest::newRow("v2 /") << named("v2", "/") << QByteArray("1/23/45");
    }
    void chunkKeys()
    {
        QFETCH(QJsonValue, encoding);
        QFETCH(QByteArray, key);
        QJsonObject o = baseDocument();
        o.insert(QStringLiteral("shape"), QJsonArray{10, 200, 3000});
        o.insert(QStringLiteral("chunk_grid"),
                 QJsonObject{{QStringLiteral("name"), QStringLiteral("regular")},
                             {QStringLiteral("configuration"),
                              QJsonObject{{QStringLiteral("chunk_shape"), QJsonArray{5, 20, 400}}}}});
        o.insert(QStringLiteral("chunk_key_encoding"), encoding);
        const ZarrV3Metadata m = ZarrV3Metadata::parse(text(o), QStringLiteral("a"));
        QCOMPARE(m.chunkKey(coords({1, 23, 45})), key);
        // Written out and read back, the same keys.
        QCOMPARE(ZarrV3Metadata::parse(m.toJson(), QStringLiteral("a")).chunkKey(coords({1, 23, 45})), key);
    }

    void writesEveryRequiredField()
    {
        QJsonObject o = baseDocument();
        o.insert(QStringLiteral("dimension_names"), QJsonArray{QStringLiteral("rows"), QJsonValue::Null});
        o.insert(QStringLiteral("attributes"), QJsonObject{{QStringLiteral("foo"), 42}});
        const ZarrV3Metadata m = ZarrV3Metadata::parse(text(o), QStringLiteral("a"));
        QCOMPARE(m.toJson(),
                 QByteArray(
                     "{\n"
                     "    \"zarr_format\": 3,\n"
                     "    \"node_type\": \"array\",\n"
                     "    \"shape\": [10000, 1000],\n"
                     "    \"data_type\": \"float64\",\n"
                     "    \"chunk_grid\": {\"name\": \"regular\", \"configuration\": {\"chunk_shape\": [1000, 100]}},\n"
                     "    \"chunk_key_encoding\": {\"name\": \"default\", \"configuration\": {\"separator\": \"/\"}},\n"
                     "    \"fill_value\": \"NaN\",\n"
                     "    \"codecs\": [{\"configuration\":{\"endian\":\"little\"},\"name\":\"bytes\"}],\n"
                     "    \"attributes\": {\"foo\":42},\n"
                     "    \"dimension_names\": [\"rows\",null]\n"
                     "}\n"));
        const ZarrV3Metadata again = ZarrV3Metadata::parse(m.toJson(), QStringLiteral("a"));
        QCOMPARE(again.toJson(), m.toJson());
        QCOMPARE(again.shape, m.shape);
        QCOMPARE(again.chunks, m.chunks);
        QCOMPARE(again.dimensionNames, m.dimensionNames);
        QCOMPARE(again.attributes, m.attributes);
    }
};

QTEST_GUILESS_MAIN(TestZarrV3Metadata)
#include "tst_zarrv3metadata.moc"
