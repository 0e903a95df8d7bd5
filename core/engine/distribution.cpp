#include "distribution.h"

#include <algorithm>

namespace cs {

QString distributionName(Distribution d)
{
    return d == Distribution::Cyclic ? QStringLiteral("cyclic") : QStringLiteral("block");
}

std::optional<Distribution> distributionFromName(const QString &name)
{
    if (name == QLatin1String("block"))
        return Distribution::Block;
    if (name == QLatin1String("cyclic"))
        return Distribution::Cyclic;
    return std::nullopt;
}

TaskShare TaskShare::of(int64_t total, int rank, int ranks, Distribution d)
{
    TaskShare s;
    ranks = std::max(1, ranks);
    if (rank < 0 || rank >= ranks || total <= 0)
        return s;
    if (d == Distribution::Cyclic) {
        s.first = rank;
        s.stride = ranks;
        s.count = total > rank ? (total - rank + ranks - 1) / ranks : 0;
        return s;
    }
    // Rounded so that the first ranges are the shorter ones by at most one task; 128-bit-free
    // because a grid holds far fewer than 2^63 / ranks tasks.
    const int64_t begin = total / ranks * rank + std::min<int64_t>(total % ranks, rank);
    const int64_t end = total / ranks * (rank + 1) + std::min<int64_t>(total % ranks, rank + 1);
    s.first = begin;
    s.stride = 1;
    s.count = end - begin;
    return s;
}

} // namespace cs
