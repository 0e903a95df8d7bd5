#pragma once

#include "runner/arrayset.h"
#include "scenario/scenario.h"
#include "scenario/scenarioparser.h"

namespace cs {

class Store;

// What changes when the runs of a scenario are shared among the ranks of an MPI job.
//
// Rank 0 creates and fills every array, as a single process would; only then do the other ranks
// open the arrays stored at a path, as existing data, so that no rank reads metadata before it is
// written. A NumPy-like memory array that runs read is a partition: each rank allocates and fills only
// the chunks its share of those runs' copy grid names (its fill is deterministic, so the ranks' parts
// make one array). Other arrays held in memory are built whole by every rank for itself.
// Each rank copies, and verifies, the chunks its share of the copy grid names.

// Why the scenario cannot run across ranks, naming the run and the array, or empty when it can:
// every run's target must be written by several processes at once (StoreKind::sharedWriteRefusal),
// and every memory array held as a partition must be split one way, and copied whole by no fill.
QString clusterRefusal(const Scenario &scenario);

// The memory arrays that rank `rank` of `ranks` holds only its part of, for ArraySet::setPartitions.
QHash<QString, ArrayPartition> memoryPartitions(const Scenario &scenario, int rank, int ranks);

// The scenario as a rank other than 0 builds it: arrays stored at a path are opened as they are.
Scenario scenarioForFollower(Scenario scenario);

// Why a run cannot share its target among ranks once the arrays are open, or empty: a copy chunk
// that covers only part of a target chunk would have two ranks read-modify-write that chunk.
QString chunkSharingRefusal(const RunSpec &spec, const Store &target, const Coords &copyChunks);

// The bytes every rank must agree on before running: the scenario file's bytes as this rank read them
// (the very bytes it parses, or why they could not be read) and the selected runs.
QByteArray scenarioFingerprint(const ScenarioBytes &file, const QStringList &onlyRuns);

} // namespace cs
