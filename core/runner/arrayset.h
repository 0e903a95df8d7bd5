#pragma once

#include "scenario/scenario.h"
#include "stores/store.h"

#include <QHash>

#include <functional>
#include <memory>

namespace cs {

// The arrays of a scenario, created and filled on first use. A fill is a copy on the same engine
// as the runs, from a generated array or from another array of the scenario.
class ArraySet {
public:
    explicit ArraySet(Scenario scenario);
    ~ArraySet();

    const Scenario &scenario() const { return m_scenario; }

    // The store of an array, built (with whatever it copies from) on first use.
    // Throws StoreError when it cannot be built; a later call tries again.
    Store &get(const QString &id);
    bool isBuilt(const QString &id) const { return m_stores.contains(id); }

    // Told what is being built ("filling z1 with a copy of a1"), for progress output.
    std::function<void(const QString &)> onStatus;
    // Asked between fill chunks whether to give up (the user cancelled).
    std::function<bool()> shouldCancel;

private:
    void fill(Store &store, const ArraySpec &spec);

    Scenario m_scenario;
    QHash<QString, std::shared_ptr<Store>> m_stores;
    QStringList m_building; // ids being built, to stop on a copy cycle
};

} // namespace cs
