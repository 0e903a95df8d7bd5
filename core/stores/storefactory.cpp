#include "storefactory.h"

#include "memorystore.h"
#include "scenario/scenario.h"

namespace cs {

std::unique_ptr<Store> createStore(const ArraySpec &spec)
{
    if (spec.store == QLatin1String("memory"))
        return createMemoryStore(spec);
    throw StoreError(QStringLiteral("array %1: store kind \"%2\" is not available in this build of Chunkscope")
                         .arg(spec.id, spec.store));
}

} // namespace cs
