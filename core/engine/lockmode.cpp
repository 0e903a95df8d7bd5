#include "lockmode.h"

namespace cs {

QString lockModeName(LockMode mode)
{
    switch (mode) {
    case LockMode::Target:
        return QStringLiteral("target");
    case LockMode::None:
        return QStringLiteral("none");
    case LockMode::Io:
        return QStringLiteral("io");
    }
    return {};
}

std::optional<LockMode> lockModeFromName(const QString &name)
{
    if (name == QLatin1String("target"))
        return LockMode::Target;
    if (name == QLatin1String("none"))
        return LockMode::None;
    if (name == QLatin1String("io"))
        return LockMode::Io;
    return std::nullopt;
}

} // namespace cs
