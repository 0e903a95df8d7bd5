#include "arrayset.h"

#include "engine/copyrun.h"
#include "runner/arraystore.h"
#include "runner/runstage.h"
#include "scenario/storagecheck.h"
#include "stores/generatorstore.h"
#include "stores/memory/memorypartition.h"

#include <QSet>
#include <QThread>

#include <cstdint>

namespace cs {

ArraySet::ArraySet(Scenario scenario)
    : m_scenario(std::move(scenario))
{
}

ArraySet::~ArraySet() = default;

Store &ArraySet::get(const QString &id)
{
    if (auto it = m_stores.constFind(id); it != m_stores.constEnd())
        return **it;
    // The chain of copy fills is listed first and filled from its far end, so that its length is
    // bounded by the scenario and not by the stack. Stores are created in the order the chain
    // names them, as each array is asked for before what it copies from.
    QList<const ArraySpec *> chain;
    QSet<QString> onChain;
    for (QString next = id;;) {
        const ArraySpec *spec = m_scenario.array(next);
        if (!spec)
            throw StoreError(QStringLiteral("array %1: no such array in the scenario").arg(next));
        if (onChain.contains(next))
            throw StoreError(QStringLiteral("array %1: its fill copies from itself").arg(next));
        onChain.insert(next);
        chain.append(spec);
        if (!m_unfilled.contains(next)) {
            if (const QString clash = storageClash(m_scenario, next); !clash.isEmpty())
                throw StoreError(clash);
            if (onStatus)
                onStatus(QStringLiteral("creating %1 (%2)").arg(next, spec->store));
            m_unfilled.insert(next, createPart(*spec));
        }
        if (spec->fill.kind != FillSpec::Kind::Copy || m_stores.contains(spec->fill.copyOf))
            break;
        next = spec->fill.copyOf;
    }
    for (qsizetype i = chain.size() - 1; i >= 0; --i) {
        const ArraySpec &spec = *chain.at(i);
        const std::shared_ptr<Store> store = m_unfilled.value(spec.id);
        fill(*store, spec);
        m_unfilled.remove(spec.id);
        m_stores.insert(spec.id, store);
    }
    return **m_stores.constFind(id);
}

std::shared_ptr<Store> ArraySet::createPart(const ArraySpec &spec) const
{
    const auto part = m_partitions.constFind(spec.id);
    if (part == m_partitions.constEnd())
        return createStore(spec);
    const StoreArray array = spec.storeArray();
    const Coords shape = Coords::fromVector(array.shape);
    const ChunkGrid parts(shape, part->chunks);
    const TaskShare share = TaskShare::of(parts.chunkCount(), part->rank, part->ranks, part->distribution);
    std::vector<int64_t> held;
    held.reserve(size_t(share.count));
    for (int64_t i = 0; i < share.count; ++i)
        held.push_back(share.task(i));
    return std::make_shared<MemoryPartition>(spec.id, array.dtype, shape, Coords::fromVector(array.chunks), parts,
                                             std::move(held));
}

void ArraySet::fill(Store &store, const ArraySpec &spec)
{
    using Kind = FillSpec::Kind;
    const Kind kind = spec.fill.kind;
    if (kind == Kind::Empty || kind == Kind::Existing)
        return;
    if (kind == Kind::Zeros && store.readsZerosWhenFresh())
        return;

    std::unique_ptr<Store> generated;
    Store *source = nullptr;
    if (kind == Kind::Copy) {
        source = m_stores.value(spec.fill.copyOf).get();
        if (onStatus)
            onStatus(QStringLiteral("filling %1 with a copy of %2").arg(spec.id, spec.fill.copyOf));
    } else {
        generated = std::make_unique<GeneratorStore>(spec.fill, store.dtype(), store.shape(), store.chunks());
        source = generated.get();
        if (onStatus)
            onStatus(QStringLiteral("filling %1").arg(spec.id));
    }

    // The fill's tasks follow the target's storage chunks, so every chunk is encoded once; a partition
    // fills the chunks it holds alone.
    CopyOptions options;
    options.chunks = store.chunks();
    options.workers = QThread::idealThreadCount();
    options.lock = LockMode::None;
    options.profile = false;
    options.verify = false;
    if (const auto part = m_partitions.constFind(spec.id); part != m_partitions.constEnd()) {
        options.chunks = part->chunks;
        options.rank = part->rank;
        options.ranks = part->ranks;
        options.distribution = part->distribution;
    }
    const ChunkGrid fillGrid(store.shape(), options.chunks);
    const int64_t chunksTotal
        = TaskShare::of(fillGrid.chunkCount(), options.rank, options.ranks, options.distribution).count;
    if (shouldCancel && shouldCancel())
        throw FillCancelled(spec.id, 0, chunksTotal);
    store.prepareCopy(fillGrid, Hdf5Path::Auto);
    store.beginWriting();
    auto run = std::make_shared<CopyRun>(*source, store, options);
    run->start();
    if (onFillStarted)
        onFillStarted(spec.id, run);
    for (;;) {
        if (shouldCancel && shouldCancel())
            run->cancel();
        const bool ended = run->wait(100);
        if (onFillTick)
            onFillTick(spec.id, *run);
        if (ended)
            break;
    }
    // What the copy itself met comes first: a flush that then fails too is a consequence.
    QString endError;
    try {
        store.endWriting();
    } catch (const StoreError &e) {
        endError = e.message();
    }
    if (run->failed())
        throw StoreError(QStringLiteral("array %1: fill failed: %2").arg(spec.id, run->error()));
    if (run->cancelled()) {
        throw FillCancelled(spec.id, countersOf(*run).tasksDone, chunksTotal);
    }
    if (!endError.isEmpty())
        throw StoreError(endError);
}

std::shared_ptr<CopyHistory> ArraySet::copyHistory(const QString &key)
{
    std::shared_ptr<CopyHistory> &history = m_histories[key];
    if (!history)
        history = std::make_shared<CopyHistory>();
    return history;
}

} // namespace cs
