// The facts a verdict adds beside its bound: a first copy that met a fresh target, and a window whose
// own CPU competed with the workers; in the headline, the results document and the comparisons.
#include "firstinline.h"
#include "profiler/observerthread.h"
#include "results/coldtarget.h"
#include "results/repeatstats.h"
#include "results/resultsjson.h"
#include "results/verdict.h"
#include "runner/arrayset.h"
#include "runner/runexecutor.h"
#include "scenario/scenarioparser.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>
#include <QThread>

#include <algorithm>
#include <atomic>
#include <thread>

using namespace cs;

namespace {

constexpr int64_t kElements = int64_t(1) << 24; // 64 MiB of int32: 16,384 pages to fault

Scenario copyScenario()
{
    const QByteArray text = QByteArrayLiteral(R"({"chunkscope": 1, "runs": [], "arrays": {
        "src": {"store": "memory", "dtype": "<i4", "shape": [)")
        + QByteArray::number(kElements) + R"(],
                "chunks": [1048576], "fill": "arange"},
        "dst": {"store": "memory", "like": "src", "fill": "empty"}}})";
    QString error;
    const std::optional<Scenario> s = parseScenario(text, QStringLiteral("copy.json"), &error);
    if (!s)
        qFatal("%s", qPrintable(error));
    return *s;
}

// The copies of one run into a fresh target, executed as an interleaved plan executes them: one
// call of the runner per repeat.
QList<RunResult> copies(int warmup, int repeat)
{
    FirstInLine first; // the workers get their CPUs, so the timings compare the copies alone
    ArraySet arrays(copyScenario());
    RunSpec run;
    run.name = QStringLiteral("copy");
    run.source = QStringLiteral("src");
    run.target = QStringLiteral("dst");
    run.workers = 1;
    run.lock = LockMode::None;
    run.sampleMs = 20;
    run.repeat = repeat;
    run.warmup = warmup;
    QList<RunResult> results;
    for (const RunSpec &one : executionPlan({run}, RunOrder::Interleaved))
        results += executeRun(one, arrays);
    return results;
}

int64_t taskFaults(const RunResult &r)
{
    int64_t sum = 0;
    for (const TaskEvent &e : r.events)
        sum += e.usage.minflt;
    return sum;
}

double median(std::vector<double> v)
{
    std::sort(v.begin(), v.end());
    return v.size() % 2 ? v[v.size() / 2] : (v[v.size() / 2 - 1] + v[v.size() / 2]) / 2;
}

QJsonObject verdictJson(const QList<RunResult> &runs, qsizetype i)
{
    const QJsonObject doc = QJsonDocument::fromJson(resultsToJson(QStringLiteral("s"), HostInfo(), runs)).object();
    return doc.value(QStringLiteral("runs")).toArray().at(i).toObject().value(QStringLiteral("verdict")).toObject();
}

// A finished copy of `bytes` made by hand, with its page faults counted by its one task.
RunResult handMade(int repeat, double wall, int32_t faults, int64_t bytes)
{
    RunResult r;
    r.name = QStringLiteral("copy");
    r.repeatIndex = repeat;
    r.workers = 1;
    r.bytes = bytes;
    r.wallSeconds = wall;
    r.target.nbytesStored = bytes;
    TaskEvent e;
    e.task = 0;
    e.worker = 0;
    e.endNs = int64_t(wall * 1e9);
    e.bytes = bytes;
    e.phaseNs[size_t(Phase::Write)] = e.endNs;
    e.usage.cpuNs = e.endNs;
    e.usage.runqNs = 0;
    e.usage.minflt = faults;
    r.events.push_back(e);
    return r;
}

} // namespace

class TestVerdictFacts : public QObject {
    Q_OBJECT

private slots:
    // warmup 0 and 4 repeats into a fresh target: the first copy maps every page of it.
    void firstCopyIntoFreshTargetIsNamed()
    {
        const QList<RunResult> runs = copies(0, 4);
        QCOMPARE(runs.size(), 4);
        for (const RunResult &r : runs) {
            QCOMPARE(r.status, RunResult::Status::Ok);
            QCOMPARE(r.verified, std::optional<bool>(true));
        }
        const int64_t faults = taskFaults(runs[0]);
        const int64_t pages = kElements * 4 / 4096;
        QVERIFY2(faults >= pages * 9 / 10, qPrintable(QString::number(faults)));
        const double later = median({runs[1].wallSeconds, runs[2].wallSeconds, runs[3].wallSeconds});
        const QString expected
            = QStringLiteral("first touch of a fresh target: %1 k page faults; later copies %2× faster")
                  .arg(double(faults) / 1000, 0, 'f', 0)
                  .arg(runs[0].wallSeconds / later, 0, 'f', 1);
        const Verdict v = verdictFor(runs[0]);
        QVERIFY2(v.headline.contains(QStringLiteral("; ") + expected), qPrintable(v.headline));
        QVERIFY(v.coldTarget);
        QCOMPARE(v.coldTarget->faults, double(faults));
        QCOMPARE(v.coldTarget->laterCopies, 3);
        QCOMPARE(v.coldTarget->laterWallSeconds, later);
        for (qsizetype i = 1; i < runs.size(); ++i)
            QVERIFY2(!verdictFor(runs[i]).headline.contains(QStringLiteral("first touch")),
                     qPrintable(verdictFor(runs[i]).headline));

        // The results document carries the fact, and reads back to the same headline.
        const QJsonObject cold = verdictJson(runs, 0).value(QStringLiteral("cold_target")).toObject();
        QCOMPARE(cold.value(QStringLiteral("minflt")).toInteger(), faults);
        QCOMPARE(cold.value(QStringLiteral("later_n")).toInt(), 3);
        QCOMPARE(cold.value(QStringLiteral("wall_s")).toDouble(), runs[0].wallSeconds);
        QCOMPARE(cold.value(QStringLiteral("later_wall_s")).toDouble(), later);
        QVERIFY(!verdictJson(runs, 1).contains(QStringLiteral("cold_target")));
        QString error;
        const auto doc
            = parseResults(resultsToJson(QStringLiteral("s"), HostInfo(), runs), QStringLiteral("r"), &error);
        QVERIFY2(doc, qPrintable(error));
        QCOMPARE(verdictFor(doc->runs[0]).headline, v.headline);

        // Comparisons leave the cold copy out: the summary is of the three later copies.
        const QList<RepeatSummary> summaries = summarizeRepeats(runs);
        QCOMPARE(summaries.size(), 1);
        QCOMPARE(summaries[0].n, 3);
        QCOMPARE(summaries[0].wallMedian, later);
    }

    // One warm-up copy takes the first touch: no timed copy is cold, and none is left out.
    void warmTargetIsNotNamed()
    {
        const QList<RunResult> runs = copies(1, 3);
        QCOMPARE(runs.size(), 3);
        for (const RunResult &r : runs) {
            QCOMPARE(r.status, RunResult::Status::Ok);
            const Verdict v = verdictFor(r);
            QVERIFY2(!v.headline.contains(QStringLiteral("first touch")), qPrintable(v.headline));
            QVERIFY(!v.coldTarget);
        }
        QVERIFY2(taskFaults(runs[0]) < kElements * 4 / 4096 / 10, qPrintable(QString::number(taskFaults(runs[0]))));
        QVERIFY(!verdictJson(runs, 0).contains(QStringLiteral("cold_target")));
        const QList<RepeatSummary> summaries = summarizeRepeats(runs);
        QCOMPARE(summaries.size(), 1);
        QCOMPARE(summaries[0].n, 3);
    }

    // A slow first copy is cold only when its faults set it apart: copies that all fault (a fork
    // before each) are not, nor is a first copy with nothing after it.
    void coldNeedsFaultsTheLaterCopiesLack()
    {
        const int64_t bytes = 64 << 20;
        QList<RunResult> runs
            = {handMade(0, 0.030, 16000, bytes), handMade(1, 0.010, 16000, bytes), handMade(2, 0.011, 15000, bytes)};
        linkCopyHistories(runs);
        QVERIFY(!coldTargetOf(runs[0]));
        QCOMPARE(summarizeRepeats(runs).value(0).n, 3);

        runs = {handMade(0, 0.030, 16384, bytes), handMade(1, 0.010, 3, bytes), handMade(2, 0.011, 5, bytes)};
        linkCopyHistories(runs);
        const std::optional<ColdTarget> cold = coldTargetOf(runs[0]);
        QVERIFY(cold);
        QCOMPARE(coldTargetText(*cold),
                 QStringLiteral("first touch of a fresh target: 16 k page faults; later copies 2.9× faster"));
        QVERIFY(!coldTargetOf(runs[1]));

        runs = {handMade(0, 0.030, 16384, bytes)};
        linkCopyHistories(runs);
        QVERIFY(!coldTargetOf(runs[0]));

        // Another run's copy into the same target, with the same workers, lock and chunks, is a later
        // copy too; a copy after a fork is another kind of copy, which faults on every page anew.
        runs = {handMade(0, 0.030, 16384, bytes), handMade(0, 0.030, 16384, bytes), handMade(0, 0.010, 2, bytes)};
        runs[1].name = QStringLiteral("forked");
        runs[1].forkDuringCopy = true;
        runs[2].name = QStringLiteral("written");
        linkCopyHistories(runs);
        const std::optional<ColdTarget> first = coldTargetOf(runs[0]);
        QVERIFY(first);
        QCOMPARE(first->laterCopies, 1);
        QCOMPARE(coldTargetText(*first),
                 QStringLiteral("first touch of a fresh target: 16 k page faults; later copies 3.0× faster"));
        QVERIFY(!coldTargetOf(runs[1]));
        QVERIFY(!coldTargetOf(runs[2]));
    }

    // A results document of a run the window watched: 1 worker, and other work on the machine that
    // left it half a core. The window's 12 % of a core came out of that half core.
    void windowCompetingWithWorkersIsNamed()
    {
        const int cores = QThread::idealThreadCount();
        const double other = (cores - 0.5) * 100;
        QByteArray samples;
        for (int i = 0; i <= 10; ++i)
            samples += QStringLiteral("%1{\"t_s\": %2, \"cpu_percent\": 40, \"rss_bytes\": 1, \"inflight_bytes\": 0, "
                                      "\"machine_cpu_percent\": %3, \"ui_cpu_percent\": %4}")
                           .arg(i ? QStringLiteral(", ") : QString())
                           .arg(i * 0.02)
                           .arg(40 + other)
                           .arg(i ? 12 : 0)
                           .toUtf8();
        const QByteArray doc = R"({"chunkscope_results": 1, "scenario": "s", "runs": [{"name": "watched",
            "status": "ok", "workers": 1, "lock": "none", "chunks": [1024], "shape": [1024], "tasks": 1,
            "bytes": 4096, "wall_s": 0.2, "verified": true,
            "task_events": [{"task": 0, "worker": 0, "start_s": 0, "end_s": 0.2, "bytes": 4096,
              "phases": {"write_s": 0.2}, "cpu_s": 0.2, "runq_s": 0, "vol_cs": 0, "invol_cs": 0, "minflt": 1}],
            "samples": [)"
            + samples + "]}]}";
        QString error;
        std::optional<ResultsDocument> parsed = parseResults(doc, QStringLiteral("w.json"), &error);
        QVERIFY2(parsed, qPrintable(error));
        const Verdict v = verdictFor(parsed->runs[0]);
        QVERIFY(v.windowShare);
        QCOMPARE(v.windowShare->uiCpuPercent, 12.0);
        QCOMPARE(v.windowShare->freeCores, 0.5);
        const QString expected
            = QStringLiteral("; the window took 12% of a core while 1 worker competed for the 0.5 of "
                             "%1 cores that other work left free: leave one core for the window to "
                             "keep it from slowing the copy")
                  .arg(cores);
        QVERIFY2(v.headline.endsWith(expected), qPrintable(v.headline));
        const QJsonObject share = verdictJson(parsed->runs, 0).value(QStringLiteral("window_share")).toObject();
        QCOMPARE(share.value(QStringLiteral("ui_cpu_percent")).toDouble(), 12.0);
        QCOMPARE(share.value(QStringLiteral("workers")).toInt(), 1);
        QCOMPARE(share.value(QStringLiteral("cores")).toInt(), cores);
        QCOMPARE(share.value(QStringLiteral("free_cores")).toDouble(), 0.5);

        // The machine otherwise idle: 1 worker of `cores` leaves the window a core of its own (on a
        // single-CPU machine it would still compete).
        QByteArray idle = doc;
        idle.replace(QStringLiteral("\"machine_cpu_percent\": %1").arg(40 + other).toUtf8(),
                     "\"machine_cpu_percent\": 52");
        parsed = parseResults(idle, QStringLiteral("w.json"), &error);
        QVERIFY2(parsed, qPrintable(error));
        QCOMPARE(bool(verdictFor(parsed->runs[0]).windowShare), cores == 1);
        QVERIFY(!verdictJson(parsed->runs, 0).contains(QStringLiteral("window_share")) || cores == 1);
    }

    // A copy whose tasks each write a quarter of a shard of a sharded Zarr v3 target (the source's
    // chunks, the default): every shard is read, decoded and written again per part, and the verdict
    // says so and how to write each once. Copy chunks of whole shards are not named.
    void partsOfTargetChunksAreNamed()
    {
        const QByteArray text = R"({"chunkscope": 1, "runs": [], "arrays": {
            "src": {"store": "memory", "dtype": "<i4", "shape": [4096], "chunks": [256], "fill": "arange"},
            "dst": {"store": "zarr", "zarr_format": 3, "dtype": "<i4", "shape": [4096], "chunks": [1024],
                    "fill": "empty", "codecs": [{"name": "sharding_indexed", "configuration": {
                        "chunk_shape": [256], "codecs": [{"name": "bytes", "configuration": {"endian": "little"}}],
                        "index_codecs": [{"name": "bytes", "configuration": {"endian": "little"}}, {"name": "crc32c"}],
                        "index_location": "end"}}]}}})";
        QString error;
        const std::optional<Scenario> s = parseScenario(text, QStringLiteral("shards.json"), &error);
        QVERIFY2(s, qPrintable(error));
        ArraySet arrays(*s);
        RunSpec run;
        run.name = QStringLiteral("parts");
        run.source = QStringLiteral("src");
        run.target = QStringLiteral("dst");
        run.workers = 1;
        run.chunks = {256};
        QList<RunResult> results = executeRun(run, arrays);
        run.name = QStringLiteral("whole");
        run.chunks = {1024};
        results += executeRun(run, arrays);
        QCOMPARE(results.size(), 2);
        for (const RunResult &r : results)
            QVERIFY2(r.status == RunResult::Status::Ok && r.verified == true, qPrintable(r.error));

        const Verdict parts = verdictFor(results[0]);
        QVERIFY(parts.partialChunkWrites);
        QCOMPARE(parts.partialChunkWrites->writesPerChunk, 4);
        const QString expected = QStringLiteral(
            "; each of target dst's chunks [1024] was written in up to 4 parts by copy chunks [256], each part a "
            "read-modify-write of the whole encoded chunk; \"chunks\": [1024] writes each once");
        QVERIFY2(parts.headline.endsWith(expected), qPrintable(parts.headline));
        const QJsonObject fact = verdictJson(results, 0).value(QStringLiteral("partial_chunk_writes")).toObject();
        QCOMPARE(fact.value(QStringLiteral("copy_chunks")).toArray(), QJsonArray{256});
        QCOMPARE(fact.value(QStringLiteral("target_chunks")).toArray(), QJsonArray{1024});
        QCOMPARE(fact.value(QStringLiteral("writes_per_chunk")).toInt(), 4);

        QVERIFY(!verdictFor(results[1]).partialChunkWrites);
        QVERIFY(!verdictJson(results, 1).contains(QStringLiteral("partial_chunk_writes")));
        // Into memory, which takes a part in place, nothing is named either.
        run.target = QStringLiteral("src");
        run.source = QStringLiteral("dst");
        run.chunks = {256};
        const QList<RunResult> back = executeRun(run, arrays);
        QCOMPARE(back.size(), 1);
        QVERIFY(!verdictFor(back[0]).partialChunkWrites);
    }

    // A real run watched from this thread, as the window's GUI thread watches, which spins while a
    // worker per core copies: the window's share is named with the CPU the samples recorded. Last,
    // since the observer thread stays registered.
    void busyObserverIsNamed()
    {
        setObserverThread();
        ArraySet arrays(copyScenario());
        RunSpec run;
        run.name = QStringLiteral("watched");
        run.source = QStringLiteral("src");
        run.target = QStringLiteral("dst");
        run.workers = QThread::idealThreadCount();
        run.lock = LockMode::None;
        run.sampleMs = 10;
        std::atomic<bool> done{false};
        QList<RunResult> results;
        std::thread copy([&] {
            results = executeRun(run, arrays);
            done = true;
        });
        while (!done.load()) { }
        copy.join();
        QCOMPARE(results.size(), 1);
        const RunResult &r = results[0];
        QCOMPARE(r.status, RunResult::Status::Ok);
        QVERIFY2(r.samples.size() >= 3, qPrintable(QString::number(r.samples.size())));
        double weighted = 0, span = 0;
        for (size_t i = 1; i < r.samples.size(); ++i) {
            const double dt = double(r.samples[i].tNs - r.samples[i - 1].tNs);
            weighted += r.samples[i].uiCpuPercent * dt;
            span += dt;
        }
        const double ui = weighted / span;
        QVERIFY2(ui >= 1, qPrintable(QString::number(ui)));
        const Verdict v = verdictFor(r);
        QVERIFY(v.windowShare);
        QCOMPARE(v.windowShare->uiCpuPercent, ui);
        QCOMPARE(v.windowShare->workers, run.workers);
        const QString expected
            = QStringLiteral("the window took %1% of a core while %2 worker").arg(ui, 0, 'f', 0).arg(run.workers);
        QVERIFY2(v.headline.contains(expected), qPrintable(v.headline));
        QVERIFY(
            v.headline.endsWith(QStringLiteral(": leave one core for the window to keep it from slowing the copy")));
    }
};

QTEST_GUILESS_MAIN(TestVerdictFacts)
#include "tst_verdictfacts.moc"
