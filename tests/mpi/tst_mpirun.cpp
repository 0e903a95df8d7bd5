// `mpirun -np N chunkscope run`: the copy split among ranks writes a target that zarr-python reads
// equal to its source, one results document holds every rank's events on one clock, and a job that
// cannot run (or loses a rank) ends with an error rather than a hang.

#include "engine/distribution.h"
#include "interopsupport.h"
#include "mpijob.h"
#include "testfiles.h"

#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QFileInfo>
#include <QHash>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>
#include <QSet>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

#include <algorithm>
#include <csignal>
#include <map>

using namespace cs;
using namespace cs::testing;

namespace {

const char *kZarrSource = R"({"store": "zarr", "path": "src.zarr", "dtype": "<i4", "shape": [240, 36],
    "chunks": [24, 12], "fill": {"random": {"seed": 7}}, "overwrite": true,
    "compressor": {"id": "blosc", "cname": "lz4", "clevel": 5, "shuffle": 1}})";
const char *kMemorySource = R"({"store": "memory", "dtype": "<i4", "shape": [240, 36], "chunks": [48, 36],
    "fill": "arange"})";
const char *kHdf5Source = R"({"store": "hdf5", "file": "src.h5", "dataset": "/data", "fill": "existing"})";

QByteArray copyScenario(const QString &source, const QString &distribution, const QString &target = {})
{
    const QString dst
        = !target.isEmpty() ? target : QStringLiteral(R"({"store": "zarr", "path": "dst.zarr", "dtype": "<i4",
        "shape": [240, 36], "chunks": [24, 12], "fill": "empty", "overwrite": true,
        "compressor": {"id": "zlib", "level": 1}})");
    return QStringLiteral(R"({"chunkscope": 1, "name": "ranks", "arrays": {"src": %1, "dst": %2},
        "runs": [{"name": "copy", "source": "src", "target": "dst", "workers": 2, "sample_ms": 5,
                  "distribution": "%3"}]})")
        .arg(source, dst, distribution)
        .toUtf8();
}

} // namespace

class TestMpirun : public QObject {
    Q_OBJECT

private slots:
    void initTestCase()
    {
        QString output;
        QVERIFY2(runPython({QStringLiteral("-c"), QStringLiteral("import zarr, h5py")}, &output), qPrintable(output));
    }

    void copySplitAmongRanks_data()
    {
        QTest::addColumn<int>("ranks");
        QTest::addColumn<QString>("source");
        QTest::addColumn<QString>("distribution");
        QTest::newRow("zarr -> zarr, 2 ranks, block") << 2 << QStringLiteral("zarr") << QStringLiteral("block");
        QTest::newRow("zarr -> zarr, 3 ranks, cyclic") << 3 << QStringLiteral("zarr") << QStringLiteral("cyclic");
        QTest::newRow("hdf5 -> zarr, 2 ranks, cyclic") << 2 << QStringLiteral("hdf5") << QStringLiteral("cyclic");
        QTest::newRow("hdf5 -> zarr, 3 ranks, block") << 3 << QStringLiteral("hdf5") << QStringLiteral("block");
    }

    void copySplitAmongRanks()
    {
        QFETCH(int, ranks);
        QFETCH(QString, source);
        QFETCH(QString, distribution);
        QTemporaryDir dir;
        QString output;
        const bool hdf5 = source == QLatin1String("hdf5");
        if (hdf5)
            QVERIFY2(runPython({mpiScript(QStringLiteral("mpi_arrays.py")), QStringLiteral("write-hdf5"),
                                dir.filePath(QStringLiteral("src.h5")), QStringLiteral("/data")},
                               &output),
                     qPrintable(output));
        writeFileIn(dir, QStringLiteral("s.json"),
                    copyScenario(QString::fromUtf8(hdf5 ? kHdf5Source : kZarrSource), distribution));
        const JobOutcome job = runJob(
            mpirunArgs(ranks,
                       runCommand({QStringLiteral("s.json"), QStringLiteral("--json"), QStringLiteral("out.json"),
                                   QStringLiteral("--csv"), QStringLiteral("csv"), QStringLiteral("--trace"),
                                   QStringLiteral("trace.json"), QStringLiteral("--quiet")})),
            dir.path());
        QVERIFY2(job.finished && job.exitCode == 0, qPrintable(job.err + job.out));

        QVERIFY2(runPython({mpiScript(QStringLiteral("mpi_arrays.py")), QStringLiteral("equal"),
                            dir.filePath(hdf5 ? QStringLiteral("src.h5:/data") : QStringLiteral("src.zarr")),
                            dir.filePath(QStringLiteral("dst.zarr"))},
                           &output),
                 qPrintable(output));
        QCOMPARE(output, QStringLiteral("equal"));

        const QJsonObject doc = readJson(dir.filePath(QStringLiteral("out.json")));
        const QJsonObject mpi = doc.value(QStringLiteral("mpi")).toObject();
        QCOMPARE(mpi.value(QStringLiteral("ranks")).toInt(), ranks);
        const QJsonArray hosts = mpi.value(QStringLiteral("hosts")).toArray();
        QCOMPARE(hosts.size(), ranks);
        // On one host every rank reads the same monotonic clock: the measured offsets must say so.
        const QJsonArray clock = mpi.value(QStringLiteral("clock")).toArray();
        QCOMPARE(clock.size(), ranks);
        for (qsizetype r = 1; r < clock.size(); ++r) {
            const QJsonObject c = clock.at(r).toObject();
            const double offset = c.value(QStringLiteral("offset_s")).toDouble();
            const double uncertainty = c.value(QStringLiteral("uncertainty_s")).toDouble();
            const QByteArray at = QStringLiteral("rank %1: offset %2 s, uncertainty %3 s, %4 exchanges")
                                      .arg(r)
                                      .arg(offset)
                                      .arg(uncertainty)
                                      .arg(c.value(QStringLiteral("exchanges")).toInt())
                                      .toUtf8();
            QVERIFY2(std::abs(offset) < 1e-3, at.constData());
            QVERIFY2(std::abs(offset) <= uncertainty, at.constData()); // the same clock lies within the bound
            QVERIFY2(uncertainty < 1e-3, at.constData());
            QVERIFY(c.value(QStringLiteral("exchanges")).toInt() >= 10);
        }

        const QJsonObject run = doc.value(QStringLiteral("runs")).toArray().at(0).toObject();
        QCOMPARE(run.value(QStringLiteral("status")).toString(), QStringLiteral("ok"));
        QCOMPARE(run.value(QStringLiteral("verified")).toBool(), true);
        QCOMPARE(run.value(QStringLiteral("distribution")).toString(), distribution);
        const int64_t tasks = run.value(QStringLiteral("tasks")).toInteger();
        QCOMPARE(tasks, int64_t(30));
        QCOMPARE(run.value(QStringLiteral("bytes")).toInteger(), int64_t(240 * 36 * 4));
        const double wall = run.value(QStringLiteral("wall_s")).toDouble();
        const int workers = run.value(QStringLiteral("workers")).toInt();

        // Every task once, run by the rank whose share names it, and per worker of each rank the
        // single-process invariants (tst_engine's profilerInvariants): a task's bytes are its region's,
        // its phases add up to no more than its time, tasks run one after another, within the rank's
        // own span of the run and the run's wall time, and the rank's samples begin with the copy and
        // last to its end.
        const Distribution d = *distributionFromName(distribution);
        std::map<int, std::pair<double, double>> spanOfRank; // start_s, wall_s
        for (const QJsonValue &v : run.value(QStringLiteral("ranks")).toArray())
            spanOfRank[v.toObject().value(QStringLiteral("rank")).toInt()]
                = {v.toObject().value(QStringLiteral("start_s")).toDouble(),
                   v.toObject().value(QStringLiteral("wall_s")).toDouble()};
        QCOMPARE(spanOfRank.size(), size_t(ranks));
        std::map<int, double> firstStartOfRank;
        QSet<int64_t> seen;
        QHash<int64_t, int> rankOfTask;
        std::map<std::pair<int, int>, std::vector<std::pair<double, double>>> byWorker;
        const QJsonArray events = run.value(QStringLiteral("task_events")).toArray();
        QCOMPARE(events.size(), qsizetype(tasks));
        for (const QJsonValue &v : events) {
            const QJsonObject e = v.toObject();
            const int64_t task = e.value(QStringLiteral("task")).toInteger();
            const int rank = e.value(QStringLiteral("rank")).toInt(-1);
            const int worker = e.value(QStringLiteral("worker")).toInt(-1);
            QVERIFY(!seen.contains(task));
            seen.insert(task);
            rankOfTask.insert(task, rank);
            QVERIFY(rank >= 0 && rank < ranks);
            QCOMPARE(e.value(QStringLiteral("host")).toString(), hosts.at(rank).toString());
            const TaskShare share = TaskShare::of(tasks, rank, ranks, d);
            QVERIFY2((task - share.first) % share.stride == 0 && task >= share.first
                         && (task - share.first) / share.stride < share.count,
                     qPrintable(QStringLiteral("task %1 on rank %2").arg(task).arg(rank)));
            QVERIFY(worker >= 0 && worker < workers);
            const double start = e.value(QStringLiteral("start_s")).toDouble();
            const double end = e.value(QStringLiteral("end_s")).toDouble();
            QVERIFY(start >= 0 && start <= end && end <= wall + 1e-9);
            const auto [rankStart, rankWall] = spanOfRank.at(rank);
            QVERIFY2(start >= rankStart - 1e-9 && end <= rankStart + rankWall + 1e-9,
                     qPrintable(QStringLiteral("task %1 outside rank %2's span").arg(task).arg(rank)));
            firstStartOfRank.try_emplace(rank, start);
            firstStartOfRank[rank] = std::min(firstStartOfRank[rank], start);
            byWorker[{rank, worker}].emplace_back(start, end);
            int64_t items = 1;
            for (const QJsonValue &extent : e.value(QStringLiteral("region")).toArray())
                items *= extent.toArray().at(1).toInteger() - extent.toArray().at(0).toInteger();
            QCOMPARE(e.value(QStringLiteral("bytes")).toInteger(), items * 4);
            double phases = 0;
            const QJsonObject phase = e.value(QStringLiteral("phases")).toObject();
            for (auto p = phase.constBegin(); p != phase.constEnd(); ++p) {
                QVERIFY(p.value().toDouble() >= 0);
                phases += p.value().toDouble();
            }
            QVERIFY2(phases <= end - start + 1e-9, qPrintable(QStringLiteral("task %1").arg(task)));
            QVERIFY(phase.value(QStringLiteral("write_s")).toDouble() > 0);
        }
        for (auto &[who, spans] : byWorker) {
            std::sort(spans.begin(), spans.end());
            for (size_t i = 1; i < spans.size(); ++i)
                QVERIFY2(spans[i - 1].second <= spans[i].first,
                         qPrintable(QStringLiteral("rank %1 worker %2 overlaps").arg(who.first).arg(who.second)));
        }
        std::map<int, std::vector<QJsonObject>> samplesOfRank;
        for (const QJsonValue &s : run.value(QStringLiteral("samples")).toArray()) {
            const int rank = s.toObject().value(QStringLiteral("rank")).toInt(-1);
            QVERIFY(rank >= 0 && rank < ranks);
            samplesOfRank[rank].push_back(s.toObject());
        }
        QCOMPARE(samplesOfRank.size(), size_t(ranks));
        for (const auto &[rank, list] : samplesOfRank) {
            const QByteArray at = QStringLiteral("rank %1").arg(rank).toUtf8();
            QVERIFY2(list.size() >= 2, at.constData());
            // The first is taken as the rank's copy starts: no rate yet, nothing in flight.
            QCOMPARE(list.front().value(QStringLiteral("cpu_percent")).toDouble(), 0.0);
            QCOMPARE(list.front().value(QStringLiteral("inflight_bytes")).toInteger(), int64_t(0));
            QVERIFY2(list.front().value(QStringLiteral("t_s")).toDouble() <= firstStartOfRank.at(rank), at.constData());
            for (size_t i = 1; i < list.size(); ++i)
                QVERIFY2(list[i].value(QStringLiteral("t_s")).toDouble()
                             >= list[i - 1].value(QStringLiteral("t_s")).toDouble(),
                         at.constData());
            const auto [rankStart, rankWall] = spanOfRank.at(rank);
            QVERIFY2(list.back().value(QStringLiteral("t_s")).toDouble() >= rankStart + rankWall - 1e-3,
                     at.constData());
            for (const QJsonObject &s : list)
                QVERIFY2(s.value(QStringLiteral("rss_bytes")).toInteger() > 0, at.constData());
        }

        // The CSV and the trace say the same of every task: its rank and host, one trace process per rank.
        const QStringList csvFiles
            = QDir(dir.filePath(QStringLiteral("csv"))).entryList({QStringLiteral("*.tasks.csv")}, QDir::Files);
        QCOMPARE(csvFiles.size(), qsizetype(1));
        QFile csv(dir.filePath(QStringLiteral("csv/") + csvFiles.front()));
        QVERIFY(csv.open(QIODevice::ReadOnly));
        const QList<QByteArray> rows = csv.readAll().trimmed().split('\n');
        QVERIFY2(rows.front().startsWith("task,worker,rank,host,"), rows.front().constData());
        QCOMPARE(rows.size(), qsizetype(tasks) + 1);
        for (qsizetype i = 1; i < rows.size(); ++i) {
            const QList<QByteArray> f = rows[i].split(',');
            const int rank = rankOfTask.value(f[0].toLongLong(), -1);
            QCOMPARE(f[2].toInt(), rank);
            QCOMPARE(QString::fromUtf8(f[3]), hosts.at(rank).toString());
        }
        // Each sample row names its rank, in the document's order.
        QString samplesName = csvFiles.front();
        samplesName.replace(QStringLiteral(".tasks.csv"), QStringLiteral(".samples.csv"));
        QFile samplesCsv(dir.filePath(QStringLiteral("csv/") + samplesName));
        QVERIFY(samplesCsv.open(QIODevice::ReadOnly));
        const QList<QByteArray> sampleRows = samplesCsv.readAll().trimmed().split('\n');
        QVERIFY2(sampleRows.front().startsWith("t_s,rank,"), sampleRows.front().constData());
        const QJsonArray samples = run.value(QStringLiteral("samples")).toArray();
        QCOMPARE(sampleRows.size(), samples.size() + 1);
        for (qsizetype i = 1; i < sampleRows.size(); ++i)
            QCOMPARE(sampleRows[i].split(',').at(1).toInt(),
                     samples.at(i - 1).toObject().value(QStringLiteral("rank")).toInt(-1));
        QHash<int, int> rankOfProcess;
        QHash<int64_t, int> traceRankOfTask;
        const QJsonArray trace
            = readJson(dir.filePath(QStringLiteral("trace.json"))).value(QStringLiteral("traceEvents")).toArray();
        for (const QJsonValue &v : trace) {
            const QJsonObject e = v.toObject();
            const QString name = e.value(QStringLiteral("name")).toString();
            const QJsonObject args = e.value(QStringLiteral("args")).toObject();
            const int pid = e.value(QStringLiteral("pid")).toInt();
            if (name == QLatin1String("process_name")) {
                const QString label = args.value(QStringLiteral("name")).toString();
                const qsizetype at = label.indexOf(QStringLiteral(" · rank "));
                QVERIFY2(at > 0, qPrintable(label));
                const int rank = label.mid(at + 8).section(QLatin1Char(' '), 0, 0).toInt();
                QCOMPARE(label.mid(at), QStringLiteral(" · rank %1 (%2)").arg(rank).arg(hosts.at(rank).toString()));
                rankOfProcess.insert(pid, rank);
            } else if (name.startsWith(QLatin1String("task "))) {
                traceRankOfTask.insert(args.value(QStringLiteral("task")).toInteger(), rankOfProcess.value(pid, -1));
            }
        }
        QCOMPARE(rankOfProcess.size(), qsizetype(ranks));
        QCOMPARE(traceRankOfTask, rankOfTask);

        // Each rank's figures, and the imbalance and slowest rank they give.
        const QJsonArray perRank = run.value(QStringLiteral("ranks")).toArray();
        QCOMPARE(perRank.size(), qsizetype(ranks));
        int64_t taskSum = 0;
        int64_t byteSum = 0;
        double wallSum = 0;
        double slowest = -1;
        int slowestRank = -1;
        for (const QJsonValue &v : perRank) {
            const QJsonObject r = v.toObject();
            const int rank = r.value(QStringLiteral("rank")).toInt();
            QCOMPARE(r.value(QStringLiteral("tasks")).toInteger(), TaskShare::of(tasks, rank, ranks, d).count);
            taskSum += r.value(QStringLiteral("tasks")).toInteger();
            byteSum += r.value(QStringLiteral("bytes")).toInteger();
            const double w = r.value(QStringLiteral("wall_s")).toDouble();
            wallSum += w;
            if (w > slowest) {
                slowest = w;
                slowestRank = rank;
            }
        }
        QCOMPARE(taskSum, tasks);
        QCOMPARE(byteSum, int64_t(240 * 36 * 4));
        // The aggregate rate: every rank's bytes over the run's wall time, first rank's start to last rank's end.
        QCOMPARE(run.value(QStringLiteral("aggregate_gbps")).toDouble(), double(byteSum) / wall / 1e9);
        QCOMPARE(run.value(QStringLiteral("slowest_rank")).toInt(), slowestRank);
        QVERIFY(qFuzzyCompare(run.value(QStringLiteral("imbalance")).toDouble(), slowest / (wallSum / ranks)));
        const QString verdict
            = run.value(QStringLiteral("verdict")).toObject().value(QStringLiteral("ranks")).toString();
        QVERIFY2(verdict.contains(QStringLiteral("rank %1").arg(slowestRank)), qPrintable(verdict));
    }

    // A Zarr v3 target with shards of 2 x 3 inner chunks: each rank assembles and writes whole shards,
    // and zarrita, the reference implementation, reads the target equal to the source.
    void zarrV3ShardedTarget()
    {
        QVERIFY2(!QStandardPaths::findExecutable(QStringLiteral("node")).isEmpty()
                     && QFileInfo::exists(zarritaDir() + QStringLiteral("/node_modules/zarrita/package.json")),
                 "zarrita is not installed: ./setup.sh installs nodejs and runs npm ci in tests/interop/zarrita");
        QTemporaryDir dir;
        const QString dst = QStringLiteral(R"({"store": "zarr", "zarr_format": 3, "path": "dst.zarr",
            "dtype": "<i4", "shape": [240, 36], "chunks": [48, 36], "fill": "empty", "overwrite": true,
            "codecs": [{"name": "sharding_indexed", "configuration": {"chunk_shape": [24, 12],
                "codecs": [{"name": "bytes", "configuration": {"endian": "little"}},
                           {"name": "zstd", "configuration": {"level": 1, "checksum": false}}],
                "index_codecs": [{"name": "bytes", "configuration": {"endian": "little"}}, {"name": "crc32c"}],
                "index_location": "end"}}]})");
        QByteArray scenario = copyScenario(QString::fromUtf8(kZarrSource), QStringLiteral("cyclic"), dst);
        scenario.replace(R"("distribution": "cyclic")", R"("distribution": "cyclic", "chunks": [48, 36])");
        const JobOutcome job = runScenarioJob(2, dir, scenario);
        QVERIFY2(job.finished && job.exitCode == 0, qPrintable(job.err + job.out));

        QByteArray values;
        QVERIFY2(
            runZarrita({zarritaDir() + QStringLiteral("/read.mjs"), dir.filePath(QStringLiteral("dst.zarr"))}, &values),
            values.constData());
        writeFileIn(dir, QStringLiteral("dst.json"), values);
        QString output;
        QVERIFY2(runPython({mpiScript(QStringLiteral("mpi_arrays.py")), QStringLiteral("equal-json"),
                            dir.filePath(QStringLiteral("src.zarr")), dir.filePath(QStringLiteral("dst.json"))},
                           &output),
                 qPrintable(output));
        QCOMPARE(output, QStringLiteral("equal"));

        // Five shards, shared 3 and 2 between the ranks.
        const QJsonObject run = firstRunIn(dir.filePath(QStringLiteral("out.json")));
        QCOMPARE(run.value(QStringLiteral("status")).toString(), QStringLiteral("ok"));
        QCOMPARE(run.value(QStringLiteral("tasks")).toInteger(), int64_t(5));
        QList<int> ranksOfTasks(5, -1);
        for (const QJsonValue &v : run.value(QStringLiteral("task_events")).toArray())
            ranksOfTasks[v.toObject().value(QStringLiteral("task")).toInt()]
                = v.toObject().value(QStringLiteral("rank")).toInt();
        QCOMPARE(ranksOfTasks, (QList<int>{0, 1, 0, 1, 0}));
    }

    void hdf5TargetIsRefused()
    {
        QTemporaryDir dir;
        expectRefused(dir,
                      copyScenario(QString::fromUtf8(kZarrSource), QStringLiteral("block"),
                                   QStringLiteral(R"({"store": "hdf5", "file": "dst.h5", "dataset": "/d",
                                     "dtype": "<i4", "shape": [240, 36], "chunks": [24, 12]})")),
                      QStringLiteral("error: s.json: run \"copy\" cannot run under MPI: its target dst (hdf5): "
                                     "several MPI ranks writing one HDF5 file need parallel HDF5 "
                                     "(libhdf5-openmpi-dev), which this build does not use; read HDF5 files from "
                                     "every rank, and write a Zarr directory instead"));
        QVERIFY(!QFile::exists(dir.filePath(QStringLiteral("dst.h5"))));
    }

    // Every target held in memory, whatever its format: each rank would copy into a memory of its own.
    void memoryTargetIsRefused_data()
    {
        QTest::addColumn<QString>("store");
        QTest::addColumn<QString>("target");
        QTest::newRow("memory") << QStringLiteral("memory")
                                << QStringLiteral(R"({"store": "memory", "like": "src", "fill": "empty"})");
        QTest::newRow("in-memory zarr") << QStringLiteral("zarr")
                                        << QStringLiteral(R"({"store": "zarr", "dtype": "<i4", "shape": [240, 36],
                                             "chunks": [24, 12], "fill": "empty"})");
        QTest::newRow("in-memory hdf5") << QStringLiteral("hdf5")
                                        << QStringLiteral(R"({"store": "hdf5", "dataset": "/d", "dtype": "<i4",
                                             "shape": [240, 36], "chunks": [24, 12], "fill": "empty"})");
        QTest::newRow("in-memory carray")
            << QStringLiteral("carray") << QStringLiteral(R"({"store": "carray", "dtype": "<i4",
                                               "shape": [240, 36], "chunklen": 24, "fill": "empty"})");
    }

    void memoryTargetIsRefused()
    {
        QFETCH(QString, store);
        QFETCH(QString, target);
        QTemporaryDir dir;
        expectRefused(dir, copyScenario(QString::fromUtf8(kZarrSource), QStringLiteral("block"), target),
                      QStringLiteral("error: s.json: run \"copy\" cannot run under MPI: its target dst "
                                     "(%1): it is held in one process's memory, and every rank would "
                                     "copy into a memory of its own; under MPI a run's target must be "
                                     "stored at a path every rank sees")
                          .arg(store));
        QVERIFY(!QFile::exists(dir.filePath(QStringLiteral("src.zarr"))));
    }

    // A memory source is a partition: each rank allocates and fills only the chunks of the copy grid
    // it copies (here by a grid other than the array's own chunks), and the ranks' parts make the
    // array that zarr-python reads back from the target.
    void memoryPartitionsToZarr_data()
    {
        QTest::addColumn<int>("ranks");
        QTest::addColumn<QString>("distribution");
        QTest::newRow("2 ranks, block") << 2 << QStringLiteral("block");
        QTest::newRow("3 ranks, cyclic") << 3 << QStringLiteral("cyclic");
    }

    void memoryPartitionsToZarr()
    {
        QFETCH(int, ranks);
        QFETCH(QString, distribution);
        QTemporaryDir dir;
        QByteArray scenario = copyScenario(QString::fromUtf8(kMemorySource), distribution);
        scenario.replace(R"("distribution": ")", R"("chunks": [24, 12], "distribution": ")");
        const JobOutcome job = runScenarioJob(ranks, dir, scenario);
        QVERIFY2(job.finished && job.exitCode == 0, qPrintable(job.err + job.out));

        QString output;
        QVERIFY2(runPython({mpiScript(QStringLiteral("mpi_arrays.py")), QStringLiteral("equal-arange"),
                            dir.filePath(QStringLiteral("dst.zarr"))},
                           &output),
                 qPrintable(output));
        QCOMPARE(output, QStringLiteral("equal"));

        const QJsonObject run = firstRunIn(dir.filePath(QStringLiteral("out.json")));
        QCOMPARE(run.value(QStringLiteral("status")).toString(), QStringLiteral("ok"));
        QCOMPARE(run.value(QStringLiteral("verified")).toBool(), true);
        QCOMPARE(run.value(QStringLiteral("tasks")).toInteger(), int64_t(30));
        // The source as rank 0 held it: its share of the 30 copy chunks of 24 x 12 int32, no more.
        const int64_t held = TaskShare::of(30, 0, ranks, *distributionFromName(distribution)).count;
        const QJsonObject source = run.value(QStringLiteral("source")).toObject();
        QCOMPARE(source.value(QStringLiteral("nbytes")).toInteger(), int64_t(240 * 36 * 4));
        QCOMPARE(source.value(QStringLiteral("nbytes_stored")).toInteger(), held * 24 * 12 * 4);
        QCOMPARE(source.value(QStringLiteral("location")).toString(),
                 QStringLiteral("in memory, partitioned: %1 of 30 chunks [24, 12] held by this rank").arg(held));
    }

    // Two runs that split one memory source differently would need a rank to hold chunks another
    // rank holds: refused before anything is created.
    void memoryPartitionSplitTwoWaysIsRefused()
    {
        QTemporaryDir dir;
        QByteArray scenario = copyScenario(QString::fromUtf8(kMemorySource), QStringLiteral("block"));
        scenario.replace(R"("distribution": "block"}])", R"("distribution": "block"},
            {"name": "again", "source": "src", "target": "dst", "distribution": "cyclic"}])");
        expectRefused(dir, scenario,
                      QStringLiteral("error: s.json: memory array src cannot be shared among MPI ranks: each rank "
                                     "holds only the chunks it copies, but runs \"copy\" (copy chunks [48, 36], "
                                     "block) and \"again\" (copy chunks [48, 36], cyclic) split it differently"));
        QVERIFY(!QFile::exists(dir.filePath(QStringLiteral("dst.zarr"))));
    }

    // Two ranks started on different files (MPMD): both refuse, with one and the same message.
    void differentScenariosAreRefusedByEveryRank()
    {
        QTemporaryDir dir;
        writeFileIn(dir, QStringLiteral("s.json"),
                    copyScenario(QString::fromUtf8(kZarrSource), QStringLiteral("block")));
        writeFileIn(dir, QStringLiteral("t.json"),
                    copyScenario(QString::fromUtf8(kZarrSource), QStringLiteral("cyclic")));
        const QStringList args
            = QStringList{QStringLiteral("--allow-run-as-root"), QStringLiteral("-np"), QStringLiteral("1")}
            + runCommand({QStringLiteral("s.json"), QStringLiteral("--quiet")})
            + QStringList{QStringLiteral(":"), QStringLiteral("-np"), QStringLiteral("1")}
            + runCommand({QStringLiteral("t.json"), QStringLiteral("--quiet")});
        const JobOutcome job = runJob(args, dir.path());
        QVERIFY(job.finished);
        QCOMPARE(job.exitCode, 2);
        const QStringList lines = errorLines(job.err);
        QCOMPARE(lines.size(), qsizetype(2));
        QCOMPARE(lines.at(0), lines.at(1));
        QVERIFY2(lines.at(0)
                     == (QStringLiteral("error: the ranks read different scenarios: rank 1 read another "
                                        "scenario file or --run than rank 0 (compared by SHA-256)")),
                 qPrintable(lines.at(0)));
        QVERIFY(!QFile::exists(dir.filePath(QStringLiteral("src.zarr"))));
    }

    // A rank killed during the copy: the job ends, with an error, well before the copy would have,
    // and rank 0 writes what it has: its own share, every run failed with the reason.
    void aKilledRankEndsTheJob()
    {
        QTemporaryDir dir;
        writeFileIn(dir, QStringLiteral("s.json"), QByteArrayLiteral(R"({"chunkscope": 1, "name": "long",
            "arrays": {"src": {"store": "zarr", "path": "src.zarr", "dtype": "<i4", "shape": [2000, 1000],
                               "chunks": [10, 1000], "fill": "arange", "overwrite": true, "compressor": null},
                       "dst": {"store": "zarr", "path": "dst.zarr", "like": "src", "fill": "empty", "overwrite": true,
                               "compressor": {"id": "zlib", "level": 9}}},
            "runs": [{"name": "copy", "source": "src", "target": "dst", "workers": 1, "repeat": 200}]})"));
        QProcess p;
        startJob(p,
                 mpirunArgs(2,
                            runCommand({QStringLiteral("s.json"), QStringLiteral("--json"), QStringLiteral("out.json"),
                                        QStringLiteral("--quiet")})),
                 dir.path());
        QVERIFY(p.waitForStarted());
        // Wait until the ranks copy: chunks appear in the target.
        QElapsedTimer clock;
        clock.start();
        const QDir target(dir.filePath(QStringLiteral("dst.zarr")));
        while (clock.elapsed() < 60000
               && (!target.exists() || target.entryList(QDir::Files).filter(QStringLiteral("0.0")).isEmpty()))
            QTest::qWait(50);
        QVERIFY2(p.state() == QProcess::Running, "the copy finished before a rank could be killed");
        const QList<qint64> ranks = childrenOf(p.processId());
        QCOMPARE(ranks.size(), qsizetype(2));
        clock.restart();
        QCOMPARE(::kill(pid_t(ranks.last()), SIGKILL), 0);
        QVERIFY2(p.waitForFinished(60000), "the job did not end within 60 s of losing a rank");
        qInfo("the job ended %lld ms after a rank was killed", clock.elapsed());
        QVERIFY(p.exitStatus() != QProcess::NormalExit || p.exitCode() != 0);

        const QJsonObject doc = readJson(dir.filePath(QStringLiteral("out.json")));
        const QJsonArray runs = doc.value(QStringLiteral("runs")).toArray();
        QVERIFY2(!runs.isEmpty(), qPrintable(QString::fromUtf8(p.readAllStandardError())));
        const int64_t gridTasks = 200;
        const TaskShare share = TaskShare::of(gridTasks, 0, 2, Distribution::Block);
        for (const QJsonValue &v : runs) {
            const QJsonObject run = v.toObject();
            QCOMPARE(run.value(QStringLiteral("status")).toString(), QStringLiteral("failed"));
            QCOMPARE(run.value(QStringLiteral("error")).toString(),
                     QStringLiteral("the job was ended before the other ranks reported (a rank died or was stopped): "
                                    "these results hold rank 0's share alone, %1 of the copy's %2 tasks")
                         .arg(share.count)
                         .arg(gridTasks));
            QVERIFY(run.value(QStringLiteral("verified")).isNull());
            for (const QJsonValue &e : run.value(QStringLiteral("task_events")).toArray()) {
                QCOMPARE(e.toObject().value(QStringLiteral("rank")).toInt(-1), 0);
                QVERIFY(e.toObject().value(QStringLiteral("task")).toInteger() < share.count);
            }
        }
        // The copy that was running when the rank died has rank 0's tasks up to then.
        QVERIFY(!runs.last().toObject().value(QStringLiteral("task_events")).toArray().isEmpty());
    }

private:
    // Runs `scenario`, saved as s.json in `dir`, on 2 ranks: the job ends with exit status 2 and
    // `line`, its one error line.
    void expectRefused(const QTemporaryDir &dir, const QByteArray &scenario, const QString &line)
    {
        writeFileIn(dir, QStringLiteral("s.json"), scenario);
        const JobOutcome job
            = runJob(mpirunArgs(2, runCommand({QStringLiteral("s.json"), QStringLiteral("--quiet")})), dir.path());
        QVERIFY(job.finished);
        QCOMPARE(job.exitCode, 2);
        QCOMPARE(errorLines(job.err), QStringList{line});
    }

    // The processes whose parent is `parent`, from /proc: the ranks mpirun started on this host.
    static QList<qint64> childrenOf(qint64 parent)
    {
        QList<qint64> children;
        for (const QString &entry : QDir(QStringLiteral("/proc")).entryList(QDir::Dirs)) {
            bool isPid = false;
            const qint64 pid = entry.toLongLong(&isPid);
            if (!isPid)
                continue;
            const QByteArray stat = readAll(QStringLiteral("/proc/%1/stat").arg(pid));
            // "pid (comm) state ppid ...": comm may hold spaces, so read after its closing parenthesis.
            const QList<QByteArray> fields = stat.mid(stat.lastIndexOf(')') + 2).split(' ');
            if (fields.size() > 1 && fields.at(1).toLongLong() == parent && stat.contains("(chunkscope)"))
                children.append(pid);
        }
        std::sort(children.begin(), children.end());
        return children;
    }
};

QTEST_GUILESS_MAIN(TestMpirun)
#include "tst_mpirun.moc"
