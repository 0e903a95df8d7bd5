#pragma once

#include "chunkfacts.h"
#include "coldtarget.h"
#include "profiler/phase.h"
#include "requestfacts.h"
#include "runresult.h"

#include <QString>

namespace cs {

// Where the time of a run went, summed over its workers, and what that suggests. Readable without
// the charts: the command line prints it, the app shows it, and the results document carries it.
struct TimeBreakdown {
    double wallSeconds = 0;
    int workers = 0;
    double poolSeconds = 0; // workers x wall: what the pool could have spent
    PhaseTimes phaseNs{}; // each phase summed over every task
    double taskSeconds = 0; // sum of task durations
    double otherSeconds = 0; // inside tasks but in no phase (region bookkeeping, scheduling of the loop)
    double idleSeconds = 0; // pool time outside any task
    double minorFaults = 0; // page faults during the copy, from the resource samples
    // From the workers' CPU accounting (TaskUsage); all zero, and cpuMeasured false, for tasks
    // recorded without it.
    bool cpuMeasured = false;
    double cpuSeconds = 0; // tasks on a CPU
    double runqSeconds = 0; // tasks runnable, waiting for a CPU
    double blockedSeconds = 0; // tasks off CPU and not waiting for one, outside lock waits
    double codecOnCpuSeconds = 0; // decode + encode, their on-CPU part
    double memoryOnCpuSeconds = 0; // read + write, their on-CPU part
    double otherCpuPercent = -1; // what the rest of the machine used meanwhile, 100 per CPU; -1 unknown

    double phaseSeconds(Phase p) const { return double(phaseNs[size_t(p)]) / 1e9; }
    // Share of the pool's time, 0..1.
    double share(double seconds) const { return poolSeconds > 0 ? seconds / poolSeconds : 0; }
};

// The window watched the run and its GUI thread took CPU the workers wanted: the run's workers were
// at least as many as the cores the rest of the machine left free.
struct WindowShare {
    double uiCpuPercent = 0; // the GUI thread's mean CPU over the run, 100 per core
    int workers = 0;
    int cores = 0; // logical CPUs
    double freeCores = 0; // cores less what other work on the machine used meanwhile
};

struct Verdict {
    enum class Bound {
        MemoryBandwidth,
        PageFaults,
        Lock,
        Codec,
        StoreLock,
        ChunkLock,
        Idle,
        CpuStarved,
        Blocked,
        Unknown
    };
    Bound bound = Bound::Unknown;
    TimeBreakdown breakdown;
    QString headline; // "bound by the lock: workers waited 48% of the pool's time for it"
    QString details; // one line per phase with its share
    // Facts beside the bound, each also a clause of the headline.
    std::optional<ColdTarget> coldTarget; // the run's first copy met a fresh target
    std::optional<WindowShare> windowShare; // the window's own CPU competed with the workers
    std::optional<RequestLatency> requestLatency; // waiting for answers of a remote server took the pool
    std::optional<Throttling> throttling; // the server answered 503 and requests were tried again
    std::optional<PartialChunkWrites> partialChunkWrites; // target chunks written in parts

    // "memory_bandwidth", "page_faults", "lock", "codec", "store_lock", "chunk_lock", "idle", "cpu_starved",
    // "blocked", "unknown"
    static QString boundKey(Bound b);
};

TimeBreakdown breakdownOf(const RunResult &run);
// The window's share when it competed with the workers and took at least a percent of a core.
std::optional<WindowShare> windowShareOf(const RunResult &run, const TimeBreakdown &breakdown);
// "the window took 6% of a core while 2 workers had all 2 cores: leave one core ..."
QString windowShareText(const WindowShare &share);
Verdict verdictFor(const RunResult &run);

} // namespace cs
