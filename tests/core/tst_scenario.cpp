#include "profiler/eventlog.h"
#include "runner/runexecutor.h"
#include "scenario/allocation.h"
#include "scenario/scenarioparser.h"
#include "scenario/scenariowriter.h"
#include "scenario/sweep.h"
#include "stores/carray/carrayoptions.h"
#include "stores/hdf5/hdf5options.h"
#include "stores/storeinfo.h"
#include "stores/zarr/zarroptions.h"
#include "testfiles.h"

#include <QDir>
#include <QFile>
#include <QRandomGenerator>
#include <QTemporaryDir>
#include <QTest>
#include <QThread>

#include <cmath>

using namespace cs;

namespace {

// A parsed array's options of one kind; the defaults for an array of another kind.
template <class Options> const Options &opt(const ArraySpec &a)
{
    static const Options defaults;
    const Options *own = a.optionsIf<Options>();
    return own ? *own : defaults;
}

QString dataPath(const QString &relative)
{
    return QDir(qEnvironmentVariable("CHUNKSCOPE_TEST_DATA")).filePath(relative);
}

template <size_t N> QByteArray bytes(const char (&text)[N])
{
    return QByteArray(text, qsizetype(N - 1)); // keeps embedded NULs
}

// A scenario around the given arrays and runs.
QByteArray doc(const QByteArray &arrays, const QByteArray &runs = "[]")
{
    return "{\"chunkscope\": 1, \"arrays\": {" + arrays + "}, \"runs\": " + runs + "}";
}

const QByteArray A1 = R"("a1": {"store": "memory", "dtype": "<i4", "shape": [100], "chunks": [10], "fill": "arange"})";
const QByteArray A2 = R"("a2": {"store": "memory", "like": "a1"})";
const QByteArray Z1 = R"("z1": {"store": "zarr", "like": "a1")";
const QByteArray H1 = R"("h1": {"store": "hdf5", "like": "a1")";
const QByteArray C1 = R"("c1": {"store": "carray", "like": "a1")";

std::vector<int64_t> v(std::initializer_list<int64_t> values)
{
    return std::vector<int64_t>(values);
}

void compareArrays(const ArraySpec &a, const ArraySpec &b)
{
    QCOMPARE(a.id, b.id);
    QCOMPARE(a.store, b.store);
    QCOMPARE(a.like, b.like);
    QCOMPARE(a.dtype, b.dtype);
    QCOMPARE(a.dtypeKnown, b.dtypeKnown);
    QVERIFY(a.shape == b.shape);
    QVERIFY(a.chunks == b.chunks);
    QVERIFY(a.fill == b.fill);
    QCOMPARE(a.overwrite, b.overwrite);
    QCOMPARE(opt<ZarrOptions>(a).path, opt<ZarrOptions>(b).path);
    QCOMPARE(opt<ZarrOptions>(a).compressor.has_value(), opt<ZarrOptions>(b).compressor.has_value());
    if (opt<ZarrOptions>(a).compressor)
        QVERIFY(*opt<ZarrOptions>(a).compressor == *opt<ZarrOptions>(b).compressor);
    QCOMPARE(opt<ZarrOptions>(a).fillValue, opt<ZarrOptions>(b).fillValue);
    QCOMPARE(opt<ZarrOptions>(a).order, opt<ZarrOptions>(b).order);
    QCOMPARE(opt<ZarrOptions>(a).dimensionSeparator, opt<ZarrOptions>(b).dimensionSeparator);
    QCOMPARE(opt<Hdf5Options>(a).file, opt<Hdf5Options>(b).file);
    QCOMPARE(opt<Hdf5Options>(a).dataset, opt<Hdf5Options>(b).dataset);
    QCOMPARE(opt<Hdf5Options>(a).compression, opt<Hdf5Options>(b).compression);
    QCOMPARE(opt<Hdf5Options>(a).compressionOpts, opt<Hdf5Options>(b).compressionOpts);
    QCOMPARE(opt<Hdf5Options>(a).shuffle, opt<Hdf5Options>(b).shuffle);
    QCOMPARE(opt<CarrayOptions>(a).chunklen, opt<CarrayOptions>(b).chunklen);
    QVERIFY(opt<CarrayOptions>(a).cparams == opt<CarrayOptions>(b).cparams);
    QCOMPARE(opt<CarrayOptions>(a).rootdir, opt<CarrayOptions>(b).rootdir);
    QCOMPARE(a.given, b.given);
}

void compareRuns(const RunSpec &a, const RunSpec &b)
{
    QCOMPARE(a.name, b.name);
    QCOMPARE(a.source, b.source);
    QCOMPARE(a.target, b.target);
    QVERIFY(a.chunks == b.chunks);
    QCOMPARE(a.workers, b.workers);
    QCOMPARE(a.lock, b.lock);
    QCOMPARE(a.profile, b.profile);
    QCOMPARE(a.sampleMs, b.sampleMs);
    QCOMPARE(a.verify, b.verify);
    QCOMPARE(a.hdf5Path, b.hdf5Path);
    QCOMPARE(a.repeat, b.repeat);
    QCOMPARE(a.warmup, b.warmup);
    QCOMPARE(a.prefault, b.prefault);
    QCOMPARE(a.sweep.has_value(), b.sweep.has_value());
    if (a.sweep) {
        QCOMPARE(a.sweep->of, b.sweep->of);
        QCOMPARE(a.sweep->values, b.sweep->values);
    }
}

void compareScenarios(const Scenario &a, const Scenario &b)
{
    QCOMPARE(a.name, b.name);
    QCOMPARE(a.description, b.description);
    QCOMPARE(a.arrays.size(), b.arrays.size());
    for (qsizetype i = 0; i < a.arrays.size(); ++i) {
        compareArrays(a.arrays.at(i), b.arrays.at(i));
        if (QTest::currentTestFailed()) {
            qWarning() << "array" << a.arrays.at(i).id;
            return;
        }
    }
    QCOMPARE(a.runs.size(), b.runs.size());
    for (qsizetype i = 0; i < a.runs.size(); ++i) {
        compareRuns(a.runs.at(i), b.runs.at(i));
        if (QTest::currentTestFailed()) {
            qWarning() << "run" << a.runs.at(i).name;
            return;
        }
    }
    QCOMPARE(a.givenRuns, b.givenRuns);
}

std::optional<Scenario> parseOk(const QByteArray &json)
{
    QString error;
    std::optional<Scenario> s = parseScenario(json, QStringLiteral("t.json"), &error);
    if (!s)
        qWarning().noquote() << error;
    return s;
}

} // namespace

class TestScenario : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void defaultScenario()
    {
        QString error;
        const auto s = loadScenarioFile(dataPath(QStringLiteral("../resources/default-scenario.json")), &error);
        QVERIFY2(s, qPrintable(error));
        QCOMPARE(s->name, QStringLiteral("Profile array copy via dask threaded scheduler"));
        const ArraySpec *a1 = s->array(QStringLiteral("a1"));
        QVERIFY(a1);
        QCOMPARE(a1->dtype.typestr(), QStringLiteral("<i4"));
        QVERIFY(a1->shape == v({400000000}));
        QVERIFY(a1->chunks == v({1048576}));
        QCOMPARE(a1->fill.kind, FillSpec::Kind::Arange);
        const ArraySpec *z2 = s->array(QStringLiteral("z2"));
        QVERIFY(z2);
        // z2 is like z1, itself like a1: a1's geometry and z1's codec.
        QVERIFY(z2->chunks == v({1048576}));
        QVERIFY(opt<ZarrOptions>(*z2).compressor);
        QCOMPARE(opt<ZarrOptions>(*z2).compressor->id, QStringLiteral("blosc"));
        QCOMPARE(opt<ZarrOptions>(*z2).compressor->cname, QStringLiteral("blosclz"));
        QCOMPARE(opt<ZarrOptions>(*z2).compressor->clevel, 5);
        QCOMPARE(opt<ZarrOptions>(*z2).compressor->shuffle, 1);
        QCOMPARE(z2->fill.kind, FillSpec::Kind::Empty);
        QCOMPARE(s->array(QStringLiteral("z1"))->fill.copyOf, QStringLiteral("a1"));
        const auto run = [&](const char *name) -> const RunSpec * {
            for (const RunSpec &r : s->runs)
                if (r.name == QLatin1String(name))
                    return &r;
            return nullptr;
        };
        QVERIFY(run("numpy, no lock") && run("zarr, lock"));
        QCOMPARE(run("numpy, no lock")->lock, LockMode::None);
        QCOMPARE(run("zarr, lock")->lock, LockMode::Target);
        QCOMPARE(run("zarr, lock")->sampleMs, 20);
        QVERIFY(run("zarr, lock")->chunks == v({1048576})); // the source's chunks
        QCOMPARE(run("zarr, lock")->workers, 0);
        QVERIFY(!run("zarr, lock")->sweep);
    }

    void roundTrip_data()
    {
        QTest::addColumn<QString>("file");
        QTest::newRow("rich") << QStringLiteral("data/scenarios/rich.json");
        QTest::newRow("default") << QStringLiteral("../resources/default-scenario.json");
    }
    void roundTrip()
    {
        QFETCH(QString, file);
        const QByteArray text = readAll(dataPath(file));
        QVERIFY(!text.isEmpty());
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        QVERIFY(QDir(dir.path()).mkpath(QStringLiteral("in.zarr"))); // rich.json's "existing" data
        // Parsed as if the file were in dir, so that the saved copy there resolves paths alike.
        QString error;
        const auto first = parseScenario(text, file, &error, dir.path());
        QVERIFY2(first, qPrintable(error));

        const QString saved = dir.filePath(QStringLiteral("saved.json"));
        QVERIFY2(saveScenarioFile(*first, saved, &error), qPrintable(error));
        const auto second = loadScenarioFile(saved, &error);
        QVERIFY2(second, qPrintable(error));
        compareScenarios(*first, *second);
        if (QTest::currentTestFailed())
            return;
        QCOMPARE(second->filePath, QFileInfo(saved).absoluteFilePath());

        // Saving is stable: the saved text saves to itself.
        QCOMPARE(scenarioToJson(*second), readAll(saved));
        // And a scenario written from resolved fields alone parses to the same specs.
        Scenario fieldsOnly = *first;
        fieldsOnly.givenRuns = QJsonArray();
        for (ArraySpec &a : fieldsOnly.arrays)
            a.given = QJsonObject();
        const auto third = parseScenario(scenarioToJson(fieldsOnly), file, &error, dir.path());
        QVERIFY2(third, qPrintable(error));
        QCOMPARE(third->arrays.size(), first->arrays.size());
        for (qsizetype i = 0; i < first->arrays.size(); ++i) {
            ArraySpec expected = first->arrays.at(i);
            ArraySpec got = third->arrays.at(i);
            expected.given = got.given = QJsonObject();
            expected.like = got.like = QString();
            compareArrays(got, expected);
            if (QTest::currentTestFailed())
                return;
        }
        QCOMPARE(third->runs.size(), first->runs.size());
        for (qsizetype i = 0; i < first->runs.size(); ++i) {
            RunSpec expected = first->runs.at(i);
            expected.sweep.reset();
            // Written one by one, the expanded runs are no sweep, and runSpecToJson writes no "warmup".
            expected.warmup = 0;
            compareRuns(third->runs.at(i), expected);
        }
    }

    void richScenarioResolution()
    {
        QTemporaryDir dir;
        QVERIFY(QDir(dir.path()).mkpath(QStringLiteral("in.zarr"))); // the "existing" data
        QString error;
        const auto s = parseScenario(readAll(dataPath(QStringLiteral("data/scenarios/rich.json"))),
                                     QStringLiteral("rich.json"), &error, dir.path());
        QVERIFY2(s, qPrintable(error));
        QStringList ids;
        for (const ArraySpec &a : s->arrays)
            ids.append(a.id);
        // File order, not QJsonObject's sorted order.
        QCOMPARE(ids,
                 QString(QStringLiteral("src dst grid grid2 z1 z2 z3 zin h1 h2 h3 c1 c2 c3")).split(QLatin1Char(' ')));

        const ArraySpec &z1 = *s->array(QStringLiteral("z1"));
        QCOMPARE(opt<ZarrOptions>(z1).compressor->cname, QStringLiteral("zstd"));
        QCOMPARE(opt<ZarrOptions>(z1).compressor->shuffle, 2);
        const ArraySpec &z2 = *s->array(QStringLiteral("z2"));
        QCOMPARE(opt<ZarrOptions>(z2).compressor->cname, QStringLiteral("zstd")); // same store kind: codec inherited
        QCOMPARE(opt<ZarrOptions>(z2).dimensionSeparator, QStringLiteral("/"));
        QCOMPARE(opt<ZarrOptions>(z2).path, dir.filePath(QStringLiteral("out/z2.zarr"))); // relative to the scenario
        QCOMPARE(z2.given.value(QStringLiteral("path")).toString(), QStringLiteral("out/z2.zarr"));
        QCOMPARE(z2.fill.kind, FillSpec::Kind::Empty); // fill is not inherited
        const ArraySpec &z3 = *s->array(QStringLiteral("z3"));
        QCOMPARE(opt<ZarrOptions>(z3).path, QStringLiteral("/tmp/chunkscope-fixture/z3.zarr"));
        QCOMPARE(opt<ZarrOptions>(z3).compressor->id, QStringLiteral("zlib"));
        QCOMPARE(opt<ZarrOptions>(z3).compressor->clevel, 1);
        QCOMPARE(opt<ZarrOptions>(z3).fillValue, QJsonValue(QStringLiteral("NaN")));
        QCOMPARE(opt<ZarrOptions>(z3).order, QStringLiteral("F"));
        QVERIFY(z3.chunks == v({8, 16}));
        const ArraySpec &zin = *s->array(QStringLiteral("zin"));
        QVERIFY(zin.shape.empty());
        QVERIFY(!zin.dtypeKnown);
        QCOMPARE(opt<ZarrOptions>(zin).compressor->cname, QStringLiteral("lz4")); // zarr's default compressor
        QCOMPARE(zin.fill.kind, FillSpec::Kind::Existing);
        const ArraySpec &grid2 = *s->array(QStringLiteral("grid2"));
        QVERIFY(std::isnan(grid2.fill.constant));
        QCOMPARE(s->array(QStringLiteral("grid"))->fill.seed, uint64_t(7));

        const ArraySpec &h2 = *s->array(QStringLiteral("h2"));
        QCOMPARE(opt<Hdf5Options>(h2).compression, QStringLiteral("lzf"));
        QCOMPARE(opt<Hdf5Options>(h2).shuffle, true);
        QCOMPARE(opt<Hdf5Options>(h2).dataset, QStringLiteral("/h2"));
        QCOMPARE(s->array(QStringLiteral("h1"))->fill.constant, 7.0);
        QCOMPARE(opt<Hdf5Options>(*s->array(QStringLiteral("h3"))).compressionOpts, 6);

        const ArraySpec &c2 = *s->array(QStringLiteral("c2"));
        QCOMPARE(opt<CarrayOptions>(c2).chunklen, int64_t(250));
        QVERIFY(c2.chunks == v({250}));
        QCOMPARE(opt<CarrayOptions>(c2).cparams.cname, QStringLiteral("lz4"));
        QCOMPARE(opt<CarrayOptions>(c2).cparams.shuffle, 0);
        QCOMPARE(opt<CarrayOptions>(c2).rootdir, dir.filePath(QStringLiteral("out/c2.bcolz")));
        // bcolz's default: 15000 bytes is 0.014 MB, decade -1, 4 KiB << 5 = 131072 bytes of 3-byte rows.
        const ArraySpec &c3 = *s->array(QStringLiteral("c3"));
        QCOMPARE(opt<CarrayOptions>(c3).chunklen, int64_t(43690));
        QVERIFY(c3.chunks == v({43690, 3}));
        QCOMPARE(opt<CarrayOptions>(c3).cparams.cname, QStringLiteral("blosclz"));

        QCOMPARE(s->runs.size(), 13);
        const RunSpec &memory = s->runs.at(0);
        QCOMPARE(memory.lock, LockMode::Io);
        QCOMPARE(memory.sampleMs, 5);
        QVERIFY(memory.chunks == v({100}));
        QCOMPARE(s->runs.at(9).hdf5Path, Hdf5Path::Direct);
        QCOMPARE(s->runs.at(9).profile, false);
        QCOMPARE(s->runs.at(9).verify, false);
        QCOMPARE(s->runs.at(10).prefault, true);
        QCOMPARE(s->runs.at(10).lock, LockMode::None);
        QCOMPARE(s->runs.at(11).name, QStringLiteral("2-D [chunks=10x10]"));
        QVERIFY(s->runs.at(12).chunks == v({30, 40}));
    }

    void carrayDefaultChunklenFollowsBcolz()
    {
        // The notebook's 400,000,000 int32: 1526 MB, decade 3, 4 KiB << 9 = 2 MiB of 4-byte rows.
        QCOMPARE(carrayDefaultChunklen(DType(DType::Kind::Int, 4), v({400000000})), int64_t(524288));
        // Tiny arrays are clamped to 1e-4 MB: 4 KiB << 2 = 16 KiB.
        QCOMPARE(carrayDefaultChunklen(DType(DType::Kind::Float, 8), v({10})), int64_t(2048));
        // Beyond 10 GB the size is clamped: 4 KiB << 10 = 4 MiB.
        QCOMPARE(carrayDefaultChunklen(DType(DType::Kind::UInt, 1), v({int64_t(1) << 40})), int64_t(4194304));
        // A row wider than the chunk size is one row per chunk.
        QCOMPARE(carrayDefaultChunklen(DType(DType::Kind::UInt, 1), v({10, 1 << 20})), int64_t(1));
    }

    void sweepExpansion()
    {
        const auto s = parseOk(doc(A1 + ", " + A2, R"([{"name": "copy", "source": "a1", "target": "a2",
            "workers": [1, 2], "lock": [true, "io"], "chunks": [[10], [50]], "sample_ms": 7}])"));
        QVERIFY(s);
        QStringList names;
        for (const RunSpec &r : s->runs)
            names.append(r.name);
        QCOMPARE(names,
                 QStringList({QStringLiteral("copy [workers=1 lock=target chunks=10]"),
                              QStringLiteral("copy [workers=1 lock=target chunks=50]"),
                              QStringLiteral("copy [workers=1 lock=io chunks=10]"),
                              QStringLiteral("copy [workers=1 lock=io chunks=50]"),
                              QStringLiteral("copy [workers=2 lock=target chunks=10]"),
                              QStringLiteral("copy [workers=2 lock=target chunks=50]"),
                              QStringLiteral("copy [workers=2 lock=io chunks=10]"),
                              QStringLiteral("copy [workers=2 lock=io chunks=50]")}));
        const RunSpec &r = s->runs.at(6);
        QCOMPARE(r.workers, 2);
        QCOMPARE(r.lock, LockMode::Io);
        QVERIFY(r.chunks == v({10}));
        QCOMPARE(r.sampleMs, 7);
        QVERIFY(r.sweep);
        QCOMPARE(r.sweep->of, QStringLiteral("copy"));
        QCOMPARE(r.sweep->values,
                 (QJsonObject{{QStringLiteral("workers"), 2},
                              {QStringLiteral("lock"), QStringLiteral("io")},
                              {QStringLiteral("chunks"), QJsonArray{10}}}));
        // The given runs keep the sweep unexpanded.
        QCOMPARE(s->givenRuns.size(), 1);
        // One untimed copy before the sweep's first run, none before the others.
        for (qsizetype i = 0; i < s->runs.size(); ++i)
            QCOMPARE(s->runs.at(i).warmup, i == 0 ? 1 : 0);
    }

    void orderIsATopLevelKey()
    {
        const auto plain = parseOk(doc(A1 + ", " + A2));
        QCOMPARE(plain->order, RunOrder::Interleaved);
        const auto sequential = parseOk(R"({"chunkscope": 1, "order": "sequential", "arrays": {}, "runs": []})");
        QCOMPARE(sequential->order, RunOrder::Sequential);
        QString error;
        QVERIFY(!parseScenario(R"({"chunkscope": 1, "order": "sideways", "arrays": {}, "runs": []})",
                               QStringLiteral("o.json"), &error));
        QCOMPARE(error, QStringLiteral("o.json: /order: must be \"interleaved\" or \"sequential\""));
    }

    // Interleaved: every run's first repeat, then every run's second, each run's warm-up only before
    // its first timed copy; results go back into the runs' order whatever the order they came in.
    void executionPlans()
    {
        QList<RunSpec> runs;
        for (const auto &[name, repeat, warmup] :
             {std::tuple("a", 3, 1), std::tuple("b", 2, 0), std::tuple("c", 1, 2)}) {
            RunSpec r;
            r.name = QString::fromLatin1(name);
            r.repeat = repeat;
            r.warmup = warmup;
            runs.append(r);
        }
        QStringList steps;
        for (const RunSpec &r : executionPlan(runs, RunOrder::Interleaved)) {
            QCOMPARE(r.repeat, 1);
            steps.append(QStringLiteral("%1%2w%3").arg(r.name).arg(r.repeatFrom).arg(r.warmup));
        }
        QCOMPARE(steps.join(QLatin1Char(' ')), QStringLiteral("a0w1 b0w0 c0w2 a1w0 b1w0 a2w0"));
        const QList<RunSpec> sequential = executionPlan(runs, RunOrder::Sequential);
        QCOMPARE(sequential.size(), 3);
        QCOMPARE(sequential[0].repeat, 3);

        QList<RunResult> results;
        for (const RunSpec &r : executionPlan(runs, RunOrder::Interleaved)) {
            RunResult x;
            x.name = r.name;
            x.repeatIndex = r.repeatFrom;
            results.append(x);
        }
        sortIntoRunOrder(results, runs);
        QStringList order;
        for (const RunResult &r : results)
            order.append(r.name + QString::number(r.repeatIndex));
        QCOMPARE(order.join(QLatin1Char(' ')), QStringLiteral("a0 a1 a2 b0 b1 c0"));
    }

    void warmupIsARunKey()
    {
        const auto given = parseOk(doc(A1 + ", " + A2, R"([{"name": "one", "source": "a1", "target": "a2"},
            {"name": "two", "source": "a1", "target": "a2", "warmup": 3},
            {"name": "sweep", "source": "a1", "target": "a2", "workers": [1, 2], "warmup": 0}])"));
        QVERIFY(given);
        QCOMPARE(given->runs.size(), 4);
        QCOMPARE(given->runs.at(0).warmup, 0); // a single run: none unless asked
        QCOMPARE(given->runs.at(1).warmup, 3);
        QCOMPARE(given->runs.at(2).warmup, 0); // a sweep that asks for none gets none
        QCOMPARE(given->runs.at(3).warmup, 0);
    }

    void hdf5DatasetDefaultsToData()
    {
        const auto s = parseOk(doc(A1 + ", " + H1 + "}"));
        QVERIFY(s);
        QCOMPARE(opt<Hdf5Options>(*s->array(QStringLiteral("h1"))).dataset, QStringLiteral("/data"));
        QCOMPARE(arraySpecToJson(*s->array(QStringLiteral("h1"))).value(QStringLiteral("dataset")).toString(),
                 QStringLiteral("/data"));
    }

    void leaveOneCoreIsARunKey()
    {
        const auto s
            = parseOk(doc(A1 + ", " + A2, R"([{"name": "spare", "source": "a1", "target": "a2", "leave_one_core": true},
            {"name": "given", "source": "a1", "target": "a2", "workers": 3, "leave_one_core": true},
            {"name": "plain", "source": "a1", "target": "a2", "leave_one_core": false}])"));
        QVERIFY(s);
        QCOMPARE(s->runs.at(0).workers, std::max(1, QThread::idealThreadCount() - 1));
        QVERIFY(s->runs.at(0).leaveOneCore);
        QCOMPARE(s->runs.at(1).workers, 3); // a count given stands
        QCOMPARE(s->runs.at(2).workers, 0);
        QCOMPARE(runSpecToJson(s->runs.at(0)).value(QStringLiteral("leave_one_core")).toBool(), true);
        QVERIFY(!runSpecToJson(s->runs.at(2)).contains(QStringLiteral("leave_one_core")));
        QString error;
        QVERIFY(!parseScenario(
            doc(A1 + ", " + A2, R"([{"name": "x", "source": "a1", "target": "a2", "leave_one_core": 1}])"),
            QStringLiteral("s.json"), &error));
        QCOMPARE(error, QStringLiteral("s.json: /runs/0/leave_one_core: must be true or false"));
    }

    void sweepNamesOnlySweptKeys()
    {
        const auto s = parseOk(doc(R"("g": {"store": "memory", "dtype": "|u1", "shape": [128, 128]},
                                       "h": {"store": "memory", "like": "g"})",
                                   R"([{"name": "w", "source": "g", "target": "h", "workers": [4], "lock": "io"},
                                       {"name": "c", "source": "g", "target": "h", "chunks": [[64, 64], [128, 1]]}])"));
        QVERIFY(s);
        QCOMPARE(s->runs.size(), 3);
        QCOMPARE(s->runs.at(0).name, QStringLiteral("w [workers=4]"));
        QCOMPARE(s->runs.at(0).sweep->values, (QJsonObject{{QStringLiteral("workers"), 4}}));
        QCOMPARE(s->runs.at(0).lock, LockMode::Io);
        QVERIFY(s->runs.at(0).chunks == v({128, 128})); // one chunk: the default for an array without chunks
        QCOMPARE(s->runs.at(1).name, QStringLiteral("c [chunks=64x64]"));
        QCOMPARE(s->runs.at(2).name, QStringLiteral("c [chunks=128x1]"));
        QCOMPARE(chunksLabel(v({65536})), QStringLiteral("65536"));
    }

    void likeAndDefaults()
    {
        const auto s = parseOk(doc(A1 + ", " + Z1 + R"(, "shape": [50]},
            "h1": {"store": "hdf5", "like": "a1", "dataset": "d", "shape": [5]},
            "c1": {"store": "carray", "like": "a1"},
            "e": {"store": "memory", "dtype": "bool", "shape": [0, 3]})"));
        QVERIFY(s);
        const ArraySpec &z1 = *s->array(QStringLiteral("z1"));
        QVERIFY(z1.shape == v({50}));
        QVERIFY(z1.chunks == v({10}));
        QCOMPARE(opt<ZarrOptions>(z1).compressor->cname, QStringLiteral("lz4")); // a memory array lends no codec
        QCOMPARE(opt<ZarrOptions>(z1).fillValue, QJsonValue(0));
        QVERIFY(s->array(QStringLiteral("h1"))->chunks == v({5})); // borrowed chunks clipped for HDF5
        QCOMPARE(opt<CarrayOptions>(*s->array(QStringLiteral("c1"))).chunklen, int64_t(10));
        QVERIFY(s->array(QStringLiteral("e"))->chunks == v({1, 3})); // one chunk, at least 1 per dimension
        QCOMPARE(s->array(QStringLiteral("e"))->dtype.typestr(), QStringLiteral("|b1"));
    }

    void badScenarios_data()
    {
        QTest::addColumn<QByteArray>("json");
        QTest::addColumn<QString>("expected");
        const auto row = [](const char *name, const QByteArray &json, const char *message) {
            QTest::newRow(name) << json << QStringLiteral("bad.json: ") + QString::fromUtf8(message);
        };
        const QByteArray shape = R"("a1": {"store": "memory", "dtype": "<i4", "shape": )";
        row("negative dimension", doc(shape + "[-1]}"), "/arrays/a1/shape/0: must be a non-negative integer");
        row("fractional dimension", doc(shape + "[10, 1.5]}"), "/arrays/a1/shape/1: must be a non-negative integer");
        row("huge dimension", doc(shape + "[12345678901234567890]}"),
            "/arrays/a1/shape/0: must be a non-negative integer");
        row("2^53 + 1", doc(shape + "[9007199254740993]}"), "/arrays/a1/shape/0: must be a non-negative integer");
        row("string dimension", doc(shape + "[\"10\"]}"), "/arrays/a1/shape/0: must be a non-negative integer");
        row("rank 0", doc(shape + "[]}"), "/arrays/a1/shape: must list 1 to 32 dimensions");
        row("rank 33", doc(shape + "[1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1]}"),
            "/arrays/a1/shape: must list 1 to 32 dimensions");
        row("element overflow", doc(shape + "[4294967296, 4294967296]}"),
            "/arrays/a1/shape: the number of elements overflows a 64-bit integer");
        row("byte overflow", doc(shape + "[2147483648, 2147483648]}"),
            "/arrays/a1/shape: the size in bytes overflows a 64-bit integer");
        row("typo key", doc(R"("a1": {"store": "memory", "dtype": "<i4", "shapes": [10]})"),
            R"(/arrays/a1/shapes: unknown key "shapes"; did you mean "shape"?)");
        row("unknown key", doc(A1 + R"(, "a2": {"store": "memory", "like": "a1", "colour": "red"})"),
            R"(/arrays/a2/colour: unknown key "colour" (expected store, like, dtype, shape, chunks, fill, overwrite))");
        row("top-level typo", R"({"chunkscope": 1, "array": {}, "runs": []})",
            R"(/array: unknown key "array"; did you mean "arrays"?)");
        row("version 2", R"({"chunkscope": 2, "arrays": {}, "runs": []})",
            "/chunkscope: unsupported format version 2 (this Chunkscope reads version 1)");
        row("version string", R"({"chunkscope": "1", "arrays": {}, "runs": []})",
            "/chunkscope: must be the format version, 1");
        row("no version", R"({"arrays": {}, "runs": []})", R"(/: missing required key "chunkscope")");
        row("no runs", R"({"chunkscope": 1, "arrays": {}})", R"(/: missing required key "runs")");
        row("arrays list", R"({"chunkscope": 1, "arrays": [], "runs": []})", "/arrays: must be an object");
        row("description number", R"({"chunkscope": 1, "description": 5, "arrays": {}, "runs": []})",
            "/description: must be a string");
        row("results document", R"({"chunkscope_results": 1, "runs": []})",
            "/: this is a results document, not a scenario");
        row("top-level list", "[1, 2]", "/: must be a JSON object");
        row("bad id", doc(R"("1a": {"store": "memory", "dtype": "<i4", "shape": [1]})"),
            R"(/arrays/1a: invalid array id "1a": an id starts with a letter or "_" and holds only letters, digits, "_", "." and "-")");
        row("duplicate array", doc(A1 + ", " + A1), R"(/arrays/a1: duplicate key "a1")");
        row("duplicate key", doc(R"("a1": {"store": "memory", "dtype": "<i4", "shape": [1], "shape": [2]})"),
            R"(/arrays/a1/shape: duplicate key "shape")");
        row("no store", doc(R"("a1": {"dtype": "<i4", "shape": [1]})"), R"(/arrays/a1: missing required key "store")");
        row("unknown store", doc(R"("a1": {"store": "numpy"})"),
            R"(/arrays/a1/store: unknown store "numpy" (expected "memory", "zarr", "hdf5" or "carray"))");
        row("no dtype", doc(R"("a1": {"store": "memory", "shape": [1]})"),
            R"(/arrays/a1: missing required key "dtype")");
        row("bad dtype", doc(R"("a1": {"store": "memory", "dtype": "<i3", "shape": [1]})"),
            R"(/arrays/a1/dtype: unsupported dtype "<i3" (expected a NumPy type string such as "<i4" or a name such as "int32"))");
        row("like unknown", doc(A1 + R"(, "a2": {"store": "memory", "like": "zz"})"),
            R"(/arrays/a2/like: unknown array "zz")");
        row("like cycle",
            doc(A1 + R"(, "a2": {"store": "memory", "like": "a3"}, "a3": {"store": "memory", "like": "a2"})"),
            "/arrays/a2/like: cycle through a2 -> a3 -> a2");
        row("like itself", doc(R"("a1": {"store": "memory", "like": "a1"})"),
            "/arrays/a1/like: cycle through a1 -> a1");
        row("like rank", doc(A1 + R"(, "a2": {"store": "memory", "like": "a1", "shape": [10, 10]})"),
            R"(/arrays/a2/shape: rank 2 differs from the rank 1 of the chunks taken from a1; give "chunks" too)");
        row("chunks rank", doc(shape + "[100], \"chunks\": [10, 10]}"),
            "/arrays/a1/chunks: rank 2 differs from the shape's rank 1");
        row("zero chunk", doc(shape + "[100], \"chunks\": [0]}"), "/arrays/a1/chunks/0: must be a positive integer");
        row("blosc limit, one chunk", doc(R"("z1": {"store": "zarr", "dtype": "<i4", "shape": [1073741824]})"),
            "/arrays/z1: one chunk is 4294967296 bytes; a compressed store allows at most 2147483631 (blosc's limit)");
        row("blosc limit, chunks",
            doc(R"("z1": {"store": "zarr", "dtype": "<i4", "shape": [1073741824], "chunks": [600000000]})"),
            "/arrays/z1/chunks: one chunk is 2400000000 bytes; a compressed store allows at most 2147483631 (blosc's "
            "limit)");
        row("carray limit",
            doc(R"("c1": {"store": "carray", "dtype": "<i8", "shape": [1073741824], "chunklen": 300000000})"),
            "/arrays/c1/chunklen: one chunk is 2400000000 bytes; a compressed store allows at most 2147483631 (blosc's "
            "limit)");
        row("fill word", doc(R"("a1": {"store": "memory", "dtype": "<i4", "shape": [1], "fill": "ones"})"),
            R"(/arrays/a1/fill: must be "empty", "zeros", "arange", "existing", {"constant": V}, {"random": {"seed": N}} or {"copy": "ID"})");
        row("fill two keys",
            doc(R"("a1": {"store": "memory", "dtype": "<i4", "shape": [1], "fill": {"constant": 1, "copy": "a1"}})"),
            R"(/arrays/a1/fill: must have exactly one of the keys "constant", "random" and "copy")");
        row("fill unknown key", doc(R"("a1": {"store": "memory", "dtype": "<i4", "shape": [1], "fill": {"const": 1}})"),
            R"(/arrays/a1/fill/const: unknown key "const" (expected constant, random, copy))");
        row("constant range",
            doc(R"("a1": {"store": "memory", "dtype": "uint8", "shape": [1], "fill": {"constant": 300}})"),
            "/arrays/a1/fill/constant: must be an integer from 0 to 255 (the range of uint8)");
        row("constant float32",
            doc(R"("a1": {"store": "memory", "dtype": "<f4", "shape": [1], "fill": {"constant": 1e39}})"),
            "/arrays/a1/fill/constant: is out of the range of float32");
        row("seed negative",
            doc(R"("a1": {"store": "memory", "dtype": "<i4", "shape": [1], "fill": {"random": {"seed": -1}}})"),
            "/arrays/a1/fill/random/seed: must be a non-negative integer");
        row("copy unknown", doc(A1 + R"(, "a2": {"store": "memory", "like": "a1", "fill": {"copy": "zz"}})"),
            R"(/arrays/a2/fill/copy: unknown array "zz")");
        row("copy shape",
            doc(A1
                + R"(, "a2": {"store": "memory", "like": "a1", "shape": [10], "chunks": [10], "fill": {"copy": "a1"}})"),
            "/arrays/a2/fill/copy: shape [10] differs from a1's [100]");
        row("copy cycle", doc(R"("a1": {"store": "memory", "dtype": "<i4", "shape": [1], "fill": {"copy": "a2"}},
                   "a2": {"store": "memory", "like": "a1", "fill": {"copy": "a1"}})"),
            "/arrays/a1/fill/copy: cycle through a1 -> a2 -> a1");
        row("existing in memory", doc(R"("a1": {"store": "memory", "dtype": "<i4", "shape": [1], "fill": "existing"})"),
            R"(/arrays/a1/fill: "existing" needs data on disk, which a memory array does not have)");
        row("existing without path", doc(R"("z1": {"store": "zarr", "fill": "existing"})"),
            R"(/arrays/z1/fill: "existing" needs data on disk: give "path")");
        row("overwrite string", doc(R"("a1": {"store": "memory", "dtype": "<i4", "shape": [1], "overwrite": "yes"})"),
            "/arrays/a1/overwrite: must be true or false");
        row("zarr key on memory", doc(R"("a1": {"store": "memory", "dtype": "<i4", "shape": [1], "compressor": null})"),
            R"(/arrays/a1/compressor: "compressor" is a key of zarr arrays, not of memory arrays)");
        row("hdf5 key on zarr", doc(A1 + ", " + Z1 + R"(, "dataset": "x"})"),
            R"(/arrays/z1/dataset: "dataset" is a key of hdf5 arrays, not of zarr arrays)");
        row("cname", doc(A1 + ", " + Z1 + R"(, "compressor": {"id": "blosc", "cname": "lzma"}})"),
            R"(/arrays/z1/compressor/cname: must be one of "blosclz", "lz4", "lz4hc", "snappy", "zlib" or "zstd")");
        row("clevel", doc(A1 + ", " + Z1 + R"(, "compressor": {"id": "blosc", "clevel": 10}})"),
            "/arrays/z1/compressor/clevel: must be an integer from 0 to 9");
        row("shuffle", doc(A1 + ", " + Z1 + R"(, "compressor": {"id": "blosc", "shuffle": 3}})"),
            "/arrays/z1/compressor/shuffle: must be an integer from -1 to 2");
        row("blocksize", doc(A1 + ", " + Z1 + R"(, "compressor": {"id": "blosc", "blocksize": -1}})"),
            "/arrays/z1/compressor/blocksize: must be a non-negative integer");
        row("compressor id", doc(A1 + ", " + Z1 + R"(, "compressor": {"id": "lz4"}})"),
            R"(/arrays/z1/compressor/id: unsupported compressor "lz4" (expected "blosc" or "zlib"))");
        row("zlib level", doc(A1 + ", " + Z1 + R"(, "compressor": {"id": "zlib", "level": 11}})"),
            "/arrays/z1/compressor/level: must be an integer from 0 to 9");
        row("zlib cname", doc(A1 + ", " + Z1 + R"(, "compressor": {"id": "zlib", "cname": "lz4"}})"),
            R"(/arrays/z1/compressor/cname: unknown key "cname" (expected id, level))");
        row("fill_value spelling", doc(A1 + ", " + Z1 + R"(, "dtype": "<f8", "fill_value": "nan"})"),
            R"(/arrays/z1/fill_value: must be a number, "NaN", "Infinity", "-Infinity" or null)");
        row("fill_value NaN for int", doc(A1 + ", " + Z1 + R"(, "fill_value": "NaN"})"),
            "/arrays/z1/fill_value: must be null or an integer from -2147483648 to 2147483647 (the range of int32)");
        row("order", doc(A1 + ", " + Z1 + R"(, "order": "K"})"), R"(/arrays/z1/order: must be "C" or "F")");
        row("separator", doc(A1 + ", " + Z1 + R"(, "dimension_separator": "-"})"),
            R"(/arrays/z1/dimension_separator: must be "." or "/")");
        row("empty path", doc(A1 + ", " + Z1 + R"(, "path": ""})"), "/arrays/z1/path: must be a non-empty string");
        row("dataset not a string", doc(A1 + ", " + H1 + R"(, "dataset": 5})"),
            "/arrays/h1/dataset: must be a non-empty string");
        row("compression", doc(A1 + ", " + H1 + R"(, "dataset": "d", "compression": "szip"})"),
            R"(/arrays/h1/compression: must be null, "lzf" or "gzip")");
        row("compression_opts",
            doc(A1 + ", " + H1 + R"(, "dataset": "d", "compression": "gzip", "compression_opts": 10})"),
            "/arrays/h1/compression_opts: must be an integer from 0 to 9");
        row("opts with lzf", doc(A1 + ", " + H1 + R"(, "dataset": "d", "compression": "lzf", "compression_opts": 4})"),
            R"(/arrays/h1/compression_opts: applies to "gzip" compression only)");
        row("hdf5 shuffle", doc(A1 + ", " + H1 + R"(, "dataset": "d", "shuffle": 1})"),
            "/arrays/h1/shuffle: must be true or false");
        row("hdf5 chunk > shape", doc(A1 + ", " + H1 + R"(, "dataset": "d", "chunks": [200]})"),
            "/arrays/h1/chunks/0: 200 is larger than the dimension's 100, which HDF5 refuses for a fixed-size dataset");
        row("chunklen 0", doc(A1 + ", " + C1 + R"(, "chunklen": 0})"),
            "/arrays/c1/chunklen: must be a positive integer");
        row("chunklen vs chunks", doc(A1 + ", " + C1 + R"(, "chunks": [20], "chunklen": 25})"),
            "/arrays/c1/chunklen: 25 differs from the first entry of chunks, 20");
        row("carray 2-D chunks",
            doc(R"("c1": {"store": "carray", "dtype": "<i4", "shape": [10, 4], "chunks": [5, 2]})"),
            "/arrays/c1/chunks: a carray is chunked along its first axis only: chunks must be [N, 4]");
        row("cparams shuffle", doc(A1 + ", " + C1 + R"(, "cparams": {"shuffle": -1}})"),
            "/arrays/c1/cparams/shuffle: must be an integer from 0 to 2");
        row("cparams blocksize", doc(A1 + ", " + C1 + R"(, "cparams": {"blocksize": 0}})"),
            R"(/arrays/c1/cparams/blocksize: unknown key "blocksize" (expected cname, clevel, shuffle))");

        const QByteArray arrays = A1 + ", " + A2;
        row("run not object", doc(arrays, "[1]"), "/runs/0: must be an object");
        row("run without name", doc(arrays, R"([{"source": "a1", "target": "a2"}])"),
            R"(/runs/0: missing required key "name")");
        row("run key typo", doc(arrays, R"([{"name": "r", "source": "a1", "target": "a2", "worker": 2}])"),
            R"(/runs/0/worker: unknown key "worker"; did you mean "workers"?)");
        row("duplicate run name",
            doc(arrays,
                R"([{"name": "r", "source": "a1", "target": "a2"}, {"name": "r", "source": "a1", "target": "a2"}])"),
            R"(/runs/1/name: run name "r" is already used by /runs/0)");
        row("name control character", doc(arrays, "[{\"name\": \"r\\u0000\", \"source\": \"a1\", \"target\": \"a2\"}]"),
            "/runs/0/name: must not contain control characters");
        row("key with a newline", doc(arrays, R"([{"name": "r", "source": "a1", "t\narget": "a2"}])"),
            R"(/runs/0/t\narget: unknown key "t\narget"; did you mean "target"?)");
        row("unknown source", doc(arrays, R"([{"name": "r", "source": "zz", "target": "a2"}])"),
            R"(/runs/0/source: unknown array "zz")");
        row("same array", doc(arrays, R"([{"name": "r", "source": "a1", "target": "a1"}])"),
            "/runs/0/target: is the source; a run copies to a different array");
        row("shape differs",
            doc(R"("a1": {"store": "memory", "dtype": "<i4", "shape": [400000000], "chunks": [1048576]},
                   "a2": {"store": "memory", "like": "a1"}, "a3": {"store": "memory", "like": "a1", "shape": [10]})",
                R"([{"name": "ok", "source": "a1", "target": "a2"}, {"name": "small", "source": "a1", "target": "a3"}])"),
            "/runs/1/target: shape [10] differs from source a1's [400000000]");
        row("dtype differs",
            doc(A1 + R"(, "a2": {"store": "memory", "like": "a1", "dtype": "<f8"})",
                R"([{"name": "r", "source": "a1", "target": "a2"}])"),
            "/runs/0/target: dtype <f8 differs from source a1's <i4");
        row("run chunks rank", doc(arrays, R"([{"name": "r", "source": "a1", "target": "a2", "chunks": [5, 5]}])"),
            "/runs/0/chunks: rank 2 differs from the rank 1 of a1");
        row("run chunk 0", doc(arrays, R"([{"name": "r", "source": "a1", "target": "a2", "chunks": [0]}])"),
            "/runs/0/chunks/0: must be a positive integer");
        row("run chunk sweep entry",
            doc(arrays, R"([{"name": "r", "source": "a1", "target": "a2", "chunks": [[5], 5]}])"),
            "/runs/0/chunks/1: must be a list");
        row("workers", doc(arrays, R"([{"name": "r", "source": "a1", "target": "a2", "workers": 2000}])"),
            "/runs/0/workers: must be an integer from 0 to 1024");
        row("workers sweep", doc(arrays, R"([{"name": "r", "source": "a1", "target": "a2", "workers": [1, 2.5]}])"),
            "/runs/0/workers/1: must be an integer from 0 to 1024");
        row("empty sweep", doc(arrays, R"([{"name": "r", "source": "a1", "target": "a2", "workers": []}])"),
            "/runs/0/workers: a sweep must list at least one value");
        row("lock", doc(arrays, R"([{"name": "r", "source": "a1", "target": "a2", "lock": "yes"}])"),
            R"(/runs/0/lock: must be true, false, "target", "none" or "io")");
        row("lock sweep repeat",
            doc(arrays, R"([{"name": "r", "source": "a1", "target": "a2", "lock": [true, "target"]}])"),
            "/runs/0/lock/1: repeats an earlier value of the sweep");
        row("sample_ms", doc(arrays, R"([{"name": "r", "source": "a1", "target": "a2", "sample_ms": 0}])"),
            "/runs/0/sample_ms: must be an integer from 1 to 60000");
        row("repeat", doc(arrays, R"([{"name": "r", "source": "a1", "target": "a2", "repeat": 1001}])"),
            "/runs/0/repeat: must be an integer from 1 to 1000");
        row("warmup", doc(arrays, R"([{"name": "r", "source": "a1", "target": "a2", "warmup": -1}])"),
            "/runs/0/warmup: must be an integer from 0 to 1000");
        row("hdf5_path", doc(arrays, R"([{"name": "r", "source": "a1", "target": "a2", "hdf5_path": "fast"}])"),
            R"(/runs/0/hdf5_path: must be "auto", "library" or "direct")");
        row("profile", doc(arrays, R"([{"name": "r", "source": "a1", "target": "a2", "profile": "no"}])"),
            "/runs/0/profile: must be true or false");
        row("prefault", doc(arrays, R"([{"name": "r", "source": "a1", "target": "a2", "prefault": 1}])"),
            "/runs/0/prefault: must be true or false");
        QByteArray many = R"([{"name": "r", "source": "a1", "target": "a2", "workers": [)";
        for (int w = 0; w <= 100; ++w)
            many += (w ? "," : "") + QByteArray::number(w);
        many += R"(], "lock": [true, false, "io"], "chunks": [)";
        for (int c = 1; c <= 40; ++c)
            many += (c > 1 ? "," : "") + ("[" + QByteArray::number(c) + "]");
        many += "]}]";
        row("too many runs", doc(arrays, many),
            "/runs/0: the scenario would hold more than 10000 runs; sweep fewer values");
    }
    void badScenarios()
    {
        QFETCH(QByteArray, json);
        QFETCH(QString, expected);
        QString error;
        QVERIFY(!parseScenario(json, QStringLiteral("bad.json"), &error));
        QCOMPARE(error, expected);
    }

    void invalidJsonNamesTheOffset()
    {
        QString error;
        QVERIFY(!parseScenario(R"({"chunkscope": 1,)", QStringLiteral("copy.json"), &error));
        QCOMPARE(error, QStringLiteral("copy.json: invalid JSON at offset 17: unterminated object"));
        QVERIFY(!parseScenario(R"({"chunkscope": 1e400})", QStringLiteral("copy.json"), &error));
        QCOMPARE(error, QStringLiteral("copy.json: invalid JSON at offset 20: illegal number"));
        QVERIFY(!parseScenario(QByteArray(10000, '['), QStringLiteral("copy.json"), &error));
        QCOMPARE(error, QStringLiteral("copy.json: invalid JSON at offset 1025: too deeply nested document"));
        QVERIFY(!parseScenario(QByteArray(), QStringLiteral("copy.json"), &error));
        QCOMPARE(error, QStringLiteral("copy.json: invalid JSON at offset 0: illegal value"));
    }

    void malformedInputNeverCrashes_data()
    {
        QTest::addColumn<QByteArray>("json");
        QTest::addColumn<bool>("mayParse"); // random flips can land in a description and leave it valid
        const QByteArray base = readAll(dataPath(QStringLiteral("data/scenarios/rich.json")));
        // Every cut of the file short of its closing brace.
        const qsizetype end = base.lastIndexOf('}');
        for (qsizetype n = 0; n < end; n += 7)
            QTest::newRow(qPrintable(QStringLiteral("truncated at %1").arg(n))) << base.left(n) << false;
        QRandomGenerator rng(20240601);
        for (int i = 0; i < 40; ++i) {
            QByteArray garbage(int(rng.bounded(1, 400)), Qt::Uninitialized);
            for (char &c : garbage)
                c = char(rng.bounded(256));
            QTest::newRow(qPrintable(QStringLiteral("binary %1").arg(i))) << garbage << false;
        }
        for (int i = 0; i < 200; ++i) {
            QByteArray flipped = base;
            for (int k = 0; k < 3; ++k)
                flipped[qsizetype(rng.bounded(int(flipped.size())))] = char(rng.bounded(256));
            QTest::newRow(qPrintable(QStringLiteral("flipped %1").arg(i))) << flipped << true;
        }
        QTest::newRow("NUL in id") << doc(bytes("\"a\0b\": {\"store\": \"memory\"}")) << false;
        QTest::newRow("NUL outside strings") << bytes("{\"chunkscope\": 1,\0 \"arrays\": {}}") << false;
        QTest::newRow("deep nesting in an array")
            << doc("\"a1\": {\"store\": \"memory\", \"dtype\": \"<i4\", \"shape\": " + QByteArray(10000, '[') + "}")
            << false;
        QTest::newRow("deep but legal nesting") << doc("\"a1\": {\"store\": \"memory\", \"dtype\": \"<i4\", \"shape\": "
                                                       + QByteArray(1000, '[') + QByteArray(1000, ']') + "}")
                                                << false;
        QTest::newRow("1e400") << doc(R"("a1": {"store": "memory", "dtype": "<i4", "shape": [1e400]})") << false;
        QTest::newRow("-1e400") << doc(R"("a1": {"store": "memory", "dtype": "<i4", "shape": [-1e400]})") << false;
        QTest::newRow("huge integer") << doc(R"("a1": {"store": "memory", "dtype": "<i4", "shape": [1)"
                                             + QByteArray(400, '0') + "]}")
                                      << false;
        QTest::newRow("lone surrogate") << doc(R"("\ud800": {"store": "memory"})") << false;
        QTest::newRow("bad UTF-8") << doc("\"\xc3\x28\": {\"store\": \"memory\"}") << false;
        QTest::newRow("long key") << doc(QByteArray(100000, 'k').prepend('"').append("\": 1")) << false;
        QTest::newRow("sweep of lists of lists") << doc(A1 + ", " + A2, R"([{"name": "r", "source": "a1",
            "target": "a2", "chunks": [[[1]]]}])")
                                                 << false;
        QTest::newRow("results document") << QByteArray(R"({"chunkscope_results": 1, "chunkscope": 1})") << false;
    }
    void malformedInputNeverCrashes()
    {
        QFETCH(QByteArray, json);
        QFETCH(bool, mayParse);
        QString error;
        const auto s = parseScenario(json, QStringLiteral("bad.json"), &error);
        if (s && mayParse)
            return;
        QVERIFY(!s);
        QVERIFY(error.startsWith(QStringLiteral("bad.json: ")));
        QVERIFY2(!error.contains(QLatin1Char('\n')), qPrintable(error));
        QVERIFY(error.size() < 600);
    }

    void fileErrors()
    {
        QString error;
        QVERIFY(!loadScenarioFile(QStringLiteral("/nonexistent/copy.json"), &error));
        QCOMPARE(error, QStringLiteral("/nonexistent/copy.json: cannot open: No such file or directory"));
        QTemporaryDir dir;
        QVERIFY(!loadScenarioFile(dir.path(), &error));
        QCOMPARE(error, dir.path() + QStringLiteral(": is a directory, not a scenario file"));
        QVERIFY(!saveScenarioFile(Scenario(), QStringLiteral("/nonexistent/dir/out.json"), &error));
        QVERIFY(error.startsWith(QStringLiteral("/nonexistent/dir/out.json: cannot write: ")));
    }

    void writerLayout()
    {
        const auto s = parseOk(doc(R"("z9": {"fill": "empty", "like": "a1", "store": "zarr"}, )" + A1,
                                   R"([{"target": "z9", "source": "a1", "name": "n"}])"));
        QVERIFY(s);
        Scenario named = *s;
        named.name = QStringLiteral("N");
        QCOMPARE(scenarioToJson(named), QByteArray(R"({
  "chunkscope": 1,
  "name": "N",
  "arrays": {
    "z9": {"store": "zarr", "like": "a1", "fill": "empty"},
    "a1": {"store": "memory", "dtype": "<i4", "shape": [100], "chunks": [10], "fill": "arange"}
  },
  "runs": [
    {"name": "n", "source": "a1", "target": "z9"}
  ]
}
)"));
        // Too long for one line: one key per line.
        Scenario wide = named;
        wide.arrays[1].given.insert(QStringLiteral("fill"),
                                    QJsonObject{{QStringLiteral("copy"), QString(QStringLiteral("x")).repeated(80)}});
        QVERIFY(scenarioToJson(wide).contains(R"(    "a1": {
      "store": "memory",
      "dtype": "<i4",)"));
    }

    void rebuildAfterEdit()
    {
        auto s = parseOk(doc(A1 + ", " + A2, R"([{"name": "r", "source": "a1", "target": "a2"}])"));
        QVERIFY(s);
        Scenario edited = *s;
        edited.arrays[0].given.insert(QStringLiteral("shape"), QJsonArray{200});
        edited.arrays[0].given.insert(QStringLiteral("chunks"), QJsonArray{50});
        QString error;
        const auto rebuilt = rebuildScenario(edited, &error);
        QVERIFY2(rebuilt, qPrintable(error));
        QVERIFY(rebuilt->array(QStringLiteral("a2"))->shape == v({200})); // through `like`
        QVERIFY(rebuilt->runs.at(0).chunks == v({50}));
        edited.arrays[0].given.insert(QStringLiteral("shape"), QJsonArray{-3});
        QVERIFY(!rebuildScenario(edited, &error));
        QCOMPARE(error, QStringLiteral("scenario: /arrays/a1/shape/0: must be a non-negative integer"));
    }

    void allocation()
    {
        // The notebook's NumPy and in-memory Zarr arrays.
        const auto s = parseOk(doc(R"("a1": {"store": "memory", "dtype": "<i4", "shape": [400000000],
                                             "chunks": [1048576], "fill": "arange"},
                                       "a2": {"store": "memory", "like": "a1"},
                                       "z1": {"store": "zarr", "like": "a1", "fill": {"copy": "a1"},
                                              "compressor": {"id": "blosc", "cname": "blosclz"}},
                                       "z2": {"store": "zarr", "like": "z1"})",
                                   R"([{"name": "numpy, lock", "source": "a1", "target": "a2"},
                                       {"name": "zarr, lock", "source": "z1", "target": "z2", "workers": 3}])"));
        QVERIFY(s);
        const QList<AllocationLine> lines = estimateAllocation(*s);
        QCOMPARE(lines.size(), 6);
        QCOMPARE(lines.at(0).id, QStringLiteral("a1"));
        QCOMPARE(lines.at(0).store, QStringLiteral("memory"));
        QCOMPARE(lines.at(0).bytes, int64_t(1600000000));
        QCOMPARE(lines.at(2).id, QStringLiteral("z1"));
        QCOMPARE(lines.at(2).bytes, int64_t(400000000));
        QCOMPARE(lines.at(2).note, QStringLiteral("estimate; depends on compression"));
        const int cpus = QThread::idealThreadCount();
        QCOMPARE(lines.at(4).id, QStringLiteral("numpy, lock"));
        QCOMPARE(lines.at(4).store, QStringLiteral("run"));
        QVERIFY(lines.at(4).scratch);
        // Profiled runs also hold their event log (382 tasks) and at most 65536 samples, twice each.
        const int64_t logAndSamples = 382 * EventLog::bytesPerTask() + 2 * 65536 * int64_t(sizeof(ResourceSample));
        QCOMPARE(lines.at(4).bytes, int64_t(cpus) * 3 * 4194304 + logAndSamples);
        QCOMPARE(lines.at(4).note,
                 QStringLiteral("scratch: %1 worker%2 x 3 x 4.0M; event log: 382 tasks x %3 (%4); samples: up to "
                                "%5 (workers 0: one per logical CPU)")
                     .arg(cpus)
                     .arg(cpus == 1 ? QString() : QStringLiteral("s"))
                     .arg(EventLog::bytesPerTask())
                     .arg(humanReadableSize(382 * EventLog::bytesPerTask()))
                     .arg(humanReadableSize(2 * 65536 * int64_t(sizeof(ResourceSample)))));
        QCOMPARE(lines.at(5).bytes, int64_t(3) * 3 * 4194304 + logAndSamples);
        // Runs take turns: only the largest scratch counts.
        QCOMPARE(totalAllocation(lines),
                 int64_t(4000000000) + int64_t(std::max(cpus, 3)) * 3 * 4194304 + logAndSamples);

        const auto disk
            = parseOk(doc(A1 + R"(, "z1": {"store": "zarr", "like": "a1", "path": "/tmp/x.zarr"},
            "z2": {"store": "zarr", "like": "a1", "compressor": null})",
                          R"([{"name": "r", "source": "a1", "target": "z1", "workers": 2, "chunks": [50]}])"));
        QVERIFY(disk);
        const QList<AllocationLine> dl = estimateAllocation(*disk);
        QCOMPARE(dl.at(1).bytes, int64_t(0));
        QCOMPARE(dl.at(1).note, QStringLiteral("on disk: about 100 (estimate; depends on compression)"));
        QCOMPARE(dl.at(2).bytes, int64_t(400));
        QCOMPARE(dl.at(2).note, QStringLiteral("uncompressed"));
        // The copy chunk, 50 x 4 bytes, is the largest; 100 elements make 2 tasks.
        const int64_t diskRun
            = 2 * 3 * 200 + 2 * EventLog::bytesPerTask() + 2 * 65536 * int64_t(sizeof(ResourceSample));
        QCOMPARE(dl.at(3).bytes, diskRun);
        QCOMPARE(dl.at(3).note,
                 QStringLiteral("scratch: 2 workers x 3 x 200; event log: 2 tasks x %1 (%2); samples: up to 8.0M")
                     .arg(EventLog::bytesPerTask())
                     .arg(2 * EventLog::bytesPerTask()));
        QCOMPARE(totalAllocation(*disk), int64_t(400 + 400) + diskRun);
    }
};

QTEST_GUILESS_MAIN(TestScenario)
#include "tst_scenario.moc"
