// Load: a scenario of 200 small runs over every store kind, in memory and on disk, leaves memory,
// threads and open files where they were after its first 20 runs; a copy of a million one-element
// chunks, profiled, completes and verifies, and the live snapshots a view takes meanwhile stay
// consistent.
#include "engine/copyrun.h"
#include "loadscenarios.h"
#include "processprobe.h"
#include "runner/arrayset.h"
#include "runner/runexecutor.h"
#include "scenario/scenarioparser.h"

#include <QTemporaryDir>
#include <QTest>
#include <QThread>

#include <atomic>
#include <mutex>
#include <thread>

using namespace cs;
using namespace reliability;
using cs::testing::manyRunsScenario;

namespace {

struct Footprint {
    int64_t rss = 0;
    int threads = 0;
    int fds = 0;
};

Footprint footprint()
{
    return {rssBytes(), quietThreadCount(), openFdCount()};
}

} // namespace

class TestLoad : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void twoHundredRunsStayFlat()
    {
        QTemporaryDir dir;
        QString error;
        const std::optional<Scenario> s
            = parseScenario(manyRunsScenario(), QStringLiteral("load.json"), &error, dir.path());
        QVERIFY2(s, qPrintable(error));
        QCOMPARE(s->runs.size(), 200);
        ArraySet arrays(*s);
        Footprint after20;
        for (int i = 0; i < 200; ++i) {
            const QList<RunResult> results = executeRun(s->runs[i], arrays);
            QCOMPARE(results.size(), 1);
            QVERIFY2(results[0].status == RunResult::Status::Ok, qPrintable(results[0].name + results[0].error));
            QVERIFY2(results[0].verified == std::optional<bool>(true), qPrintable(results[0].name));
            QCOMPARE(results[0].bytes, int64_t(64 * 64 * 4));
            if (i == 19)
                after20 = footprint();
        }
        const Footprint after200 = footprint();
        qInfo("after run 20: RSS %lld KiB, %d threads, %d fds; after run 200: RSS %lld KiB, %d threads, %d fds",
              qlonglong(after20.rss >> 10), after20.threads, after20.fds, qlonglong(after200.rss >> 10),
              after200.threads, after200.fds);
        QCOMPARE(after200.threads, after20.threads);
        QCOMPARE(after200.fds, after20.fds);
        if (kRssIsMeaningful)
            QVERIFY2(after200.rss - after20.rss < (int64_t(4) << 20),
                     qPrintable(QStringLiteral("RSS grew by %1 KiB").arg((after200.rss - after20.rss) >> 10)));
    }

    void millionTinyChunks_data()
    {
        QTest::addColumn<QByteArray>("target");
        QTest::addRow("memory to memory") << QByteArray(R"({"store": "memory", "like": "a", "fill": "empty"})");
        QTest::addRow("memory to zarr") << QByteArray(R"({"store": "zarr", "like": "a", "fill": "empty",
            "compressor": {"id": "blosc", "cname": "lz4", "clevel": 5, "shuffle": 1}})");
    }
    void millionTinyChunks()
    {
        QFETCH(QByteArray, target);
        const QByteArray json = R"({"chunkscope": 1, "arrays": {
            "a": {"store": "memory", "dtype": "<i4", "shape": [1000000], "chunks": [1], "fill": "arange"},
            "b": TARGET},
            "runs": [{"name": "tiny", "source": "a", "target": "b", "workers": 2, "lock": "io", "sample_ms": 20}]})";
        QString error;
        const std::optional<Scenario> s
            = parseScenario(QByteArray(json).replace("TARGET", target), QStringLiteral("tiny.json"), &error);
        QVERIFY2(s, qPrintable(error));
        ArraySet arrays(*s);
        arrays.get(QStringLiteral("a"));
        arrays.get(QStringLiteral("b"));
        // Twice: the second copy must leave the process as the first did.
        copyMillionChunks(arrays, s->runs[0]);
        if (QTest::currentTestFailed())
            return;
        const Footprint first = footprint();
        copyMillionChunks(arrays, s->runs[0]);
        if (QTest::currentTestFailed())
            return;
        const Footprint second = footprint();
        qInfo("after the first copy: RSS %lld KiB, %d threads, %d fds; after the second: RSS %lld KiB, %d threads, "
              "%d fds",
              qlonglong(first.rss >> 10), first.threads, first.fds, qlonglong(second.rss >> 10), second.threads,
              second.fds);
        QCOMPARE(second.threads, first.threads);
        QCOMPARE(second.fds, first.fds);
        if (kRssIsMeaningful)
            QVERIFY2(second.rss - first.rss < (int64_t(8) << 20),
                     qPrintable(QStringLiteral("RSS grew by %1 KiB").arg((second.rss - first.rss) >> 10)));
    }

private:
    void copyMillionChunks(ArraySet &arrays, const RunSpec &spec)
    {
        constexpr int64_t kTasks = 1000000;
        const Footprint before = footprint();

        // A live view, as the app has one: another thread pulls snapshots every few milliseconds while
        // the run goes on, and checks each against the previous one.
        RunSnapshot snap;
        int snapshots = 0;
        int64_t lastDone = 0, lastBytes = 0;
        size_t lastSamples = 0;
        size_t checked = 0; // done events already checked; a snapshot only appends to them
        QString inconsistency;
        auto check = [&](const CopyRun &run) {
            run.snapshot(snap);
            ++snapshots;
            auto bad = [&](const QString &what) {
                if (inconsistency.isEmpty())
                    inconsistency = QStringLiteral("snapshot %1: %2").arg(snapshots).arg(what);
            };
            if (snap.tasksTotal != kTasks)
                bad(QStringLiteral("total %1").arg(snap.tasksTotal));
            if (snap.tasksDone < lastDone || snap.tasksDone > kTasks)
                bad(QStringLiteral("done went from %1 to %2").arg(lastDone).arg(snap.tasksDone));
            // A task adds its bytes before it counts itself, and a snapshot reads the count first, so
            // bytes never lag the count; they run ahead by as far as the workers got between the two
            // reads, which is unbounded when the reading thread is preempted.
            if (snap.bytesDone < snap.tasksDone * 4 || snap.bytesDone < lastBytes || snap.bytesDone > kTasks * 4)
                bad(QStringLiteral("%1 bytes for %2 tasks").arg(snap.bytesDone).arg(snap.tasksDone));
            // Finished events are the tasks 0..n-1 in order, each complete; at most one task per
            // worker is running, and nothing pending is below the cursor.
            for (size_t i = checked; i < snap.done.size(); ++i)
                if (snap.done[i].task != int64_t(i) || snap.done[i].isRunning()
                    || snap.done[i].endNs < snap.done[i].startNs)
                    bad(QStringLiteral("done[%1] is task %2").arg(i).arg(snap.done[i].task));
            int running = 0;
            for (const TaskEvent &e : snap.pending) {
                running += e.isRunning();
                if (e.task < int64_t(snap.done.size()))
                    bad(QStringLiteral("pending task %1 is below the cursor").arg(e.task));
            }
            if (running > 2)
                bad(QStringLiteral("%1 tasks running on 2 workers").arg(running));
            for (size_t i = lastSamples ? lastSamples : 1; i < snap.samples.size(); ++i)
                if (snap.samples[i].tNs < snap.samples[i - 1].tNs)
                    bad(QStringLiteral("sample %1 goes back in time").arg(i));
            checked = snap.done.size();
            lastDone = snap.tasksDone;
            lastBytes = snap.bytesDone;
            lastSamples = snap.samples.size();
        };
        std::mutex liveMutex;
        std::shared_ptr<CopyRun> live;
        std::atomic<bool> finished{false};
        RunHooks hooks;
        hooks.started = [&](const RunSpec &, int, const std::shared_ptr<CopyRun> &run) {
            std::lock_guard<std::mutex> lock(liveMutex);
            live = run;
        };
        QList<RunResult> results;
        std::thread runner([&] {
            results = executeRun(spec, arrays, hooks);
            finished = true;
        });
        while (!finished) {
            std::shared_ptr<CopyRun> run;
            {
                std::lock_guard<std::mutex> lock(liveMutex);
                run = live;
            }
            if (run)
                check(*run);
            QThread::msleep(5);
        }
        runner.join();
        QVERIFY(live);
        check(*live); // the run has ended: this snapshot is the whole run
        live.reset(); // the last reference: the run's pool goes with it
        QCOMPARE(results.size(), 1);
        const RunResult &r = results[0];
        QVERIFY2(inconsistency.isEmpty(), qPrintable(inconsistency));
        QVERIFY(snapshots >= 2);
        QCOMPARE(statusName(r.status), QStringLiteral("ok"));
        QCOMPARE(r.tasks, kTasks);
        QCOMPARE(r.verified, std::optional<bool>(true));
        QCOMPARE(r.bytes, kTasks * 4);
        QCOMPARE(int64_t(r.events.size()), kTasks);
        QVERIFY(snap.finished);
        QCOMPARE(snap.tasksDone, kTasks);
        QCOMPARE(int64_t(snap.done.size()), kTasks);
        QVERIFY(snap.pending.empty());
        for (int64_t i = 0; i < kTasks; ++i) {
            const TaskEvent &live = snap.done[size_t(i)];
            const TaskEvent &final = r.events[size_t(i)];
            if (live.task != i || final.task != i || live.startNs != final.startNs || live.endNs != final.endNs
                || final.bytes != 4)
                QFAIL(qPrintable(QStringLiteral("task %1 differs between the live view and the result").arg(i)));
        }
        QCOMPARE(snap.samples.size(), r.samples.size());
        qInfo("%d live snapshots over %.2f s", snapshots, r.wallSeconds);

        const Footprint after = footprint();
        QCOMPARE(after.threads, before.threads);
        QCOMPARE(after.fds, before.fds);
    }
};

QTEST_GUILESS_MAIN(TestLoad)
#include "tst_load.moc"
