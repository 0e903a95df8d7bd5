// numcodecs' compressors (bz2, lzma, lz4) and filters (delta, fixedscaleoffset, quantize, packbits,
// astype, shuffle), built from their Zarr v2 config objects: the bytes numcodecs writes and reads
// (tests/data/numcodecs-vectors.json), round trips through a codec chain whose steps change the chunk's size,
// corrupt input and bad configs.
#include "codecs/bytefilters.h"
#include "codecs/bz2codec.h"
#include "codecs/codecchain.h"
#include "codecs/lz4codec.h"
#include "codecs/lzmacodec.h"
#include "codecs/numcodecsfactory.h"
#include "codecs/numericfilters.h"
#include "task/taskcontext.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>

#include "codecchecks.h"

#include <cstring>

using namespace cs;
using cs::testing::decodeError;
using cs::testing::decodeWith;
using cs::testing::encodeWith;
using cs::testing::randomBytes;

namespace {

QJsonObject json(const char *text)
{
    return QJsonDocument::fromJson(QByteArray(text)).object();
}

std::unique_ptr<ChunkCodec> make(const char *config)
{
    return makeNumcodecsCodec(json(config));
}

// What make_numcodecs_fixtures.py recorded from numcodecs; an empty object when the file is missing,
// which the tests that use it then report.
QJsonObject vectorsFile()
{
    QFile f(qEnvironmentVariable("CHUNKSCOPE_TEST_DATA") + QStringLiteral("/data/numcodecs-vectors.json"));
    if (!f.open(QIODevice::ReadOnly))
        return {};
    return QJsonDocument::fromJson(f.readAll()).object();
}

QString configError(const char *config)
{
    try {
        make(config);
    } catch (const CodecError &e) {
        return e.message();
    }
    return QStringLiteral("no error");
}

QString encodeError(const ChunkCodec &codec, const QByteArray &in)
{
    try {
        encodeWith(codec, in);
    } catch (const CodecError &e) {
        return e.message();
    }
    return QStringLiteral("no error");
}

// Compressible and not: a ramp of int32 followed by random bytes.
QByteArray mixedData(int bytes)
{
    QByteArray data = randomBytes(bytes, 11);
    for (int i = 0; i < bytes / 2; ++i)
        data[i] = char(i / 97);
    return data;
}

QByteArray le32(quint32 v)
{
    QByteArray bytes(4, Qt::Uninitialized);
    for (int i = 0; i < 4; ++i)
        bytes[i] = char(v >> (8 * i));
    return bytes;
}

} // namespace

class TestNumcodecs : public QObject {
    Q_OBJECT

private slots:
    void matchesNumcodecs_data()
    {
        QTest::addColumn<QByteArray>("config");
        QTest::addColumn<QByteArray>("input");
        QTest::addColumn<QByteArray>("encoded");
        QTest::addColumn<QByteArray>("decoded");
        const QJsonArray vectors = vectorsFile().value(QStringLiteral("vectors")).toArray();
        QVERIFY2(vectors.size() >= 40, "tests/data/numcodecs-vectors.json is missing or short");
        for (const QJsonValue &value : vectors) {
            const QJsonObject v = value.toObject();
            auto hex = [&](const char *key) {
                return QByteArray::fromHex(v.value(QLatin1String(key)).toString().toLatin1());
            };
            QTest::newRow(v.value(QStringLiteral("name")).toString().toUtf8().constData())
                << QJsonDocument(v.value(QStringLiteral("config")).toObject()).toJson(QJsonDocument::Compact)
                << hex("input") << hex("encoded") << hex("decoded");
        }
    }

    // The same bytes as numcodecs for the same chunk and config, and numcodecs' chunks decode to what
    // numcodecs decodes them to.
    void matchesNumcodecs()
    {
        QFETCH(QByteArray, config);
        QFETCH(QByteArray, input);
        QFETCH(QByteArray, encoded);
        QFETCH(QByteArray, decoded);
        const auto codec = makeNumcodecsCodec(QJsonDocument::fromJson(config).object());
        const QByteArray ours = encodeWith(*codec, input);
        QCOMPARE(ours.toHex(), encoded.toHex());
        QCOMPARE(decodeWith(*codec, encoded, decoded.size()).toHex(), decoded.toHex());
    }

    void compressorsRoundTrip_data()
    {
        QTest::addColumn<QByteArray>("config");
        QTest::addColumn<int>("bytes");
        for (const char *config : {"{\"id\": \"bz2\", \"level\": 5}", "{\"id\": \"lzma\", \"preset\": 0}",
                                   "{\"id\": \"lz4\", \"acceleration\": 3}"})
            for (int bytes : {0, 1, 1000, 300000})
                QTest::addRow("%s %d bytes", config, bytes) << QByteArray(config) << bytes;
    }

    void compressorsRoundTrip()
    {
        QFETCH(QByteArray, config);
        QFETCH(int, bytes);
        const auto codec = make(config.constData());
        const QByteArray data = mixedData(bytes);
        const QByteArray encoded = encodeWith(*codec, data);
        QVERIFY(size_t(encoded.size()) <= codec->maxEncodedSize(size_t(bytes)));
        QCOMPARE(decodeWith(*codec, encoded, bytes), data);
    }

    // Python's bz2.decompress and lzma.decompress read concatenated streams as one, and so do we.
    void concatenatedStreams()
    {
        const QByteArray a = mixedData(3000), b = randomBytes(500, 3);
        for (const char *config : {"{\"id\": \"bz2\"}", "{\"id\": \"lzma\"}"}) {
            const auto codec = make(config);
            QCOMPARE(decodeWith(*codec, encodeWith(*codec, a) + encodeWith(*codec, b), 3500), a + b);
        }
    }

    void corruptCompressedChunks_data()
    {
        QTest::addColumn<QByteArray>("config");
        QTest::addColumn<QByteArray>("stored");
        QTest::addColumn<int>("cap");
        QTest::addColumn<QString>("error");
        const QByteArray data = mixedData(4000);
        const QByteArray bz2 = encodeWith(Bz2Codec(1), data);
        const QByteArray xz = encodeWith(LzmaCodec(), data);
        const QByteArray lz4 = encodeWith(Lz4Codec(), data);
        QTest::newRow("bz2 truncated") << QByteArray("{\"id\": \"bz2\"}") << bz2.left(bz2.size() - 10) << 4000
                                       << QStringLiteral("corrupt bz2 stream (truncated)");
        QTest::newRow("bz2 not bzip2") << QByteArray("{\"id\": \"bz2\"}") << QByteArray("XYZ9 not bzip2") << 4000
                                       << QStringLiteral("corrupt bz2 stream (not a bzip2 stream)");
        QByteArray flipped = bz2;
        flipped[40] = char(flipped[40] ^ 0x10);
        QTest::newRow("bz2 flipped bit") << QByteArray("{\"id\": \"bz2\"}") << flipped << 4000
                                         << QStringLiteral("corrupt bz2 stream (data error)");
        QTest::newRow("bz2 larger than the chunk")
            << QByteArray("{\"id\": \"bz2\"}") << bz2 << 3999
            << QStringLiteral("corrupt bz2 stream (decodes to more than 3999 bytes)");
        QTest::newRow("bz2 empty") << QByteArray("{\"id\": \"bz2\"}") << QByteArray() << 4000
                                   << QStringLiteral("corrupt bz2 stream (no data)");
        QTest::newRow("lzma truncated") << QByteArray("{\"id\": \"lzma\"}") << xz.left(xz.size() - 30) << 4000
                                        << QStringLiteral("corrupt lzma stream (truncated)");
        QTest::newRow("lzma not xz") << QByteArray("{\"id\": \"lzma\"}")
                                     << QByteArray("\xfd"
                                                   "7zXY garbage garbage")
                                     << 4000 << QStringLiteral("corrupt lzma stream (not an xz stream)");
        QTest::newRow("lzma larger than the chunk")
            << QByteArray("{\"id\": \"lzma\"}") << xz << 3999
            << QStringLiteral("corrupt lzma stream (decodes to more than 3999 bytes)");
        QTest::newRow("lz4 without header")
            << QByteArray("{\"id\": \"lz4\"}") << QByteArray("\x10\x00", 2) << 4000
            << QStringLiteral("corrupt lz4 chunk (2 bytes, shorter than its size header)");
        // The largest size the 4-byte header can announce: refused before anything is allocated or written.
        QTest::newRow("lz4 header announces 4 GiB")
            << QByteArray("{\"id\": \"lz4\"}") << le32(0xFFFFFFFFu) + lz4.mid(4) << 4000
            << QStringLiteral("corrupt lz4 chunk (its header announces 4294967295 bytes, more than 4000)");
        QTest::newRow("lz4 header says more than the block has")
            << QByteArray("{\"id\": \"lz4\"}") << le32(4100) + lz4.mid(4) << 8000
            << QStringLiteral("corrupt lz4 chunk (decodes to 4000 bytes, its header says 4100)");
        QTest::newRow("lz4 header says less than the block has")
            << QByteArray("{\"id\": \"lz4\"}") << le32(3000) + lz4.mid(4) << 4000
            << QStringLiteral("corrupt lz4 chunk (invalid block)");
        QTest::newRow("lz4 truncated") << QByteArray("{\"id\": \"lz4\"}") << lz4.left(lz4.size() - 5) << 4000
                                       << QStringLiteral("corrupt lz4 chunk (invalid block)");
    }

    void corruptCompressedChunks()
    {
        QFETCH(QByteArray, config);
        QFETCH(QByteArray, stored);
        QFETCH(int, cap);
        QFETCH(QString, error);
        QCOMPARE(decodeError(*make(config.constData()), stored, cap), error);
    }

    // A dictionary larger than any preset uses, as a corrupt or hostile header could announce, is refused
    // instead of allocated. The block header below asks for a 1.5 GiB LZMA2 dictionary (property 40).
    void lzmaRefusesHugeDictionary()
    {
        const QByteArray stream
            = QByteArray::fromHex(vectorsFile().value(QStringLiteral("huge_dictionary_xz")).toString().toLatin1());
        QVERIFY(!stream.isEmpty());
        QCOMPARE(decodeError(LzmaCodec(), stream, 100),
                 QStringLiteral("corrupt lzma stream (needs more than 256 MiB to decode)"));
    }

    void corruptFilterChunks_data()
    {
        QTest::addColumn<QByteArray>("config");
        QTest::addColumn<QByteArray>("stored");
        QTest::addColumn<int>("cap");
        QTest::addColumn<QString>("error");
        QTest::newRow("packbits 9 padding bits") << QByteArray("{\"id\": \"packbits\"}") << QByteArray("\x09\xff", 2)
                                                 << 100 << QStringLiteral("corrupt packbits chunk (9 padding bits)");
        QTest::newRow("packbits padding without bits")
            << QByteArray("{\"id\": \"packbits\"}") << QByteArray("\x03", 1) << 100
            << QStringLiteral("corrupt packbits chunk (3 padding bits)");
        QTest::newRow("packbits empty") << QByteArray("{\"id\": \"packbits\"}") << QByteArray() << 100
                                        << QStringLiteral("corrupt packbits chunk (no padding byte)");
        QTest::newRow("packbits larger than the chunk")
            << QByteArray("{\"id\": \"packbits\"}") << QByteArray("\x00\xff\xff", 3) << 15
            << QStringLiteral("packbits: the chunk decodes to 16 bytes, more than 15");
        QTest::newRow("delta partial item")
            << QByteArray("{\"id\": \"delta\", \"dtype\": \"<i4\"}") << QByteArray(7, '\1') << 100
            << QStringLiteral("delta: a chunk of 7 bytes is not a whole number of '<i4' items");
        QTest::newRow("astype larger than the chunk")
            << QByteArray("{\"id\": \"astype\", \"encode_dtype\": \"<f4\", \"decode_dtype\": \"<f8\"}")
            << QByteArray(16, '\0') << 24 << QStringLiteral("astype: the chunk decodes to 32 bytes, more than 24");
        QTest::newRow("shuffle partial element")
            << QByteArray("{\"id\": \"shuffle\", \"elementsize\": 4}") << QByteArray(6, '\0') << 100
            << QStringLiteral("shuffle: a chunk of 6 bytes is not a whole number of 4-byte elements");
    }

    void corruptFilterChunks()
    {
        QFETCH(QByteArray, config);
        QFETCH(QByteArray, stored);
        QFETCH(int, cap);
        QFETCH(QString, error);
        QCOMPARE(decodeError(*make(config.constData()), stored, cap), error);
    }

    // numcodecs refuses to encode a chunk that is not whole items; so do we.
    void encodeRefusesPartialItems()
    {
        QCOMPARE(encodeError(*make("{\"id\": \"fixedscaleoffset\", \"offset\": 0, \"scale\": 1, \"dtype\": \"<f8\"}"),
                             QByteArray(12, '\0')),
                 QStringLiteral("fixedscaleoffset: a chunk of 12 bytes is not a whole number of '<f8' items"));
        QCOMPARE(encodeError(*make("{\"id\": \"shuffle\", \"elementsize\": 8}"), QByteArray(12, '\0')),
                 QStringLiteral("shuffle: a chunk of 12 bytes is not a whole number of 8-byte elements"));
    }

    void badConfigs_data()
    {
        QTest::addColumn<QByteArray>("config");
        QTest::addColumn<QString>("error");
        QTest::newRow("no id") << QByteArray("{\"level\": 1}")
                               << QStringLiteral("a numcodecs codec config needs a string \"id\"");
        QTest::newRow("unknown id")
            << QByteArray("{\"id\": \"snappy\"}")
            << QStringLiteral("numcodecs codec \"snappy\" is not supported (supported: astype, bz2, categorize, delta, "
                              "fixedscaleoffset, gzip, lz4, lzma, packbits, quantize, shuffle, zlib, zstd)");
        QTest::newRow("categorize without labels")
            << QByteArray("{\"id\": \"categorize\", \"dtype\": \"<U1\"}")
            << QStringLiteral("numcodecs codec \"categorize\": key \"labels\" is missing");
        QTest::newRow("categorize label not text")
            << QByteArray("{\"id\": \"categorize\", \"labels\": [\"a\", 2], \"dtype\": \"<U1\"}")
            << QStringLiteral("numcodecs codec \"categorize\": key \"labels\" must be a list of strings");
        QTest::newRow("categorize object dtype")
            << QByteArray("{\"id\": \"categorize\", \"labels\": [\"a\"], \"dtype\": \"|O\"}")
            << QStringLiteral("numcodecs codec \"categorize\": key \"dtype\" is not usable: unsupported dtype \"|O\": "
                              "object arrays hold Python objects (variable-length strings, lists), which have no fixed "
                              "size to copy as bytes");
        QTest::newRow("categorize of numbers")
            << QByteArray("{\"id\": \"categorize\", \"labels\": [\"a\"], \"dtype\": \"<i4\"}")
            << QStringLiteral("categorize supports only unicode ('U') dtypes, not '<i4'");
        QTest::newRow("categorize as float")
            << QByteArray("{\"id\": \"categorize\", \"labels\": [\"a\"], \"dtype\": \"<U1\", \"astype\": \"<f4\"}")
            << QStringLiteral("categorize stores integers, not '<f4'");
        QTest::newRow("unknown key") << QByteArray("{\"id\": \"bz2\", \"levle\": 1}")
                                     << QStringLiteral(
                                            "numcodecs codec \"bz2\": key \"levle\" is not a key of this codec");
        QTest::newRow("bz2 level out of range")
            << QByteArray("{\"id\": \"bz2\", \"level\": 10}") << QStringLiteral("bz2 level 10 is out of range 1-9");
        QTest::newRow("level not an integer")
            << QByteArray("{\"id\": \"lz4\", \"acceleration\": 1.5}")
            << QStringLiteral("numcodecs codec \"lz4\": key \"acceleration\" must be an integer");
        QTest::newRow("lzma raw format")
            << QByteArray("{\"id\": \"lzma\", \"format\": 3}")
            << QStringLiteral(
                   "numcodecs codec \"lzma\": key \"format\" must be 1 (FORMAT_XZ), the only format supported");
        QTest::newRow("lzma filters") << QByteArray("{\"id\": \"lzma\", \"filters\": [{\"id\": 33}]}")
                                      << QStringLiteral("numcodecs codec \"lzma\": key \"filters\" must be null: "
                                                        "custom LZMA filter chains are not supported");
        QTest::newRow("lzma check") << QByteArray("{\"id\": \"lzma\", \"check\": 2}")
                                    << QStringLiteral("lzma check 2 is not one of -1, 0, 1, 4 and 10");
        QTest::newRow("lzma preset") << QByteArray("{\"id\": \"lzma\", \"preset\": 12}")
                                     << QStringLiteral("lzma preset 12 is out of range 0-9");
        QTest::newRow("delta without dtype") << QByteArray("{\"id\": \"delta\"}")
                                             << QStringLiteral("numcodecs codec \"delta\": key \"dtype\" is missing");
        QTest::newRow("delta dtype not a string")
            << QByteArray("{\"id\": \"delta\", \"dtype\": 4}")
            << QStringLiteral("numcodecs codec \"delta\": key \"dtype\" must be a dtype string");
        QTest::newRow("delta of bool") << QByteArray("{\"id\": \"delta\", \"dtype\": \"|b1\"}")
                                       << QStringLiteral("delta does not support dtype '|b1'");
        QTest::newRow("fixedscaleoffset without scale")
            << QByteArray("{\"id\": \"fixedscaleoffset\", \"offset\": 0, \"dtype\": \"<f8\"}")
            << QStringLiteral("numcodecs codec \"fixedscaleoffset\": key \"scale\" is missing");
        QTest::newRow("fixedscaleoffset offset text")
            << QByteArray("{\"id\": \"fixedscaleoffset\", \"offset\": \"1\", \"scale\": 1, \"dtype\": \"<f8\"}")
            << QStringLiteral("numcodecs codec \"fixedscaleoffset\": key \"offset\" must be a number");
        QTest::newRow("quantize of integers")
            << QByteArray("{\"id\": \"quantize\", \"digits\": 2, \"dtype\": \"<i4\"}")
            << QStringLiteral("quantize supports only floating point dtypes, not '<i4'");
        QTest::newRow("quantize without digits")
            << QByteArray("{\"id\": \"quantize\", \"dtype\": \"<f4\"}")
            << QStringLiteral("numcodecs codec \"quantize\": key \"digits\" is missing");
        QTest::newRow("astype without decode_dtype")
            << QByteArray("{\"id\": \"astype\", \"encode_dtype\": \"<f4\"}")
            << QStringLiteral("numcodecs codec \"astype\": key \"decode_dtype\" is missing");
        QTest::newRow("packbits with a key")
            << QByteArray("{\"id\": \"packbits\", \"dtype\": \"|b1\"}")
            << QStringLiteral("numcodecs codec \"packbits\": key \"dtype\" is not a key of this codec");
    }

    void badConfigs()
    {
        QFETCH(QByteArray, config);
        QFETCH(QString, error);
        QCOMPARE(configError(config.constData()), error);
    }

    // numcodecs' Shuffle and the existing blosc/HDF5 shuffle lay whole elements out the same way.
    void shuffleMatchesShuffleCodec()
    {
        const QByteArray data = randomBytes(4096, 5);
        QCOMPARE(encodeWith(ElementShuffleFilter(8), data),
                 encodeWith(*make("{\"id\": \"shuffle\", \"elementsize\": 8}"), data));
    }

    // Filters that change the chunk's size in a chain, as Zarr v2 stacks them before its compressor: the
    // chain sizes its buffers from each step's maxEncodedSize, both ways.
    void chainWithSizeChangingSteps_data()
    {
        QTest::addColumn<QByteArrayList>("configs");
        QTest::addColumn<QByteArray>("chunk");
        QTest::addColumn<QByteArray>("expected"); // what decoding gives back
        QByteArray doubles(8 * 1000, Qt::Uninitialized), floats(4 * 1000, Qt::Uninitialized);
        for (int i = 0; i < 1000; ++i) {
            const double d = i * 0.37 - 100.0;
            const float f = float(d);
            std::memcpy(doubles.data() + 8 * i, &d, 8);
            std::memcpy(floats.data() + 4 * i, &f, 4);
        }
        QByteArray backToDoubles(8 * 1000, Qt::Uninitialized);
        for (int i = 0; i < 1000; ++i) {
            double d;
            float f;
            std::memcpy(&f, floats.constData() + 4 * i, 4);
            d = double(f);
            std::memcpy(backToDoubles.data() + 8 * i, &d, 8);
        }
        QTest::newRow("astype f8 to f4, shuffle, lz4")
            << QByteArrayList{"{\"id\": \"astype\", \"encode_dtype\": \"<f4\", \"decode_dtype\": \"<f8\"}",
                              "{\"id\": \"shuffle\", \"elementsize\": 4}", "{\"id\": \"lz4\"}"}
            << doubles << backToDoubles;
        QByteArray bools(1003, '\0'), ones(1003, '\0');
        for (int i = 0; i < 1003; ++i) {
            bools[i] = char((i % 3) * 7);
            ones[i] = char(i % 3 != 0);
        }
        QTest::newRow("packbits, bz2") << QByteArrayList{"{\"id\": \"packbits\"}", "{\"id\": \"bz2\", \"level\": 9}"}
                                       << bools << ones;
        QTest::newRow("astype i2 to f8, shuffle, lzma")
            << QByteArrayList{"{\"id\": \"astype\", \"encode_dtype\": \"<f8\", \"decode_dtype\": \"<i2\"}",
                              "{\"id\": \"shuffle\", \"elementsize\": 8}", "{\"id\": \"lzma\", \"preset\": 1}"}
            << floats << floats;
    }

    void chainWithSizeChangingSteps()
    {
        QFETCH(QByteArrayList, configs);
        QFETCH(QByteArray, chunk);
        QFETCH(QByteArray, expected);
        CodecChain chain;
        for (const QByteArray &config : configs)
            chain.append(make(config.constData()));
        TaskContext ctx;
        const CodecChain::Encoded encoded = chain.encode(chunk.constData(), size_t(chunk.size()), ctx);
        QVERIFY(encoded.bytes <= chain.maxEncodedSize(size_t(chunk.size())));
        // Step by step with the codecs alone gives the same stored bytes.
        QByteArray manual = chunk;
        for (const QByteArray &config : configs)
            manual = encodeWith(*make(config.constData()), manual);
        const QByteArray stored(encoded.data, int(encoded.bytes));
        QCOMPARE(stored.toHex(), manual.toHex());
        QByteArray out(chunk.size(), '\x55');
        const size_t n
            = chain.decode(stored.constData(), size_t(stored.size()), 0, out.data(), size_t(out.size()), ctx);
        QCOMPARE(int(n), expected.size());
        QCOMPARE(out.toHex(), expected.toHex());
    }
};

QTEST_GUILESS_MAIN(TestNumcodecs)
#include "tst_numcodecs.moc"
