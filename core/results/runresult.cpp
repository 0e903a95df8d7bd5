#include "runresult.h"

#include "array/chunkgrid.h"

#include <QFile>
#include <QSysInfo>
#include <QThread>

namespace cs {

Region RunResult::taskRegion(int64_t task) const
{
    return ChunkGrid(shape, chunks).chunkRegion(task);
}

bool RunResult::cpuMeasured() const
{
    // The sampled span; a run read back without its samples has its wall time.
    const int64_t span = samples.size() >= 2 ? samples.back().tNs - samples.front().tNs : int64_t(wallSeconds * 1e9);
    return span >= kMinCpuSpanNs;
}

double RunResult::sampledMinorFaults() const
{
    double faults = 0;
    for (size_t i = 1; i < samples.size(); ++i)
        faults += samples[i].minorFaultsPerSec * double(samples[i].tNs - samples[i - 1].tNs) / 1e9;
    return faults;
}

double RunResult::minorFaults() const
{
    int64_t faults = 0;
    for (const TaskEvent &e : events) {
        if (e.isRunning())
            continue;
        if (e.usage.minflt < 0)
            return sampledMinorFaults(); // recorded without the workers' accounting
        faults += e.usage.minflt;
    }
    return events.empty() ? sampledMinorFaults() : double(faults);
}

QString cpuPercentText(const RunResult &run)
{
    return run.cpuMeasured() ? QString::number(run.cpuMeanPercent, 'f', 0) : QStringLiteral("—");
}

QString runDisplayName(const RunResult &run, qsizetype runsWithName)
{
    if (run.repeatIndex == 0 && runsWithName <= 1)
        return run.name;
    return run.name + QStringLiteral(" #%1").arg(run.repeatIndex + 1);
}

QString statusName(RunResult::Status status)
{
    switch (status) {
    case RunResult::Status::Ok:
        return QStringLiteral("ok");
    case RunResult::Status::Failed:
        return QStringLiteral("failed");
    case RunResult::Status::Cancelled:
        return QStringLiteral("cancelled");
    }
    return {};
}

// Reads "MemTotal:" style lines of /proc/meminfo, in bytes.
static int64_t meminfoField(const QByteArray &meminfo, const char *field)
{
    const int at = meminfo.indexOf(field);
    if (at < 0)
        return 0;
    const int end = meminfo.indexOf('\n', at);
    QByteArray line = meminfo.mid(at + int(qstrlen(field)), end - at - int(qstrlen(field))).trimmed();
    if (line.endsWith("kB"))
        line.chop(2);
    return line.trimmed().toLongLong() * 1024;
}

HostInfo HostInfo::current()
{
    HostInfo h;
    h.logicalCpus = QThread::idealThreadCount();
    QFile f(QStringLiteral("/proc/meminfo"));
    if (f.open(QIODevice::ReadOnly)) {
        const QByteArray meminfo = f.readAll();
        h.memoryBytes = meminfoField(meminfo, "MemTotal:");
        h.availableMemoryBytes = meminfoField(meminfo, "MemAvailable:");
    }
    h.os = QSysInfo::kernelType().replace(0, 1, QSysInfo::kernelType().left(1).toUpper()) + QLatin1Char(' ')
        + QSysInfo::kernelVersion().section(QLatin1Char('.'), 0, 1);
    return h;
}

} // namespace cs
