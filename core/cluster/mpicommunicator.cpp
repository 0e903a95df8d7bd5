#include "communicator.h"

// The C API only: Open MPI's mpi.h would otherwise pull in its C++ bindings, which need a library of
// their own.
#define OMPI_SKIP_MPICXX 1
#define MPICH_SKIP_MPICXX 1
#include <mpi.h>

#include <QElapsedTimer>

#include <algorithm>
#include <chrono>
#include <limits>
#include <numeric>
#include <stdexcept>
#include <thread>
#include <vector>

namespace cs {

namespace {

constexpr int kClockTag = 7;

// Only the main thread calls MPI (MPI_THREAD_FUNNELED): the copy's workers never do.
class MpiCommunicator : public Communicator {
public:
    MpiCommunicator()
    {
        int provided = 0;
        MPI_Init_thread(nullptr, nullptr, MPI_THREAD_FUNNELED, &provided);
        MPI_Comm_rank(MPI_COMM_WORLD, &m_rank);
        MPI_Comm_size(MPI_COMM_WORLD, &m_size);
        char name[MPI_MAX_PROCESSOR_NAME] = {};
        int length = 0;
        MPI_Get_processor_name(name, &length);
        m_host = QString::fromLocal8Bit(name, length);
    }
    ~MpiCommunicator() override
    {
        // MPI_Finalize waits for every rank; after a wait was given up, one of them is gone.
        if (!m_broken)
            MPI_Finalize();
    }

    int rank() const override { return m_rank; }
    int size() const override { return m_size; }
    QString host() const override { return m_host; }

    bool barrier(const GiveUp &giveUp) override
    {
        MPI_Request request;
        MPI_Ibarrier(MPI_COMM_WORLD, &request);
        return wait(request, giveUp);
    }

    QList<QByteArray> allGather(const QByteArray &mine) override
    {
        int length = int(mine.size());
        std::vector<int> lengths(static_cast<size_t>(m_size));
        MPI_Allgather(&length, 1, MPI_INT, lengths.data(), 1, MPI_INT, MPI_COMM_WORLD);
        const std::vector<int> offsets = offsetsOf(lengths);
        QByteArray all(qsizetype(offsets.back() + lengths.back()), '\0');
        MPI_Allgatherv(mine.constData(), length, MPI_BYTE, all.data(), lengths.data(), offsets.data(), MPI_BYTE,
                       MPI_COMM_WORLD);
        return split(all, lengths, offsets);
    }

    std::optional<QList<QByteArray>> gatherToRoot(const QByteArray &mine, const GiveUp &giveUp) override
    {
        int length = int(mine.size());
        std::vector<int> lengths(static_cast<size_t>(m_size));
        MPI_Request request;
        MPI_Igather(&length, 1, MPI_INT, lengths.data(), 1, MPI_INT, 0, MPI_COMM_WORLD, &request);
        if (!wait(request, giveUp))
            return std::nullopt;
        std::vector<int> offsets(static_cast<size_t>(m_size));
        QByteArray all;
        if (m_rank == 0) {
            offsets = offsetsOf(lengths);
            all.resize(qsizetype(offsets.back() + lengths.back()));
        }
        MPI_Igatherv(mine.constData(), length, MPI_BYTE, all.data(), lengths.data(), offsets.data(), MPI_BYTE, 0,
                     MPI_COMM_WORLD, &request);
        if (!wait(request, giveUp))
            return std::nullopt;
        return m_rank == 0 ? split(all, lengths, offsets) : QList<QByteArray>{};
    }

    void sendNumber(int peer, int64_t value) override
    {
        MPI_Send(&value, 1, MPI_INT64_T, peer, kClockTag, MPI_COMM_WORLD);
    }
    int64_t receiveNumber(int peer) override
    {
        int64_t value = 0;
        MPI_Recv(&value, 1, MPI_INT64_T, peer, kClockTag, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
        return value;
    }

private:
    // Completes a request, or gives it up. The first milliseconds spin, so that the ranks leave a
    // barrier together and start their copies at the same time; then the wait polls every
    // millisecond, cheap enough beside a copy, and fast enough to act within the launcher's grace.
    bool wait(MPI_Request &request, const GiveUp &giveUp)
    {
        if (!giveUp) {
            MPI_Wait(&request, MPI_STATUS_IGNORE);
            return true;
        }
        QElapsedTimer waited;
        waited.start();
        for (;;) {
            int done = 0;
            MPI_Test(&request, &done, MPI_STATUS_IGNORE);
            if (done)
                return true;
            if (giveUp()) {
                m_broken = true;
                return false;
            }
            if (waited.elapsed() > kSpinMs)
                std::this_thread::sleep_for(std::chrono::milliseconds(1));
        }
    }

    static std::vector<int> offsetsOf(const std::vector<int> &lengths)
    {
        // int counts are MPI's; a rank's results above 2 GiB would need chunked messages.
        int64_t total = 0;
        for (int l : lengths)
            total += l;
        if (total > int64_t(std::numeric_limits<int>::max()))
            throw std::length_error("the ranks' results together exceed 2 GiB, more than one MPI message holds");
        std::vector<int> offsets(lengths.size(), 0);
        std::partial_sum(lengths.begin(), lengths.end() - 1, offsets.begin() + 1);
        return offsets;
    }
    static QList<QByteArray> split(const QByteArray &all, const std::vector<int> &lengths,
                                   const std::vector<int> &offsets)
    {
        QList<QByteArray> parts;
        for (size_t i = 0; i < lengths.size(); ++i)
            parts.append(all.mid(offsets[i], lengths[i]));
        return parts;
    }

    static constexpr qint64 kSpinMs = 20;
    int m_rank = 0;
    int m_size = 1;
    QString m_host;
    bool m_broken = false;
};

} // namespace

bool builtWithMpi()
{
    return true;
}

std::unique_ptr<Communicator> joinJob()
{
    return std::make_unique<MpiCommunicator>();
}

} // namespace cs
