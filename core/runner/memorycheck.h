#pragma once

#include "scenario/allocation.h"
#include "scenario/scenario.h"

#include <QString>

#include <cstdint>

namespace cs {

// Whether a scenario's runs fit in the memory the machine has available now: the command line refuses
// one that does not (unless told to run anyway) and the window asks first.
struct MemoryCheck {
    int64_t neededBytes = 0; // the estimate of `chunkscope check`
    int64_t availableBytes = 0; // 0 when the host does not say

    bool exceedsAvailable() const { return availableBytes > 0 && neededBytes > availableBytes; }
    // "needs about 1000 GiB of memory but 21.3 GiB is available"
    QString text() const;
};

MemoryCheck checkMemory(const Scenario &scenario);
// The same for allocation lines counted otherwise (one rank's of an MPI job).
MemoryCheck checkMemory(const QList<AllocationLine> &lines);

} // namespace cs
