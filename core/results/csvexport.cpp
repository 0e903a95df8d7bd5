#include "csvexport.h"

#include "filestems.h"
#include "io/atomicfile.h"
#include "requestsjson.h"

#include <QDir>

#include <algorithm>

namespace cs {

namespace {

QByteArray seconds(int64_t ns)
{
    return QByteArray::number(double(ns) / 1e9, 'f', 9);
}

// A host name as one CSV field: quoted when it holds a comma, a quote or a line break (RFC 4180).
QByteArray csvField(const QString &text)
{
    QByteArray bytes = text.toUtf8();
    if (!bytes.contains(',') && !bytes.contains('"') && !bytes.contains('\n') && !bytes.contains('\r'))
        return bytes;
    bytes.replace('"', "\"\"");
    return '"' + bytes + '"';
}

} // namespace

QByteArray tasksCsv(const RunResult &run, const RunRanks &ranks)
{
    const bool withRanks = !ranks.isEmpty();
    QByteArray out = withRanks ? "task,worker,rank,host,start_s,end_s,duration_s,bytes,region"
                               : "task,worker,start_s,end_s,duration_s,bytes,region";
    for (int p = 0; p < kPhaseCount; ++p)
        out += ',' + QByteArray(phaseKey(Phase(p)));
    out += ",cpu_s,runq_s,vol_cs,invol_cs,minflt\n";
    for (size_t i = 0; i < run.events.size(); ++i) {
        const TaskEvent &e = run.events[i];
        // The region "[[0, 10], [5, 7]]" becomes "0:10 5:7", free of commas.
        const Region r = run.taskRegion(e.task);
        QByteArray region;
        for (int d = 0; d < r.rank(); ++d)
            region += (d ? " " : "") + QByteArray::number(r.start[d]) + ':' + QByteArray::number(r.stop[d]);
        out += QByteArray::number(e.task) + ',' + QByteArray::number(e.worker) + ',';
        if (withRanks) {
            const int rank = ranks.eventRank(i);
            out += QByteArray::number(rank) + ',' + csvField(ranks.hosts.value(rank)) + ',';
        }
        out += seconds(e.startNs) + ',' + seconds(e.endNs) + ',' + seconds(e.durationNs()) + ','
            + QByteArray::number(e.bytes) + ',' + region;
        for (int p = 0; p < kPhaseCount; ++p)
            out += ',' + seconds(e.phaseNs[size_t(p)]);
        // Empty fields where a task was not measured (read from an older document).
        const TaskUsage &u = e.usage;
        if (u.measured())
            out += ',' + seconds(u.cpuNs) + ',' + (u.runqNs >= 0 ? seconds(u.runqNs) : QByteArray()) + ','
                + QByteArray::number(u.volCs) + ',' + QByteArray::number(u.involCs) + ','
                + QByteArray::number(u.minflt);
        else
            out += ",,,,,";
        out += '\n';
    }
    return out;
}

QByteArray samplesCsv(const RunResult &run, const RunRanks &ranks)
{
    const bool withRanks = !ranks.isEmpty();
    // Runs on object storage only, so that the other runs' files stay as they were.
    const bool wire = std::any_of(run.samples.begin(), run.samples.end(),
                                  [](const ResourceSample &s) { return s.requestsInFlight >= 0; });
    QByteArray out = withRanks ? "t_s,rank," : "t_s,";
    out += "cpu_percent,rss_bytes,inflight_bytes,minor_faults_per_s,machine_cpu_percent,load_average";
    out += wire ? ",requests_in_flight,wire_bytes_per_sec\n" : "\n";
    const auto optional
        = [](double v, int decimals) { return v >= 0 ? QByteArray::number(v, 'f', decimals) : QByteArray(); };
    for (size_t i = 0; i < run.samples.size(); ++i) {
        const ResourceSample &s = run.samples[i];
        out += seconds(s.tNs) + ',';
        if (withRanks)
            out += QByteArray::number(ranks.sampleRank(i)) + ',';
        out += QByteArray::number(s.cpuPercent, 'f', 2) + ',' + QByteArray::number(s.rssBytes) + ','
            + QByteArray::number(s.inflightBytes) + ',' + QByteArray::number(s.minorFaultsPerSec, 'f', 1) + ','
            + optional(s.machineCpuPercent, 2) + ',' + optional(s.loadAverage, 2);
        if (wire)
            out += ',' + (s.requestsInFlight >= 0 ? QByteArray::number(s.requestsInFlight) : QByteArray()) + ','
                + optional(s.wireBytesPerSec, 1);
        out += '\n';
    }
    return out;
}

bool writesRequestsCsv(const RunResult &run)
{
    return !run.requests.empty();
}

QByteArray requestsCsv(const RunResult &run)
{
    QByteArray out = "task,worker,method,attempt,status,curl_code,start_s,lookup_s,connect_s,tls_s,first_byte_s,"
                     "total_s,bytes_sent,bytes_received\n";
    // libcurl's times are whole microseconds.
    const auto us = [](int64_t v) -> QByteArray { return ',' + QByteArray::number(double(v) / 1e6, 'f', 6); };
    for (const TaskRequest &r : run.requests) {
        const RequestTiming &t = r.timing;
        out += QByteArray::number(r.task) + ',' + QByteArray::number(r.worker) + ',' + requestMethodName(t.method) + ','
            + QByteArray::number(t.attempt) + ',' + QByteArray::number(t.status) + ',' + QByteArray::number(t.curlCode)
            + ',' + seconds(t.startNs) + us(t.lookupUs) + us(t.connectUs) + us(t.tlsUs) + us(t.firstByteUs)
            + us(t.totalUs) + ',' + QByteArray::number(t.bytesSent) + ',' + QByteArray::number(t.bytesReceived) + '\n';
    }
    return out;
}

bool writeCsvFiles(const QString &dir, const QList<RunResult> &runs, QString *error, const QList<RunRanks> &ranks)
{
    const QDir d(dir);
    const QStringList stems = runFileStems(runs);
    for (qsizetype i = 0; i < runs.size(); ++i) {
        if (!replaceFile(d.filePath(stems[i] + kTasksCsvSuffix), tasksCsv(runs[i], ranks.value(i)), error)
            || !replaceFile(d.filePath(stems[i] + kSamplesCsvSuffix), samplesCsv(runs[i], ranks.value(i)), error))
            return false;
        if (writesRequestsCsv(runs[i])
            && !replaceFile(d.filePath(stems[i] + kRequestsCsvSuffix), requestsCsv(runs[i]), error))
            return false;
    }
    return true;
}

} // namespace cs
