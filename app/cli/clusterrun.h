#pragma once

#include "cluster/rankmerge.h"
#include "scenario/scenario.h"

namespace cs {

class ClusterJob;
class ProgressLine;

// The runs of an MPI job as rank 0 gathered them: merged results in the runs' order (for the
// summary, the charts, the trace and the CSV), and the merged runs behind them for the document.
struct ClusterOutcome {
    QList<RunResult> results;
    QList<MergedRun> merged;
    QList<Distribution> distributions;
};

// Runs this rank's share of every run of the scenario (which clusterRefusal accepted), rank 0
// building the arrays first; collective. Rank 0 gets every run merged, other ranks an empty outcome.
ClusterOutcome runClusterShare(ClusterJob &job, const Scenario &scenario, ProgressLine &progress);

} // namespace cs
