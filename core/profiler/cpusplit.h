#pragma once

#include "taskevent.h"

#include <cstdint>

namespace cs {

// How a finished task's wall time divides between being on a CPU, runnable but waiting for one, and
// blocked, from its TaskUsage. The lock-wait phases are blocked on a lock by construction; which of
// the other phases ("working" ones) the thread was off CPU in is not known, so each of them gets the
// task's on-CPU share of its time. The verdict and the Gantt chart both read a task this way.
struct CpuSplit {
    int64_t onCpuNs = 0; // the thread's CPU time, at most the task's duration
    int64_t runqNs = 0; // runnable, waiting for a CPU, at most what the CPU time leaves of the duration
    int64_t blockedNs = 0; // off CPU, not waiting for one, outside the lock waits
    int64_t waitNs = 0; // the lock-wait phases
    int64_t workingNs = 0; // the duration less the lock waits

    // The on-CPU share of the working phases, 0..1.
    double onCpuShare() const;
};

// False, leaving *split alone, for a running task or one recorded without CPU accounting.
bool cpuSplit(const TaskEvent &event, CpuSplit *split);

} // namespace cs
