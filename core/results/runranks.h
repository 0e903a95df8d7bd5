#pragma once

#include <QStringList>

#include <vector>

namespace cs {

// Which rank of an MPI job each task event and each sample of a merged run came from, in the order
// of the run's events and samples, and each rank's host. Empty for a run of one process, whose
// exports then have no rank columns.
struct RunRanks {
    std::vector<int> events;
    std::vector<int> samples;
    QStringList hosts; // by rank

    bool isEmpty() const { return events.empty() && samples.empty(); }
    int eventRank(size_t i) const { return i < events.size() ? events[i] : 0; }
    int sampleRank(size_t i) const { return i < samples.size() ? samples[i] : 0; }
    int count() const { return int(hosts.size()); }
};

} // namespace cs
