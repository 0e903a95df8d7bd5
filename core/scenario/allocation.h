#pragma once

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

// One line per array (in scenario order), then one per run. Arrays: a memory store holds its nbytes;
// an in-memory zarr, hdf5 or carray holds about nbytes / 4 when compressed, nbytes when not; a store
// on disk holds nothing in memory and its note gives the disk estimate. Runs: workers x 3 buffers x
// the largest chunk among the copy chunk and both arrays' storage chunks (workers 0 counts the
// logical CPUs). Sizes that overflow are saturated at INT64_MAX.
QList<AllocationLine> estimateAllocation(const Scenario &scenario);

// The peak: every array plus the largest run's scratch.
int64_t totalAllocation(const QList<AllocationLine> &lines);
int64_t totalAllocation(const Scenario &scenario);

} // namespace cs
