// Parsing and resolving scenarios: arrays, `like`, sweeps, run order, warm-ups and the memory estimate.
#include "array/memorysize.h"
#include "profiler/eventlog.h"
#include "runner/runexecutor.h"
#include "scenario/allocation.h"
#include "scenario/scenariowriter.h"
#include "scenario/sweep.h"
#include "scenariotext.h"
#include "stores/carray/carrayoptions.h"
#include "stores/hdf5/hdf5options.h"
#include "stores/storeinfo.h"
#include "stores/zarr/zarroptions.h"
#include "testfiles.h"

#include <QTemporaryDir>
#include <QTest>
#include <QThread>

#include <cmath>

using namespace cs;

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
                 QStringLiteral("scratch: %1 worker%2 x 3 x 4.0 MiB; event log: 382 tasks x %3 (%4); samples: up to "
                                "%5 (workers 0: one per logical CPU)")
                     .arg(cpus)
                     .arg(cpus == 1 ? QString() : QStringLiteral("s"))
                     .arg(EventLog::bytesPerTask())
                     .arg(formatMemory(382 * EventLog::bytesPerTask()))
                     .arg(formatMemory(2 * 65536 * int64_t(sizeof(ResourceSample)))));
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
        QCOMPARE(dl.at(1).note, QStringLiteral("on disk: about 100 B (estimate; depends on compression)"));
        QCOMPARE(dl.at(2).bytes, int64_t(400));
        QCOMPARE(dl.at(2).note, QStringLiteral("uncompressed"));
        // The copy chunk, 50 x 4 bytes, is the largest; 100 elements make 2 tasks.
        const int64_t diskRun
            = 2 * 3 * 200 + 2 * EventLog::bytesPerTask() + 2 * 65536 * int64_t(sizeof(ResourceSample));
        QCOMPARE(dl.at(3).bytes, diskRun);
        QCOMPARE(
            dl.at(3).note,
            QStringLiteral("scratch: 2 workers x 3 x 200 B; event log: 2 tasks x %1 (%2 B); samples: up to 10.0 MiB")
                .arg(EventLog::bytesPerTask())
                .arg(2 * EventLog::bytesPerTask()));
        QCOMPARE(totalAllocation(*disk), int64_t(400 + 400) + diskRun);
    }
};

QTEST_GUILESS_MAIN(TestScenario)
#include "tst_scenario.moc"
