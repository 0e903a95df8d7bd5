#include "resultsjson.h"

#include "rankjson.h"

#include "coldtarget.h"
#include "repeatstats.h"
#include "requestsjson.h"
#include "sweepsummary.h"
#include "verdict.h"

#include "array/chunkgrid.h"
#include "io/atomicfile.h"
#include "scenario/jsontext.h"

#include <QJsonArray>
#include <QJsonDocument>

#include <cmath>
#include <cstring>

namespace cs {

namespace {

// Appends `"key": ` on a line of its own at the given indent, after a comma unless it is the first.
class ObjectWriter {
public:
    ObjectWriter(QByteArray &out, int indent)
        : m_out(out)
        , m_pad(indent, ' ')
    {
    }
    QByteArray &key(const char *name)
    {
        m_out.append(m_first ? "\n" : ",\n");
        m_first = false;
        m_out.append(m_pad);
        m_out.append('"').append(name).append("\": ");
        return m_out;
    }

private:
    QByteArray &m_out;
    QByteArray m_pad;
    bool m_first = true;
};

void appendCoords(QByteArray &out, const Coords &c)
{
    out.append('[');
    for (int i = 0; i < c.rank; ++i) {
        if (i)
            out.append(", ", 2);
        appendJsonInt(out, c[i]);
    }
    out.append(']');
}

void appendStoreInfo(QByteArray &out, const StoreInfo &s)
{
    out.append("{\"id\": ");
    appendJsonString(out, s.id);
    out.append(", \"store\": ");
    appendJsonString(out, s.store);
    out.append(", \"dtype\": ");
    appendJsonString(out, s.dtype.typestr());
    out.append(", \"shape\": ");
    appendCoords(out, s.shape);
    out.append(", \"chunks\": ");
    appendCoords(out, s.chunks);
    out.append(", \"nbytes\": ");
    appendJsonInt(out, s.nbytes);
    out.append(", \"nbytes_stored\": ");
    appendJsonInt(out, s.nbytesStored);
    out.append(", \"ratio\": ");
    appendJsonDouble(out, s.ratio());
    out.append(", \"chunks_initialized\": ");
    appendJsonInt(out, s.chunksInitialized);
    out.append(", \"chunks_total\": ");
    appendJsonInt(out, s.chunksTotal);
    out.append(", \"codec\": ");
    appendJsonString(out, s.codec);
    out.append(", \"location\": ");
    appendJsonString(out, s.location);
    out.append('}');
}

// One line of text assembled on the stack and appended once: a million task events are written
// in a fraction of a second.
class LineBuffer {
public:
    void text(const char *s, size_t n)
    {
        std::memcpy(m_p, s, n);
        m_p += n;
    }
    template <size_t N> void text(const char (&s)[N]) { text(s, N - 1); }
    void integer(int64_t v) { m_p = writeJsonInt(m_p, v); }
    void number(double v) { m_p = writeJsonDouble(m_p, v); }
    void seconds(int64_t ns) { number(double(ns) / 1e9); }
    void flushTo(QByteArray &out) { out.append(m_data, m_p - m_data); }

private:
    // The longest line: a rank-32 region, 64 integers of up to 20 characters, plus the rest.
    char m_data[4096];
    char *m_p = m_data;
};

void appendEvent(QByteArray &out, const TaskEvent &e, const ChunkGrid *grid)
{
    LineBuffer b;
    b.text("{\"task\": ");
    b.integer(e.task);
    b.text(", \"worker\": ");
    b.integer(e.worker);
    b.text(", \"start_s\": ");
    b.seconds(e.startNs);
    b.text(", \"end_s\": ");
    if (e.isRunning())
        b.text("null");
    else
        b.seconds(e.endNs);
    b.text(", \"bytes\": ");
    b.integer(e.bytes);
    b.text(", \"region\": [");
    if (grid && e.task >= 0 && e.task < grid->chunkCount()) {
        const Region r = grid->chunkRegion(e.task);
        for (int i = 0; i < r.rank(); ++i) {
            if (i)
                b.text(", ");
            b.text("[");
            b.integer(r.start[i]);
            b.text(", ");
            b.integer(r.stop[i]);
            b.text("]");
        }
    }
    b.text("], \"phases\": {");
    for (int p = 0; p < kPhaseCount; ++p) {
        if (p)
            b.text(", ");
        b.text("\"");
        const char *key = phaseKey(Phase(p));
        b.text(key, std::strlen(key));
        b.text("\": ");
        b.seconds(e.phaseNs[size_t(p)]);
    }
    b.text("}");
    if (e.passthrough)
        b.text(", \"passthrough\": true");
    // Absent for a task read from a document that predates them, so that it is written back as read.
    if (e.usage.measured()) {
        b.text(", \"cpu_s\": ");
        b.seconds(e.usage.cpuNs);
        b.text(", \"runq_s\": ");
        if (e.usage.runqNs >= 0)
            b.seconds(e.usage.runqNs);
        else
            b.text("null");
        b.text(", \"vol_cs\": ");
        b.integer(e.usage.volCs);
        b.text(", \"invol_cs\": ");
        b.integer(e.usage.involCs);
        b.text(", \"minflt\": ");
        b.integer(e.usage.minflt);
    }
    b.text("}");
    b.flushTo(out);
}

void appendSample(QByteArray &out, const ResourceSample &s)
{
    LineBuffer b;
    b.text("{\"t_s\": ");
    b.seconds(s.tNs);
    b.text(", \"cpu_percent\": ");
    b.number(s.cpuPercent);
    b.text(", \"rss_bytes\": ");
    b.integer(s.rssBytes);
    b.text(", \"inflight_bytes\": ");
    b.integer(s.inflightBytes);
    b.text(", \"minor_faults_per_s\": ");
    b.number(s.minorFaultsPerSec);
    if (s.machineCpuPercent >= 0) {
        b.text(", \"machine_cpu_percent\": ");
        b.number(s.machineCpuPercent);
    }
    if (s.loadAverage >= 0) {
        b.text(", \"load_average\": ");
        b.number(s.loadAverage);
    }
    if (s.uiCpuPercent >= 0) {
        b.text(", \"ui_cpu_percent\": ");
        b.number(s.uiCpuPercent);
    }
    // Only a run on object storage counts them: other runs' samples have neither key.
    if (s.requestsInFlight >= 0) {
        b.text(", \"requests_in_flight\": ");
        b.integer(s.requestsInFlight);
    }
    if (s.wireBytesPerSec >= 0) {
        b.text(", \"wire_bytes_per_sec\": ");
        b.number(s.wireBytesPerSec);
    }
    b.text("}");
    b.flushTo(out);
}

void appendSweep(QByteArray &out, const SweepInfo &sweep)
{
    out.append("{\"of\": ");
    appendJsonString(out, sweep.of);
    for (const QString &key :
         orderedKeys(sweep.values, {QStringLiteral("workers"), QStringLiteral("lock"), QStringLiteral("chunks")})) {
        out.append(", ", 2);
        appendJsonString(out, key);
        out.append(": ", 2);
        appendJsonInline(out, sweep.values.value(key));
    }
    out.append('}');
}

// Where the time went and the verdict it suggests: derived from the task events, written so that the
// document can be read without the charts. Not read back: it is recomputed from the events.
void appendVerdict(QByteArray &out, const RunResult &r)
{
    const Verdict v = verdictFor(r);
    const TimeBreakdown &b = v.breakdown;
    out.append("{\"bound\": ");
    appendJsonString(out, Verdict::boundKey(v.bound));
    out.append(", \"summary\": ");
    appendJsonString(out, v.headline);
    out.append(", \"pool_s\": ");
    appendJsonDouble(out, b.poolSeconds);
    out.append(", \"idle_s\": ");
    appendJsonDouble(out, b.idleSeconds);
    out.append(", \"lock_wait_share\": ");
    appendJsonDouble(out, b.share(b.phaseSeconds(Phase::LockWait)));
    if (b.cpuMeasured) {
        out.append(", \"cpu_s\": ");
        appendJsonDouble(out, b.cpuSeconds);
        out.append(", \"runq_s\": ");
        appendJsonDouble(out, b.runqSeconds);
        out.append(", \"blocked_s\": ");
        appendJsonDouble(out, b.blockedSeconds);
        if (b.otherCpuPercent >= 0) {
            out.append(", \"other_cpu_percent\": ");
            appendJsonDouble(out, b.otherCpuPercent);
        }
    }
    const auto coordsList = [](const Coords &c) {
        QVariantList list;
        for (int d = 0; d < c.rank; ++d)
            list.append(qint64(c[d]));
        return list;
    };
    // Facts beside the bound, each an object whose keys keep the order given.
    const auto appendFact = [&](const char *key, const QList<std::pair<QString, QJsonValue>> &fields) {
        QJsonObject o;
        QStringList order;
        for (const auto &[name, value] : fields) {
            o.insert(name, value);
            order.append(name);
        }
        out.append(", \"").append(key).append("\": ");
        appendJsonInline(out, o, order);
    };
    if (const std::optional<ColdTarget> &c = v.coldTarget)
        appendFact("cold_target",
                   {{QStringLiteral("minflt"), qint64(c->faults)},
                    {QStringLiteral("wall_s"), c->wallSeconds},
                    {QStringLiteral("later_wall_s"), c->laterWallSeconds},
                    {QStringLiteral("later_n"), c->laterCopies},
                    {QStringLiteral("speedup"), c->speedup()}});
    if (const std::optional<WindowShare> &w = v.windowShare)
        appendFact("window_share",
                   {{QStringLiteral("ui_cpu_percent"), w->uiCpuPercent},
                    {QStringLiteral("workers"), w->workers},
                    {QStringLiteral("cores"), w->cores},
                    {QStringLiteral("free_cores"), w->freeCores}});
    if (const std::optional<RequestLatency> &l = v.requestLatency)
        appendFact("request_latency",
                   {{QStringLiteral("first_byte_ms"), l->firstByteMs},
                    {QStringLiteral("attempts"), qint64(l->attempts)},
                    {QStringLiteral("wait_share"), l->waitShare}});
    if (const std::optional<Throttling> &t = v.throttling)
        appendFact("throttling",
                   {{QStringLiteral("requests"), qint64(t->requests)},
                    {QStringLiteral("retried_after_503"), qint64(t->retried)},
                    {QStringLiteral("percent"), t->percent()}});
    if (const std::optional<PartialChunkWrites> &p = v.partialChunkWrites)
        appendFact("partial_chunk_writes",
                   {{QStringLiteral("copy_chunks"), QJsonArray::fromVariantList(coordsList(p->copyChunks))},
                    {QStringLiteral("target_chunks"), QJsonArray::fromVariantList(coordsList(p->targetChunks))},
                    {QStringLiteral("writes_per_chunk"), qint64(p->writesPerChunk)}});
    out.append(", \"phases_s\": {");
    for (int p = 0; p < kPhaseCount; ++p) {
        out.append(p ? ", \"" : "\"").append(phaseKey(Phase(p))).append("\": ");
        appendJsonDouble(out, b.phaseSeconds(Phase(p)));
    }
    out.append("}}");
}

// How each swept run scales: one object per sweep with a line of text per lock mode or chunk shape.
// Derived from the runs, like the verdicts, and not read back.
void appendSweeps(QByteArray &out, const QList<RunResult> &runs)
{
    const QList<SweepSummary> sweeps = summarizeSweeps(runs);
    const QStringList pointKeys = {QStringLiteral("label"),      QStringLiteral("lock"),
                                   QStringLiteral("chunks"),     QStringLiteral("baseline_workers"),
                                   QStringLiteral("points"),     QStringLiteral("workers"),
                                   QStringLiteral("gbps"),       QStringLiteral("wall_s"),
                                   QStringLiteral("repeats"),    QStringLiteral("n"),
                                   QStringLiteral("gbps_ci"),    QStringLiteral("speedup"),
                                   QStringLiteral("efficiency"), QStringLiteral("bound")};
    out.append('[');
    for (qsizetype i = 0; i < sweeps.size(); ++i) {
        const SweepSummary &s = sweeps.at(i);
        out.append(i ? ",\n    {\"name\": " : "\n    {\"name\": ");
        appendJsonString(out, s.name);
        out.append(", \"swept\": ");
        appendJsonInline(out, QJsonArray::fromStringList(s.swept));
        if (!s.note.isEmpty()) {
            out.append(", \"note\": ");
            appendJsonString(out, s.note);
        }
        out.append(", \"lines\": [");
        for (qsizetype l = 0; l < s.lines.size(); ++l) {
            out.append(l ? ",\n      " : "\n      ");
            appendJsonInline(out, scalingLineToJson(s.lines.at(l)), pointKeys);
        }
        out.append(s.lines.isEmpty() ? "]}" : "\n    ]}");
    }
    out.append(sweeps.isEmpty() ? "]" : "\n  ]");
}

// The repeats of each run name with at least 3 finished copies: medians and their 95 % intervals.
// Derived from the runs, like the sweeps, and not read back.
void appendSummaries(QByteArray &out, const QList<RunResult> &runs)
{
    const QList<RepeatSummary> summaries = summarizeRepeats(runs);
    out.append('[');
    for (qsizetype i = 0; i < summaries.size(); ++i) {
        const RepeatSummary &s = summaries.at(i);
        out.append(i ? ",\n    {\"name\": " : "\n    {\"name\": ");
        appendJsonString(out, s.name);
        out.append(", \"n\": ");
        appendJsonInt(out, s.n);
        out.append(", \"wall_s_median\": ");
        appendJsonDouble(out, s.wallMedian);
        const auto appendInterval = [&](const Interval &ci) {
            out.append('[');
            appendJsonDouble(out, ci.low);
            out.append(", ");
            appendJsonDouble(out, ci.high);
            out.append(']');
        };
        out.append(", \"wall_s_ci\": ");
        appendInterval(s.wallCi);
        out.append(", \"gbps_median\": ");
        appendJsonDouble(out, s.gbpsMedian);
        out.append(", \"gbps_ci\": ");
        appendInterval(s.gbpsCi);
        out.append('}');
    }
    out.append(summaries.isEmpty() ? "]" : "\n  ]");
}

void appendRun(QByteArray &out, const RunResult &r, int indent)
{
    const QByteArray pad(indent, ' ');
    out.append(pad).append('{');
    ObjectWriter w(out, indent + 2);
    appendJsonString(w.key("name"), r.name);
    appendJsonInt(w.key("repeat_index"), r.repeatIndex);
    appendJsonString(w.key("status"), statusName(r.status));
    if (r.error.isEmpty())
        w.key("error").append("null");
    else
        appendJsonString(w.key("error"), r.error);
    appendJsonInt(w.key("workers"), r.workers);
    appendJsonString(w.key("lock"), lockModeName(r.lock));
    appendCoords(w.key("chunks"), r.chunks);
    appendCoords(w.key("shape"), r.shape);
    appendJsonInt(w.key("tasks"), r.tasks);
    appendJsonInt(w.key("bytes"), r.bytes);
    appendJsonInt(w.key("bytes_passed_through"), r.bytesPassedThrough);
    appendJsonDouble(w.key("wall_s"), r.wallSeconds);
    appendJsonDouble(w.key("throughput_gbps"), r.throughputGbps());
    appendJsonDouble(w.key("cpu_mean_percent"), r.cpuMeanPercent);
    appendJsonInt(w.key("peak_rss_bytes"), r.peakRssBytes);
    if (r.verified)
        w.key("verified").append(*r.verified ? "true" : "false");
    else
        w.key("verified").append("null");
    if (!r.verifyMessage.isEmpty())
        appendJsonString(w.key("verify_message"), r.verifyMessage);
    w.key("profiled").append(r.profiled ? "true" : "false");
    if (r.forkDuringCopy)
        w.key("fork_during_copy").append("true");
    if (r.passthrough != PassthroughMode::Never)
        appendJsonString(w.key("passthrough"), passthroughModeName(r.passthrough));
    if (r.passthroughPossible)
        w.key("passthrough_possible").append("true");
    if (!r.hdf5Path.isEmpty())
        appendJsonString(w.key("hdf5_path"), r.hdf5Path);
    if (r.sweep)
        appendSweep(w.key("sweep"), *r.sweep);
    if (r.profiled)
        appendVerdict(w.key("verdict"), r);
    appendStoreInfo(w.key("source"), r.source);
    appendStoreInfo(w.key("target"), r.target);
    if (!r.sourceBefore.id.isEmpty())
        appendStoreInfo(w.key("source_before"), r.sourceBefore);
    if (!r.targetBefore.id.isEmpty())
        appendStoreInfo(w.key("target_before"), r.targetBefore);

    // The grid is only built for a consistent shape and chunking: a failed run may carry neither.
    bool gridOk = r.shape.rank > 0 && r.chunks.rank == r.shape.rank;
    for (int i = 0; gridOk && i < r.chunks.rank; ++i)
        gridOk = r.chunks[i] > 0 && r.shape[i] > 0;
    const ChunkGrid grid = gridOk ? ChunkGrid(r.shape, r.chunks) : ChunkGrid();
    const QByteArray itemPad(indent + 4, ' ');
    QByteArray &events = w.key("task_events");
    events.append('[');
    for (size_t i = 0; i < r.events.size(); ++i) {
        events.append(i ? ",\n" : "\n").append(itemPad);
        appendEvent(events, r.events[i], gridOk ? &grid : nullptr);
    }
    if (!r.events.empty())
        events.append('\n').append(pad).append("  ");
    events.append(']');
    QByteArray &samples = w.key("samples");
    samples.append('[');
    for (size_t i = 0; i < r.samples.size(); ++i) {
        samples.append(i ? ",\n" : "\n").append(itemPad);
        appendSample(samples, r.samples[i]);
    }
    if (!r.samples.empty())
        samples.append('\n').append(pad).append("  ");
    samples.append(']');
    // Only runs whose stores made remote requests have them, so other documents read as before.
    if (!r.requests.empty() || r.requestsDropped > 0) {
        appendRequests(w.key("requests"), r.requests, indent);
        appendJsonInt(w.key("requests_dropped"), r.requestsDropped);
    }
    out.append('\n').append(pad).append('}');
}

} // namespace

QByteArray resultsToJson(const QString &scenarioName, const HostInfo &host, const QList<RunResult> &runs)
{
    QByteArray out;
    size_t events = 0;
    for (const RunResult &r : runs)
        events += r.events.size() + r.samples.size();
    out.reserve(qsizetype(4096) + qsizetype(events) * 320);
    out.append("{\n  \"chunkscope_results\": ");
    appendJsonInt(out, kResultsFormatVersion);
    out.append(",\n  \"scenario\": ");
    appendJsonString(out, scenarioName);
    out.append(",\n  \"host\": {\"logical_cpus\": ");
    appendJsonInt(out, host.logicalCpus);
    out.append(", \"memory_bytes\": ");
    appendJsonInt(out, host.memoryBytes);
    out.append(", \"available_memory_bytes\": ");
    appendJsonInt(out, host.availableMemoryBytes);
    out.append(", \"os\": ");
    appendJsonString(out, host.os);
    out.append("},\n  \"sweeps\": ");
    appendSweeps(out, runs);
    out.append(",\n  \"summaries\": ");
    appendSummaries(out, runs);
    out.append(",\n  \"runs\": [");
    for (qsizetype i = 0; i < runs.size(); ++i) {
        out.append(i ? ",\n" : "\n");
        appendRun(out, runs.at(i), 4);
    }
    out.append(runs.isEmpty() ? "]\n}\n" : "\n  ]\n}\n");
    return out;
}

QJsonObject runResultToJson(const RunResult &run)
{
    QByteArray text;
    appendRun(text, run, 0);
    return QJsonDocument::fromJson(text).object();
}

bool writeResultsFile(const QString &path, const QString &scenarioName, const HostInfo &host,
                      const QList<RunResult> &runs, QString *error)
{
    return replaceFile(path, resultsToJson(scenarioName, host, runs), error);
}

} // namespace cs
