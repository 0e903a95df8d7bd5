#include "units.h"

#include <cmath>

namespace cs {

QString formatDurationNs(int64_t ns)
{
    const double a = std::abs(double(ns));
    if (a < 1e3)
        return QString::number(ns) + QStringLiteral(" ns");
    if (a < 1e6)
        return QString::number(double(ns) / 1e3, 'f', a < 1e4 ? 2 : 1) + QStringLiteral(" µs");
    if (a < 1e9)
        return QString::number(double(ns) / 1e6, 'f', a < 1e7 ? 3 : 2) + QStringLiteral(" ms");
    return QString::number(double(ns) / 1e9, 'f', 3) + QStringLiteral(" s");
}

QString formatSeconds(double seconds, int decimals)
{
    return QString::number(seconds, 'f', decimals) + QStringLiteral(" s");
}

QString formatRate(double gbps)
{
    // A slow copy (a heavy codec, a remote store) would read "0.00 GB/s": below 0.1 GB/s in MB/s,
    // still decimal.
    if (gbps > 0 && gbps < 0.1) {
        const double mbps = gbps * 1e3;
        return QString::number(mbps, 'f', mbps < 10 ? 2 : 1) + QStringLiteral(" MB/s");
    }
    return QString::number(gbps, 'f', gbps < 10 ? 2 : 1) + QStringLiteral(" GB/s");
}

QString formatPercent(double percent)
{
    return QString::number(percent, 'f', 0) + QStringLiteral(" %");
}

QString formatWorkers(int workers)
{
    return workers == 1 ? QStringLiteral("1 worker") : QStringLiteral("%1 workers").arg(workers);
}

} // namespace cs
