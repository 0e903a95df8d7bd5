#pragma once

#include "clocksync.h"
#include "results/runranks.h"
#include "results/runresult.h"

#include <QHash>
#include <QList>
#include <QString>

#include <vector>

namespace cs {

// What one rank reports of one run spec: its results (one per repeat) and when each repeat's copy
// started on its own clock (CopyRun::originNs), keyed by repeat index.
struct RankReport {
    int rank = 0;
    QString host;
    QList<RunResult> results;
    QHash<int, int64_t> originNs;
    int64_t tasks = 0; // the tasks of the copy grid in this rank's share
};

// One repeat of a run as the whole job did it: `result` holds every rank's events and samples on
// rank 0's clock, its wall time from the first rank's start to the last rank's end, the bytes of all
// ranks. `rankOf` says which rank each of result.events and result.samples came from.
struct MergedRun {
    RunResult result;
    RunRanks rankOf;
    QList<RankFigures> ranks;
    double imbalance = 1; // the slowest rank's wall time over the mean of the ranks'
    int slowestRank = 0;

    // "bound by rank 3 (host), 1.4× the mean of 4 ranks", or that the ranks were balanced.
    QString rankVerdict() const;
};

// Merges the reports of every rank for one run spec, repeat by repeat, moving each rank's times by
// its clock offset to rank 0 (offsets indexed by rank). A repeat that some rank did not report
// (it failed before) is merged from the ranks that did.
QList<MergedRun> mergeRankReports(const QList<RankReport> &reports, const QList<ClockOffset> &offsets);

} // namespace cs
