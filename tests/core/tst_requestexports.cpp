// A run's requests to object storage and its wire samples in the CSV files and the Chrome trace, from
// records made by hand: every value where it belongs, to the microsecond, and a trace whose complete
// events nest on every track, as Perfetto requires.

#include "results/csvexport.h"
#include "results/traceexport.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QTest>

#include <algorithm>

using namespace cs;

namespace {

using Method = RequestTiming::Method;

TaskRequest request(int64_t task, int worker, Method method, int attempt, int status, int curlCode, int64_t startNs,
                    int64_t firstByteUs, int64_t totalUs, int64_t sent, int64_t received)
{
    TaskRequest r;
    r.task = task;
    r.worker = worker;
    RequestTiming &t = r.timing;
    t.method = method;
    t.attempt = uint8_t(attempt);
    t.status = int16_t(status);
    t.curlCode = curlCode;
    t.startNs = startNs;
    t.lookupUs = attempt == 0 ? 12 : 0; // the first attempt connects, the retry reuses the connection
    t.connectUs = attempt == 0 ? 250 : 0;
    t.firstByteUs = firstByteUs;
    t.totalUs = totalUs;
    t.bytesSent = sent;
    t.bytesReceived = received;
    return r;
}

// Two tasks on two workers: task 0 PUTs a chunk, is answered 503 and PUTs it again; task 1's GET is
// cut off (no answer, libcurl error 56) and tried again. Three samples count the wire.
RunResult runWithRequests()
{
    RunResult r;
    r.name = QStringLiteral("to s3");
    r.workers = 2;
    r.shape = Coords::fromVector({2000});
    r.chunks = Coords::fromVector({1000});
    r.tasks = 2;
    r.wallSeconds = 0.03;
    for (int64_t task = 0; task < 2; ++task) {
        TaskEvent e;
        e.task = task;
        e.worker = int32_t(task);
        e.startNs = 1'000'000;
        e.endNs = 21'000'000;
        e.bytes = 4000;
        // Laid end to end from the task's start, the phases cross the requests' real times.
        e.phaseNs[size_t(Phase::Encode)] = 2'000'000;
        e.phaseNs[size_t(Phase::Write)] = 15'000'000;
        r.events.push_back(e);
    }
    r.requests = {request(0, 0, Method::Put, 0, 503, 0, 2'000'123, 4'100, 4'500, 4000, 231),
                  request(0, 0, Method::Put, 1, 200, 0, 9'000'000, 7'000, 7'250, 4000, 0),
                  request(1, 1, Method::Get, 0, 0, 56, 1'500'000, 0, 3'000, 0, 1),
                  request(1, 1, Method::Get, 1, 200, 0, 12'345'678, 5'000, 6'001, 0, 4000)};
    for (int i = 0; i < 3; ++i) {
        ResourceSample s;
        s.tNs = int64_t(i) * 10'000'000;
        s.cpuPercent = 5;
        s.requestsInFlight = i == 1 ? 2 : 0;
        s.wireBytesPerSec = i == 0 ? 0 : 612'500.5 * i;
        r.samples.push_back(s);
    }
    return r;
}

QJsonArray traceEvents(const QList<RunResult> &runs)
{
    return QJsonDocument::fromJson(chromeTrace(runs)).object().value(QStringLiteral("traceEvents")).toArray();
}

// The complete events of each (pid, tid) must nest: sorted by start (the longer first), each ends
// within every event it starts inside of. Empty when they do, else the first that does not.
QString firstOverlap(const QJsonArray &events)
{
    QHash<QPair<int, int>, QList<QPair<double, double>>> tracks;
    for (const QJsonValue &v : events) {
        const QJsonObject e = v.toObject();
        if (e.value(QStringLiteral("ph")).toString() != QLatin1String("X"))
            continue;
        const double ts = e.value(QStringLiteral("ts")).toDouble();
        tracks[{e.value(QStringLiteral("pid")).toInt(), e.value(QStringLiteral("tid")).toInt()}].append(
            {ts, ts + e.value(QStringLiteral("dur")).toDouble()});
    }
    for (auto it = tracks.begin(); it != tracks.end(); ++it) {
        QList<QPair<double, double>> &spans = it.value();
        std::sort(spans.begin(), spans.end(), [](const auto &a, const auto &b) {
            return a.first != b.first ? a.first < b.first : a.second > b.second;
        });
        QList<double> open; // the ends of the events the current one lies in
        for (const auto &[start, end] : spans) {
            while (!open.isEmpty() && open.last() <= start)
                open.removeLast();
            if (!open.isEmpty() && end > open.last())
                return QStringLiteral("tid %1: [%2, %3] crosses the end of an event at %4")
                    .arg(it.key().second)
                    .arg(start)
                    .arg(end)
                    .arg(open.last());
            open.append(end);
        }
    }
    return {};
}

} // namespace

class TestRequestExports : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void requestsCsvHasARowPerAttempt()
    {
        const RunResult r = runWithRequests();
        QCOMPARE(requestsCsv(r),
                 QByteArray("task,worker,method,attempt,status,curl_code,start_s,lookup_s,connect_s,tls_s,first_byte_s,"
                            "total_s,bytes_sent,bytes_received\n"
                            "0,0,PUT,0,503,0,0.002000123,0.000012,0.000250,0.000000,0.004100,0.004500,4000,231\n"
                            "0,0,PUT,1,200,0,0.009000000,0.000000,0.000000,0.000000,0.007000,0.007250,4000,0\n"
                            "1,1,GET,0,0,56,0.001500000,0.000012,0.000250,0.000000,0.000000,0.003000,0,1\n"
                            "1,1,GET,1,200,0,0.012345678,0.000000,0.000000,0.000000,0.005000,0.006001,0,4000\n"));
        QTemporaryDir dir;
        QString error;
        RunResult local = r;
        local.name = QStringLiteral("local");
        local.requests.clear();
        for (ResourceSample &s : local.samples)
            s.requestsInFlight = -1, s.wireBytesPerSec = -1;
        QVERIFY2(writeCsvFiles(dir.path(), {r, local}, &error), qPrintable(error));
        QFile f(dir.filePath(QStringLiteral("to_s3.requests.csv")));
        QVERIFY(f.open(QIODevice::ReadOnly));
        QCOMPARE(f.readAll(), requestsCsv(r));
        // A run without requests writes no such file, and its samples keep the columns they had.
        QVERIFY(!QFile::exists(dir.filePath(QStringLiteral("local.requests.csv"))));
        QCOMPARE(samplesCsv(local).split('\n').at(0),
                 QByteArray("t_s,cpu_percent,rss_bytes,inflight_bytes,minor_faults_per_s,machine_cpu_percent,"
                            "load_average"));
    }

    void samplesCsvCountsTheWire()
    {
        const QList<QByteArray> lines = samplesCsv(runWithRequests()).trimmed().split('\n');
        QCOMPARE(lines.size(), 4);
        QCOMPARE(lines.at(0),
                 QByteArray("t_s,cpu_percent,rss_bytes,inflight_bytes,minor_faults_per_s,machine_cpu_percent,"
                            "load_average,requests_in_flight,wire_bytes_per_sec"));
        QVERIFY2(lines.at(1).endsWith(",0,0.0"), lines.at(1).constData());
        QVERIFY2(lines.at(2).endsWith(",2,612500.5"), lines.at(2).constData());
        QVERIFY2(lines.at(3).endsWith(",0,1225001.0"), lines.at(3).constData());
    }

    void traceHasEachAttemptOnItsWorkersRequestTrack()
    {
        const RunResult r = runWithRequests();
        const QJsonArray events = traceEvents({r});
        QHash<int, QString> threadNames;
        QHash<int, int> sortIndex;
        QList<QJsonObject> requests;
        QHash<QString, QList<double>> counters;
        for (const QJsonValue &v : events) {
            const QJsonObject e = v.toObject();
            const QString ph = e.value(QStringLiteral("ph")).toString();
            const QString name = e.value(QStringLiteral("name")).toString();
            const int tid = e.value(QStringLiteral("tid")).toInt();
            const QJsonObject args = e.value(QStringLiteral("args")).toObject();
            if (ph == QLatin1String("M") && name == QLatin1String("thread_name"))
                threadNames.insert(tid, args.value(QStringLiteral("name")).toString());
            if (ph == QLatin1String("M") && name == QLatin1String("thread_sort_index"))
                sortIndex.insert(tid, args.value(QStringLiteral("sort_index")).toInt());
            if (ph == QLatin1String("X") && tid >= r.workers)
                requests.append(e);
            if (ph == QLatin1String("C"))
                counters[name].append(args.begin().value().toDouble());
        }
        QCOMPARE(threadNames,
                 (QHash<int, QString>{{0, QStringLiteral("worker 0")},
                                      {1, QStringLiteral("worker 1")},
                                      {2, QStringLiteral("worker 0 requests")},
                                      {3, QStringLiteral("worker 1 requests")}}));
        QCOMPARE(sortIndex, (QHash<int, int>{{0, 0}, {2, 1}, {1, 2}, {3, 3}}));
        QCOMPARE(requests.size(), 4);
        const QStringList names{QStringLiteral("PUT 503"), QStringLiteral("PUT 200"), QStringLiteral("GET no answer"),
                                QStringLiteral("GET 200")};
        for (int i = 0; i < 4; ++i) {
            const QJsonObject e = requests.at(i);
            const TaskRequest &rec = r.requests.at(size_t(i));
            QCOMPARE(e.value(QStringLiteral("name")).toString(), names.at(i));
            QCOMPARE(e.value(QStringLiteral("pid")).toInt(), 1);
            QCOMPARE(e.value(QStringLiteral("tid")).toInt(), r.workers + rec.worker);
            // Microseconds from the run's start, as recorded.
            QCOMPARE(e.value(QStringLiteral("ts")).toDouble(), double(rec.timing.startNs) / 1e3);
            QCOMPARE(e.value(QStringLiteral("dur")).toDouble(), double(rec.timing.totalUs));
        }
        const auto argsOf = [&](int i) { return requests.at(i).value(QStringLiteral("args")).toObject(); };
        QCOMPARE(argsOf(0),
                 QJsonObject({{QStringLiteral("task"), 0},
                              {QStringLiteral("method"), QStringLiteral("PUT")},
                              {QStringLiteral("status"), 503},
                              {QStringLiteral("failed"), true},
                              {QStringLiteral("retry"), 0},
                              {QStringLiteral("bytes"), 4000},
                              {QStringLiteral("ttfb_s"), 0.0041}}));
        QCOMPARE(argsOf(1).value(QStringLiteral("failed")), QJsonValue(false));
        QCOMPARE(argsOf(1).value(QStringLiteral("retry")).toInt(), 1);
        QCOMPARE(argsOf(2).value(QStringLiteral("status")).toInt(), 0);
        QCOMPARE(argsOf(2).value(QStringLiteral("curl_code")).toInt(), 56);
        QCOMPARE(argsOf(2).value(QStringLiteral("failed")), QJsonValue(true));
        QCOMPARE(argsOf(3).value(QStringLiteral("bytes")).toInt(), 4000);
        QCOMPARE(argsOf(3).value(QStringLiteral("ttfb_s")).toDouble(), 0.005);
        QVERIFY(!argsOf(3).contains(QStringLiteral("curl_code")));

        QCOMPARE(counters.value(QStringLiteral("requests in flight")), (QList<double>{0, 2, 0}));
        QCOMPARE(counters.value(QStringLiteral("wire MB/s")), (QList<double>{0.0, 0.613, 1.225}));
        const QString overlap = firstOverlap(events);
        QVERIFY2(overlap.isEmpty(), qPrintable(overlap));
    }

    void aRunWithoutRequestsHasNoRequestTracks()
    {
        RunResult r = runWithRequests();
        r.requests.clear();
        for (ResourceSample &s : r.samples)
            s.requestsInFlight = -1, s.wireBytesPerSec = -1;
        const QJsonArray events = traceEvents({r});
        for (const QJsonValue &v : events) {
            const QJsonObject e = v.toObject();
            QVERIFY(e.value(QStringLiteral("tid")).toInt() < r.workers);
            QVERIFY(e.value(QStringLiteral("name")).toString() != QLatin1String("thread_sort_index"));
            QVERIFY(!e.value(QStringLiteral("name")).toString().contains(QLatin1String("wire")));
            QVERIFY(!e.value(QStringLiteral("name")).toString().contains(QLatin1String("requests")));
        }
    }
};

QTEST_GUILESS_MAIN(TestRequestExports)
#include "tst_requestexports.moc"
