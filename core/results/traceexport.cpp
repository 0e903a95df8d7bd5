#include "traceexport.h"

#include "io/atomicfile.h"

#include <QHash>
#include <QJsonArray>
#include <QJsonDocument>

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
    void counter(int pid, const char *name, double tsUs, const char *key, double value)
    {
        begin();
        m_out += "{\"ph\":\"C\",\"pid\":" + QByteArray::number(pid) + ",\"name\":\"" + name
            + "\",\"ts\":" + QByteArray::number(tsUs, 'f', 3) + ",\"args\":{\"" + key
            + "\":" + QByteArray::number(value, 'f', 1) + "}}";
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

} // namespace

QByteArray chromeTrace(const QList<RunResult> &runs)
{
    TraceWriter w;
    double offsetUs = 0;
    int pid = 1;
    QHash<QString, qsizetype> runsWithName;
    for (const RunResult &run : runs)
        ++runsWithName[run.name];
    for (const RunResult &run : runs) {
        w.meta(pid, 0, "process_name", runDisplayName(run, runsWithName.value(run.name)));
        for (int worker = 0; worker < run.workers; ++worker)
            w.meta(pid, worker, "thread_name", QStringLiteral("worker %1").arg(worker));
        for (const TaskEvent &e : run.events) {
            if (e.isRunning())
                continue;
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
            w.complete(pid, e.worker, "\"task " + QByteArray::number(e.task) + '"', start, double(e.durationNs()) / 1e3,
                       args);
            // Phases in the order a task goes through them, end to end from the task's start.
            double at = start;
            for (int p = 0; p < kPhaseCount; ++p) {
                const double dur = double(e.phaseNs[size_t(p)]) / 1e3;
                if (dur <= 0)
                    continue;
                w.complete(pid, e.worker, '"' + QByteArray(phaseLabel(Phase(p))) + '"', at, dur);
                at += dur;
            }
        }
        for (const ResourceSample &s : run.samples) {
            const double ts = offsetUs + double(s.tNs) / 1e3;
            w.counter(pid, "CPU %", ts, "cpu", s.cpuPercent);
            w.counter(pid, "RSS MB", ts, "rss", double(s.rssBytes) / 1e6);
            w.counter(pid, "in-flight MB", ts, "inflight", double(s.inflightBytes) / 1e6);
            w.counter(pid, "minor faults/s", ts, "faults", s.minorFaultsPerSec);
            if (s.machineCpuPercent >= 0)
                w.counter(pid, "machine CPU %", ts, "machine", s.machineCpuPercent);
        }
        offsetUs += run.wallSeconds * 1e6 + 1000; // a millisecond's gap between runs
        ++pid;
    }
    return w.finish();
}

bool writeChromeTrace(const QString &path, const QList<RunResult> &runs, QString *error)
{
    return replaceFile(path, chromeTrace(runs), error);
}

} // namespace cs
