#include "cpusplit.h"

#include <algorithm>

namespace cs {

double CpuSplit::onCpuShare() const
{
    return workingNs > 0 ? std::clamp(double(onCpuNs) / double(workingNs), 0.0, 1.0) : 0.0;
}

bool cpuSplit(const TaskEvent &e, CpuSplit *split)
{
    if (e.isRunning() || !e.usage.measured())
        return false;
    const auto phase = [&](Phase p) { return std::max<int64_t>(0, e.phaseNs[size_t(p)]); };
    const int64_t duration = std::max<int64_t>(0, e.durationNs());
    CpuSplit s;
    s.waitNs = phase(Phase::LockWait) + phase(Phase::StoreLock) + phase(Phase::ChunkLock);
    s.onCpuNs = std::min(e.usage.cpuNs, duration);
    s.runqNs = std::clamp<int64_t>(e.usage.runqNs, 0, duration - s.onCpuNs);
    s.blockedNs = std::max<int64_t>(0, duration - s.onCpuNs - s.runqNs - s.waitNs);
    s.workingNs = duration - s.waitNs;
    *split = s;
    return true;
}

} // namespace cs
