#pragma once

#include "profiler/taskevent.h"

#include <cstdint>
#include <vector>

namespace cs {

// What a run's tasks did inside a range of time, like Hotspot's summary of a selection: the tasks
// that ran in it, and their bytes and phase times in proportion to the part of each task inside it
// (a task half inside counts half its bytes and half of each phase).
struct RangeSummary {
    int64_t startNs = 0;
    int64_t endNs = 0;
    int64_t tasks = 0; // tasks with any time inside the range
    double bytes = 0;
    std::vector<double> phaseNs = std::vector<double>(size_t(kPhaseCount), 0.0);
    double taskNs = 0; // worker time inside tasks

    double seconds() const { return double(endNs - startNs) / 1e9; }
    double gbps() const { return endNs > startNs ? bytes / double(endNs - startNs) : 0; }
};

// Finished tasks only; a range that ends before it starts is empty.
RangeSummary summarizeRange(const std::vector<TaskEvent> &events, int64_t startNs, int64_t endNs);

} // namespace cs
