#include "hdf5path.h"

namespace cs {

QString hdf5PathName(Hdf5Path path)
{
    switch (path) {
    case Hdf5Path::Auto:
        return QStringLiteral("auto");
    case Hdf5Path::Library:
        return QStringLiteral("library");
    case Hdf5Path::Direct:
        return QStringLiteral("direct");
    }
    return {};
}

std::optional<Hdf5Path> hdf5PathFromName(const QString &name)
{
    if (name == QLatin1String("auto"))
        return Hdf5Path::Auto;
    if (name == QLatin1String("library"))
        return Hdf5Path::Library;
    if (name == QLatin1String("direct"))
        return Hdf5Path::Direct;
    return std::nullopt;
}

} // namespace cs
