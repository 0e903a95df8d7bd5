#include "codecs/blosccodec.h"
#include "codecs/codecchain.h"
#include "codecs/codecfactory.h"
#include "codecs/lzfcodec.h"
#include "codecs/shuffle.h"
#include "codecs/transposecodec.h"
#include "codecs/zlibcodec.h"
#include "task/taskcontext.h"

#include <QTest>

#include <blosc.h>
#include <zlib.h>

#include <cstring>
#include <random>

using namespace cs;

namespace {

// Compressible but not trivial: a slowly rising int32 ramp with some noise in the low byte.
QByteArray sampleData(int bytes, unsigned seed = 1)
{
    QByteArray data(bytes, Qt::Uninitialized);
    std::mt19937 rng(seed);
    for (int i = 0; i < bytes; ++i)
        data[i] = char((i % 4 == 0) ? int(rng() % 4) : (i / 4 / 97) >> ((i % 4 - 1) * 8));
    return data;
}

QByteArray randomData(int bytes, unsigned seed)
{
    QByteArray data(bytes, Qt::Uninitialized);
    std::mt19937 rng(seed);
    for (int i = 0; i < bytes; ++i)
        data[i] = char(rng());
    return data;
}

// The definition in shuffle.h, written as plainly as possible.
QByteArray referenceShuffle(const QByteArray &in, int typesize)
{
    QByteArray out = in;
    const int n = in.size() / typesize;
    for (int j = 0; j < typesize; ++j)
        for (int i = 0; i < n; ++i)
            out[j * n + i] = in[i * typesize + j];
    return out;
}

QByteArray referenceUnshuffle(const QByteArray &in, int typesize)
{
    QByteArray out = in;
    const int n = in.size() / typesize;
    for (int j = 0; j < typesize; ++j)
        for (int i = 0; i < n; ++i)
            out[i * typesize + j] = in[j * n + i];
    return out;
}

QByteArray encodeWith(const ChunkCodec &codec, const QByteArray &in)
{
    QByteArray out(int(codec.maxEncodedSize(size_t(in.size()))), Qt::Uninitialized);
    out.resize(int(codec.encode(in.constData(), size_t(in.size()), out.data(), size_t(out.size()))));
    return out;
}

QString codecError(const ChunkCodec &codec, const QByteArray &encoded, size_t cap)
{
    QByteArray out(int(cap) + 1, '\0');
    try {
        codec.decode(encoded.constData(), size_t(encoded.size()), out.data(), cap);
    } catch (const CodecError &e) {
        return e.message();
    }
    return QStringLiteral("no error");
}

} // namespace

class TestCodecs : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void bloscRoundTrip_data()
    {
        QTest::addColumn<QString>("cname");
        QTest::addColumn<int>("shuffle");
        QTest::addColumn<int>("typesize");
        for (const QString &cname : {QStringLiteral("blosclz"), QStringLiteral("lz4"), QStringLiteral("lz4hc"),
                                     QStringLiteral("snappy"), QStringLiteral("zlib"), QStringLiteral("zstd")})
            for (int shuffle : {-1, 0, 1, 2})
                for (int typesize : {1, 2, 4, 8})
                    QTest::addRow("%s shuffle=%d typesize=%d", qPrintable(cname), shuffle, typesize)
                        << cname << shuffle << typesize;
    }
    void bloscRoundTrip()
    {
        QFETCH(QString, cname);
        QFETCH(int, shuffle);
        QFETCH(int, typesize);
        const BloscCodec codec(BloscParams{cname, 5, shuffle, 0, typesize});
        for (const QByteArray &data : {sampleData(40000), randomData(3000, 7), sampleData(13)}) {
            const QByteArray frame = encodeWith(codec, data);
            QVERIFY(size_t(frame.size()) <= size_t(data.size()) + BLOSC_MAX_OVERHEAD);
            QCOMPARE(BloscCodec::decodedSize(frame.constData(), size_t(frame.size())), size_t(data.size()));

            QByteArray back(data.size(), '\0');
            QCOMPARE(codec.decode(frame.constData(), size_t(frame.size()), back.data(), size_t(back.size())),
                     size_t(data.size()));
            QCOMPARE(back, data);

            // The frame is plain blosc: the library alone decodes it.
            QByteArray plain(data.size(), '\0');
            QCOMPARE(blosc_decompress_ctx(frame.constData(), plain.data(), size_t(plain.size()), 1), int(data.size()));
            QCOMPARE(plain, data);

            // AUTOSHUFFLE resolves as numcodecs does: bit shuffle for 1-byte items, else byte shuffle.
            const int flags = static_cast<unsigned char>(frame[2]);
            const int expected = shuffle == -1 ? (typesize == 1 ? 2 : 1) : shuffle;
            const bool memcpyed = flags & BLOSC_MEMCPYED;
            if (!memcpyed) {
                QCOMPARE(bool(flags & BLOSC_DOSHUFFLE), expected == 1);
                QCOMPARE(bool(flags & BLOSC_DOBITSHUFFLE), expected == 2);
            }
            QCOMPARE(int(static_cast<unsigned char>(frame[3])), typesize);
        }
    }

    void bloscCompresses()
    {
        const BloscCodec codec(BloscParams{QStringLiteral("blosclz"), 5, 1, 0, 4});
        const QByteArray data = sampleData(1 << 20);
        QVERIFY(encodeWith(codec, data).size() < data.size() / 4);
        QCOMPARE(codec.describe(), QStringLiteral("blosc(cname=blosclz, clevel=5, shuffle=1)"));
    }

    void bloscCorruptFrames()
    {
        const BloscCodec codec(BloscParams{QStringLiteral("lz4"), 5, 1, 0, 4});
        const QByteArray data = sampleData(4000);
        const QByteArray frame = encodeWith(codec, data);
        const QString sizes = QStringLiteral("header announces 4000 bytes compressed to %1").arg(frame.size());

        QCOMPARE(codecError(codec, frame.left(10), 4000),
                 QStringLiteral("corrupt blosc frame (10 bytes, shorter than the 16-byte header)"));
        QCOMPARE(codecError(codec, frame.left(frame.size() - 1), 4000),
                 QStringLiteral("corrupt blosc frame (%1, the frame has %2)").arg(sizes).arg(frame.size() - 1));
        QCOMPARE(codecError(codec, frame + "x", 4000),
                 QStringLiteral("corrupt blosc frame (%1, the frame has %2)").arg(sizes).arg(frame.size() + 1));
        QCOMPARE(codecError(codec, frame, 3996),
                 QStringLiteral("corrupt blosc frame (decodes to 4000 bytes, expected 3996)"));
        QByteArray badVersion = frame;
        badVersion[0] = char(99);
        QVERIFY(codecError(codec, badVersion, 4000).startsWith(QStringLiteral("corrupt blosc frame (")));
        try {
            BloscCodec::decodedSize(frame.constData(), 3);
            QFAIL("no CodecError");
        } catch (const CodecError &e) {
            QCOMPARE(e.message(), QStringLiteral("corrupt blosc frame (3 bytes, shorter than the 16-byte header)"));
        }
    }

    void bloscRejectsBadSettings()
    {
        try {
            BloscCodec codec(BloscParams{QStringLiteral("bogus"), 5, 1, 0, 4});
            QFAIL("no CodecError");
        } catch (const CodecError &e) {
            QCOMPARE(e.message(),
                     QStringLiteral("blosc compressor \"bogus\" is not available (expected one of "
                                    "blosclz,lz4,lz4hc,snappy,zlib,zstd)"));
        }
        QVERIFY_THROWS_EXCEPTION(CodecError, BloscCodec(BloscParams{QStringLiteral("lz4"), 10, 1, 0, 4}));
        QVERIFY_THROWS_EXCEPTION(CodecError, BloscCodec(BloscParams{QStringLiteral("lz4"), 5, 3, 0, 4}));
    }

    void zlibMatchesPython_data()
    {
        QTest::addColumn<int>("level");
        QTest::addColumn<QByteArray>("expected");
        // zlib.compress((np.arange(400, dtype='<i4') // 7).tobytes(), level) in Python, as numcodecs' Zlib.
        QTest::newRow("level 1") << 1
                                 << QByteArray::fromHex(
                                        "780175c9d311040100c0d03ddbb6b138bbffc62e0d2433f97a41e0a5203b8dd919ccce62760eb3"
                                        "f3985dc0ec22669730bb8cd915ccae62760db3eb98ddc0ec2666b730bb8dd91dccee62760fb3fb"
                                        "983dc0ec21668f307b8cd913cc9e62f60cb3e798bdc0ec2566af307b8dd91bccde62f60eb3f798"
                                        "7dc0ec236687981d61768cd909669f30fb8cd917ccbe62f60db3ef98fdc0ec2766bf30fb8dd91f"
                                        "ccfe62f60ffb03f76a2bde");
        QTest::newRow("level 9") << 9
                                 << QByteArray::fromHex(
                                        "78da7dc3850dc2000000b0e10ec3dd86bbdbff8fc103b44983e0bf18c63181494c611a3398c51c"
                                        "e6b180452c61192b1862156b58c70636b1856dec60177bd8c7010e7184639ce014239ce11c17b8"
                                        "c415ae71835bdce11e0f78c4139ef18257bce11d1ff8c417bef1f3fb05f76a2bde");
    }
    void zlibMatchesPython()
    {
        QFETCH(int, level);
        QFETCH(QByteArray, expected);
        QByteArray data(1600, Qt::Uninitialized);
        for (int i = 0; i < 400; ++i) {
            const qint32 v = i / 7;
            std::memcpy(data.data() + 4 * i, &v, 4);
        }
        const ZlibCodec codec(level);
        // Twice: the second call runs on the same thread's reset stream and must not differ.
        QCOMPARE(encodeWith(codec, data), expected);
        QCOMPARE(encodeWith(codec, data), expected);
        QByteArray back(data.size(), '\0');
        QCOMPARE(codec.decode(expected.constData(), size_t(expected.size()), back.data(), size_t(back.size())),
                 size_t(data.size()));
        QCOMPARE(back, data);
        uLongf plainSize = uLongf(data.size());
        QByteArray plain(data.size(), '\0');
        QCOMPARE(uncompress(reinterpret_cast<Bytef *>(plain.data()), &plainSize,
                            reinterpret_cast<const Bytef *>(expected.constData()), uLong(expected.size())),
                 Z_OK);
        QCOMPARE(plain, data);
        QCOMPARE(codec.describe(), QStringLiteral("zlib(level=%1)").arg(level));
    }

    void zlibRoundTripsAcrossLevels()
    {
        for (const QByteArray &data : {sampleData(100000), randomData(5000, 3), QByteArray("x")}) {
            for (int level = 0; level <= 9; ++level) {
                const ZlibCodec codec(level);
                const QByteArray encoded = encodeWith(codec, data);
                QByteArray back(data.size(), '\0');
                QCOMPARE(codec.decode(encoded.constData(), size_t(encoded.size()), back.data(), size_t(back.size())),
                         size_t(data.size()));
                QCOMPARE(back, data);
            }
        }
    }

    void zlibCorruptStreams()
    {
        const ZlibCodec codec(1);
        const QByteArray data = sampleData(4000);
        const QByteArray encoded = encodeWith(codec, data);
        QByteArray badHeader = encoded;
        badHeader[1] = char(badHeader[1] ^ 0x10);
        QCOMPARE(codecError(codec, badHeader, 4000), QStringLiteral("corrupt zlib stream (incorrect header check)"));
        QCOMPARE(codecError(codec, encoded.left(encoded.size() - 6), 4000),
                 QStringLiteral("corrupt zlib stream (truncated after %1 bytes)").arg(encoded.size() - 6));
        QCOMPARE(codecError(codec, encoded, 3000),
                 QStringLiteral("corrupt zlib stream (decodes to more than 3000 bytes)"));
        QByteArray badChecksum = encoded;
        badChecksum[badChecksum.size() - 1] = char(badChecksum[badChecksum.size() - 1] ^ 1);
        QCOMPARE(codecError(codec, badChecksum, 4000), QStringLiteral("corrupt zlib stream (incorrect data check)"));
        QVERIFY_THROWS_EXCEPTION(CodecError, ZlibCodec(10));
    }

    void shuffleMatchesReference_data()
    {
        QTest::addColumn<int>("typesize");
        for (int typesize = 1; typesize <= 16; ++typesize)
            QTest::addRow("typesize %d", typesize) << typesize;
        QTest::addRow("typesize 255") << 255;
    }
    void shuffleMatchesReference()
    {
        QFETCH(int, typesize);
        for (int bytes : {0,  1,  2,   3,   7,   15,  16,  17,  31,   32,   33,        63,
                          64, 65, 127, 128, 129, 255, 256, 257, 1000, 4097, 65536 + 7, 65536 * 3}) {
            const QByteArray in = randomData(bytes, unsigned(bytes * 31 + typesize));
            QByteArray shuffled(bytes, '\0');
            shuffleBytes(in.constData(), shuffled.data(), size_t(bytes), size_t(typesize));
            QCOMPARE(shuffled, referenceShuffle(in, typesize));
            QByteArray back(bytes, '\0');
            unshuffleBytes(shuffled.constData(), back.data(), size_t(bytes), size_t(typesize));
            QCOMPARE(back, in);
            unshuffleBytes(in.constData(), back.data(), size_t(bytes), size_t(typesize));
            QCOMPARE(back, referenceUnshuffle(in, typesize));
        }
    }

    void shuffleOfUnalignedBuffers()
    {
        // The SIMD paths load and store unaligned; offsets 1..15 exercise that.
        const QByteArray in = randomData(4096 + 64, 5);
        for (int typesize : {2, 4, 8, 16}) {
            for (int offset = 1; offset < 16; offset += 3) {
                const QByteArray slice = in.mid(offset, 4000);
                QByteArray out(4000 + 32, '\0');
                shuffleBytes(slice.constData(), out.data() + offset, 4000, size_t(typesize));
                QCOMPARE(out.mid(offset, 4000), referenceShuffle(slice, typesize));
            }
        }
    }

    void factory()
    {
        CompressorSpec blosc;
        blosc.id = QStringLiteral("blosc");
        blosc.cname = QStringLiteral("zstd");
        blosc.clevel = 3;
        blosc.shuffle = -1;
        const auto b = makeCodec(blosc, 8);
        QVERIFY(b);
        QCOMPARE(b->describe(), QStringLiteral("blosc(cname=zstd, clevel=3, shuffle=-1)"));
        QCOMPARE(static_cast<const BloscCodec &>(*b).params().typesize, 8);

        CompressorSpec zlib;
        zlib.id = QStringLiteral("zlib");
        zlib.clevel = 1;
        QCOMPARE(makeCodec(zlib, 4)->describe(), QStringLiteral("zlib(level=1)"));
        zlib.id = QStringLiteral("gzip");
        zlib.clevel = 4;
        QCOMPARE(makeCodec(zlib, 4)->describe(), QStringLiteral("zlib(level=4)"));

        CompressorSpec lzf;
        lzf.id = QStringLiteral("lzf");
        QCOMPARE(makeCodec(lzf, 4)->describe(), QStringLiteral("lzf"));

        QVERIFY(!makeCodec(CompressorSpec{QString()}, 4));
        QVERIFY(!makeCodec(std::optional<CompressorSpec>(), 4));

        CompressorSpec unknown;
        unknown.id = QStringLiteral("lz4");
        try {
            makeCodec(unknown, 4);
            QFAIL("no CodecError");
        } catch (const CodecError &e) {
            QCOMPARE(e.message(), QStringLiteral("unknown compressor \"lz4\" (expected blosc, zlib, gzip or lzf)"));
        }
    }

    void transposeMovesEveryItemToItsPermutedPlace()
    {
        // A 2x3x4 chunk of 2-byte items, axes ordered (1, 2, 0): item [a, b, c] lands at [b, c, a] of
        // a 3x4x2 array.
        const Coords shape = Coords::fromVector({2, 3, 4});
        QByteArray in(48, Qt::Uninitialized);
        for (int i = 0; i < 24; ++i) {
            in[2 * i] = char(i);
            in[2 * i + 1] = char(100 + i);
        }
        const TransposeCodec codec(shape, 2, Coords::fromVector({1, 2, 0}));
        QByteArray out(48, 0);
        QCOMPARE(codec.encode(in.constData(), 48, out.data(), 48), size_t(48));
        for (int a = 0; a < 2; ++a)
            for (int b = 0; b < 3; ++b)
                for (int c = 0; c < 4; ++c) {
                    const int from = (a * 3 + b) * 4 + c;
                    const int to = (b * 4 + c) * 2 + a;
                    QCOMPARE(out.mid(2 * to, 2), in.mid(2 * from, 2));
                }
        QByteArray back(48, 0);
        QCOMPARE(codec.decode(out.constData(), 48, back.data(), 48), size_t(48));
        QCOMPARE(back, in);
        // Fortran order is the axes reversed: [a, b, c] at [c, b, a].
        const TransposeCodec fortran(shape, 2, TransposeCodec::reversedOrder(3));
        fortran.encode(in.constData(), 48, out.data(), 48);
        QCOMPARE(out.mid(2 * ((3 * 3 + 2) * 2 + 1), 2), in.mid(2 * ((1 * 3 + 2) * 4 + 3), 2));
    }

    void chainsEncodeInOrderAndDecodeInReverse()
    {
        // Transpose then zlib: the stored bytes are zlib's stream of the transposed chunk.
        const Coords shape = Coords::fromVector({16, 32});
        const QByteArray chunk = sampleData(16 * 32 * 4);
        CodecChain chain;
        chain.append(std::make_unique<TransposeCodec>(shape, 4, TransposeCodec::reversedOrder(2)));
        chain.append(std::make_unique<ZlibCodec>(1));
        TaskContext ctx;
        const CodecChain::Encoded e = chain.encode(chunk.constData(), size_t(chunk.size()), ctx);
        QCOMPARE(e.skipped, 0u);
        QByteArray transposed(chunk.size(), 0);
        TransposeCodec(shape, 4, TransposeCodec::reversedOrder(2))
            .encode(chunk.constData(), size_t(chunk.size()), transposed.data(), size_t(transposed.size()));
        QByteArray inflated(chunk.size(), 0);
        uLongf inflatedSize = uLongf(inflated.size());
        QCOMPARE(uncompress(reinterpret_cast<Bytef *>(inflated.data()), &inflatedSize,
                            reinterpret_cast<const Bytef *>(e.data), uLong(e.bytes)),
                 Z_OK);
        QCOMPARE(inflated, transposed);
        const QByteArray stored(e.data, qsizetype(e.bytes));
        QByteArray out(chunk.size(), 0);
        QCOMPARE(chain.decode(stored.constData(), size_t(stored.size()), 0, out.data(), size_t(out.size()), ctx),
                 size_t(chunk.size()));
        QCOMPARE(out, chunk);
        QCOMPARE(chain.describe(), QStringLiteral("transpose([1, 0]) | zlib(level=1)"));
    }

    void optionalStepsThatCannotShrinkAreSkippedAndMarked()
    {
        // Shuffle, then an optional LZF that random bytes defeat: stored shuffled, bit 1 set.
        const QByteArray chunk = randomData(4096, 7);
        CodecChain chain;
        chain.append(std::make_unique<ShuffleCodec>(4));
        chain.append(std::make_unique<LzfCodec>(), true);
        TaskContext ctx;
        const CodecChain::Encoded e = chain.encode(chunk.constData(), size_t(chunk.size()), ctx);
        QCOMPARE(e.skipped, 2u);
        QByteArray shuffled(chunk.size(), 0);
        shuffleBytes(chunk.constData(), shuffled.data(), size_t(chunk.size()), 4);
        QCOMPARE(QByteArray(e.data, qsizetype(e.bytes)), shuffled);
        QByteArray out(chunk.size(), 0);
        chain.decode(shuffled.constData(), size_t(shuffled.size()), e.skipped, out.data(), size_t(out.size()), ctx);
        QCOMPARE(out, chunk);
        // The same step, not optional, refuses.
        CodecChain strict;
        strict.append(std::make_unique<LzfCodec>());
        QVERIFY_THROWS_EXCEPTION(CodecError, strict.encode(chunk.constData(), size_t(chunk.size()), ctx));
    }

    void chainsRefuseOutputLargerThanTheChunk()
    {
        CodecChain chain;
        chain.append(std::make_unique<ZlibCodec>(1));
        TaskContext ctx;
        const QByteArray chunk = sampleData(4000);
        const CodecChain::Encoded e = chain.encode(chunk.constData(), size_t(chunk.size()), ctx);
        const QByteArray stored(e.data, qsizetype(e.bytes));
        QByteArray out(3000, 0);
        try {
            chain.decode(stored.constData(), size_t(stored.size()), 0, out.data(), size_t(out.size()), ctx);
            QFAIL("no error");
        } catch (const CodecError &err) {
            QCOMPARE(err.message(), QStringLiteral("corrupt zlib stream (decodes to more than 3000 bytes)"));
        }
    }
};

QTEST_GUILESS_MAIN(TestCodecs)
#include "tst_codecs.moc"
