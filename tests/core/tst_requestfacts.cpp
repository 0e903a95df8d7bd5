// The verdict's facts from a run's requests to a remote server: waiting for first bytes that took at
// least half the pool's time (request_latency), and requests retried after 503 (throttling); their
// thresholds, their text in the summary and their objects in the results document.
#include "results/requestfacts.h"
#include "results/resultsjson.h"
#include "results/verdict.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>

using namespace cs;

namespace {

// A run of `tasks` tasks of 100 ms each on 2 workers over 0.5 s: a pool of 1 s. Each task made one
// GET, answered 200 after `firstByteMs`.
RunResult runWithRequests(int tasks, double firstByteMs)
{
    RunResult run;
    run.name = QStringLiteral("s3");
    run.workers = 2;
    run.wallSeconds = 0.5;
    run.bytes = 1 << 20;
    for (int t = 0; t < tasks; ++t) {
        TaskEvent e;
        e.task = t;
        e.worker = t % 2;
        e.startNs = int64_t(t / 2) * 100'000'000;
        e.endNs = e.startNs + 100'000'000;
        e.phaseNs[size_t(Phase::Read)] = 100'000'000;
        e.bytes = run.bytes / tasks;
        run.events.push_back(e);
        TaskRequest r;
        r.task = t;
        r.worker = e.worker;
        r.timing.status = 200;
        r.timing.startNs = e.startNs;
        r.timing.firstByteUs = int64_t(firstByteMs * 1000);
        r.timing.totalUs = r.timing.firstByteUs + 1000;
        run.requests.push_back(r);
    }
    return run;
}

// Inserts, before the request of `task`, an attempt 0 answered `status`; the request becomes its retry.
void retriedAfter(RunResult &run, int64_t task, int16_t status)
{
    auto it = std::find_if(run.requests.begin(), run.requests.end(),
                           [&](const TaskRequest &r) { return r.task == task && r.timing.attempt == 0; });
    TaskRequest first = *it;
    first.timing.status = status;
    it->timing.attempt = 1;
    run.requests.insert(it, first);
}

QJsonObject verdictJson(const RunResult &run)
{
    const QJsonObject doc = QJsonDocument::fromJson(resultsToJson(QStringLiteral("s"), HostInfo(), {run})).object();
    return doc.value(QStringLiteral("runs")).toArray().at(0).toObject().value(QStringLiteral("verdict")).toObject();
}

} // namespace

class TestRequestFacts : public QObject {
    Q_OBJECT

private slots:
    void waitingForFirstBytesMostOfThePoolIsNamed()
    {
        // 10 requests waiting 60 ms each: 0.6 s of a 1 s pool.
        RunResult run = runWithRequests(10, 60);
        run.requests[3].timing.firstByteUs = 90'000; // the median is the middle value, not the mean
        const std::optional<RequestLatency> latency = requestLatencyOf(run, 1.0);
        QVERIFY(latency);
        QCOMPARE(latency->firstByteMs, 60.0);
        QCOMPARE(latency->attempts, int64_t(10));
        QCOMPARE(latency->waitShare, 0.63);
        QCOMPARE(requestLatencyText(*latency),
                 QStringLiteral("each request waited 60 ms for its first byte; more requests in flight would help"));

        const Verdict v = verdictFor(run);
        QVERIFY(v.requestLatency);
        QVERIFY2(v.headline.endsWith(QStringLiteral(
                     "; each request waited 60 ms for its first byte; more requests in flight would help")),
                 qPrintable(v.headline));
        const QJsonObject json = verdictJson(run);
        QCOMPARE(json.value(QStringLiteral("request_latency")).toObject(),
                 QJsonObject({{QStringLiteral("first_byte_ms"), 60.0},
                              {QStringLiteral("attempts"), 10},
                              {QStringLiteral("wait_share"), 0.63}}));
        QVERIFY(!json.contains(QStringLiteral("throttling")));
    }

    void shortWaitsAreNotNamed()
    {
        // 0.4 s of a 1 s pool: the rest of the tasks' time decides.
        const RunResult run = runWithRequests(10, 40);
        QVERIFY(!requestLatencyOf(run, 1.0));
        QVERIFY(!verdictFor(run).requestLatency);
        QVERIFY(!verdictJson(run).contains(QStringLiteral("request_latency")));
        QVERIFY(!verdictFor(run).headline.contains(QStringLiteral("first byte")));
        // A run without requests has neither fact.
        RunResult local = runWithRequests(10, 90);
        local.requests.clear();
        QVERIFY(!requestLatencyOf(local, 1.0));
        QVERIFY(!throttlingOf(local));
    }

    void attemptsWithoutAnAnswerCountTheirWaitButNotTheMedian()
    {
        RunResult run = runWithRequests(3, 200);
        // Two attempts reset before an answer, after 1 ms, and a third request answered after 2 ms.
        run.requests[0].timing.status = 0;
        run.requests[0].timing.firstByteUs = 1000;
        run.requests[1].timing.status = 0;
        run.requests[1].timing.firstByteUs = 1000;
        run.requests[2].timing.firstByteUs = 498'000;
        const std::optional<RequestLatency> latency = requestLatencyOf(run, 1.0);
        QVERIFY(latency);
        QCOMPARE(latency->firstByteMs, 498.0);
        QCOMPARE(latency->waitShare, 0.5);
    }

    void requestsRetriedAfter503AreNamedAsThrottling()
    {
        RunResult run = runWithRequests(8, 10);
        retriedAfter(run, 1, 503);
        retriedAfter(run, 5, 503);
        retriedAfter(run, 5, 503); // twice throttled, counted once
        retriedAfter(run, 6, 500); // an error, not throttling
        const std::optional<Throttling> t = throttlingOf(run);
        QVERIFY(t);
        QCOMPARE(t->requests, int64_t(8));
        QCOMPARE(t->retried, int64_t(2));
        QCOMPARE(t->percent(), 25.0);
        QCOMPARE(throttlingText(*t), QStringLiteral("25 % of requests were retried after 503"));
        const Verdict v = verdictFor(run);
        QVERIFY2(v.headline.endsWith(QStringLiteral("; 25 % of requests were retried after 503")),
                 qPrintable(v.headline));
        QCOMPARE(verdictJson(run).value(QStringLiteral("throttling")).toObject(),
                 QJsonObject({{QStringLiteral("requests"), 8},
                              {QStringLiteral("retried_after_503"), 2},
                              {QStringLiteral("percent"), 25.0}}));
    }

    void aLastAttemptAnswered503IsNoRetry()
    {
        // Task 0's request failed with 503 and was not tried again; task 1's first request got 503 and
        // the next request of task 1 is a new one (attempt 0), not its retry.
        RunResult run = runWithRequests(2, 10);
        run.requests[0].timing.status = 503;
        TaskRequest next = run.requests[1];
        run.requests[1].timing.status = 503;
        run.requests.push_back(next);
        QVERIFY(!throttlingOf(run));
        QVERIFY(!verdictJson(run).contains(QStringLiteral("throttling")));
    }

    void fewerThanOnePercentIsNotNamed()
    {
        RunResult run = runWithRequests(200, 1);
        retriedAfter(run, 7, 503);
        QVERIFY(!throttlingOf(run)); // 0.5 %
        retriedAfter(run, 8, 503);
        QVERIFY(throttlingOf(run)); // 1 %
        QCOMPARE(throttlingText(*throttlingOf(run)), QStringLiteral("1 % of requests were retried after 503"));
    }
};

QTEST_GUILESS_MAIN(TestRequestFacts)
#include "tst_requestfacts.moc"
