// `chunkscope run` against s3rver through the fault proxy (tests/interop/s3rver/faultproxy.mjs) on
// loopback: 503 SlowDown answers and connections reset mid-answer are retried, and every attempt is in
// the results with its status; a chunk whose retries run out fails its run, naming the chunk and the
// status; added latency and throttling reach their verdicts; 256 workers, far more than the CPUs, keep
// that many requests in flight; and no output holds a secret.

#include "faultproxy.h"
#include "s3cli.h"
#include "scenario/scenarioparser.h"

#include <QJsonArray>
#include <QJsonObject>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QTest>

#include <algorithm>
#include <vector>

using namespace cs;
using namespace cs::testing;

namespace {

const QString kBucket = QStringLiteral("chunkscope-faults");

// Where a scenario names the proxy's endpoint, which is known once the proxy runs.
constexpr const char *kProxy = "@PROXY@";

// A scenario of one run, memory → a v2 array at `target` through the proxy, on `workers` (one: the
// proxy then sees the requests in task order).
QByteArray toS3(const QString &target, int workers = 1)
{
    return R"({"chunkscope": 1, "name": "faults", "arrays": {)" + kSource
        + q(", 't': {'store': 'zarr', 'dtype': '<i4', 'shape': [120, 70], 'chunks': [50, 30], 'fill': 'empty', "
            "'path': 's3://chunkscope-faults/")
        + target.toUtf8() + q("', 's3': {'endpoint': '") + kProxy
        + q("'}}}, 'runs': [{'name': 'copy', 'source': 'a', 'target': 't', 'lock': false, 'workers': ")
        + QByteArray::number(workers) + "}]}";
}

// Each task's attempts as "attempt:status", in order: {"0:503", "1:200"}.
QMap<int, QStringList> attemptsByTask(const QJsonObject &run)
{
    QMap<int, QStringList> out;
    for (const QJsonValue &v : run.value(QStringLiteral("requests")).toArray()) {
        const QJsonObject r = v.toObject();
        out[r.value(QStringLiteral("task")).toInt()].append(QStringLiteral("%1:%2")
                                                                .arg(r.value(QStringLiteral("attempt")).toInt())
                                                                .arg(r.value(QStringLiteral("status")).toInt()));
    }
    return out;
}

QJsonObject verdictOf(const QJsonObject &run)
{
    return run.value(QStringLiteral("verdict")).toObject();
}

} // namespace

class TestS3Faults : public QObject {
    Q_OBJECT

    S3Server m_server;
    FaultProxy m_proxy;
    QString m_serverError;
    QTemporaryDir m_dir;
    std::unique_ptr<S3Cli> m_cli;

    // Runs the scenario through a proxy with these settings, started for it; the results document, or
    // empty with the reason in cli->err.
    QJsonObject runThrough(const QStringList &faults, const QByteArray &scenario, const QString &stem, CliRun *cli)
    {
        const QString error = m_proxy.start(m_server, faults);
        if (!error.isEmpty()) {
            cli->err = error.toUtf8();
            return {};
        }
        return m_cli->runScenario(QByteArray(scenario).replace(kProxy, m_proxy.endpoint().toUtf8()),
                                  stem + QStringLiteral(".scenario.json"), stem, cli);
    }

private slots:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        m_serverError = m_server.start(kBucket);
        m_cli = std::make_unique<S3Cli>(m_dir, m_server.endpoint());
    }

    void slowDownAnswersAreRetriedRecordedAndNamedAsThrottling()
    {
        QVERIFY2(m_serverError.isEmpty(), qPrintable(m_serverError));
        CliRun r;
        // Every other PUT of a chunk is answered 503, from the second on: each chunk after the first is
        // throttled once and then stored.
        const QJsonObject res
            = runThrough({QStringLiteral("slowdown=0.5"),
                          QStringLiteral("match=^PUT /chunkscope-faults/t/v2\\.zarr/[0-9]+\\.[0-9]+$")},
                         toS3(QStringLiteral("t/v2.zarr")), QStringLiteral("throttleres"), &r);
        QVERIFY2(r.exitCode == 0, r.err.constData());
        const QJsonObject run = runNamed(res, QStringLiteral("copy"));
        QCOMPARE(run.value(QStringLiteral("status")).toString(), QStringLiteral("ok"));
        QCOMPARE(run.value(QStringLiteral("verified")), QJsonValue(true));
        QMap<int, QStringList> expected;
        expected[0] = QStringList{QStringLiteral("0:200")};
        for (int task = 1; task < 9; ++task)
            expected[task] = QStringList{QStringLiteral("0:503"), QStringLiteral("1:200")};
        QCOMPARE(attemptsByTask(run), expected);
        QCOMPARE(countMethod(run, QStringLiteral("PUT")), 17);

        const QJsonObject verdict = verdictOf(run);
        QCOMPARE(verdict.value(QStringLiteral("throttling")).toObject(),
                 QJsonObject({{QStringLiteral("requests"), 9},
                              {QStringLiteral("retried_after_503"), 8},
                              {QStringLiteral("percent"), 800.0 / 9}}));
        QVERIFY2(verdict.value(QStringLiteral("summary"))
                     .toString()
                     .endsWith(QStringLiteral("; 89 % of requests were retried after 503")),
                 qPrintable(verdict.value(QStringLiteral("summary")).toString()));
    }

    void connectionsResetMidAnswerAreRetried()
    {
        QVERIFY2(m_serverError.isEmpty(), qPrintable(m_serverError));
        // The array the test above stored, read back through a proxy that breaks the first two answers
        // for a chunk after one byte of the body.
        const QByteArray scenario
            = q("{'chunkscope': 1, 'name': 'resets', 'arrays': {"
                " 's': {'store': 'zarr', 'fill': 'existing', 'path': 's3://chunkscope-faults/t/v2.zarr', 's3': "
                "{'endpoint': '")
            + kProxy
            + q("'}}, 'm': {'store': 'memory', 'dtype': '<i4', 'shape': [120, 70], 'chunks': [50, 30], 'fill': "
                "'empty'}}, 'runs': [{'name': 'copy', 'source': 's', 'target': 'm', 'workers': 1}]}");
        CliRun r;
        const QJsonObject res = runThrough(
            {QStringLiteral("reset=2"), QStringLiteral("match=^GET /chunkscope-faults/t/v2\\.zarr/[0-9]+\\.[0-9]+$")},
            scenario, QStringLiteral("resetres"), &r);
        QVERIFY2(r.exitCode == 0, r.err.constData());
        const QJsonObject run = runNamed(res, QStringLiteral("copy"));
        QCOMPARE(run.value(QStringLiteral("status")).toString(), QStringLiteral("ok"));
        QCOMPARE(run.value(QStringLiteral("verified")), QJsonValue(true));
        const QMap<int, QStringList> attempts = attemptsByTask(run);
        QCOMPARE(attempts.value(0),
                 QStringList({QStringLiteral("0:0"), QStringLiteral("1:0"), QStringLiteral("2:200")}));
        for (int task = 1; task < 9; ++task)
            QCOMPARE(attempts.value(task), QStringList({QStringLiteral("0:200")}));
        // No answer came to the broken attempts: libcurl's error is what they carry.
        const QJsonArray requests = run.value(QStringLiteral("requests")).toArray();
        for (int i = 0; i < 2; ++i)
            QVERIFY(requests.at(i).toObject().value(QStringLiteral("curl_code")).toInt() != 0);
        QCOMPARE(requests.at(2).toObject().value(QStringLiteral("curl_code")).toInt(), 0);
    }

    void retriesThatRunOutFailTheRunNamingTheChunkAndTheStatus()
    {
        QVERIFY2(m_serverError.isEmpty(), qPrintable(m_serverError));
        // Chunk (1, 0) is answered 503 however often it is tried.
        CliRun r;
        const QJsonObject res = runThrough(
            {QStringLiteral("slowdown=1"), QStringLiteral("match=^PUT /chunkscope-faults/f/v2\\.zarr/1\\.0$")},
            toS3(QStringLiteral("f/v2.zarr")), QStringLiteral("failres"), &r);
        QCOMPARE(r.exitCode, 1);
        const QJsonObject run = runNamed(res, QStringLiteral("copy"));
        QCOMPARE(run.value(QStringLiteral("status")).toString(), QStringLiteral("failed"));
        QCOMPARE(run.value(QStringLiteral("error")).toString(),
                 QStringLiteral("array t, chunk [1, 0]: s3://chunkscope-faults/f/v2.zarr/1.0: PUT failed with HTTP 503 "
                                "SlowDown: Please reduce your request rate. (after 5 attempts)"));
        // Its five attempts are in the failed run's requests.
        QCOMPARE(attemptsByTask(run).value(3),
                 QStringList({QStringLiteral("0:503"), QStringLiteral("1:503"), QStringLiteral("2:503"),
                              QStringLiteral("3:503"), QStringLiteral("4:503")}));
        QVERIFY2(r.out.contains(run.value(QStringLiteral("error")).toString().toUtf8()), r.out.constData());
    }

    void latencyIsNamedWithTheWaitForTheFirstByte()
    {
        QVERIFY2(m_serverError.isEmpty(), qPrintable(m_serverError));
        CliRun r;
        const QJsonObject res = runThrough({QStringLiteral("latency_ms=40")}, toS3(QStringLiteral("l/v2.zarr"), 2),
                                           QStringLiteral("latencyres"), &r);
        QVERIFY2(r.exitCode == 0, r.err.constData());
        const QJsonObject run = runNamed(res, QStringLiteral("copy"));
        QCOMPARE(run.value(QStringLiteral("verified")), QJsonValue(true));
        const QJsonObject verdict = verdictOf(run);
        const QJsonObject latency = verdict.value(QStringLiteral("request_latency")).toObject();
        QCOMPARE(latency.value(QStringLiteral("attempts")).toInt(), 9);
        // The proxy holds every request 40 ms before the server sees it.
        const double firstByteMs = latency.value(QStringLiteral("first_byte_ms")).toDouble();
        QVERIFY2(firstByteMs >= 40, qPrintable(QString::number(firstByteMs)));
        QVERIFY(latency.value(QStringLiteral("wait_share")).toDouble() >= 0.5);
        const QString summary = verdict.value(QStringLiteral("summary")).toString();
        QVERIFY2(summary.contains(QStringLiteral("; each request waited %1 ms for its first byte; more requests in "
                                                 "flight would help")
                                      .arg(firstByteMs, 0, 'f', 0)),
                 qPrintable(summary));
        QVERIFY(!verdict.contains(QStringLiteral("throttling")));
    }

    void manyMoreWorkersThanCpusKeepAsManyRequestsInFlight()
    {
        QVERIFY2(m_serverError.isEmpty(), qPrintable(m_serverError));
        // 256 chunks of 256 bytes on 256 workers, each request held 200 ms by the proxy. Verifying
        // would read the chunks back one by one, 200 ms each, and is left to the other tests.
        const QByteArray scenario
            = q("{'chunkscope': 1, 'name': 'wide', 'arrays': {"
                " 'a': {'store': 'memory', 'dtype': '<i4', 'shape': [256, 64], 'chunks': [1, 64], 'fill': 'arange'},"
                " 't': {'store': 'zarr', 'like': 'a', 'fill': 'empty', 'path': 's3://chunkscope-faults/w/v2.zarr', "
                "'s3': {'endpoint': '")
            + kProxy
            + q("'}}}, 'runs': [{'name': 'copy', 'source': 'a', 'target': 't', 'workers': 256, 'lock': false, "
                "'verify': false}]}");
        CliRun r;
        const QJsonObject res = runThrough({QStringLiteral("latency_ms=200")}, scenario, QStringLiteral("wideres"), &r);
        QVERIFY2(r.exitCode == 0, r.err.constData());
        const QJsonObject run = runNamed(res, QStringLiteral("copy"));
        QCOMPARE(run.value(QStringLiteral("workers")).toInt(), 256);
        QCOMPARE(run.value(QStringLiteral("status")).toString(), QStringLiteral("ok"));
        // The most requests in flight at one moment, from their start and end times.
        std::vector<std::pair<double, int>> edges;
        for (const QJsonValue &v : run.value(QStringLiteral("requests")).toArray()) {
            const QJsonObject o = v.toObject();
            const double start = o.value(QStringLiteral("start_s")).toDouble();
            edges.emplace_back(start, 1);
            edges.emplace_back(start + o.value(QStringLiteral("total_s")).toDouble(), -1);
        }
        QCOMPARE(edges.size(), size_t(2 * 256));
        std::sort(edges.begin(), edges.end());
        int inFlight = 0, most = 0;
        for (const auto &[t, step] : edges)
            most = std::max(most, inFlight += step);
        QVERIFY2(most >= 64, qPrintable(QString::number(most)));
    }

    void noOutputHoldsASecret()
    {
        QVERIFY2(m_serverError.isEmpty(), qPrintable(m_serverError));
        QString error;
        const QList<QPair<QString, QByteArray>> outputs = m_cli->outputs(&error);
        QVERIFY2(!outputs.isEmpty(), qPrintable(error));
        // The failed run's message is among what is searched.
        QVERIFY(
            std::any_of(outputs.cbegin(), outputs.cend(), [](const auto &o) { return o.second.contains("SlowDown"); }));
        for (const auto &[what, bytes] : outputs)
            for (const QByteArray &secret : S3Cli::secrets())
                QVERIFY2(!bytes.contains(secret), qPrintable(what + QStringLiteral(" holds a secret")));
    }
};

QTEST_GUILESS_MAIN(TestS3Faults)
#include "tst_s3faults.moc"
