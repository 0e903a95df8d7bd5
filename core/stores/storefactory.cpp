#include "storefactory.h"

#include "carraystore.h"
#include "hdf5store.h"
#include "memorystore.h"
#include "scenario/scenario.h"
#include "zarrstore.h"

namespace cs {

std::unique_ptr<Store> createStore(const ArraySpec &spec)
{
    if (spec.store == QLatin1String("memory"))
        return createMemoryStore(spec);
    if (spec.store == QLatin1String("zarr"))
        return createZarrStore(spec);
    if (spec.store == QLatin1String("hdf5"))
        return createHdf5Store(spec);
    if (spec.store == QLatin1String("carray"))
        return createCarrayStore(spec);
    throw StoreError(QStringLiteral("array %1: store kind \"%2\" is not available in this build of Chunkscope")
                         .arg(spec.id, spec.store));
}

} // namespace cs
