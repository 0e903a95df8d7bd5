#include "traceexport.h"

#include "io/atomicfile.h"
#include "requestsjson.h"

#include <QHash>
#include <QJsonArray>
#include <QJsonDocument>
#include <QPair>
#include <QSet>

#include <algorithm>
#include <functional>

namespace cs {

namespace {

// Appends one JSON object per event: a million tasks make several million events, far too many for
// QJsonObject, so the text is written directly. Names are escaped through QJsonDocument.
class TraceWriter {
public:
    void meta(int pid, int tid, const char *what, const QString &name)
    {
        begin();
        m_out += "{\"ph\":\"M\",\"pid\":" + QByteArray::number(pid) + ",\"tid\":" + QByteArray::number(tid)
            + ",\"name\":\"" + what + "\",\"args\":{\"name\":" + quoted(name) + "}}";
    }
    void complete(int pid, int tid, const QByteArray &name, double tsUs, double durUs, const QByteArray &args = {})
    {
        begin();
        m_out += "{\"ph\":\"X\",\"pid\":" + QByteArray::number(pid) + ",\"tid\":" + QByteArray::number(tid)
            + ",\"name\":" + name + ",\"ts\":" + QByteArray::number(tsUs, 'f', 3)
            + ",\"dur\":" + QByteArray::number(durUs, 'f', 3);
        if (!args.isEmpty())
            m_out += ",\"args\":" + args;
        m_out += '}';
    }
    void sortIndex(int pid, int tid, int index)
    {
        begin();
        m_out += "{\"ph\":\"M\",\"pid\":" + QByteArray::number(pid) + ",\"tid\":" + QByteArray::number(tid)
            + ",\"name\":\"thread_sort_index\",\"args\":{\"sort_index\":" + QByteArray::number(index) + "}}";
    }
    void counter(int pid, const char *name, double tsUs, const char *key, double value, int decimals = 1)
    {
        begin();
        m_out += "{\"ph\":\"C\",\"pid\":" + QByteArray::number(pid) + ",\"name\":\"" + name
            + "\",\"ts\":" + QByteArray::number(tsUs, 'f', 3) + ",\"args\":{\"" + key
            + "\":" + QByteArray::number(value, 'f', decimals) + "}}";
    }
    static QByteArray quoted(const QString &s)
    {
        const QByteArray doc = QJsonDocument(QJsonArray{s}).toJson(QJsonDocument::Compact);
        return doc.mid(1, doc.size() - 2);
    }
    QByteArray finish() { return "{\"displayTimeUnit\":\"ms\",\"traceEvents\":[\n" + m_out + "\n]}\n"; }

private:
    void begin()
    {
        if (!m_out.isEmpty())
            m_out += ",\n";
    }
    QByteArray m_out;
};

// The thread track of a worker's requests: beside the workers' own, each sorted right under its worker.
int requestTrack(const RunResult &run, int worker)
{
    return run.workers + worker;
}

// Each attempt of each request as a complete event at its recorded start and length, on its worker's
// request track. Not on the worker's own track: the phases there are laid end to end from the task's
// start rather than at their real times, so a request would cut across them, and complete events on
// one thread must nest. `processOf` gives the process of a task's rank.
void appendRequests(TraceWriter &w, const RunResult &run, double offsetUs, const std::function<int(int64_t)> &processOf)
{
    QSet<QPair<int, int>> tracks;
    for (const TaskRequest &r : run.requests) {
        const RequestTiming &t = r.timing;
        const int pid = processOf(r.task);
        if (!tracks.contains({pid, r.worker})) {
            tracks.insert({pid, r.worker});
            w.meta(pid, requestTrack(run, r.worker), "thread_name", QStringLiteral("worker %1 requests").arg(r.worker));
            w.sortIndex(pid, requestTrack(run, r.worker), 2 * r.worker + 1);
        }
        const bool upload = t.method == RequestTiming::Method::Put || t.method == RequestTiming::Method::Post;
        const QByteArray method = requestMethodName(t.method);
        const QByteArray status = t.status > 0 ? QByteArray::number(t.status) : QByteArray("no answer");
        QByteArray args = "{\"task\":" + QByteArray::number(r.task) + ",\"method\":\"" + method + "\",\"status\":"
            + QByteArray::number(t.status) + ",\"failed\":" + (t.failed() ? "true" : "false") + ",\"retry\":"
            + QByteArray::number(t.attempt) + ",\"bytes\":" + QByteArray::number(upload ? t.bytesSent : t.bytesReceived)
            + ",\"ttfb_s\":" + QByteArray::number(double(t.firstByteUs) / 1e6, 'f', 6);
        if (t.curlCode != 0)
            args += ",\"curl_code\":" + QByteArray::number(t.curlCode);
        args += '}';
        w.complete(pid, requestTrack(run, r.worker), '"' + method + ' ' + status + '"',
                   offsetUs + double(t.startNs) / 1e3, double(t.totalUs), args);
    }
}

} // namespace

QByteArray chromeTrace(const QList<RunResult> &runs, const QList<RunRanks> &ranks)
{
    TraceWriter w;
    double offsetUs = 0;
    int pid = 1;
    QHash<QString, qsizetype> runsWithName;
    for (const RunResult &run : runs)
        ++runsWithName[run.name];
    for (qsizetype r = 0; r < runs.size(); ++r) {
        const RunResult &run = runs[r];
        const RunRanks own = ranks.value(r);
        // One process per rank, or the run's one process.
        const int processes = own.isEmpty() ? 1 : std::max(1, own.count());
        const QString name = runDisplayName(run, runsWithName.value(run.name));
        for (int rank = 0; rank < processes; ++rank) {
            w.meta(pid + rank, 0, "process_name",
                   own.isEmpty() ? name
                                 : QStringLiteral("%1 · rank %2 (%3)").arg(name).arg(rank).arg(own.hosts.value(rank)));
            for (int worker = 0; worker < run.workers; ++worker) {
                w.meta(pid + rank, worker, "thread_name", QStringLiteral("worker %1").arg(worker));
                if (!run.requests.empty()) // room for each worker's request track under it
                    w.sortIndex(pid + rank, worker, 2 * worker);
            }
        }
        const auto processOf = [&](int rank) { return pid + std::clamp(rank, 0, processes - 1); };
        for (size_t i = 0; i < run.events.size(); ++i) {
            const TaskEvent &e = run.events[i];
            if (e.isRunning())
                continue;
            const int epid = processOf(own.eventRank(i));
            const double start = offsetUs + double(e.startNs) / 1e3;
            QByteArray args = "{\"task\":" + QByteArray::number(e.task) + ",\"region\":"
                + TraceWriter::quoted(run.taskRegion(e.task).toString()) + ",\"bytes\":" + QByteArray::number(e.bytes);
            if (e.usage.measured()) {
                args += ",\"cpu_s\":" + QByteArray::number(double(e.usage.cpuNs) / 1e9, 'f', 9);
                if (e.usage.runqNs >= 0)
                    args += ",\"runq_s\":" + QByteArray::number(double(e.usage.runqNs) / 1e9, 'f', 9);
                args += ",\"vol_cs\":" + QByteArray::number(e.usage.volCs) + ",\"invol_cs\":"
                    + QByteArray::number(e.usage.involCs) + ",\"minflt\":" + QByteArray::number(e.usage.minflt);
            }
            args += '}';
            w.complete(epid, e.worker, "\"task " + QByteArray::number(e.task) + '"', start,
                       double(e.durationNs()) / 1e3, args);
            // Phases in the order a task goes through them, end to end from the task's start.
            double at = start;
            for (int p = 0; p < kPhaseCount; ++p) {
                const double dur = double(e.phaseNs[size_t(p)]) / 1e3;
                if (dur <= 0)
                    continue;
                w.complete(epid, e.worker, '"' + QByteArray(phaseLabel(Phase(p))) + '"', at, dur);
                at += dur;
            }
        }
        if (!run.requests.empty()) {
            // A request's rank is its task's.
            QHash<int64_t, int> rankOfTask;
            if (!own.isEmpty())
                for (size_t i = 0; i < run.events.size(); ++i)
                    rankOfTask.insert(run.events[i].task, own.eventRank(i));
            appendRequests(w, run, offsetUs, [&](int64_t task) { return processOf(rankOfTask.value(task)); });
        }
        for (size_t i = 0; i < run.samples.size(); ++i) {
            const ResourceSample &s = run.samples[i];
            const int spid = processOf(own.sampleRank(i));
            const double ts = offsetUs + double(s.tNs) / 1e3;
            w.counter(spid, "CPU %", ts, "cpu", s.cpuPercent);
            w.counter(spid, "RSS MB", ts, "rss", double(s.rssBytes) / 1e6);
            w.counter(spid, "in-flight MB", ts, "inflight", double(s.inflightBytes) / 1e6);
            w.counter(spid, "minor faults/s", ts, "faults", s.minorFaultsPerSec);
            if (s.machineCpuPercent >= 0)
                w.counter(spid, "machine CPU %", ts, "machine", s.machineCpuPercent);
            if (s.requestsInFlight >= 0)
                w.counter(spid, "requests in flight", ts, "requests", s.requestsInFlight, 0);
            if (s.wireBytesPerSec >= 0) // three decimals, so that kB/s show too
                w.counter(spid, "wire MB/s", ts, "wire", s.wireBytesPerSec / 1e6, 3);
        }
        offsetUs += run.wallSeconds * 1e6 + 1000; // a millisecond's gap between runs
        pid += processes;
    }
    return w.finish();
}

bool writeChromeTrace(const QString &path, const QList<RunResult> &runs, QString *error, const QList<RunRanks> &ranks)
{
    return replaceFile(path, chromeTrace(runs, ranks), error);
}

} // namespace cs
