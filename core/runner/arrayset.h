#pragma once

#include "engine/distribution.h"
#include "results/coldtarget.h"
#include "scenario/scenario.h"
#include "stores/store.h"

#include <QHash>

#include <functional>
#include <memory>
#include <stdexcept>

namespace cs {

class CopyRun;

// Thrown by ArraySet::get() when the user cancelled while an array was being filled. Not a
// StoreError: nothing failed, and callers must report the run as cancelled, not failed.
class FillCancelled : public std::runtime_error {
public:
    FillCancelled(const QString &id, int64_t chunksDone, int64_t chunksTotal)
        : std::runtime_error("fill cancelled")
        , m_message(QStringLiteral("cancelled while filling array %1, after %2 of %3 chunks")
                        .arg(id)
                        .arg(chunksDone)
                        .arg(chunksTotal))
    {
    }
    const QString &message() const { return m_message; }

private:
    QString m_message;
};

// How a NumPy-like memory array is held when each rank of an MPI job holds only the chunks it copies
// (stores/memory/memorypartition.h): by the copy grid of the runs that read it, shared among the ranks
// as those runs share their tasks.
struct ArrayPartition {
    Coords chunks;
    Distribution distribution = Distribution::Block;
    int rank = 0;
    int ranks = 1;

    bool operator==(const ArrayPartition &o) const
    {
        return chunks == o.chunks && distribution == o.distribution && rank == o.rank && ranks == o.ranks;
    }
};

// The arrays of a scenario, created and filled on first use. A fill is a copy on the same engine
// as the runs, from a generated array or from another array of the scenario.
class ArraySet {
public:
    explicit ArraySet(Scenario scenario);
    ~ArraySet();

    const Scenario &scenario() const { return m_scenario; }

    // The arrays to hold as partitions rather than whole; call before the first get().
    void setPartitions(QHash<QString, ArrayPartition> partitions) { m_partitions = std::move(partitions); }

    // The store of an array, built (with whatever it copies from) on first use.
    // Throws StoreError when it cannot be built, FillCancelled when shouldCancel stopped its fill;
    // a later call tries again, filling the store already created rather than creating it anew
    // (an on-disk path it created would otherwise count as "already exists").
    Store &get(const QString &id);
    bool isBuilt(const QString &id) const { return m_stores.contains(id); }

    // The timed copies into these arrays so far that share a copyKey(): they live as long as the
    // arrays, so the copies of an interleaved plan, each run on its own, share one.
    std::shared_ptr<CopyHistory> copyHistory(const QString &key);

    // Told what is being built ("filling z1 with a copy of a1"), for progress output.
    std::function<void(const QString &)> onStatus;
    // Handed each fill's copy once it started, as RunHooks::started hands out a run's; the fill asks
    // shouldCancel as soon as this returns.
    std::function<void(const QString &id, const std::shared_ptr<CopyRun> &)> onFillStarted;
    // About every 100 ms while an array is filled, for a progress line that counts its chunks.
    std::function<void(const QString &id, const CopyRun &)> onFillTick;
    // Asked before an array's fill starts, then about every 100 ms while it runs, whether to give up
    // (the user cancelled).
    std::function<bool()> shouldCancel;

private:
    // The array's store: a MemoryPartition when it is held as one, otherwise the whole array.
    std::shared_ptr<Store> createPart(const ArraySpec &spec) const;
    void fill(Store &store, const ArraySpec &spec);

    Scenario m_scenario;
    QHash<QString, std::shared_ptr<Store>> m_stores;
    QHash<QString, std::shared_ptr<Store>> m_unfilled; // created, but not yet filled
    QHash<QString, std::shared_ptr<CopyHistory>> m_histories;
    QHash<QString, ArrayPartition> m_partitions;
};

} // namespace cs
