#include "storefactory.h"

#include "scenario/scenario.h"
#include "scenario/storagelocation.h"
#include "stores/carray/bcolzrootdir.h"
#include "stores/carray/carraystore.h"
#include "stores/hdf5/hdf5store.h"
#include "stores/memory/memorystore.h"
#include "stores/zarr/zarrstore.h"

#include <QFileInfo>

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

std::optional<QString> overwriteRefusal(const ArraySpec &spec)
{
    if (!spec.overwrite || spec.fill.kind == FillSpec::Kind::Existing)
        return std::nullopt;
    const QString path = storagePath(spec);
    const QFileInfo info(path);
    if (path.isEmpty() || (!info.exists() && !info.isSymLink()))
        return std::nullopt;
    if (spec.store == QLatin1String("zarr"))
        return zarrOverwriteRefusal(path);
    if (spec.store == QLatin1String("hdf5"))
        return hdf5OverwriteRefusal(path);
    return BcolzRootdir::overwriteRefusal(path);
}

} // namespace cs
