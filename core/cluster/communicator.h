#pragma once

#include <QByteArray>
#include <QList>
#include <QString>

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>

namespace cs {

// The processes of one job, as the copy needs them: who they are, and a few collective exchanges.
// It is the only door to MPI: nothing else in Chunkscope includes mpi.h, so the build works without
// MPI and the rest of the code stays testable in one process. Every collective call must be made by
// every rank in the same order; a rank that dies makes the launcher (mpirun) end the others.
class Communicator {
public:
    // Asked again and again while a collective waits for the other ranks: true gives the wait up,
    // as when the launcher ends the job because a rank died (it sends SIGTERM, then SIGKILL a second
    // later). The communicator is then broken: it makes no further calls and leaves the job without
    // the collective goodbye that would wait for the dead rank. An empty function never gives up.
    using GiveUp = std::function<bool()>;

    virtual ~Communicator() = default;

    virtual int rank() const = 0;
    virtual int size() const = 0;
    // This rank's host name, as the MPI library knows it.
    virtual QString host() const = 0;

    // False when the wait was given up.
    virtual bool barrier(const GiveUp &giveUp = {}) = 0;
    // Every rank's bytes, in rank order, on every rank.
    virtual QList<QByteArray> allGather(const QByteArray &mine) = 0;
    // Every rank's bytes, in rank order, on rank 0; empty elsewhere. Nothing when the wait was given up.
    virtual std::optional<QList<QByteArray>> gatherToRoot(const QByteArray &mine, const GiveUp &giveUp = {}) = 0;
    // Point to point, for the clock's ping-pong: one number each way.
    virtual void sendNumber(int peer, int64_t value) = 0;
    virtual int64_t receiveNumber(int peer) = 0;
};

// How many ranks the launcher that started this process started, 1 without one: Open MPI's mpirun
// sets OMPI_COMM_WORLD_SIZE, PMI launchers PMI_SIZE, Slurm's srun SLURM_STEP_NUM_TASKS. Read before
// joining, so that a process started alone never initialises MPI.
int launchedRanks();
// Whether this build can join such a job.
bool builtWithMpi();
// Joins the job the launcher started; nullptr when the build has no MPI. Call once, from the main
// thread, which alone talks to the other ranks; the communicator leaves the job when destroyed.
std::unique_ptr<Communicator> joinJob();

} // namespace cs
