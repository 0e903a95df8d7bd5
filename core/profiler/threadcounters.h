#pragma once

#include "taskevent.h"

#include <cstdint>

namespace cs {

// What the kernel counts for one thread: its CPU time, the time it was runnable but waiting for a
// CPU, its context switches and its minor page faults. A wall-clock phase cannot tell a thread that
// encodes from one that waits for a CPU; these can.
struct ThreadUsage {
    int64_t cpuNs = 0; // CLOCK_THREAD_CPUTIME_ID: user + system
    int64_t runqNs = -1; // second field of /proc/thread-self/schedstat; -1 where the kernel has none
    int64_t volCs = 0; // getrusage(RUSAGE_THREAD): the thread blocked (I/O, a lock, a sleep)
    int64_t involCs = 0; // the scheduler took the CPU away
    int64_t minflt = 0;
};

// A task's share of its thread's counters: what grew between two readings.
inline TaskUsage usageBetween(const ThreadUsage &before, const ThreadUsage &after)
{
    TaskUsage u;
    u.cpuNs = after.cpuNs - before.cpuNs;
    if (before.runqNs >= 0 && after.runqNs >= 0)
        u.runqNs = after.runqNs - before.runqNs;
    u.volCs = int32_t(after.volCs - before.volCs);
    u.involCs = int32_t(after.involCs - before.involCs);
    u.minflt = int32_t(after.minflt - before.minflt);
    return u;
}

// Reads the calling thread's counters. Constructed on the thread it reads, which keeps the
// schedstat file open, so that read() costs three system calls and no allocation or lock.
class ThreadCounters {
public:
    ThreadCounters();
    ~ThreadCounters();
    ThreadCounters(const ThreadCounters &) = delete;
    ThreadCounters &operator=(const ThreadCounters &) = delete;

    ThreadUsage read() const;
    // The calling thread's CPU time alone.
    static int64_t cpuNsNow();
    bool hasRunQueue() const { return m_schedstat >= 0; }

private:
    int m_schedstat = -1;
};

} // namespace cs
