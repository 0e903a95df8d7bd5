#include "arrayset.h"

#include "engine/copyrun.h"
#include "stores/generatorstore.h"
#include "stores/storefactory.h"

#include <QThread>

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
    const ArraySpec *spec = m_scenario.array(id);
    if (!spec)
        throw StoreError(QStringLiteral("array %1: no such array in the scenario").arg(id));
    if (m_building.contains(id))
        throw StoreError(QStringLiteral("array %1: its fill copies from itself").arg(id));
    m_building.append(id);
    struct Pop {
        QStringList &list;
        ~Pop() { list.removeLast(); }
    } pop{m_building};

    if (onStatus)
        onStatus(QStringLiteral("creating %1 (%2)").arg(id, spec->store));
    std::shared_ptr<Store> store = createStore(*spec);
    fill(*store, *spec);
    m_stores.insert(id, store);
    return *store;
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
        source = &get(spec.fill.copyOf);
        if (onStatus)
            onStatus(QStringLiteral("filling %1 with a copy of %2").arg(spec.id, spec.fill.copyOf));
    } else {
        generated = std::make_unique<GeneratorStore>(spec.fill, store.dtype(), store.shape(), store.chunks());
        source = generated.get();
        if (onStatus)
            onStatus(QStringLiteral("filling %1").arg(spec.id));
    }

    // The fill's tasks follow the target's storage chunks, so every chunk is encoded once.
    CopyOptions options;
    options.chunks = store.chunks();
    options.workers = QThread::idealThreadCount();
    options.lock = LockMode::None;
    options.profile = false;
    options.verify = false;
    store.prepareCopy(ChunkGrid(store.shape(), store.chunks()), Hdf5Path::Auto);
    store.beginWriting();
    CopyRun run(*source, store, options);
    run.start();
    while (!run.wait(100)) {
        if (shouldCancel && shouldCancel())
            run.cancel();
    }
    store.endWriting();
    if (run.failed())
        throw StoreError(QStringLiteral("array %1: fill failed: %2").arg(spec.id, run.error()));
    if (run.cancelled())
        throw StoreError(QStringLiteral("array %1: fill cancelled").arg(spec.id));
}

} // namespace cs
