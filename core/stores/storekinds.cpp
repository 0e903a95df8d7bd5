#include "stores/storekind.h"

#include "stores/carray/carraykind.h"
#include "stores/hdf5/hdf5kind.h"
#include "stores/memory/memorykind.h"
#include "stores/zarr/zarrkind.h"

namespace cs {

// The one list of store kinds: a new kind is a folder under core/stores and a line here.
const QList<const StoreKind *> &storeKinds()
{
    static const QList<const StoreKind *> kinds = {&memoryKind(), &zarrKind(), &hdf5Kind(), &carrayKind()};
    return kinds;
}

} // namespace cs
