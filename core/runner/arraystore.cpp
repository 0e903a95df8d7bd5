#include "arraystore.h"

namespace cs {

std::unique_ptr<Store> createStore(const ArraySpec &spec)
{
    const StoreKind *kind = spec.kind();
    if (!kind)
        throw StoreError(QStringLiteral("array %1: store kind \"%2\" is not available in this build of Chunkscope")
                             .arg(spec.id, spec.store));
    const StoreArray array = spec.storeArray();
    std::unique_ptr<Store> store = kind->open(spec.options, array);
    if (!array.existing)
        return store;
    for (const StoredFact &fact : kind->storedFacts(*store, spec.options, array))
        if (spec.given.contains(fact.key) && !fact.agrees)
            throw StoreError(
                QStringLiteral("array %1: %2").arg(spec.id, kind->disagreement(*store, spec.options, fact)));
    return store;
}

} // namespace cs
