#pragma once

#include "scenario/scenario.h"

namespace cs {

class Store;

// What changes when the runs of a scenario are shared among the ranks of an MPI job.
//
// Rank 0 creates and fills every array, as a single process would; only then do the other ranks
// open the arrays stored at a path, as existing data, so that no rank reads metadata before it is
// written. Arrays held in memory are built by every rank for itself (their fills are deterministic).
// Each rank copies, and verifies, the chunks its share of the copy grid names.

// Why the scenario cannot run across ranks, naming the run and the array, or empty when it can:
// every run's target must be written by several processes at once (StoreKind::sharedWriteRefusal).
QString clusterRefusal(const Scenario &scenario);

// The scenario as a rank other than 0 builds it: arrays stored at a path are opened as they are.
Scenario scenarioForFollower(Scenario scenario);

// Why a run cannot share its target among ranks once the arrays are open, or empty: a copy chunk
// that covers only part of a target chunk would have two ranks read-modify-write that chunk.
QString chunkSharingRefusal(const RunSpec &spec, const Store &target, const Coords &copyChunks);

// The bytes every rank must agree on before running: the scenario file's and the selected runs.
QByteArray scenarioFingerprint(const QString &path, const QStringList &onlyRuns);

} // namespace cs
