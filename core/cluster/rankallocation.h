#pragma once

#include "scenario/allocation.h"
#include "scenario/scenario.h"

namespace cs {

// What one rank of an MPI job of `ranks` processes allocates, for the memory check of `run` under
// MPI and for `check --ranks`: the scenario's allocation lines (sizes from files, as checkMemory
// counts them), with each memory array that is held as a partition (memoryPartitions) counting only
// the copy chunks rank `rank` holds, and a note that says so. The figure is what the partition
// allocates; for a share of more than 2^20 chunks it counts each as a whole chunk (an upper bound,
// as the note says), so as not to walk the chunks. The shares of the ranks differ by at most one
// copy chunk.
QList<AllocationLine> rankAllocation(const Scenario &scenario, int rank, int ranks);

} // namespace cs
