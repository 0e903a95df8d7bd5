#pragma once

#include "array/coords.h"
#include "scenario.h"

#include <QList>
#include <QString>

#include <cstdint>

namespace cs {

// What `chunkscope check` prints: the memory each array and each run's worker scratch will take.
struct AllocationLine {
    QString id; // array id, or run name
    QString store; // the array's store kind; "run" for a run's scratch
    int64_t bytes = 0; // bytes held in memory (0 for arrays on disk)
    QString note; // how the figure was reached: "estimate; depends on compression", "on disk: ..."
    bool scratch = false; // a run's scratch: runs take turns, so only the largest one counts
};

// What one run allocates for itself while it copies, besides the arrays: every worker's scratch
// buffers, and when profiled the per-task event log (allocated before the copy starts) and the
// resource samples (at most ResourceSampler::kMaxSamples), each with its copy in the run's result.
struct RunMemory {
    int workers = 0;
    int64_t largestChunkBytes = 0; // the largest of the copy chunk and both arrays' storage chunks
    // What the source (reading) and the target (writing) take of each worker's scratch besides its
    // three chunk buffers: a Zarr v3 shard being assembled, for example (Store::scratchBytesPerWorker).
    int64_t storeScratchBytes = 0;
    int64_t tasks = 0;
    bool tasksKnown = true; // false while the array's shape or chunks come from a file not yet read
    int64_t scratchBytes = 0;
    int64_t eventLogBytes = 0;
    int64_t sampleBytes = 0;

    int64_t total() const; // saturated at INT64_MAX
    // "scratch: 2 workers x 3 x 200; event log: 8 tasks x 152 (1.2K); samples: up to 5.0M", and with
    // store scratch "scratch: 2 workers x (3 x 200 + 50); ..."
    QString describe() const;
};

RunMemory runMemory(int workers, int64_t largestChunkBytes, int64_t tasks, bool profile, int64_t storeScratchBytes = 0);

// The bytes of one chunk of `chunks` elements of `itemsize` bytes, saturated at INT64_MAX.
int64_t chunkBytes(const Coords &chunks, int64_t itemsize);

// One line per array (in scenario order), then one per run. Arrays: a memory store holds its nbytes;
// an in-memory zarr, hdf5 or carray holds about nbytes / 4 when compressed, nbytes when not; a store
// on disk holds nothing in memory and its note gives the disk estimate. Runs: workers x 3 buffers x
// the largest chunk among the copy chunk and both arrays' storage chunks, plus what the stores take
// of each worker's scratch besides (workers 0 counts the logical CPUs), plus the event log and samples of RunMemory
// when the run is profiled; an array whose shape comes from a file counts no tasks here, the run checks them once it
// has opened the file. Sizes that overflow are saturated at INT64_MAX.
QList<AllocationLine> estimateAllocation(const Scenario &scenario);

// The peak: every array plus the largest run's scratch.
int64_t totalAllocation(const QList<AllocationLine> &lines);
int64_t totalAllocation(const Scenario &scenario);

} // namespace cs
