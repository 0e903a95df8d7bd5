// Copies that move chunks as stored ("passthrough"): the target's chunk values are the source's,
// byte for byte; chunks the source never stored stay unstored; "require" refuses with the reason;
// the results say which tasks passed and how many bytes; zarr-python reads what they wrote.

#include "interopsupport.h"
#include "notebookcodecs.h"
#include "results/resultsjson.h"
#include "results/verdict.h"
#include "runner/passthroughcheck.h"
#include "scenarioruns.h"
#include "stores/carray/carraystore.h"
#include "stores/hdf5/hdf5store.h"
#include "stores/zarr/zarrarraystore.h"
#include "task/taskcontext.h"

#include <QDir>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSet>
#include <QTemporaryDir>
#include <QtTest>

#include <random>

using namespace cs;

namespace {

const QByteArray &kBlosc = testing::kNotebookBlosc;
const QByteArray &kV3Blosc = testing::kNotebookV3Blosc;

// One run from `src` to `tgt` (array bodies after their store kind), with the run's extra keys.
QByteArray scenario(const QByteArray &src, const QByteArray &tgt, const QByteArray &runKeys)
{
    return R"({"chunkscope": 1, "arrays": {
        "a": {"store": "zarr", "dtype": "<i4", "shape": [20000], "chunks": [3000], )"
        + src + R"(},
        "b": {"store": "zarr", "like": "a", )"
        + tgt + R"(}},
      "runs": [{"name": "r", "source": "a", "target": "b", "workers": 2, )"
        + runKeys + "}]}";
}

// The chunk values of a Zarr array, in chunk order, as stored (a null QByteArray for a chunk not stored).
QList<QByteArray> chunkValues(Store &store)
{
    auto &zarr = dynamic_cast<ZarrArrayStore &>(store);
    QList<QByteArray> values;
    for (int64_t i = 0; i < zarr.grid().chunkCount(); ++i)
        values.append(zarr.get(zarr.chunkKey(zarr.grid().chunkCoords(i))));
    return values;
}

struct Copied {
    QList<RunResult> results;
    QList<QByteArray> source;
    QList<QByteArray> target;
};

Copied copy(const QByteArray &json, const QString &dir = QString())
{
    QString error;
    const std::optional<Scenario> s = parseScenario(json, QStringLiteral("scenario.json"), &error, dir);
    if (!s) {
        qWarning("%s", qPrintable(error));
        return {};
    }
    ArraySet arrays(*s);
    Copied out;
    for (const RunSpec &run : s->runs)
        out.results.append(executeRun(run, arrays));
    out.source = chunkValues(arrays.get(QStringLiteral("a")));
    out.target = chunkValues(arrays.get(QStringLiteral("b")));
    return out;
}

int64_t storedBytes(const QList<QByteArray> &values)
{
    int64_t n = 0;
    for (const QByteArray &v : values)
        n += v.size();
    return n;
}

QString refusalBeforeRun(const QByteArray &json)
{
    QString error;
    const std::optional<Scenario> s = parseScenario(json, QStringLiteral("scenario.json"), &error);
    return s ? passthroughRefusalBeforeRun(*s, s->runs.first()) : QStringLiteral("parse: ") + error;
}

} // namespace

class TestPassthrough : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void zarrV2ToV2MovesStoredBytes()
    {
        const Copied c = copy(scenario(R"("compressor": )" + kBlosc + R"(, "fill": "arange")", R"("fill": "empty")",
                                       R"("passthrough": "auto")"));
        QCOMPARE(c.results.size(), 1);
        const RunResult &r = c.results.first();
        QVERIFY2(r.status == RunResult::Status::Ok, qPrintable(r.error));
        QCOMPARE(r.verified, std::optional<bool>(true));
        QCOMPARE(c.source.size(), 7);
        QCOMPARE(c.target, c.source); // the edge chunk too: both store it full size
        QCOMPARE(r.bytesPassedThrough, storedBytes(c.source));
        QCOMPARE(int(r.events.size()), 7);
        for (const TaskEvent &e : r.events) {
            QVERIFY(e.passthrough);
            QCOMPARE(e.phaseNs[size_t(Phase::Decode)], int64_t(0));
            QCOMPARE(e.phaseNs[size_t(Phase::Encode)], int64_t(0));
        }
    }

    void neverDecodesAndEncodes()
    {
        const Copied c = copy(scenario(R"("compressor": )" + kBlosc + R"(, "fill": "arange")", R"("fill": "empty")",
                                       R"("passthrough": "never")"));
        const RunResult &r = c.results.first();
        QVERIFY2(r.status == RunResult::Status::Ok, qPrintable(r.error));
        QCOMPARE(r.bytesPassedThrough, int64_t(0));
        for (const TaskEvent &e : r.events) {
            QVERIFY(!e.passthrough);
            QVERIFY(e.phaseNs[size_t(Phase::Encode)] > 0);
        }
    }

    void verdictSaysAPassthroughWouldHelp()
    {
        const Copied c = copy(scenario(R"("compressor": )" + kBlosc + R"(, "fill": "arange")", R"("fill": "empty")",
                                       R"("passthrough": "never")"));
        const RunResult &r = c.results.first();
        QVERIFY(r.passthroughPossible);
        QCOMPARE(r.bytes, int64_t(80000));
        const QString clause
            = QStringLiteral("the source and target share chunks and codecs: passing encoded chunks through would move "
                             "%1 MB instead of decoding 0.1 MB (\"passthrough\": \"auto\")")
                  .arg(double(r.sourceBefore.nbytesStored) / 1e6, 0, 'f', 1);
        QVERIFY2(verdictFor(r).headline.endsWith(clause), qPrintable(verdictFor(r).headline));
        // Not when the chunks did pass, nor when the codecs differ.
        const Copied passed = copy(scenario(R"("compressor": )" + kBlosc + R"(, "fill": "arange")",
                                            R"("fill": "empty")", R"("passthrough": "auto")"));
        QVERIFY(!passed.results.first().passthroughPossible);
        QVERIFY(!verdictFor(passed.results.first()).headline.contains(QStringLiteral("share chunks")));
        const Copied other = copy(scenario(R"("compressor": )" + kBlosc + R"(, "fill": "arange")",
                                           R"("compressor": {"id": "zlib", "level": 1}, "fill": "empty")",
                                           R"("passthrough": "never")"));
        QVERIFY(!other.results.first().passthroughPossible);
    }

    void hdf5DirectToDirectCarriesTheFilterMask()
    {
        QTemporaryDir tmp;
        const QByteArray json = R"({"chunkscope": 1, "arrays": {
            "m": {"store": "memory", "dtype": "<i4", "shape": [20000], "chunks": [3000], "fill": "arange"},
            "a": {"store": "hdf5", "like": "m", "file": "src.h5", "compression": "lzf", "shuffle": true,
                  "fill": "empty"},
            "b": {"store": "hdf5", "like": "a", "file": "tgt.h5", "fill": "empty"}},
          "runs": [{"name": "make", "source": "m", "target": "a", "hdf5_path": "direct"},
                   {"name": "r", "source": "a", "target": "b", "hdf5_path": "direct", "passthrough": "require"}]})";
        QString error;
        const std::optional<Scenario> s = parseScenario(json, QStringLiteral("scenario.json"), &error, tmp.path());
        QVERIFY2(s, qPrintable(error));
        {
            ArraySet arrays(*s);
            QCOMPARE(executeRun(s->runs.at(0), arrays).first().status, RunResult::Status::Ok);
            auto &a = dynamic_cast<Hdf5Store &>(arrays.get(QStringLiteral("a")));
            // LZF gives up on noise, which HDF5 then stores unfiltered with the mask's bit set.
            std::vector<int32_t> noise(3000);
            std::mt19937 random(7);
            for (int32_t &x : noise)
                x = int32_t(random());
            TaskContext ctx;
            a.write(a.grid().chunkRegion(Coords::fromVector({2})), noise.data(), ctx);
            a.endWriting();
            const RunResult r = executeRun(s->runs.at(1), arrays).first();
            QVERIFY2(r.status == RunResult::Status::Ok, qPrintable(r.error));
            QCOMPARE(r.verified, std::optional<bool>(true));
            auto &b = dynamic_cast<Hdf5Store &>(arrays.get(QStringLiteral("b")));
            int64_t stored = 0;
            QSet<uint32_t> masks;
            for (int64_t i = 0; i < a.grid().chunkCount(); ++i) {
                const Coords cc = a.grid().chunkCoords(i);
                const auto from = a.rawChunk(cc);
                const auto to = b.rawChunk(cc);
                QVERIFY(from && to);
                QCOMPARE(to->bytes, from->bytes);
                QCOMPARE(to->filterMask, from->filterMask);
                masks.insert(from->filterMask);
                stored += from->bytes.size();
            }
            QCOMPARE(masks.size(), 2); // chunks stored with LZF and one without
            QCOMPARE(r.bytesPassedThrough, stored);
            for (const TaskEvent &e : r.events)
                QVERIFY(e.passthrough);
        }

        if (testing::testPython().isEmpty())
            QSKIP("CHUNKSCOPE_PYTHON is not set");
        QString output;
        QVERIFY2(testing::runPython({QStringLiteral("-c"),
                                     QStringLiteral("import sys, h5py, numpy\n"
                                                    "a = h5py.File(sys.argv[1], 'r')['/data'][:]\n"
                                                    "b = h5py.File(sys.argv[2], 'r')['/data'][:]\n"
                                                    "assert (a == b).all() and (b[:6000] == numpy.arange(6000)).all()\n"
                                                    "print('equal')"),
                                     tmp.filePath(QStringLiteral("src.h5")), tmp.filePath(QStringLiteral("tgt.h5"))},
                                    &output),
                 qPrintable(output));
        QCOMPARE(output, QStringLiteral("equal"));
    }

    // HDF5 cannot remove a chunk: where the source holds none and the target one, the target's chunk
    // is stored as the fill value, so that the target reads as the source does even unverified.
    void hdf5ChunksTheSourceNeverStoredReadAsFill()
    {
        QTemporaryDir tmp;
        const QByteArray json = R"({"chunkscope": 1, "arrays": {
            "a": {"store": "hdf5", "dtype": "<i4", "shape": [9000], "chunks": [3000], "file": "src.h5",
                  "compression": "lzf", "fill": "empty"},
            "b": {"store": "hdf5", "like": "a", "file": "tgt.h5", "fill": "arange"}},
          "runs": [{"name": "r", "source": "a", "target": "b", "hdf5_path": "direct", "passthrough": "require",
                    "verify": false}]})";
        QString error;
        const std::optional<Scenario> s = parseScenario(json, QStringLiteral("scenario.json"), &error, tmp.path());
        QVERIFY2(s, qPrintable(error));
        ArraySet arrays(*s);
        auto &a = dynamic_cast<Hdf5Store &>(arrays.get(QStringLiteral("a")));
        std::vector<int32_t> ones(3000, 1);
        TaskContext ctx;
        a.write(a.grid().chunkRegion(Coords::fromVector({1})), ones.data(), ctx);
        a.endWriting();
        auto &b = dynamic_cast<Hdf5Store &>(arrays.get(QStringLiteral("b")));
        QVERIFY(b.rawChunk(Coords::fromVector({0})).has_value()); // the target held chunk 0 before
        const RunResult r = executeRun(s->runs.first(), arrays).first();
        QVERIFY2(r.status == RunResult::Status::Ok, qPrintable(r.error));
        QCOMPARE(r.verified, std::optional<bool>());
        std::vector<int32_t> got(9000, -1);
        b.read(Region::whole(b.shape()), got.data(), ctx);
        std::vector<int32_t> expected(9000, 0);
        std::fill(expected.begin() + 3000, expected.begin() + 6000, 1);
        QCOMPARE(got, expected);
    }

    void carrayMovesFullChunksAndReencodesTheLeftover()
    {
        QTemporaryDir tmp;
        const QByteArray arrays = R"({"chunkscope": 1, "arrays": {
            "a": {"store": "carray", "dtype": "<i4", "shape": [20000], "chunklen": 3000, "fill": "arange",
                  "cparams": {"cname": "blosclz", "clevel": 5, "shuffle": 1}},
            "b": {"store": "carray", "like": "a", "fill": "empty", "rootdir": "b.bcolz"}},
          "runs": [{"name": "r", "source": "a", "target": "b", "passthrough": )";
        QString error;
        const std::optional<Scenario> s
            = parseScenario(arrays + R"("auto"}]})", QStringLiteral("scenario.json"), &error, tmp.path());
        QVERIFY2(s, qPrintable(error));
        ArraySet set(*s);
        const RunResult r = executeRun(s->runs.first(), set).first();
        QVERIFY2(r.status == RunResult::Status::Ok, qPrintable(r.error));
        QCOMPARE(r.verified, std::optional<bool>(true));
        auto &a = dynamic_cast<CarrayStore &>(set.get(QStringLiteral("a")));
        auto &b = dynamic_cast<CarrayStore &>(set.get(QStringLiteral("b")));
        QCOMPARE(a.fullChunks(), int64_t(6));
        int64_t stored = 0;
        for (int64_t n = 0; n < a.fullChunks(); ++n) {
            QVERIFY(!a.frame(n).isEmpty());
            QCOMPARE(b.frame(n), a.frame(n));
            stored += a.frame(n).size();
        }
        QCOMPARE(r.bytesPassedThrough, stored);
        // Six full chunks pass; the leftover rows, unpadded, are decoded and encoded.
        QCOMPARE(int(r.events.size()), 7);
        for (const TaskEvent &e : r.events)
            QCOMPARE(e.passthrough, e.task < 6);
        QCOMPARE(b.leftover(), a.leftover());
        QTemporaryDir other;
        QCOMPARE(runScenario(arrays + R"("require"}]})", other.path()).first().error,
                 QStringLiteral("passthrough \"require\" cannot be honoured: a different edge chunk: source a keeps "
                                "its last chunk unpadded, so the edge chunks are re-encoded"));
    }

    void zarrV2ToV3MovesStoredBytes()
    {
        const Copied c = copy(scenario(R"("compressor": )" + kBlosc + R"(, "fill": {"random": {"seed": 1}})",
                                       R"("zarr_format": 3, "codecs": )" + kV3Blosc + R"(, "fill": "empty")",
                                       R"("passthrough": "require")"));
        const RunResult &r = c.results.first();
        QVERIFY2(r.status == RunResult::Status::Ok, qPrintable(r.error));
        QCOMPARE(r.verified, std::optional<bool>(true));
        QCOMPARE(c.target, c.source);
        QCOMPARE(r.bytesPassedThrough, storedBytes(c.source));
    }

    void differentCodecsDecodeUnderAuto()
    {
        const Copied c = copy(scenario(R"("compressor": )" + kBlosc + R"(, "fill": "arange")",
                                       R"("compressor": {"id": "zlib", "level": 1}, "fill": "empty")",
                                       R"("passthrough": "auto")"));
        const RunResult &r = c.results.first();
        QVERIFY2(r.status == RunResult::Status::Ok, qPrintable(r.error));
        QCOMPARE(r.verified, std::optional<bool>(true));
        QCOMPARE(r.bytesPassedThrough, int64_t(0));
        for (const TaskEvent &e : r.events)
            QVERIFY(!e.passthrough);
        QVERIFY(c.target != c.source);
    }

    void requireSaysWhy_data()
    {
        QTest::addColumn<QByteArray>("json");
        QTest::addColumn<QString>("why");
        const QByteArray blosc = R"("compressor": )" + kBlosc + R"(, "fill": "arange")";
        QTest::newRow("codec") << scenario(blosc, R"("compressor": {"id": "zlib", "level": 1}, "fill": "empty")",
                                           R"("passthrough": "require")")
                               << QStringLiteral("a different codec: source a encodes with blosc(cname=blosclz, "
                                                 "clevel=5, shuffle=1), target b with zlib(level=1)");
        QTest::newRow("grid") << scenario(blosc, R"("fill": "empty")", R"("passthrough": "require", "chunks": [6000])")
                              << QStringLiteral(
                                     "a different grid: the copy's chunks [6000] differ from source a's chunks [3000]");
        QTest::newRow("target grid") << scenario(blosc, R"("chunks": [4000], "fill": "empty")",
                                                 R"("passthrough": "require")")
                                     << QStringLiteral("a different grid: target b's chunks [4000] differ from source "
                                                       "a's chunks [3000]");
        QTest::newRow("byte order") << scenario(
            blosc,
            R"("zarr_format": 3, "fill": "empty", "codecs": [{"name": "bytes", "configuration": {"endian": "big"}},
                            {"name": "blosc", "configuration": {"cname": "blosclz", "clevel": 5, "shuffle": "shuffle",
                             "typesize": 4, "blocksize": 0}}])",
            R"("passthrough": "require")")
                                    << QStringLiteral("a different byte order: source a stores little-endian items, "
                                                      "target b stores "
                                                      "big-endian items");
        QTest::newRow("fill value") << scenario(blosc, R"("fill_value": 7, "fill": "empty")",
                                                R"("passthrough": "require")")
                                    << QStringLiteral("a fill value that differs: source a's fill bytes are 00000000, "
                                                      "target b's are 07000000");
    }

    void requireSaysWhy()
    {
        QFETCH(QByteArray, json);
        QFETCH(QString, why);
        const QString expected = QStringLiteral("passthrough \"require\" cannot be honoured: ") + why;
        // `check` says it before anything is built...
        QCOMPARE(refusalBeforeRun(json), expected);
        // ...and a run that gets that far fails with the same words, having written nothing.
        const QList<RunResult> results = runScenario(json, QString());
        QCOMPARE(results.size(), 1);
        QCOMPARE(results.first().status, RunResult::Status::Failed);
        QCOMPARE(results.first().error, expected);
    }

    void requireRefusesAStoreWithoutEncodedChunks()
    {
        const QByteArray json = R"({"chunkscope": 1, "arrays": {
            "a": {"store": "memory", "dtype": "<i4", "shape": [100], "chunks": [10], "fill": "arange"},
            "b": {"store": "zarr", "like": "a", "fill": "empty"}},
          "runs": [{"name": "r", "source": "a", "target": "b", "passthrough": "require"}]})";
        const QList<RunResult> results = runScenario(json, QString());
        QCOMPARE(
            results.first().error,
            QStringLiteral("passthrough \"require\" cannot be honoured: source a (memory) holds no encoded chunks"));
    }

    void chunksNeverStoredStayUnstored()
    {
        QTemporaryDir tmp;
        const QString src = tmp.filePath(QStringLiteral("src.zarr"));
        const QString tgt = tmp.filePath(QStringLiteral("tgt.zarr"));
        const QByteArray make = R"({"chunkscope": 1, "arrays": {
            "m": {"store": "memory", "dtype": "<i4", "shape": [20000], "chunks": [3000], "fill": "arange"},
            "a": {"store": "zarr", "like": "m", "path": "src.zarr", "compressor": )"
            + kBlosc + R"(, "fill": "empty"}},
          "runs": [{"name": "make", "source": "m", "target": "a"}]})";
        QCOMPARE(runScenario(make, tmp.path()).first().status, RunResult::Status::Ok);
        QVERIFY(QFile::remove(src + QStringLiteral("/2")));
        QVERIFY(QFile::remove(src + QStringLiteral("/5")));
        const Copied c = copy(R"({"chunkscope": 1, "arrays": {
            "a": {"store": "zarr", "path": "src.zarr", "fill": "existing"},
            "b": {"store": "zarr", "dtype": "<i4", "shape": [20000], "chunks": [3000], "path": "tgt.zarr",
                  "compressor": )" + kBlosc
                                  + R"(, "fill": "empty"}},
          "runs": [{"name": "r", "source": "a", "target": "b", "passthrough": "require"}]})",
                              tmp.path());
        QCOMPARE(c.results.size(), 1);
        const RunResult &r = c.results.first();
        QVERIFY2(r.status == RunResult::Status::Ok, qPrintable(r.error));
        QCOMPARE(r.verified, std::optional<bool>(true));
        QVERIFY(c.source.at(2).isNull());
        QCOMPARE(c.target, c.source);
        QStringList files = QDir(tgt).entryList(QDir::Files | QDir::Hidden);
        files.sort();
        QCOMPARE(files,
                 QStringList({QStringLiteral(".zarray"), QStringLiteral("0"), QStringLiteral("1"), QStringLiteral("3"),
                              QStringLiteral("4"), QStringLiteral("6")}));
        for (const QString &f : files.mid(1))
            QCOMPARE(testing::fileBytes(tgt + QLatin1Char('/') + f), testing::fileBytes(src + QLatin1Char('/') + f));

        // A target that held those chunks before loses them: they read as the fill value, as in the source.
        const Copied over = copy(R"({"chunkscope": 1, "arrays": {
            "a": {"store": "zarr", "path": "src.zarr", "fill": "existing"},
            "b": {"store": "zarr", "dtype": "<i4", "shape": [20000], "chunks": [3000], "fill": "arange",
                  "compressor": )" + kBlosc
                                     + R"(}},
          "runs": [{"name": "r", "source": "a", "target": "b", "passthrough": "auto"}]})",
                                 tmp.path());
        QCOMPARE(over.results.size(), 1);
        QVERIFY2(over.results.first().status == RunResult::Status::Ok, qPrintable(over.results.first().error));
        QCOMPARE(over.results.first().verified, std::optional<bool>(true));
        QCOMPARE(over.target, c.source);

        // zarr-python reads the target as it reads the source: the missing chunks as the fill value.
        if (testing::testPython().isEmpty())
            QSKIP("CHUNKSCOPE_PYTHON is not set");
        QString output;
        QVERIFY2(testing::runPython({QStringLiteral("-c"),
                                     QStringLiteral("import sys, zarr, numpy\n"
                                                    "a = zarr.open(sys.argv[1], mode='r')[:]\n"
                                                    "b = zarr.open(sys.argv[2], mode='r')[:]\n"
                                                    "assert (a == b).all() and (b[6000:9000] == 0).all()\n"
                                                    "assert b[3] == 3 and b[19999] == 19999\n"
                                                    "print(int(b.sum()))"),
                                     src, tgt},
                                    &output),
                 qPrintable(output));
        int64_t expected = 0;
        for (int64_t i = 0; i < 20000; ++i)
            if (!(i >= 6000 && i < 9000) && !(i >= 15000 && i < 18000))
                expected += i;
        QCOMPARE(output, QString::number(expected));
    }

    void resultsCarryTheFlagAndTheBytes()
    {
        const Copied c = copy(scenario(R"("compressor": )" + kBlosc + R"(, "fill": "arange")", R"("fill": "empty")",
                                       R"("passthrough": "auto")"));
        const QByteArray doc = resultsToJson(QStringLiteral("s"), HostInfo::current(), c.results);
        const QJsonObject run
            = QJsonDocument::fromJson(doc).object().value(QStringLiteral("runs")).toArray().at(0).toObject();
        QCOMPARE(run.value(QStringLiteral("bytes_passed_through")).toInteger(), storedBytes(c.source));
        QCOMPARE(run.value(QStringLiteral("passthrough")).toString(), QStringLiteral("auto"));
        const QJsonArray events = run.value(QStringLiteral("task_events")).toArray();
        QCOMPARE(events.size(), 7);
        for (const QJsonValue &e : events)
            QCOMPARE(e.toObject().value(QStringLiteral("passthrough")), QJsonValue(true));
        // Read back, as the window opens a results file.
        QString error;
        const auto back = parseResults(doc, QStringLiteral("results.json"), &error);
        QVERIFY2(back.has_value(), qPrintable(error));
        QCOMPARE(back->runs.first().bytesPassedThrough, storedBytes(c.source));
        QCOMPARE(back->runs.first().passthrough, PassthroughMode::Auto);
        QVERIFY(back->runs.first().events.front().passthrough);
    }

    void sweepsOverPassthrough()
    {
        const Copied c = copy(scenario(R"("compressor": )" + kBlosc + R"(, "fill": "arange")", R"("fill": "empty")",
                                       R"("passthrough": ["never", "auto"])"));
        QCOMPARE(c.results.size(), 2);
        QCOMPARE(c.results.at(0).name, QStringLiteral("r [passthrough=never]"));
        QCOMPARE(c.results.at(1).name, QStringLiteral("r [passthrough=auto]"));
        QCOMPARE(c.results.at(0).bytesPassedThrough, int64_t(0));
        QCOMPARE(c.results.at(1).bytesPassedThrough, storedBytes(c.source));
    }
};

QTEST_GUILESS_MAIN(TestPassthrough)
#include "tst_passthrough.moc"
