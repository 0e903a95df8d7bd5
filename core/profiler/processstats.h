#pragma once

#include <cstdint>

namespace cs {

// The process's own counters: CPU time of all threads (CLOCK_PROCESS_CPUTIME_ID), minor page faults
// (getrusage) and resident memory (/proc/self/statm). Read in-process, without forking: a forked sampler (dask's
// ResourceProfiler) makes every page the parent writes afterwards copy on write.
struct ProcessStats {
    int64_t cpuNs = 0; // user + system
    int64_t rssBytes = 0;
    int64_t minorFaults = 0;

    static ProcessStats read();
};

// The whole machine's counters, beside the process's: CPU time of every CPU from the first line of
// /proc/stat (in clock ticks of 10 ms) and the 1-minute load average from /proc/loadavg. A process
// that gets less CPU than it asks for is only explained by what else the machine was doing.
struct MachineStats {
    int64_t busyTicks = -1; // user, nice, system, irq, softirq and steal; -1: /proc/stat unreadable
    int64_t totalTicks = -1; // busy plus idle and I/O wait
    double loadAverage = -1;
    int cpus = 1; // online CPUs: 100 % each

    static MachineStats read();
    // The machine's CPU use between two readings, 100 per busy CPU; -1 when it cannot be told.
    static double percentBetween(const MachineStats &from, const MachineStats &to);
};

// Reads a small /proc file into buf (NUL-terminated) with plain system calls: no allocation, no
// stdio locking. Returns the bytes read or -1.
long readProcFile(const char *path, char *buf, unsigned long size);

} // namespace cs
