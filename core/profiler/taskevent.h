#pragma once

#include "phase.h"

#include <cstdint>

namespace cs {

// One task of a copy as the worker that ran it saw it. Times are nanoseconds from the start of the
// run's copy. The task's region follows from its index and the run's copy grid.
struct TaskEvent {
    int64_t task = -1;
    int32_t worker = -1;
    int64_t startNs = 0;
    int64_t endNs = 0; // 0 while the task is still running
    int64_t bytes = 0;
    PhaseTimes phaseNs{};

    bool isRunning() const { return endNs == 0; }
    int64_t durationNs() const { return endNs - startNs; }
};

// One reading of the resource sampler. Times are nanoseconds from the start of the run's copy.
struct ResourceSample {
    int64_t tNs = 0;
    double cpuPercent = 0; // process CPU over the last interval; above 100 with several busy threads
    int64_t rssBytes = 0;
    int64_t inflightBytes = 0; // bytes held by tasks in flight, dask's CacheProfiler analogue
    double minorFaultsPerSec = 0;
    // The observer thread's share of that (the window's GUI thread, see observerthread.h), in % of
    // one core; -1 when no thread watched the run (headless).
    double uiCpuPercent = -1;
};

} // namespace cs
