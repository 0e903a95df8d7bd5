#pragma once

#include "runresult.h"

#include <QList>
#include <QStringList>

#include <vector>

namespace cs {

// One rank's part of a merged run of an MPI job.
struct RankFigures {
    int rank = 0;
    QString host;
    RunResult::Status status = RunResult::Status::Ok;
    QString error;
    int64_t tasks = 0;
    int64_t bytes = 0;
    double startSeconds = 0; // its copy's start on the merged time axis
    double wallSeconds = 0; // its own copy, start to end
};

// Imbalance from which the verdict names the slowest rank as what held the run back.
constexpr double kRankBoundImbalance = 1.1;

// Which rank of an MPI job each task event and each sample of a merged run came from, in the order
// of the run's events and samples, and each rank's host. Empty for a run of one process, whose
// exports then have no rank columns.
struct RunRanks {
    std::vector<int> events;
    std::vector<int> samples;
    QStringList hosts; // by rank
    QList<RankFigures> figures; // by rank, when known (a run read back from its results document)

    bool isEmpty() const { return events.empty() && samples.empty(); }
    int eventRank(size_t i) const { return i < events.size() ? events[i] : 0; }
    int sampleRank(size_t i) const { return i < samples.size() ? samples[i] : 0; }
    int count() const { return int(hosts.size()); }
};

} // namespace cs
