// Zarr v3's bytes-to-bytes codecs: zstd, gzip and crc32c, against bytes that numcodecs, Python's gzip
// and the zstd command line wrote, and against corrupt input.
#include "codecs/crc32c.h"
#include "codecs/crc32ccodec.h"
#include "codecs/zlibcodec.h"
#include "codecs/zstdcodec.h"

#include <QTest>

#include "codecchecks.h"

#include <cstring>

using namespace cs;
using cs::testing::decodeWith;
using cs::testing::encodeWith;

namespace {

// (np.arange(400, dtype='<i4') // 7).tobytes(): the input of every recorded vector below.
QByteArray rampData()
{
    QByteArray data(1600, Qt::Uninitialized);
    for (int i = 0; i < 400; ++i) {
        const qint32 v = i / 7;
        std::memcpy(data.data() + 4 * i, &v, 4);
    }
    return data;
}

// CRC-32C by its definition, one bit at a time, to check the table-driven one on any input.
uint32_t bitwiseCrc32c(const QByteArray &data)
{
    uint32_t crc = 0xFFFFFFFF;
    for (const char c : data) {
        crc ^= uint8_t(c);
        for (int k = 0; k < 8; ++k)
            crc = (crc & 1) ? (crc >> 1) ^ 0x82F63B78 : crc >> 1;
    }
    return ~crc;
}

// numcodecs.GZip(level).encode(rampData()) with numcodecs 0.11 (Python's gzip module).
const char kPythonGzip1[]
    = "1f8b08009fdd0d6b04ff75c9d311040100c0d03ddbb6b138bbffc62e0d2433f97a41e0a5203b8dd919ccce62760eb3f3985dc0ec2266"
      "9730bb8cd915ccae62760db3eb98ddc0ec2666b730bb8dd91dccee62760fb3fb983dc0ec21668f307b8cd913cc9e62f60cb3e798bdc0"
      "ec2566af307b8dd91bccde62f60eb3f7987dc0ec236687981d61768cd909669f30fb8cd917ccbe62f60db3ef98fdc0ec2766bf30fb8dd"
      "91fccfe62f60ffb032c11fd9b40060000";
const char kPythonGzip9[]
    = "1f8b08009fdd0d6b02ff7dc3850dc2000000b0e10ec3dd86bbdbff8fc103b44983e0bf18c63181494c611a3398c51ce6b180452c6119"
      "2b1862156b58c70636b1856dec60177bd8c7010e7184639ce014239ce11c17b8c415ae71835bdce11e0f78c4139ef18257bce11d1ff8"
      "c417bef1f3fb052c11fd9b40060000";
// numcodecs.Zstd(level).encode(rampData()) with numcodecs 0.11 and Debian's libzstd 1.5.4.
const char kNumcodecsZstd1[]
    = "28b52ffd604005850400e40300000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f202122232425262728"
      "292a2b2c2d2e2f303132333435363738390000003920e0c7a18417b250c20b5928e1852c94f042164a78210b25bc908522bc9085125e"
      "c842092f64a18417b250c20b5928e1852c94f0422694f042164a78210b25bc9085125ec842092f643494c36b2f2c";
const char kNumcodecsZstd5[]
    = "28b52ffd604005450200d403000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f202122232425262728"
      "292a2b2c2d2e2f30313233343536373839000000396401e0c718d01329";
// `zstd -3 --check` of rampData() as a file: content size and an XXH64 checksum in the frame.
const char kCliZstdChecked[]
    = "28b52ffd644005850400e40300000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f202122232425262728"
      "292a2b2c2d2e2f303132333435363738390000003920e0c7a18417b250c20b5928e1852c94f042164a78210b25bc908522bc9085125e"
      "c842092f64a18417b250c20b5928e1852c94f0422694f042164a78210b25bc9085125ec842092f643494c36b2f2c391e3590";
// `zstd -1` of rampData() and then of "abc", both read from a pipe: two frames without a content size.
const char kCliZstdTwoStreamedFrames[]
    = "28b52ffd0448850400e40300000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f202122232425262728"
      "292a2b2c2d2e2f303132333435363738390000003920e0c7a18417b250c20b5928e1852c94f042164a78210b25bc908522bc9085125e"
      "c842092f64a18417b250c20b5928e1852c94f0422694f042164a78210b25bc9085125ec842092f643494c36b2f2c391e359028b52ffd"
      "0448190000616263990977ad";

} // namespace

class TestV3Codecs : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void crc32cKnownVectors_data()
    {
        QTest::addColumn<QByteArray>("input");
        QTest::addColumn<uint>("expected");
        // RFC 3720 appendix B.4, and the check value of the CRC catalogue.
        QByteArray ascending(32, '\0'), descending(32, '\0');
        for (int i = 0; i < 32; ++i) {
            ascending[i] = char(i);
            descending[i] = char(31 - i);
        }
        QTest::newRow("123456789") << QByteArray("123456789") << 0xE3069283u;
        QTest::newRow("32 zeros") << QByteArray(32, '\0') << 0x8A9136AAu;
        QTest::newRow("32 x 0xff") << QByteArray(32, '\xff') << 0x62A8AB43u;
        QTest::newRow("ascending") << ascending << 0x46DD794Eu;
        QTest::newRow("descending") << descending << 0x113FDB5Cu;
        QTest::newRow("empty") << QByteArray() << 0u;
    }
    void crc32cKnownVectors()
    {
        QFETCH(QByteArray, input);
        QFETCH(uint, expected);
        QCOMPARE(crc32c(input.constData(), size_t(input.size())), expected);
    }

    void crc32cMatchesDefinitionAtEveryLengthAndAlignment()
    {
        const QByteArray data = cs::testing::randomBytes(300, 7);
        for (int offset = 0; offset < 8; ++offset) {
            for (int length = 0; length + offset <= data.size(); length += 13) {
                const QByteArray part = data.mid(offset, length);
                QCOMPARE(crc32c(data.constData() + offset, size_t(length)), bitwiseCrc32c(part));
            }
        }
        // Continuing a checksum equals checksumming the joined bytes.
        const uint32_t first = crc32c(data.constData(), 101);
        QCOMPARE(crc32c(data.constData() + 101, 199, first), bitwiseCrc32c(data));
    }

    void crc32cCodecAppendsLittleEndianChecksum()
    {
        const Crc32cCodec codec;
        const QByteArray encoded = encodeWith(codec, QByteArray("123456789"));
        QCOMPARE(encoded, QByteArray("123456789") + QByteArray::fromHex("839206e3"));
        QCOMPARE(decodeWith(codec, encoded, 9), QByteArray("123456789"));
        const QByteArray data = cs::testing::randomBytes(10000, 3);
        QCOMPARE(decodeWith(codec, encodeWith(codec, data), data.size()), data);
        QCOMPARE(decodeWith(codec, encodeWith(codec, QByteArray()), 0), QByteArray());
        QCOMPARE(codec.describe(), QStringLiteral("crc32c"));
    }

    void crc32cCodecRefusesBadInput()
    {
        const Crc32cCodec codec;
        QByteArray flipped = QByteArray("123456789") + QByteArray::fromHex("839206e3");
        flipped[0] = '0';
        QCOMPARE(cs::testing::decodeError(codec, flipped, 9),
                 QStringLiteral("crc32c checksum mismatch: stored 0xe3069283, computed 0x%1")
                     .arg(bitwiseCrc32c(flipped.left(9)), 8, 16, QLatin1Char('0')));
        QByteArray badSum = QByteArray("123456789") + QByteArray::fromHex("839206e4");
        QCOMPARE(cs::testing::decodeError(codec, badSum, 9),
                 QStringLiteral("crc32c checksum mismatch: stored 0xe4069283, computed 0xe3069283"));
        QCOMPARE(cs::testing::decodeError(codec, QByteArray("abc"), 10),
                 QStringLiteral("crc32c input of 3 bytes is shorter than its 4-byte checksum"));
        QCOMPARE(cs::testing::decodeError(codec, QByteArray("123456789") + QByteArray::fromHex("839206e3"), 8),
                 QStringLiteral("crc32c payload of 9 bytes does not fit in 8 bytes"));
        char out[8];
        QVERIFY_THROWS_EXCEPTION(CodecError, codec.encode("123456789", 9, out, sizeof out));
    }

    void zstdDecodesNumcodecsAndCommandLineFrames_data()
    {
        QTest::addColumn<QByteArray>("frame");
        QTest::addColumn<QByteArray>("expected");
        QTest::newRow("numcodecs level 1") << QByteArray::fromHex(kNumcodecsZstd1) << rampData();
        QTest::newRow("numcodecs level 5") << QByteArray::fromHex(kNumcodecsZstd5) << rampData();
        QTest::newRow("checksummed") << QByteArray::fromHex(kCliZstdChecked) << rampData();
        QTest::newRow("two streamed frames")
            << QByteArray::fromHex(kCliZstdTwoStreamedFrames) << rampData() + QByteArray("abc");
    }
    void zstdDecodesNumcodecsAndCommandLineFrames()
    {
        QFETCH(QByteArray, frame);
        QFETCH(QByteArray, expected);
        QCOMPARE(decodeWith(ZstdCodec(0), frame, expected.size()), expected);
    }

    void zstdEncodesAsNumcodecsAndTheCommandLine()
    {
        // Same library, same level: the same bytes as numcodecs' Zstd, so zarr-python reads them.
        QCOMPARE(encodeWith(ZstdCodec(1), rampData()), QByteArray::fromHex(kNumcodecsZstd1));
        QCOMPARE(encodeWith(ZstdCodec(5), rampData()), QByteArray::fromHex(kNumcodecsZstd5));
        // Twice: the second call runs on the same thread's context.
        QCOMPARE(encodeWith(ZstdCodec(3, true), rampData()), QByteArray::fromHex(kCliZstdChecked));
        QCOMPARE(encodeWith(ZstdCodec(3, true), rampData()), QByteArray::fromHex(kCliZstdChecked));
        QCOMPARE(encodeWith(ZstdCodec(5), rampData()), QByteArray::fromHex(kNumcodecsZstd5));
        QCOMPARE(ZstdCodec(0).describe(), QStringLiteral("zstd(level=0, checksum=false)"));
        QCOMPARE(ZstdCodec(-5, true).describe(), QStringLiteral("zstd(level=-5, checksum=true)"));
    }

    void zstdRoundTripsAcrossLevels()
    {
        for (const QByteArray &data : {rampData(), cs::testing::randomBytes(50000, 9), QByteArray("x"), QByteArray()}) {
            for (const int level : {-5, 0, 1, 3, 9, 19}) {
                for (const bool checksum : {false, true}) {
                    const ZstdCodec codec(level, checksum);
                    QCOMPARE(decodeWith(codec, encodeWith(codec, data), data.size()), data);
                }
            }
        }
    }

    void zstdRefusesCorruptFrames()
    {
        const ZstdCodec codec(1);
        const QByteArray checked = QByteArray::fromHex(kCliZstdChecked);
        QByteArray badChecksum = checked;
        badChecksum[badChecksum.size() - 1] = char(badChecksum[badChecksum.size() - 1] ^ 1);
        QCOMPARE(cs::testing::decodeError(codec, badChecksum, 1600),
                 QStringLiteral("corrupt zstd frame (Restored data doesn't match checksum)"));
        QByteArray badMagic = checked;
        badMagic[0] = 'x';
        QCOMPARE(cs::testing::decodeError(codec, badMagic, 1600),
                 QStringLiteral("corrupt zstd frame (Unknown frame descriptor)"));
        QCOMPARE(cs::testing::decodeError(codec, checked.left(40), 1600),
                 QStringLiteral("corrupt zstd frame (Src size is incorrect)"));
        QCOMPARE(cs::testing::decodeError(codec, checked, 1599),
                 QStringLiteral("corrupt zstd frame (decodes to more than 1599 bytes)"));
        QCOMPARE(cs::testing::decodeError(codec, QByteArray(), 10), QStringLiteral("corrupt zstd frame (no data)"));
        // Random bytes after a valid magic number: whatever the library says, it is a CodecError.
        for (unsigned seed = 0; seed < 200; ++seed) {
            const QByteArray junk = QByteArray::fromHex("28b52ffd") + cs::testing::randomBytes(int(seed % 64), seed);
            QVERIFY(cs::testing::decodeError(codec, junk, 4096).startsWith(QLatin1String("corrupt zstd frame (")));
        }
        QVERIFY_THROWS_EXCEPTION(CodecError, ZstdCodec(23));
        QVERIFY_THROWS_EXCEPTION(CodecError, ZstdCodec(-200000));
        char out[8];
        QVERIFY_THROWS_EXCEPTION(CodecError, codec.encode(rampData().constData(), 1600, out, sizeof out));
    }

    void gzipDecodesPythonStreams_data()
    {
        QTest::addColumn<QByteArray>("stream");
        QTest::newRow("level 1") << QByteArray::fromHex(kPythonGzip1);
        QTest::newRow("level 9") << QByteArray::fromHex(kPythonGzip9);
    }
    void gzipDecodesPythonStreams()
    {
        QFETCH(QByteArray, stream);
        QCOMPARE(decodeWith(ZlibCodec(1, ZlibContainer::Gzip), stream, 1600), rampData());
    }

    void gzipEncodesAsPythonUpToHeaderTime_data()
    {
        QTest::addColumn<int>("level");
        QTest::addColumn<QByteArray>("python");
        QTest::newRow("level 1") << 1 << QByteArray::fromHex(kPythonGzip1);
        QTest::newRow("level 9") << 9 << QByteArray::fromHex(kPythonGzip9);
    }
    void gzipEncodesAsPythonUpToHeaderTime()
    {
        QFETCH(int, level);
        QFETCH(QByteArray, python);
        const ZlibCodec codec(level, ZlibContainer::Gzip);
        QByteArray ours = encodeWith(codec, rampData());
        QCOMPARE(ours.size(), python.size());
        // Python stamps the time (bytes 4-7), where we write 0. Everything else, the "unknown" system 255
        // (byte 9), the deflate data, CRC-32 and size included, is the same.
        QCOMPARE(ours.mid(4, 4), QByteArray(4, '\0'));
        ours.replace(4, 4, python.mid(4, 4));
        QCOMPARE(ours, python);
        QCOMPARE(codec.describe(), QStringLiteral("gzip(level=%1)").arg(level));
    }

    void gzipRoundTripsAndStaysApartFromZlib()
    {
        const QByteArray data = cs::testing::randomBytes(20000, 5) + rampData();
        for (int level = 0; level <= 9; ++level) {
            const ZlibCodec gzip(level, ZlibContainer::Gzip);
            const ZlibCodec zlib(level);
            // Alternating on one thread: each codec gets its own container, not the last one used.
            const QByteArray g = encodeWith(gzip, data);
            const QByteArray z = encodeWith(zlib, data);
            QCOMPARE(g.left(2), QByteArray::fromHex("1f8b"));
            QCOMPARE(z.at(0), '\x78');
            QCOMPARE(decodeWith(gzip, g, data.size()), data);
            QCOMPARE(decodeWith(zlib, z, data.size()), data);
            QVERIFY(size_t(g.size()) <= gzip.maxEncodedSize(size_t(data.size())));
        }
    }

    void gzipRefusesCorruptStreams()
    {
        const ZlibCodec codec(1, ZlibContainer::Gzip);
        const QByteArray stream = QByteArray::fromHex(kPythonGzip1);
        QByteArray badMagic = stream;
        badMagic[1] = 'x';
        QCOMPARE(cs::testing::decodeError(codec, badMagic, 1600),
                 QStringLiteral("corrupt gzip stream (incorrect header check)"));
        QByteArray badCrc = stream;
        badCrc[badCrc.size() - 8] = char(badCrc[badCrc.size() - 8] ^ 1);
        QCOMPARE(cs::testing::decodeError(codec, badCrc, 1600),
                 QStringLiteral("corrupt gzip stream (incorrect data check)"));
        QCOMPARE(cs::testing::decodeError(codec, stream.left(stream.size() - 20), 1600),
                 QStringLiteral("corrupt gzip stream (truncated after %1 bytes)").arg(stream.size() - 20));
        QCOMPARE(cs::testing::decodeError(codec, stream, 1000),
                 QStringLiteral("corrupt gzip stream (decodes to more than 1000 bytes)"));
        // A zlib stream is not a gzip one.
        QCOMPARE(cs::testing::decodeError(codec, encodeWith(ZlibCodec(1), rampData()), 1600),
                 QStringLiteral("corrupt gzip stream (incorrect header check)"));
        for (unsigned seed = 0; seed < 200; ++seed) {
            const QByteArray junk = QByteArray::fromHex("1f8b0800") + cs::testing::randomBytes(int(seed % 64), seed);
            QVERIFY(cs::testing::decodeError(codec, junk, 4096).startsWith(QLatin1String("corrupt gzip stream (")));
        }
        QVERIFY_THROWS_EXCEPTION(CodecError, ZlibCodec(10, ZlibContainer::Gzip));
    }
};

QTEST_GUILESS_MAIN(TestV3Codecs)
#include "tst_v3codecs.moc"
