#include "csvexport.h"

#include "filestems.h"
#include "io/atomicfile.h"

#include <QDir>

namespace cs {

namespace {

QByteArray seconds(int64_t ns)
{
    return QByteArray::number(double(ns) / 1e9, 'f', 9);
}

} // namespace

QByteArray tasksCsv(const RunResult &run)
{
    QByteArray out = "task,worker,start_s,end_s,duration_s,bytes,region";
    for (int p = 0; p < kPhaseCount; ++p)
        out += ',' + QByteArray(phaseKey(Phase(p)));
    out += ",cpu_s,runq_s,vol_cs,invol_cs,minflt\n";
    for (const TaskEvent &e : run.events) {
        // The region "[[0, 10], [5, 7]]" becomes "0:10 5:7", free of commas.
        const Region r = run.taskRegion(e.task);
        QByteArray region;
        for (int i = 0; i < r.rank(); ++i)
            region += (i ? " " : "") + QByteArray::number(r.start[i]) + ':' + QByteArray::number(r.stop[i]);
        out += QByteArray::number(e.task) + ',' + QByteArray::number(e.worker) + ',' + seconds(e.startNs) + ','
            + seconds(e.endNs) + ',' + seconds(e.durationNs()) + ',' + QByteArray::number(e.bytes) + ',' + region;
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

QByteArray samplesCsv(const RunResult &run)
{
    QByteArray out = "t_s,cpu_percent,rss_bytes,inflight_bytes,minor_faults_per_s,machine_cpu_percent,load_average\n";
    const auto optional
        = [](double v, int decimals) { return v >= 0 ? QByteArray::number(v, 'f', decimals) : QByteArray(); };
    for (const ResourceSample &s : run.samples)
        out += seconds(s.tNs) + ',' + QByteArray::number(s.cpuPercent, 'f', 2) + ',' + QByteArray::number(s.rssBytes)
            + ',' + QByteArray::number(s.inflightBytes) + ',' + QByteArray::number(s.minorFaultsPerSec, 'f', 1) + ','
            + optional(s.machineCpuPercent, 2) + ',' + optional(s.loadAverage, 2) + '\n';
    return out;
}

bool writeCsvFiles(const QString &dir, const QList<RunResult> &runs, QString *error)
{
    const QDir d(dir);
    const QStringList stems = runFileStems(runs);
    for (qsizetype i = 0; i < runs.size(); ++i) {
        if (!replaceFile(d.filePath(stems[i] + kTasksCsvSuffix), tasksCsv(runs[i]), error)
            || !replaceFile(d.filePath(stems[i] + kSamplesCsvSuffix), samplesCsv(runs[i]), error))
            return false;
    }
    return true;
}

} // namespace cs
