#pragma once

#include "clusterresults.h"
#include "communicator.h"
#include "rankmerge.h"

#include <QHash>
#include <QString>

#include <memory>

namespace cs {

// One process's part in an MPI job running a scenario, over a Communicator: the agreements the ranks
// reach before running, the clocks, and the gathering of each run's results on rank 0. Every method
// but the accessors is collective: every rank calls it, in the same order.
class ClusterJob {
public:
    explicit ClusterJob(std::unique_ptr<Communicator> comm);

    int rank() const { return m_comm->rank(); }
    int ranks() const { return m_comm->size(); }
    bool isRoot() const { return m_comm->rank() == 0; }
    QString host() const { return m_comm->host(); }

    // Compares the fingerprints of the scenario every rank read; when they differ, returns one
    // message, the same on every rank, naming the ranks that differ from rank 0.
    QString scenarioDisagreement(const QByteArray &fingerprint);
    // The largest of the ranks' exit codes: when any rank must stop before running, all stop.
    int agree(int exitCode);
    // What the waits of barrier() and gatherRun() ask to give up (see Communicator::GiveUp).
    void setGiveUp(Communicator::GiveUp giveUp) { m_giveUp = std::move(giveUp); }
    // Whether a wait was given up: the job is ending, and no collective call can be made any more.
    bool lost() const { return m_lost; }
    // False when given up.
    bool barrier();
    // Measures the clocks against rank 0's and learns the hosts (rank 0 keeps both).
    void measureClocks(int exchanges = 20);
    const JobClocks &clocks() const { return m_clocks; }

    // Sends this rank's results of one run spec, with when each repeat's copy started on its clock,
    // to rank 0, which returns them merged; other ranks get an empty list. When the wait is given up,
    // rank 0 returns its own share alone, failed with the reason, so that what it has is still written.
    QList<MergedRun> gatherRun(const QList<RunResult> &results, const QHash<int, int64_t> &originNs,
                               int64_t shareTasks);

private:
    std::unique_ptr<Communicator> m_comm;
    JobClocks m_clocks;
    Communicator::GiveUp m_giveUp;
    bool m_lost = false;
};

} // namespace cs
