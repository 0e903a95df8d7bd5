// Reading a results document back: the general path through QJsonDocument with every value checked,
// and the fast path for the task events of a large document.
#include "resultsjson.h"

#include "coldtarget.h"
#include "rankjson.h"
#include "requestsjson.h"
#include "taskeventreader.h"

#include "io/jsoncheck.h"

#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>

#include <cmath>
#include <cstring>

namespace cs {

namespace {

constexpr int64_t kMaxInt = int64_t(1) << 62;

int64_t readInt(const QJsonObject &o, const QString &ptr, const char *key, int64_t fallback = 0)
{
    const QJsonValue v = o.value(QLatin1String(key));
    if (v.isUndefined())
        return fallback;
    int64_t i = 0;
    if (!exactInteger(v, &i, kMaxInt))
        failAt(jsonPointer(ptr, QLatin1String(key)), QStringLiteral("must be an integer"));
    return i;
}

// A per-task count: a non-negative integer that fits a task event.
int64_t readCount(const QJsonObject &o, const QString &ptr, const char *key)
{
    const QJsonValue v = o.value(QLatin1String(key));
    if (v.isUndefined())
        return 0;
    return requireInteger(v, jsonPointer(ptr, QLatin1String(key)), 0, INT32_MAX,
                          QStringLiteral("must be a non-negative integer"));
}

double readDouble(const QJsonObject &o, const QString &ptr, const char *key, double fallback = 0)
{
    const QJsonValue v = o.value(QLatin1String(key));
    if (v.isUndefined() || v.isNull())
        return fallback; // null stands for a value JSON cannot hold
    return requireNumber(v, jsonPointer(ptr, QLatin1String(key)));
}

int64_t readNs(const QJsonObject &o, const QString &ptr, const char *key)
{
    const double s = readDouble(o, ptr, key);
    if (std::fabs(s) > 9.2e9)
        failAt(jsonPointer(ptr, QLatin1String(key)), QStringLiteral("is out of range"));
    return std::llround(s * 1e9);
}

QString readString(const QJsonObject &o, const QString &ptr, const char *key)
{
    const QJsonValue v = o.value(QLatin1String(key));
    if (v.isUndefined() || v.isNull())
        return {};
    if (!v.isString())
        failAt(jsonPointer(ptr, QLatin1String(key)), QStringLiteral("must be a string"));
    return v.toString();
}

Coords readCoords(const QJsonObject &o, const QString &ptr, const char *key)
{
    const QJsonValue v = o.value(QLatin1String(key));
    if (v.isUndefined())
        return {};
    const QString p = jsonPointer(ptr, QLatin1String(key));
    const QJsonArray a = requireArray(v, p);
    if (a.size() > kMaxRank)
        failAt(p, QStringLiteral("must list at most %1 dimensions").arg(kMaxRank));
    Coords c;
    c.rank = int(a.size());
    for (int i = 0; i < c.rank; ++i)
        c[i] = requireInteger(a.at(i), jsonPointer(p, i), 0, kMaxExactJsonInteger,
                              QStringLiteral("must be a non-negative integer"));
    return c;
}

// A task's CPU accounting; a document from before it was recorded has none (every field -1).
TaskUsage readTaskUsage(const QJsonObject &e, const QString &ptr)
{
    TaskUsage u;
    if (!e.contains(QStringLiteral("cpu_s")))
        return u;
    const auto nonNegative = [&](const char *key) {
        const int64_t ns = readNs(e, ptr, key);
        if (ns < 0)
            failAt(jsonPointer(ptr, QLatin1String(key)), QStringLiteral("must not be negative"));
        return ns;
    };
    u.cpuNs = nonNegative("cpu_s");
    const QJsonValue runq = e.value(QStringLiteral("runq_s"));
    u.runqNs = runq.isUndefined() || runq.isNull() ? -1 : nonNegative("runq_s");
    u.volCs = int32_t(readCount(e, ptr, "vol_cs"));
    u.involCs = int32_t(readCount(e, ptr, "invol_cs"));
    u.minflt = int32_t(readCount(e, ptr, "minflt"));
    return u;
}

StoreInfo readStoreInfo(const QJsonObject &run, const QString &runPtr, const char *key)
{
    StoreInfo s;
    const QJsonValue v = run.value(QLatin1String(key));
    if (v.isUndefined())
        return s;
    const QString ptr = jsonPointer(runPtr, QLatin1String(key));
    const QJsonObject o = requireObject(v, ptr);
    s.id = readString(o, ptr, "id");
    s.store = readString(o, ptr, "store");
    if (o.contains(QStringLiteral("dtype"))) {
        QString message;
        const auto dt = DType::parse(readString(o, ptr, "dtype"), &message);
        if (!dt)
            failAt(jsonPointer(ptr, QStringLiteral("dtype")), message);
        s.dtype = *dt;
    }
    s.shape = readCoords(o, ptr, "shape");
    s.chunks = readCoords(o, ptr, "chunks");
    s.nbytes = readInt(o, ptr, "nbytes");
    s.nbytesStored = readInt(o, ptr, "nbytes_stored");
    s.chunksInitialized = readInt(o, ptr, "chunks_initialized");
    s.chunksTotal = readInt(o, ptr, "chunks_total");
    s.codec = readString(o, ptr, "codec");
    s.location = readString(o, ptr, "location");
    return s;
}

RunResult readRun(const QJsonValue &value, const QString &ptr)
{
    const QJsonObject o = requireObject(value, ptr);
    RunResult r;
    requireKey(o, ptr, QStringLiteral("name"));
    r.name = readString(o, ptr, "name");
    r.repeatIndex = int(readInt(o, ptr, "repeat_index"));
    const QString status = readString(o, ptr, "status");
    if (status == QLatin1String("failed"))
        r.status = RunResult::Status::Failed;
    else if (status == QLatin1String("cancelled"))
        r.status = RunResult::Status::Cancelled;
    else if (!status.isEmpty() && status != QLatin1String("ok"))
        failAt(jsonPointer(ptr, QStringLiteral("status")),
               QStringLiteral("must be \"ok\", \"failed\" or \"cancelled\""));
    r.error = readString(o, ptr, "error");
    r.workers = int(readInt(o, ptr, "workers"));
    if (o.contains(QStringLiteral("lock"))) {
        const auto lock = lockModeFromName(readString(o, ptr, "lock"));
        if (!lock)
            failAt(jsonPointer(ptr, QStringLiteral("lock")), QStringLiteral("must be \"target\", \"none\" or \"io\""));
        r.lock = *lock;
    }
    r.chunks = readCoords(o, ptr, "chunks");
    r.tasks = readInt(o, ptr, "tasks");
    r.bytes = readInt(o, ptr, "bytes");
    r.bytesPassedThrough = readInt(o, ptr, "bytes_passed_through");
    if (o.contains(QStringLiteral("passthrough"))) {
        const QString p = jsonPointer(ptr, QStringLiteral("passthrough"));
        const QJsonValue v = o.value(QStringLiteral("passthrough"));
        const auto mode = v.isString() ? passthroughModeFromName(v.toString()) : std::nullopt;
        if (!mode)
            failAt(p, QStringLiteral("must be \"never\", \"auto\" or \"require\""));
        r.passthrough = *mode;
    }
    if (o.contains(QStringLiteral("passthrough_possible")))
        r.passthroughPossible = requireBool(o.value(QStringLiteral("passthrough_possible")),
                                            jsonPointer(ptr, QStringLiteral("passthrough_possible")));
    r.wallSeconds = readDouble(o, ptr, "wall_s");
    r.cpuMeanPercent = readDouble(o, ptr, "cpu_mean_percent");
    r.peakRssBytes = readInt(o, ptr, "peak_rss_bytes");
    const QJsonValue verified = o.value(QStringLiteral("verified"));
    if (!verified.isUndefined() && !verified.isNull())
        r.verified = requireBool(verified, jsonPointer(ptr, QStringLiteral("verified")));
    r.verifyMessage = readString(o, ptr, "verify_message");
    if (o.contains(QStringLiteral("profiled")))
        r.profiled = requireBool(o.value(QStringLiteral("profiled")), jsonPointer(ptr, QStringLiteral("profiled")));
    if (o.contains(QStringLiteral("fork_during_copy")))
        r.forkDuringCopy = requireBool(o.value(QStringLiteral("fork_during_copy")),
                                       jsonPointer(ptr, QStringLiteral("fork_during_copy")));
    r.hdf5Path = readString(o, ptr, "hdf5_path");
    // The document records the path each HDF5 store took; only the library path runs the codec
    // inside HDF5's lock.
    r.codecUnderStoreLock = r.hdf5Path.split(QLatin1Char('/')).contains(QLatin1String("library"));
    if (o.contains(QStringLiteral("sweep"))) {
        const QString p = jsonPointer(ptr, QStringLiteral("sweep"));
        QJsonObject values = requireObject(o.value(QStringLiteral("sweep")), p);
        SweepInfo sweep;
        sweep.of = readString(values, p, "of");
        values.remove(QStringLiteral("of"));
        sweep.values = values;
        r.sweep = sweep;
    }
    r.source = readStoreInfo(o, ptr, "source");
    r.target = readStoreInfo(o, ptr, "target");
    r.sourceBefore = readStoreInfo(o, ptr, "source_before");
    r.targetBefore = readStoreInfo(o, ptr, "target_before");
    r.shape = o.contains(QStringLiteral("shape")) ? readCoords(o, ptr, "shape") : r.source.shape;

    if (o.contains(QStringLiteral("task_events"))) {
        const QString p = jsonPointer(ptr, QStringLiteral("task_events"));
        const QJsonArray events = requireArray(o.value(QStringLiteral("task_events")), p);
        r.events.reserve(size_t(events.size()));
        for (qsizetype i = 0; i < events.size(); ++i) {
            const QString ep = jsonPointer(p, i);
            const QJsonObject e = requireObject(events.at(i), ep);
            TaskEvent ev;
            ev.task = readInt(e, ep, "task", -1);
            ev.worker = int32_t(readInt(e, ep, "worker", -1));
            ev.startNs = readNs(e, ep, "start_s");
            ev.endNs = readNs(e, ep, "end_s"); // null: still running
            ev.bytes = readInt(e, ep, "bytes");
            const QJsonValue phases = e.value(QStringLiteral("phases"));
            if (!phases.isUndefined()) {
                const QString pp = jsonPointer(ep, QStringLiteral("phases"));
                const QJsonObject po = requireObject(phases, pp);
                for (int k = 0; k < kPhaseCount; ++k)
                    ev.phaseNs[size_t(k)] = readNs(po, pp, phaseKey(Phase(k)));
            }
            ev.usage = readTaskUsage(e, ep);
            if (e.contains(QStringLiteral("passthrough")))
                ev.passthrough = requireBool(e.value(QStringLiteral("passthrough")),
                                             jsonPointer(ep, QStringLiteral("passthrough")));
            r.events.push_back(ev);
        }
    }
    if (o.contains(QStringLiteral("samples"))) {
        const QString p = jsonPointer(ptr, QStringLiteral("samples"));
        const QJsonArray samples = requireArray(o.value(QStringLiteral("samples")), p);
        r.samples.reserve(size_t(samples.size()));
        for (qsizetype i = 0; i < samples.size(); ++i) {
            const QString sp = jsonPointer(p, i);
            const QJsonObject so = requireObject(samples.at(i), sp);
            ResourceSample s;
            s.tNs = readNs(so, sp, "t_s");
            s.cpuPercent = readDouble(so, sp, "cpu_percent");
            s.rssBytes = readInt(so, sp, "rss_bytes");
            s.inflightBytes = readInt(so, sp, "inflight_bytes");
            s.minorFaultsPerSec = readDouble(so, sp, "minor_faults_per_s");
            s.machineCpuPercent = readDouble(so, sp, "machine_cpu_percent", -1);
            s.loadAverage = readDouble(so, sp, "load_average", -1);
            s.uiCpuPercent = readDouble(so, sp, "ui_cpu_percent", -1);
            if (so.contains(QStringLiteral("requests_in_flight")))
                s.requestsInFlight = int32_t(readCount(so, sp, "requests_in_flight"));
            s.wireBytesPerSec = readDouble(so, sp, "wire_bytes_per_sec", -1);
            r.samples.push_back(s);
        }
    }
    if (o.contains(QStringLiteral("requests")))
        r.requests = readRequests(o.value(QStringLiteral("requests")), jsonPointer(ptr, QStringLiteral("requests")));
    r.requestsDropped = readInt(o, ptr, "requests_dropped");
    return r;
}

} // namespace

// The general path: the whole document through QJsonDocument, every value checked.
static std::optional<ResultsDocument> parseDocument(const QByteArray &json, const QString &fileLabel, QString *error)
{
    const std::optional<QJsonObject> parsed = parseJsonObject(json, fileLabel, error);
    if (!parsed)
        return std::nullopt;
    const QJsonObject &root = *parsed;
    try {
        if (root.contains(QStringLiteral("chunkscope")) && !root.contains(QStringLiteral("chunkscope_results")))
            failAt(QString(), QStringLiteral("this is a scenario, not a results document"));
        requireKey(root, QString(), QStringLiteral("chunkscope_results"));
        int64_t version = 0;
        if (!exactInteger(root.value(QStringLiteral("chunkscope_results")), &version)
            || version != kResultsFormatVersion)
            failAt(QStringLiteral("/chunkscope_results"),
                   QStringLiteral("unsupported results format (this Chunkscope reads version %1)")
                       .arg(kResultsFormatVersion));
        ResultsDocument doc;
        doc.scenario = readString(root, QString(), "scenario");
        if (root.contains(QStringLiteral("host"))) {
            const QJsonObject host = requireObject(root.value(QStringLiteral("host")), QStringLiteral("/host"));
            doc.host.logicalCpus = int(readInt(host, QStringLiteral("/host"), "logical_cpus"));
            doc.host.memoryBytes = readInt(host, QStringLiteral("/host"), "memory_bytes");
            doc.host.availableMemoryBytes = readInt(host, QStringLiteral("/host"), "available_memory_bytes");
            doc.host.os = readString(host, QStringLiteral("/host"), "os");
        }
        requireKey(root, QString(), QStringLiteral("runs"));
        const QJsonArray runs = requireArray(root.value(QStringLiteral("runs")), QStringLiteral("/runs"));
        for (qsizetype i = 0; i < runs.size(); ++i)
            doc.runs.append(readRun(runs.at(i), jsonPointer(QStringLiteral("/runs"), i)));
        return doc;
    } catch (const JsonError &e) {
        if (error)
            *error = formatJsonError(fileLabel, e);
        return std::nullopt;
    }
}

std::optional<ResultsDocument> parseResults(const QByteArray &json, const QString &fileLabel, QString *error)
{
    // Task events, the bulk of a profiled document, are read straight from the text; whatever the
    // fast path does not take goes the general way, which also words any error.
    if (std::optional<ExtractedTaskEvents> fast = extractTaskEvents(json)) {
        std::optional<ResultsDocument> doc = parseDocument(fast->rest, fileLabel, nullptr);
        if (doc) {
            for (auto it = fast->events.begin(); it != fast->events.end(); ++it)
                if (it.key() >= 0 && it.key() < doc->runs.size())
                    doc->runs[it.key()].events = std::move(it.value());
            linkCopyHistories(doc->runs);
            attachRunRanks(json, doc->runs);
            return doc;
        }
    }
    std::optional<ResultsDocument> doc = parseDocument(json, fileLabel, error);
    if (doc) {
        linkCopyHistories(doc->runs); // a document lists each run's repeats in the order they ran
        attachRunRanks(json, doc->runs);
    }
    return doc;
}

std::optional<ResultsDocument> readResultsFile(const QString &path, QString *error)
{
    if (QFileInfo(path).isDir()) {
        if (error)
            *error = path + QStringLiteral(": is a directory, not a results file");
        return std::nullopt;
    }
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly)) {
        if (error)
            *error = path + QStringLiteral(": cannot open: ") + f.errorString();
        return std::nullopt;
    }
    return parseResults(f.readAll(), path, error);
}

bool looksLikeResultsFile(const QString &path)
{
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        return false;
    return f.read(256).simplified().replace(' ', QByteArray()).startsWith("{\"chunkscope_results\":");
}

} // namespace cs
