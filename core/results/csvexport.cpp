#include "csvexport.h"

#include <QDir>
#include <QSaveFile>

namespace cs {

namespace {

QByteArray seconds(int64_t ns)
{
    return QByteArray::number(double(ns) / 1e9, 'f', 9);
}

bool save(const QString &path, const QByteArray &data, QString *error)
{
    QSaveFile f(path);
    if (!f.open(QIODevice::WriteOnly) || f.write(data) < 0 || !f.commit()) {
        if (error)
            *error = QStringLiteral("%1: cannot write: %2").arg(path, f.errorString());
        return false;
    }
    return true;
}

} // namespace

QByteArray tasksCsv(const RunResult &run)
{
    QByteArray out = "task,worker,start_s,end_s,duration_s,bytes,region";
    for (int p = 0; p < kPhaseCount; ++p)
        out += ',' + QByteArray(phaseKey(Phase(p)));
    out += '\n';
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
        out += '\n';
    }
    return out;
}

QByteArray samplesCsv(const RunResult &run)
{
    QByteArray out = "t_s,cpu_percent,rss_bytes,inflight_bytes,minor_faults_per_s\n";
    for (const ResourceSample &s : run.samples)
        out += seconds(s.tNs) + ',' + QByteArray::number(s.cpuPercent, 'f', 2) + ',' + QByteArray::number(s.rssBytes)
            + ',' + QByteArray::number(s.inflightBytes) + ',' + QByteArray::number(s.minorFaultsPerSec, 'f', 1) + '\n';
    return out;
}

QString runFileStem(const RunResult &run)
{
    QString stem = run.name;
    if (run.repeatIndex > 0)
        stem += QStringLiteral("_%1").arg(run.repeatIndex + 1);
    for (QChar &c : stem)
        if (!c.isLetterOrNumber() && c != QLatin1Char('-') && c != QLatin1Char('_'))
            c = QLatin1Char('_');
    return stem;
}

bool writeCsvFiles(const QString &dir, const QList<RunResult> &runs, QString *error)
{
    const QDir d(dir);
    for (const RunResult &run : runs) {
        const QString stem = runFileStem(run);
        if (!save(d.filePath(stem + QStringLiteral(".tasks.csv")), tasksCsv(run), error)
            || !save(d.filePath(stem + QStringLiteral(".samples.csv")), samplesCsv(run), error))
            return false;
    }
    return true;
}

} // namespace cs
