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
#include <cmath>
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

// The rows of a CSV file without quoted fields, each split at its commas; the header first.
QList<QList<QByteArray>> csvRows(const QString &file)
{
    QList<QList<QByteArray>> rows;
    for (const QByteArray &line : fileBytes(file).trimmed().split('\n'))
        rows.append(line.split(','));
    return rows;
}

// The complete events of a Chrome trace named `name`.
QList<QJsonObject> traceEventsNamed(const QString &file, const QString &name)
{
    QList<QJsonObject> out;
    for (const QJsonValue &v : readJson(file).value(QStringLiteral("traceEvents")).toArray())
        if (v.toObject().value(QStringLiteral("ph")).toString() == QLatin1String("X")
            && v.toObject().value(QStringLiteral("name")).toString() == name)
            out.append(v.toObject());
    return out;
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

        // The same attempts in the CSV, a row each with the document's values, and in the trace, each at
        // its recorded start and for its recorded time.
        const QJsonArray requests = run.value(QStringLiteral("requests")).toArray();
        const QList<QList<QByteArray>> rows
            = csvRows(m_dir.filePath(QStringLiteral("throttleres-csv/copy.requests.csv")));
        QCOMPARE(rows.size(), requests.size() + 1);
        QCOMPARE(rows.at(0).mid(0, 7),
                 (QList<QByteArray>{"task", "worker", "method", "attempt", "status", "curl_code", "start_s"}));
        QMap<QPair<int, int>, QJsonObject> recorded; // by task and attempt
        for (qsizetype i = 0; i < requests.size(); ++i) {
            const QJsonObject o = requests.at(i).toObject();
            recorded.insert({o.value(QStringLiteral("task")).toInt(), o.value(QStringLiteral("attempt")).toInt()}, o);
            const QList<QByteArray> &row = rows.at(i + 1);
            QCOMPARE(row.at(0).toInt(), o.value(QStringLiteral("task")).toInt());
            QCOMPARE(QString::fromLatin1(row.at(2)), o.value(QStringLiteral("method")).toString());
            QCOMPARE(row.at(3).toInt(), o.value(QStringLiteral("attempt")).toInt());
            QCOMPARE(row.at(4).toInt(), o.value(QStringLiteral("status")).toInt());
            QCOMPARE(row.at(6), QByteArray::number(o.value(QStringLiteral("start_s")).toDouble(), 'f', 9));
            QCOMPARE(row.at(11), QByteArray::number(o.value(QStringLiteral("total_s")).toDouble(), 'f', 6));
            QCOMPARE(row.at(12).toLongLong(), o.value(QStringLiteral("bytes_sent")).toInteger());
        }
        // The first attempt of task 4 was answered 503, its retry 200.
        const auto rowOf = [&](int task, int attempt) {
            for (const QList<QByteArray> &row : rows)
                if (row.at(0) == QByteArray::number(task) && row.at(3) == QByteArray::number(attempt))
                    return row;
            return QList<QByteArray>();
        };
        QCOMPARE(rowOf(4, 0).mid(2, 4), (QList<QByteArray>{"PUT", "0", "503", "0"}));
        QCOMPARE(rowOf(4, 1).mid(2, 4), (QList<QByteArray>{"PUT", "1", "200", "0"}));

        const QString trace = m_dir.filePath(QStringLiteral("throttleres.trace.json"));
        const QList<QJsonObject> throttled = traceEventsNamed(trace, QStringLiteral("PUT 503"));
        QCOMPARE(throttled.size(), 8);
        QCOMPARE(traceEventsNamed(trace, QStringLiteral("PUT 200")).size(), 9);
        for (const QJsonObject &e : throttled) {
            const QJsonObject args = e.value(QStringLiteral("args")).toObject();
            QCOMPARE(args.value(QStringLiteral("failed")), QJsonValue(true));
            QCOMPARE(args.value(QStringLiteral("retry")).toInt(), 0);
            QCOMPARE(args.value(QStringLiteral("status")).toInt(), 503);
            const QJsonObject o = recorded.value({args.value(QStringLiteral("task")).toInt(), 0});
            QCOMPARE(o.value(QStringLiteral("status")).toInt(), 503);
            const double startUs = o.value(QStringLiteral("start_s")).toDouble() * 1e6;
            const double durUs = o.value(QStringLiteral("total_s")).toDouble() * 1e6;
            // The trace's microseconds are written with three decimals: to the nanosecond.
            QVERIFY2(std::abs(e.value(QStringLiteral("ts")).toDouble() - startUs) < 0.001,
                     qPrintable(QStringLiteral("%1 vs %2").arg(e.value(QStringLiteral("ts")).toDouble()).arg(startUs)));
            QVERIFY2(std::abs(e.value(QStringLiteral("dur")).toDouble() - durUs) < 0.001,
                     qPrintable(QStringLiteral("%1 vs %2").arg(e.value(QStringLiteral("dur")).toDouble()).arg(durUs)));
            QCOMPARE(e.value(QStringLiteral("tid")).toInt(), 1); // worker 0's request track, one worker
        }
    }

    // With 40 ms of latency on every request and four workers, the samples of a run on object storage
    // see several requests on the wire at once, and the wire's bytes per second add up, over the
    // samples' intervals, to the bytes the requests recorded. A run in memory has neither figure.
    void samplesCountTheRequestsInFlightAndTheWire()
    {
        QVERIFY2(m_serverError.isEmpty(), qPrintable(m_serverError));
        const QByteArray scenario = R"({"chunkscope": 1, "name": "wire", "arrays": {)" + kSource
            + q(", 't': {'store': 'zarr', 'like': 'a', 'fill': 'empty', 'path': 's3://chunkscope-faults/wire/v2.zarr', "
                "'s3': {'endpoint': '")
            + kProxy
            + q("'}}, 'm': {'store': 'memory', 'like': 'a', 'fill': 'empty'}}, 'runs': ["
                "{'name': 'copy', 'source': 'a', 'target': 't', 'workers': 4, 'lock': false, 'sample_ms': 10, "
                "'verify': false},"
                "{'name': 'local', 'source': 'a', 'target': 'm', 'workers': 2, 'sample_ms': 10}]}");
        CliRun r;
        const QJsonObject res = runThrough({QStringLiteral("latency_ms=40")}, scenario, QStringLiteral("wireres"), &r);
        QVERIFY2(r.exitCode == 0, r.err.constData());
        const QJsonObject run = runNamed(res, QStringLiteral("copy"));
        QCOMPARE(run.value(QStringLiteral("status")).toString(), QStringLiteral("ok"));
        int64_t recorded = 0;
        for (const QJsonValue &v : run.value(QStringLiteral("requests")).toArray())
            recorded += v.toObject().value(QStringLiteral("bytes_sent")).toInteger()
                + v.toObject().value(QStringLiteral("bytes_received")).toInteger();
        QCOMPARE(countMethod(run, QStringLiteral("PUT")), 9); // a chunk each, compressed
        QVERIFY(recorded > 9 * 16);
        const QJsonArray samples = run.value(QStringLiteral("samples")).toArray();
        QVERIFY2(samples.size() >= 5, qPrintable(QString::number(samples.size())));
        int most = 0;
        double wire = 0;
        double before = 0;
        for (const QJsonValue &v : samples) {
            const QJsonObject o = v.toObject();
            QVERIFY(o.contains(QStringLiteral("requests_in_flight")));
            QVERIFY(o.contains(QStringLiteral("wire_bytes_per_sec")));
            most = std::max(most, o.value(QStringLiteral("requests_in_flight")).toInt());
            const double t = o.value(QStringLiteral("t_s")).toDouble();
            wire += o.value(QStringLiteral("wire_bytes_per_sec")).toDouble() * (t - before);
            before = t;
        }
        QVERIFY2(most >= 2, qPrintable(QString::number(most)));
        QVERIFY2(std::abs(wire - double(recorded)) <= 0.01 * double(recorded),
                 qPrintable(QStringLiteral("%1 bytes on the wire, %2 recorded").arg(wire).arg(recorded)));

        const QJsonObject local = runNamed(res, QStringLiteral("local"));
        QVERIFY(!local.value(QStringLiteral("samples")).toArray().isEmpty());
        for (const QJsonValue &v : local.value(QStringLiteral("samples")).toArray()) {
            QVERIFY(!v.toObject().contains(QStringLiteral("requests_in_flight")));
            QVERIFY(!v.toObject().contains(QStringLiteral("wire_bytes_per_sec")));
        }
        // The CSV says the same: the wire's columns only for the run on object storage.
        const QString csv = m_dir.filePath(QStringLiteral("wireres-csv/"));
        QVERIFY(csvRows(csv + QStringLiteral("copy.samples.csv")).at(0).endsWith("wire_bytes_per_sec"));
        QVERIFY(csvRows(csv + QStringLiteral("local.samples.csv")).at(0).endsWith("load_average"));
        QVERIFY(QFile::exists(csv + QStringLiteral("copy.requests.csv")));
        QVERIFY(!QFile::exists(csv + QStringLiteral("local.requests.csv")));
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
