#pragma once

#include "array/region.h"
#include "engine/lockmode.h"
#include "profiler/requestevents.h"
#include "profiler/taskevent.h"
#include "scenario/scenario.h"
#include "stores/storeinfo.h"

#include <QString>

#include <memory>
#include <optional>
#include <vector>

namespace cs {

class CopyHistory;
struct RunRanks;

// The outcome of one repeat of one run: a plain value handed from the engine to the command line,
// the windows and the results document.
struct RunResult {
    enum class Status { Ok, Failed, Cancelled };

    QString name;
    int repeatIndex = 0;
    Status status = Status::Ok;
    QString error; // empty when none

    int workers = 0;
    LockMode lock = LockMode::Target;
    Coords chunks; // the copy grid's chunk shape
    Coords shape; // the array's shape, so that a task's region can be recomputed
    int64_t tasks = 0;
    int64_t bytes = 0;
    double wallSeconds = 0;
    // When the copy's clock started, on monotonicNs()'s clock; 0 for a copy that never started. Not
    // written to the results document: it orders the copy among other things this process did.
    int64_t originNs = 0;
    double cpuMeanPercent = 0;
    int64_t peakRssBytes = 0;
    std::optional<bool> verified; // nullopt when verification was off
    QString verifyMessage; // what differed, when it did not verify
    bool profiled = true;
    QString hdf5Path; // the path an HDF5 copy took ("library" or "direct"); empty otherwise
    bool codecUnderStoreLock = false; // a store ran the codec inside its own global lock
    bool forkDuringCopy = false; // an idle child was forked as the copy started
    PassthroughMode passthrough = PassthroughMode::Never; // the run key "passthrough"
    // The stored bytes of the chunks moved without decoding; their tasks' events say "passthrough".
    int64_t bytesPassedThrough = 0;
    // The run decoded and re-encoded chunks that could have moved as stored ("passthrough" "never" on
    // stores whose chunks and codecs agree): the verdict says so.
    bool passthroughPossible = false;
    std::optional<SweepInfo> sweep;

    StoreInfo source;
    StoreInfo target;
    StoreInfo sourceBefore;
    StoreInfo targetBefore;

    std::vector<TaskEvent> events; // sorted by task index
    std::vector<ResourceSample> samples; // in time order
    // Every attempt of every request a store made to a remote server (object storage), by task and
    // then start; empty for local stores. requestsDropped: those a task made beyond what it records.
    std::vector<TaskRequest> requests;
    int64_t requestsDropped = 0;

    // The timed copies of this run so far, this one at `copyIndex`, shared with the other copies'
    // results (coldtarget.h): whether this copy met a fresh target shows only beside the later ones.
    std::shared_ptr<CopyHistory> history;
    int copyIndex = -1;

    // A run of an MPI job read back from its results document (runranks.h): the rank each event and
    // sample came from, and each rank's figures. Null for a run of one process.
    std::shared_ptr<const RunRanks> ranks;

    double throughputGbps() const { return wallSeconds > 0 ? double(bytes) / wallSeconds / 1e9 : 0; }
    // Whether cpuMeanPercent says anything: CPU time is counted in clock ticks of 10 ms, so over a
    // shorter sampled span (or wall time, for a run without samples) one tick reads as several cores
    // busy (878 % on two cores).
    static constexpr int64_t kMinCpuSpanNs = 100'000'000;
    bool cpuMeasured() const;
    // Minor page faults during the copy: the tasks' own counts where they were taken, else the
    // resource samples' rates over their intervals.
    double minorFaults() const;
    double sampledMinorFaults() const;
    // The task's region in the array, from its index and the copy grid.
    Region taskRegion(int64_t task) const;
};

QString statusName(RunResult::Status status); // "ok", "failed", "cancelled"
// A run's name as the window, the command line and the trace show it: "name #2" for a second repeat,
// and "name #1" for the first when `runsWithName`, the runs of that name in the list shown, is more
// than one.
QString runDisplayName(const RunResult &run, qsizetype runsWithName);
// The run's mean CPU % as the runs table and the summary table show it: "—" for a run too short to
// sample, whose figure would say nothing (878 % on two cores).
QString cpuPercentText(const RunResult &run);

// Host facts the results document records.
struct HostInfo {
    int logicalCpus = 0;
    int64_t memoryBytes = 0;
    int64_t availableMemoryBytes = 0;
    QString os;

    static HostInfo current();
};

} // namespace cs
