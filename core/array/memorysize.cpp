#include "memorysize.h"

#include <cmath>

namespace cs {

QString formatMemory(int64_t bytes)
{
    static const char *const units[] = {"KiB", "MiB", "GiB", "TiB", "PiB", "EiB"};
    double v = double(bytes);
    if (std::abs(v) < 1024)
        return QString::number(bytes) + QStringLiteral(" B");
    int unit = -1;
    while (std::abs(v) >= 1024 && unit < 5) {
        v /= 1024;
        ++unit;
    }
    return QString::number(v, 'f', 1) + QLatin1Char(' ') + QLatin1String(units[unit]);
}

} // namespace cs
