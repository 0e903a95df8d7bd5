#include "firstinline.h"
#include "results/csvexport.h"
#include "results/filestems.h"
#include "results/sweepsummary.h"
#include "results/traceexport.h"
#include "results/verdict.h"
#include "runner/arrayset.h"
#include "runner/runexecutor.h"
#include "stores/hdf5/hdf5options.h"
#include "stores/zarr/zarroptions.h"

#include <QDir>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QTest>
#include <QThread>

using namespace cs;

namespace {

ArraySpec array(const QString &id, const QString &store, int64_t n, int64_t chunk, FillSpec::Kind fill)
{
    ArraySpec a;
    a.id = id;
    a.store = store;
    a.dtype = DType(DType::Kind::Float, 8);
    a.shape = {n};
    a.chunks = {chunk};
    a.fill.kind = fill;
    a.fill.seed = 7;
    if (store == QLatin1String("zarr")) {
        CompressorSpec zlib;
        zlib.id = QStringLiteral("zlib");
        zlib.clevel = 9;
        a.optionsAs<ZarrOptions>().compressor = zlib;
    } else if (store == QLatin1String("hdf5")) {
        a.optionsAs<Hdf5Options>().dataset = id;
        a.optionsAs<Hdf5Options>().compression = QStringLiteral("gzip");
        a.optionsAs<Hdf5Options>().compressionOpts = 6;
        a.optionsAs<Hdf5Options>().shuffle = true;
    }
    return a;
}

RunResult runOnce(const QString &sourceStore, const QString &targetStore, LockMode lock, int workers,
                  Hdf5Path path = Hdf5Path::Auto, int64_t n = 1 << 20, int64_t chunk = 1 << 15, bool prefault = false)
{
    Scenario s;
    s.arrays.append(array(QStringLiteral("src"), sourceStore, n, chunk, FillSpec::Kind::Random));
    s.arrays.append(array(QStringLiteral("dst"), targetStore, n, chunk, FillSpec::Kind::Empty));
    RunSpec run;
    run.name = QStringLiteral("probe");
    run.source = QStringLiteral("src");
    run.target = QStringLiteral("dst");
    run.workers = workers;
    run.lock = lock;
    run.sampleMs = 5;
    run.hdf5Path = path;
    run.prefault = prefault;
    ArraySet arrays(s);
    const QList<RunResult> results = executeRun(run, arrays);
    return results.value(0);
}

} // namespace

class TestExports : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void theVerdictSaysWhenTheWindowCompetesWithTheWorkers()
    {
        // A run watched by the window: its GUI thread took 6 % of a core beside workers on every core.
        RunResult r;
        r.name = QStringLiteral("watched");
        r.workers = QThread::idealThreadCount();
        r.wallSeconds = 0.2;
        r.bytes = 400000000;
        r.profiled = true;
        for (int w = 0; w < r.workers; ++w) { // each worker copies for the whole run
            TaskEvent e;
            e.task = w;
            e.worker = w;
            e.endNs = 200000000;
            e.bytes = r.bytes / r.workers;
            e.phaseNs[size_t(Phase::Write)] = e.endNs;
            r.events.push_back(e);
        }
        for (int i = 0; i <= 10; ++i) {
            ResourceSample s;
            s.tNs = int64_t(i) * 20000000;
            s.cpuPercent = 180;
            s.uiCpuPercent = i == 0 ? 0 : 6;
            r.samples.push_back(s);
        }
        const QString share = QStringLiteral("; the window took 6% of a core while %1 workers had all %1 cores: leave "
                                             "one core for the window to keep it from slowing the copy")
                                  .arg(r.workers);
        QVERIFY2(verdictFor(r).headline.endsWith(share), qPrintable(verdictFor(r).headline));
        // With a core left free, or headless (nothing measured), the window is not named.
        r.workers = std::max(1, QThread::idealThreadCount() - 1);
        if (r.workers < QThread::idealThreadCount())
            QVERIFY(!verdictFor(r).headline.contains(QStringLiteral("the window")));
        r.workers = QThread::idealThreadCount();
        for (ResourceSample &s : r.samples)
            s.uiCpuPercent = -1;
        QVERIFY(!verdictFor(r).headline.contains(QStringLiteral("the window")));
    }

    void verdicts_data()
    {
        QTest::addColumn<QString>("source");
        QTest::addColumn<QString>("target");
        QTest::addColumn<int>("lock");
        QTest::addColumn<int>("path");
        QTest::addColumn<QString>("bound");
        QTest::addColumn<int>("workers");
        QTest::addColumn<int>("elements");
        QTest::addColumn<bool>("prefault");
        // Plain memory to a pre-touched memory target: nothing but moving bytes.
        QTest::newRow("memory") << QStringLiteral("memory") << QStringLiteral("memory") << int(LockMode::None)
                                << int(Hdf5Path::Auto) << QStringLiteral("memory_bandwidth") << 2 << (1 << 23) << true;
        // The same into a fresh target: every page is mapped on its first write.
        QTest::newRow("page faults") << QStringLiteral("memory") << QStringLiteral("memory") << int(LockMode::None)
                                     << int(Hdf5Path::Auto) << QStringLiteral("page_faults") << 2 << (1 << 23) << false;
        // zlib level 9 on random doubles, no lock: the codec is all the work.
        QTest::newRow("codec") << QStringLiteral("memory") << QStringLiteral("zarr") << int(LockMode::None)
                               << int(Hdf5Path::Auto) << QStringLiteral("codec") << 3 << (1 << 20) << false;
        // The same with dask's lock around encode + write: three workers queue for it.
        QTest::newRow("lock") << QStringLiteral("memory") << QStringLiteral("zarr") << int(LockMode::Target)
                              << int(Hdf5Path::Auto) << QStringLiteral("lock") << 3 << (1 << 20) << false;
        // HDF5's own filters run inside its global lock.
        QTest::newRow("store lock") << QStringLiteral("memory") << QStringLiteral("hdf5") << int(LockMode::None)
                                    << int(Hdf5Path::Library) << QStringLiteral("store_lock") << 3 << (1 << 20)
                                    << false;
    }
    void verdicts()
    {
        QFETCH(QString, source);
        QFETCH(QString, target);
        QFETCH(int, lock);
        QFETCH(int, path);
        QFETCH(QString, bound);
        QFETCH(int, workers);
        QFETCH(int, elements);
        QFETCH(bool, prefault);
        // Large enough that the copy, not thread wake-ups, fills the pool's time. Ahead of whatever
        // else runs on this shared machine: here the question is the copy's own bound, not starvation.
        RunResult r;
        {
            FirstInLine first;
            r = runOnce(source, target, LockMode(lock), workers, Hdf5Path(path), elements, elements / 64, prefault);
        }
        QVERIFY2(r.status == RunResult::Status::Ok, qPrintable(r.error));
        QCOMPARE(r.verified, std::optional<bool>(true));
        const Verdict v = verdictFor(r);
        QVERIFY2(Verdict::boundKey(v.bound) == bound, qPrintable(v.headline + QLatin1Char('\n') + v.details));
        // The breakdown accounts for the whole pool: tasks plus idle make workers x wall.
        const TimeBreakdown &b = v.breakdown;
        QVERIFY(qAbs(b.taskSeconds + b.idleSeconds - b.poolSeconds) < 1e-3 + 0.01 * b.poolSeconds);
    }

    void chromeTraceHasATrackPerWorker()
    {
        const RunResult r = runOnce(QStringLiteral("memory"), QStringLiteral("zarr"), LockMode::Io, 2);
        QVERIFY2(r.status == RunResult::Status::Ok, qPrintable(r.error));
        QJsonParseError err;
        const QJsonDocument doc = QJsonDocument::fromJson(chromeTrace({r}), &err);
        QCOMPARE(err.error, QJsonParseError::NoError);
        const QJsonArray events = doc.object().value(QStringLiteral("traceEvents")).toArray();
        QSet<int> threadNames;
        int tasks = 0, counters = 0, measuredTasks = 0;
        QHash<int, QPair<double, double>> lastTaskPerTid;
        for (const QJsonValue &v : events) {
            const QJsonObject e = v.toObject();
            const QString ph = e.value(QStringLiteral("ph")).toString();
            const int tid = e.value(QStringLiteral("tid")).toInt();
            if (ph == QLatin1String("M") && e.value(QStringLiteral("name")).toString() == QLatin1String("thread_name"))
                threadNames.insert(tid);
            if (ph == QLatin1String("C"))
                ++counters;
            if (ph != QLatin1String("X"))
                continue;
            const double ts = e.value(QStringLiteral("ts")).toDouble();
            const double dur = e.value(QStringLiteral("dur")).toDouble();
            if (e.value(QStringLiteral("name")).toString().startsWith(QLatin1String("task "))) {
                ++tasks;
                // Each task carries its thread's CPU accounting, as in the results document.
                const QJsonObject args = e.value(QStringLiteral("args")).toObject();
                const TaskEvent &event = r.events.at(size_t(args.value(QStringLiteral("task")).toInt()));
                if (args.value(QStringLiteral("cpu_s")).toDouble() == double(event.usage.cpuNs) / 1e9
                    && args.value(QStringLiteral("minflt")).toInt() == event.usage.minflt
                    && args.value(QStringLiteral("vol_cs")).toInt() == event.usage.volCs
                    && args.value(QStringLiteral("invol_cs")).toInt() == event.usage.involCs
                    && args.value(QStringLiteral("runq_s")).toDouble() == double(event.usage.runqNs) / 1e9)
                    ++measuredTasks;
                lastTaskPerTid[tid] = {ts, ts + dur};
            } else {
                // A phase nests inside the task it belongs to, the last task seen on its track.
                const auto task = lastTaskPerTid.value(tid);
                QVERIFY(ts >= task.first - 0.001);
                QVERIFY(ts + dur <= task.second + 0.002);
            }
        }
        QCOMPARE(threadNames, (QSet<int>{0, 1}));
        QCOMPARE(tasks, int(r.tasks));
        QCOMPARE(measuredTasks, int(r.tasks));
        // Four counters per sample, and the machine's CPU where it was measured (not at the start).
        const auto machine = std::count_if(r.samples.begin(), r.samples.end(),
                                           [](const ResourceSample &s) { return s.machineCpuPercent >= 0; });
        QCOMPARE(counters, int(r.samples.size() * 4 + machine));
    }

    void csvHasARowPerTaskAndSample()
    {
        const RunResult r = runOnce(QStringLiteral("memory"), QStringLiteral("memory"), LockMode::None, 2);
        const QList<QByteArray> taskLines = tasksCsv(r).trimmed().split('\n');
        QCOMPARE(taskLines.size(), int(r.tasks) + 1);
        QCOMPARE(taskLines.at(0),
                 QByteArray("task,worker,start_s,end_s,duration_s,bytes,region,read_s,decode_s,"
                            "lock_wait_s,encode_s,write_s,store_lock_s,chunk_lock_s,"
                            "shard_assembly_s,shard_index_s,cpu_s,runq_s,vol_cs,invol_cs,"
                            "minflt"));
        const QList<QByteArray> first = taskLines.at(1).split(',');
        QCOMPARE(first.at(0), QByteArray("0"));
        QCOMPARE(first.at(5), QByteArray::number((1 << 15) * 8));
        QCOMPARE(first.at(6), QByteArray("0:32768"));
        const TaskUsage &u = r.events.at(0).usage;
        QCOMPARE(first.mid(16),
                 (QList<QByteArray>{QByteArray::number(double(u.cpuNs) / 1e9, 'f', 9),
                                    QByteArray::number(double(u.runqNs) / 1e9, 'f', 9), QByteArray::number(u.volCs),
                                    QByteArray::number(u.involCs), QByteArray::number(u.minflt)}));
        const QList<QByteArray> sampleLines = samplesCsv(r).trimmed().split('\n');
        QCOMPARE(sampleLines.size(), int(r.samples.size()) + 1);
        QCOMPARE(
            sampleLines.at(0),
            QByteArray("t_s,cpu_percent,rss_bytes,inflight_bytes,minor_faults_per_s,machine_cpu_percent,load_average"));
        // The machine's CPU where a tick passed in the interval, an empty field where none did.
        for (size_t i = 0; i < r.samples.size(); ++i) {
            const double machine = r.samples[i].machineCpuPercent;
            QCOMPARE(sampleLines.at(qsizetype(i) + 1).split(',').at(5),
                     machine >= 0 ? QByteArray::number(machine, 'f', 2) : QByteArray());
        }
        // A task read from an older document has no accounting: empty fields, not zeros.
        RunResult older = r;
        older.events.at(0).usage = TaskUsage{};
        const QList<QByteArray> olderRow = tasksCsv(older).split('\n').at(1).split(',');
        QCOMPARE(olderRow.size(), taskLines.at(0).split(',').size());
        QCOMPARE(olderRow.mid(16), QList<QByteArray>(5));

        QTemporaryDir dir;
        RunResult named = r;
        named.name = QStringLiteral("numpy, no lock");
        QString error;
        QVERIFY(writeCsvFiles(dir.path(), {named}, &error));
        QVERIFY(QFile::exists(dir.filePath(QStringLiteral("numpy__no_lock.tasks.csv"))));
        QVERIFY(QFile::exists(dir.filePath(QStringLiteral("numpy__no_lock.samples.csv"))));
    }

    // A run of an MPI job: rank and host columns in the task CSV, a rank column in the samples', and
    // one trace process per rank holding that rank's tasks and counters.
    void ranksReachTheCsvAndTheTrace()
    {
        RunResult r;
        r.name = QStringLiteral("mpi");
        r.workers = 1;
        r.shape = Coords::fromVector({40});
        r.chunks = Coords::fromVector({10});
        r.tasks = 4;
        for (int64_t t = 0; t < 4; ++t) {
            TaskEvent e;
            e.task = t;
            e.worker = 0;
            e.startNs = t * 1000;
            e.endNs = t * 1000 + 500;
            e.bytes = 40;
            r.events.push_back(e);
        }
        r.samples.push_back(ResourceSample{0, 10, 100, 0, 0});
        r.samples.push_back(ResourceSample{0, 20, 200, 0, 0});
        r.wallSeconds = 4e-6;
        RunRanks ranks;
        ranks.events = {0, 1, 0, 1};
        ranks.samples = {1, 0};
        ranks.hosts = {QStringLiteral("node-a"), QStringLiteral("node,b")};

        const QList<QByteArray> tasks = tasksCsv(r, ranks).trimmed().split('\n');
        QVERIFY(tasks.at(0).startsWith("task,worker,rank,host,start_s,end_s,"));
        QVERIFY2(tasks.at(2).startsWith("1,0,1,\"node,b\",0.000001000,"), tasks.at(2).constData());
        QVERIFY2(tasks.at(3).startsWith("2,0,0,node-a,0.000002000,"), tasks.at(3).constData());
        const QList<QByteArray> samples = samplesCsv(r, ranks).trimmed().split('\n');
        QVERIFY(samples.at(0).startsWith("t_s,rank,cpu_percent,"));
        QVERIFY2(samples.at(1).startsWith("0.000000000,1,10.00,100,"), samples.at(1).constData());
        QVERIFY2(samples.at(2).startsWith("0.000000000,0,20.00,200,"), samples.at(2).constData());
        // Without ranks, the columns of one process.
        QVERIFY(tasksCsv(r).startsWith("task,worker,start_s,"));

        const QJsonArray events = QJsonDocument::fromJson(chromeTrace({r}, {ranks}))
                                      .object()
                                      .value(QStringLiteral("traceEvents"))
                                      .toArray();
        QHash<int, QString> processNames;
        QHash<int, QList<int>> tasksOf;
        QHash<int, QList<double>> cpuOf;
        for (const QJsonValue &v : events) {
            const QJsonObject e = v.toObject();
            const int pid = e.value(QStringLiteral("pid")).toInt();
            const QString ph = e.value(QStringLiteral("ph")).toString();
            const QString name = e.value(QStringLiteral("name")).toString();
            if (ph == QLatin1String("M") && name == QLatin1String("process_name"))
                processNames.insert(
                    pid, e.value(QStringLiteral("args")).toObject().value(QStringLiteral("name")).toString());
            if (ph == QLatin1String("X") && name.startsWith(QLatin1String("task ")))
                tasksOf[pid].append(e.value(QStringLiteral("args")).toObject().value(QStringLiteral("task")).toInt());
            if (ph == QLatin1String("C") && name == QLatin1String("CPU %"))
                cpuOf[pid].append(e.value(QStringLiteral("args")).toObject().value(QStringLiteral("cpu")).toDouble());
        }
        QCOMPARE(processNames,
                 (QHash<int, QString>{{1, QStringLiteral("mpi · rank 0 (node-a)")},
                                      {2, QStringLiteral("mpi · rank 1 (node,b)")}}));
        QCOMPARE(tasksOf.value(1), (QList<int>{0, 2}));
        QCOMPARE(tasksOf.value(2), (QList<int>{1, 3}));
        QCOMPARE(cpuOf.value(1), QList<double>{20});
        QCOMPARE(cpuOf.value(2), QList<double>{10});
    }

    // Runs whose names differ only in what a file name cannot hold, and a repeat of "r" beside a
    // run named "r_2": every run still gets its own pair of files, named in run order.
    void everyRunGetsItsOwnCsvFiles()
    {
        QList<RunResult> runs;
        for (const auto &[name, repeat] :
             {std::pair(QStringLiteral("copy 1"), 0), std::pair(QStringLiteral("copy/1"), 0),
              std::pair(QStringLiteral("copy_1"), 0), std::pair(QStringLiteral("r"), 0),
              std::pair(QStringLiteral("r"), 1), std::pair(QStringLiteral("r_2"), 0)}) {
            RunResult r;
            r.name = name;
            r.repeatIndex = repeat;
            r.samples.push_back(ResourceSample{int64_t(runs.size()) * 1000000000, 0, 0, 0, 0});
            runs.append(r);
        }
        QTemporaryDir dir;
        QString error;
        QVERIFY2(writeCsvFiles(dir.path(), runs, &error), qPrintable(error));
        const QStringList stems = {QStringLiteral("copy_1"), QStringLiteral("copy_1-2"), QStringLiteral("copy_1-3"),
                                   QStringLiteral("r"),      QStringLiteral("r_2"),      QStringLiteral("r_2-2")};
        QStringList expected;
        for (const QString &stem : stems)
            expected << stem + QStringLiteral(".samples.csv") << stem + QStringLiteral(".tasks.csv");
        expected.sort();
        QCOMPARE(QDir(dir.path()).entryList(QDir::Files | QDir::Hidden, QDir::Name), expected);
        for (int i = 0; i < runs.size(); ++i) {
            QFile f(dir.filePath(stems[i] + QStringLiteral(".samples.csv")));
            QVERIFY(f.open(QIODevice::ReadOnly));
            QCOMPARE(f.readAll(), samplesCsv(runs[i]));
        }
    }

    void fileStemRule()
    {
        // A name keeps letters (any script), digits, '-' and '_'; a repeat adds _N.
        QCOMPARE(fileStem(QStringLiteral("numpy, no lock"), 0, QStringLiteral("run")),
                 QStringLiteral("numpy__no_lock"));
        QCOMPARE(fileStem(QStringLiteral("r"), 2, QStringLiteral("run")), QStringLiteral("r_3"));
        QCOMPARE(fileStem(QStringLiteral("Größe-1"), 0, QStringLiteral("run")), QStringLiteral("Größe-1"));
        QCOMPARE(fileStem(QStringLiteral("../.."), 0, QStringLiteral("run")), QStringLiteral("_____"));
        QCOMPARE(fileStem(QString(), 0, QStringLiteral("run")), QStringLiteral("run"));
        // Long names are cut to 200 bytes of UTF-8 before the repeat's suffix, never inside a character.
        QCOMPARE(fileStem(QString(300, QLatin1Char('a')), 1, QStringLiteral("run")),
                 QString(198, QLatin1Char('a')) + QStringLiteral("_2"));
        QCOMPARE(fileStem(QString(150, QChar(0x00e9)), 0, QStringLiteral("run")), QString(100, QChar(0x00e9)));

        // Equal stems, ignoring case: the first keeps it, later ones take the first free -N, and a
        // stem no other has is never renamed for another's sake.
        QCOMPARE(
            uniqueFileStems({QStringLiteral("x"), QStringLiteral("X"), QStringLiteral("x-2"), QStringLiteral("x")}),
            (QStringList{QStringLiteral("x"), QStringLiteral("X-3"), QStringLiteral("x-2"), QStringLiteral("x-4")}));
        QCOMPARE(uniqueFileStems({QStringLiteral("a"), QStringLiteral("b")}),
                 (QStringList{QStringLiteral("a"), QStringLiteral("b")}));
        // Sweeps follow the same rule.
        SweepSummary spaced;
        spaced.name = QStringLiteral("s 1");
        SweepSummary slashed;
        slashed.name = QStringLiteral("s/1");
        QCOMPARE(sweepFileStems({spaced, slashed, SweepSummary()}),
                 (QStringList{QStringLiteral("s_1"), QStringLiteral("s_1-2"), QStringLiteral("sweep")}));
    }
};

QTEST_GUILESS_MAIN(TestExports)
#include "tst_exports.moc"
