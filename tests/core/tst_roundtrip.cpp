// Every pair of store kinds, on random N-D shapes whose copy chunks, source chunks and target chunks
// do not align, with 1, 2 and 3 workers and every lock mode: the target must equal the source element
// by element. The check reads the target back into a plain buffer, independently of the engine's own
// verification.
#include "engine/copyrun.h"
#include "runner/arrayset.h"
#include "stores/carray/carrayoptions.h"
#include "stores/hdf5/hdf5options.h"
#include "stores/memory/memorystore.h"
#include "stores/zarr/zarrcodecs.h"
#include "stores/zarr/zarroptions.h"
#include "task/taskcontext.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QRandomGenerator>
#include <QTest>

#include <cstring>

using namespace cs;

namespace {

const QStringList kKinds
    = {QStringLiteral("memory"), QStringLiteral("zarr"), QStringLiteral("hdf5"), QStringLiteral("carray")};

std::vector<int64_t> randomVector(QRandomGenerator &rng, int rank, int lo, int hi)
{
    std::vector<int64_t> v;
    for (int i = 0; i < rank; ++i)
        v.push_back(rng.bounded(lo, hi + 1));
    return v;
}

ArraySpec spec(const QString &id, const QString &kind, const DType &dtype, const std::vector<int64_t> &shape,
               std::vector<int64_t> chunks)
{
    ArraySpec a;
    a.id = id;
    a.store = kind;
    a.dtype = dtype;
    a.shape = shape;
    if (kind == QLatin1String("carray")) {
        // A carray chunks along its first axis only.
        for (size_t i = 1; i < chunks.size(); ++i)
            chunks[i] = shape[i];
        a.optionsAs<CarrayOptions>().chunklen = chunks[0];
    }
    a.chunks = chunks;
    if (kind == QLatin1String("zarr")) {
        CompressorSpec blosc;
        blosc.id = QStringLiteral("blosc");
        blosc.cname = QStringLiteral("lz4");
        a.optionsAs<ZarrOptions>().compressor = blosc;
    } else if (kind == QLatin1String("hdf5")) {
        a.optionsAs<Hdf5Options>().dataset = id;
        a.optionsAs<Hdf5Options>().compression = QStringLiteral("lzf");
        a.optionsAs<Hdf5Options>().shuffle = true;
    }
    return a;
}

// Copies the scenario's "src" into "dst" with the engine and checks both the engine's verification
// and a read-back of the target against "ref", a plain buffer of the same generated values.
void copyAndCompare(const Scenario &s, CopyOptions options, bool sourceChunks)
{
    ArraySet arrays(s);
    Store &source = arrays.get(QStringLiteral("src"));
    Store &target = arrays.get(QStringLiteral("dst"));
    auto &reference = static_cast<MemoryStore &>(arrays.get(QStringLiteral("ref")));
    if (sourceChunks)
        options.chunks = source.chunks();
    const ChunkGrid grid(source.shape(), options.chunks);
    source.prepareCopy(grid, Hdf5Path::Auto);
    target.prepareCopy(grid, Hdf5Path::Auto);
    target.beginWriting();
    CopyRun run(source, target, options);
    run.start();
    run.wait();
    target.endWriting();
    QVERIFY2(!run.failed(), qPrintable(run.error()));
    QVERIFY2(run.verified().value_or(false), qPrintable(run.verifyMessage()));

    MemoryStore readBack(QStringLiteral("back"), source.dtype(), source.shape(), source.shape());
    TaskContext ctx;
    target.read(Region::whole(target.shape()), readBack.data(), ctx);
    QVERIFY(std::memcmp(readBack.data(), reference.data(), size_t(reference.nbytes())) == 0);
    QCOMPARE(target.info().chunksInitialized, target.info().chunksTotal);
    // Generated values are not all zero bytes, so the copy moved something.
    QVERIFY(QByteArray(reference.data(), qsizetype(reference.nbytes())).count('\0') < reference.nbytes());
}

} // namespace

class TestRoundTrip : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void everyPairCopiesExactly_data()
    {
        QTest::addColumn<QString>("from");
        QTest::addColumn<QString>("to");
        QTest::addColumn<int>("workers");
        QTest::addColumn<int>("lock");
        QTest::addColumn<bool>("aligned");
        QTest::addColumn<quint32>("seed");
        quint32 seed = 1;
        for (const QString &from : kKinds)
            for (const QString &to : kKinds)
                for (int workers : {1, 2, 3})
                    for (LockMode lock : {LockMode::Target, LockMode::None, LockMode::Io})
                        for (bool aligned : {false, true}) {
                            QTest::addRow("%s->%s w%d %s %s", qPrintable(from), qPrintable(to), workers,
                                          qPrintable(lockModeName(lock)), aligned ? "aligned" : "misaligned")
                                << from << to << workers << int(lock) << aligned << seed++;
                        }
    }
    void everyPairCopiesExactly()
    {
        QFETCH(QString, from);
        QFETCH(QString, to);
        QFETCH(int, workers);
        QFETCH(int, lock);
        QFETCH(bool, aligned);
        QFETCH(quint32, seed);
        QRandomGenerator rng(seed);
        const int rank = rng.bounded(1, 4);
        const std::vector<int64_t> shape = randomVector(rng, rank, rank == 1 ? 1000 : 5, rank == 1 ? 20000 : 24);
        const DType dtypes[] = {DType(DType::Kind::Int, 4), DType(DType::Kind::UInt, 2, true),
                                DType(DType::Kind::Float, 8), DType(DType::Kind::Int, 1)};
        const DType dtype = dtypes[rng.bounded(4)];
        const int lo = rank == 1 ? 300 : 2, hi = rank == 1 ? 3000 : 9;

        Scenario s;
        ArraySpec src = spec(QStringLiteral("src"), from, dtype, shape, randomVector(rng, rank, lo, hi));
        src.fill.kind = FillSpec::Kind::Random;
        src.fill.seed = seed;
        ArraySpec dst
            = spec(QStringLiteral("dst"), to, dtype, shape, aligned ? src.chunks : randomVector(rng, rank, lo, hi));
        // The reference: the same generated values in a plain buffer.
        ArraySpec ref = spec(QStringLiteral("ref"), QStringLiteral("memory"), dtype, shape, shape);
        ref.fill = src.fill;
        s.arrays = {src, dst, ref};
        CopyOptions options;
        if (!aligned)
            options.chunks = Coords::fromVector(randomVector(rng, rank, lo, hi));
        options.workers = workers;
        options.lock = LockMode(lock);
        copyAndCompare(s, options, aligned);
    }

    // The dtypes copied as bytes, through each store that holds them and through Zarr's numcodecs
    // compressors and filters: the engine's verification and a read-back both find the source's bytes.
    void byteDtypesCopyExactly_data()
    {
        QTest::addColumn<QString>("dtype");
        QTest::addColumn<QString>("to");
        QTest::addColumn<QByteArray>("compressor");
        QTest::addColumn<QByteArray>("filters");
        const QByteArray none = "null";
        QTest::newRow("<f2 zarr bz2") << QStringLiteral("<f2") << QStringLiteral("zarr")
                                      << QByteArray(R"({"id": "bz2", "level": 3})") << none;
        QTest::newRow(">f2 hdf5") << QStringLiteral(">f2") << QStringLiteral("hdf5") << none << none;
        QTest::newRow("<c8 zarr shuffle lz4")
            << QStringLiteral("<c8") << QStringLiteral("zarr") << QByteArray(R"({"id": "lz4"})")
            << QByteArray(R"([{"id": "shuffle", "elementsize": 4}])");
        QTest::newRow(">c16 hdf5") << QStringLiteral(">c16") << QStringLiteral("hdf5") << none << none;
        QTest::newRow("|S7 zarr zstd") << QStringLiteral("|S7") << QStringLiteral("zarr")
                                       << QByteArray(R"({"id": "zstd", "level": 5})") << none;
        QTest::newRow("|S3 hdf5") << QStringLiteral("|S3") << QStringLiteral("hdf5") << none << none;
        QTest::newRow(">U3 zarr gzip") << QStringLiteral(">U3") << QStringLiteral("zarr")
                                       << QByteArray(R"({"id": "gzip"})") << none;
        QTest::newRow("<U2 memory") << QStringLiteral("<U2") << QStringLiteral("memory") << none << none;
        QTest::newRow("<M8[ns] zarr delta lzma")
            << QStringLiteral("<M8[ns]") << QStringLiteral("zarr") << QByteArray(R"({"id": "lzma", "preset": 1})")
            << QByteArray(R"([{"id": "delta", "dtype": "<i8"}])");
        QTest::newRow(">m8[s] zarr raw") << QStringLiteral(">m8[s]") << QStringLiteral("zarr") << none << none;
    }
    void byteDtypesCopyExactly()
    {
        QFETCH(QString, dtype);
        QFETCH(QString, to);
        QFETCH(QByteArray, compressor);
        QFETCH(QByteArray, filters);
        const DType type = *DType::parse(dtype);
        const std::vector<int64_t> shape = {37, 11};
        for (const FillSpec::Kind fill : {FillSpec::Kind::Random, FillSpec::Kind::Arange}) {
            Scenario s;
            ArraySpec src = spec(QStringLiteral("src"), QStringLiteral("memory"), type, shape, {10, 11});
            src.fill.kind = fill;
            src.fill.seed = 5;
            ArraySpec dst = spec(QStringLiteral("dst"), to, type, shape, {8, 4});
            if (to == QLatin1String("zarr")) {
                const QJsonValue c = QJsonDocument::fromJson("[" + compressor + "]").array().at(0);
                ZarrOptions &z = dst.optionsAs<ZarrOptions>();
                z.compressor = c.isObject() ? std::optional(numcodecsCompressor(c.toObject())) : std::nullopt;
                z.filters = QJsonDocument::fromJson(filters).array();
                z.fillValue = QJsonValue::Null;
            }
            ArraySpec ref = spec(QStringLiteral("ref"), QStringLiteral("memory"), type, shape, shape);
            ref.fill = src.fill;
            s.arrays = {src, dst, ref};
            CopyOptions options;
            options.chunks = Coords::fromVector({6, 5});
            options.workers = 2;
            copyAndCompare(s, options, false);
            if (QTest::currentTestFailed())
                return;
        }
    }
};

QTEST_GUILESS_MAIN(TestRoundTrip)
#include "tst_roundtrip.moc"
