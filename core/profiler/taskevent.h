#pragma once

#include "phase.h"

#include <cstdint>

namespace cs {

// What the kernel counted for the thread that ran a task (threadcounters.h), over the task. Each count
// runs from the end of the worker's previous task (or its start) to the end of this one, so the few
// instructions between two tasks count toward the next, and a worker's tasks add up to its thread's
// totals. -1: not measured (a results document written before these were recorded; runqNs also
// where the kernel keeps no schedstat).
struct TaskUsage {
    int64_t cpuNs = -1; // on a CPU, user + system
    int64_t runqNs = -1; // runnable, waiting for a CPU
    int32_t volCs = -1; // voluntary context switches: the thread blocked
    int32_t involCs = -1; // involuntary ones: the scheduler preempted it
    int32_t minflt = -1; // minor page faults

    bool measured() const { return cpuNs >= 0; }
};

// One task of a copy as the worker that ran it saw it. Times are nanoseconds from the start of the
// run's copy. The task's region follows from its index and the run's copy grid.
struct TaskEvent {
    int64_t task = -1;
    int32_t worker = -1;
    // The chunk moved as stored, neither decoded nor encoded. Beside worker, in what would be padding,
    // so that the event log's memory per task stays as it was.
    bool passthrough = false;
    int64_t startNs = 0;
    int64_t endNs = 0; // 0 while the task is still running
    int64_t bytes = 0;
    PhaseTimes phaseNs{};
    TaskUsage usage;

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
    // Every CPU of the machine over the same interval, this process included, 100 per busy CPU: what
    // /proc/stat counts as neither idle nor I/O wait, steal included. -1: not measured.
    double machineCpuPercent = -1;
    double loadAverage = -1; // the 1-minute load average; -1: not measured
    // The observer thread's share of that (the window's GUI thread, see observerthread.h), in % of
    // one core; -1 when no thread watched the run (headless).
    double uiCpuPercent = -1;
    // A run with an array on object storage: its requests on the wire at the moment of the sample, and
    // the body bytes they sent and received per second over the interval (wirecounters.h). -1 for a
    // run without one.
    int32_t requestsInFlight = -1;
    double wireBytesPerSec = -1;
};

} // namespace cs
