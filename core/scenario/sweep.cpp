#include "sweep.h"

#include <QJsonArray>
#include <QStringList>

#include <limits>

namespace cs {

int64_t SweepAxes::combinations() const
{
    int64_t n = 1;
    for (const qsizetype count : {workers.size(), locks.size(), chunks.size(), passthroughs.size()})
        if (__builtin_mul_overflow(n, int64_t(count), &n))
            return std::numeric_limits<int64_t>::max();
    return n;
}

QString chunksLabel(const std::vector<int64_t> &chunks)
{
    QStringList parts;
    for (const int64_t c : chunks)
        parts.append(QString::number(c));
    return parts.join(QLatin1Char('x'));
}

QList<RunSpec> expandSweep(const RunSpec &base, const SweepAxes &axes)
{
    QList<RunSpec> runs;
    const bool swept = axes.workersSwept || axes.lockSwept || axes.chunksSwept || axes.passthroughSwept;
    for (const int workers : axes.workers) {
        for (const LockMode lock : axes.locks) {
            for (const std::vector<int64_t> &chunks : axes.chunks) {
                for (const PassthroughMode passthrough : axes.passthroughs) {
                    RunSpec run = base;
                    run.passthrough = passthrough;
                    run.workers = workers;
                    run.lock = lock;
                    run.chunks = chunks;
                    run.sweep.reset();
                    if (swept) {
                        SweepInfo info;
                        info.of = base.name;
                        QStringList label;
                        if (axes.workersSwept) {
                            info.values.insert(QStringLiteral("workers"), workers);
                            label.append(QStringLiteral("workers=%1").arg(workers));
                        }
                        if (axes.lockSwept) {
                            info.values.insert(QStringLiteral("lock"), lockModeName(lock));
                            label.append(QStringLiteral("lock=") + lockModeName(lock));
                        }
                        if (axes.chunksSwept) {
                            QJsonArray list;
                            for (const int64_t c : chunks)
                                list.append(qint64(c));
                            info.values.insert(QStringLiteral("chunks"), list);
                            label.append(QStringLiteral("chunks=") + chunksLabel(chunks));
                        }
                        if (axes.passthroughSwept) {
                            info.values.insert(QStringLiteral("passthrough"), passthroughModeName(passthrough));
                            label.append(QStringLiteral("passthrough=") + passthroughModeName(passthrough));
                        }
                        run.name = base.name + QStringLiteral(" [") + label.join(QLatin1Char(' ')) + QLatin1Char(']');
                        run.sweep = info;
                    }
                    runs.append(run);
                }
            }
        }
    }
    return runs;
}

} // namespace cs
