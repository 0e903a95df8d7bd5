#pragma once

#include "ganttchart.h"
#include "results/runresult.h"

#include <vector>

namespace cs {

// An MPI job's run as the profile shows it: each rank's workers as rows of their own under the rank's
// header, and its samples per rank or summed over the ranks. For a run of one process (no
// RunResult::ranks) the groups are empty and the events and samples are the run's own.

// The rows of every rank, workers of rank r at rows r * workers ... (r + 1) * workers - 1.
QList<GanttChart::RankGroup> rankGroups(const RunResult &run);
// The run's events, each moved to its rank's row for its worker.
std::vector<TaskEvent> eventsInRankRows(const RunResult &run);
// How many rows the Gantt of the run has.
int ganttRows(const RunResult &run);

// The samples of one rank, or with rank -1 of all ranks summed: at each sample, every rank's latest
// CPU, memory, bytes in flight and fault rate added up (the machine's own figures averaged), so
// the sum is what the job used at that moment, whichever rank sampled last.
std::vector<ResourceSample> rankSamples(const RunResult &run, int rank);

} // namespace cs
