#pragma once

#include "clocksync.h"
#include "rankmerge.h"

#include <QByteArray>
#include <QStringList>

namespace cs {

// The job's ranks as rank 0 knows them after measuring the clocks.
struct JobClocks {
    QStringList hosts; // by rank
    QList<ClockOffset> offsets; // by rank
};

// The results document of an MPI job: the single-process document of the merged runs (runs given in
// the order `merged` lists them), and in addition
//  - top level "mpi": {"ranks", "hosts", "clock": per rank {rank, host, offset_s, uncertainty_s, exchanges}};
//  - per run "distribution", "ranks": per rank {rank, host, status, error, tasks, bytes, start_s, wall_s},
//    "imbalance", "slowest_rank", "aggregate_gbps", and "verdict"."ranks", a sentence;
//  - per task event "rank" and "host", per sample "rank".
QByteArray clusterResultsJson(const QString &scenarioName, const HostInfo &host, const QList<MergedRun> &merged,
                              const QList<Distribution> &distributions, const JobClocks &clocks);

} // namespace cs
