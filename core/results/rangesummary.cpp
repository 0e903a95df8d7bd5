#include "rangesummary.h"

#include <algorithm>

namespace cs {

RangeSummary summarizeRange(const std::vector<TaskEvent> &events, int64_t startNs, int64_t endNs)
{
    RangeSummary r;
    r.startNs = startNs;
    r.endNs = std::max(startNs, endNs);
    for (const TaskEvent &e : events) {
        if (e.isRunning() || e.endNs <= r.startNs || e.startNs >= r.endNs)
            continue;
        const int64_t inside = std::min(e.endNs, r.endNs) - std::max(e.startNs, r.startNs);
        const double share = e.durationNs() > 0 ? double(inside) / double(e.durationNs()) : 1.0;
        ++r.tasks;
        r.bytes += share * double(e.bytes);
        r.taskNs += double(inside);
        for (size_t p = 0; p < r.phaseNs.size(); ++p)
            r.phaseNs[p] += share * double(std::max<int64_t>(0, e.phaseNs[p]));
    }
    return r;
}

} // namespace cs
