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

} // namespace cs
