#include "storeinfo.h"

#include <cmath>
#include <limits>

namespace cs {

double StoreInfo::ratio() const
{
    if (nbytesStored <= 0)
        return std::numeric_limits<double>::infinity();
    return double(nbytes) / double(nbytesStored);
}

QString humanReadableSize(int64_t bytes)
{
    const double b = double(bytes);
    if (b < double(1ll << 10))
        return QString::number(bytes);
    if (b < double(1ll << 20))
        return QString::number(b / double(1ll << 10), 'f', 1) + QLatin1Char('K');
    if (b < double(1ll << 30))
        return QString::number(b / double(1ll << 20), 'f', 1) + QLatin1Char('M');
    if (b < double(1ll << 40))
        return QString::number(b / double(1ll << 30), 'f', 1) + QLatin1Char('G');
    return QString::number(b / double(1ll << 40), 'f', 1) + QLatin1Char('T');
}

QString StoreInfo::describe() const
{
    const double r = ratio();
    const QString ratioText = std::isinf(r) ? QStringLiteral("inf") : QString::number(r, 'f', 1);
    return QStringLiteral("%1 (%2 store, %3)\n"
                          "  shape: %4; dtype: %5 (%6); chunks: %7\n"
                          "  codec: %8\n"
                          "  nbytes: %9; nbytes_stored: %10; ratio: %11; initialized: %12/%13")
        .arg(id, store, location.isEmpty() ? QStringLiteral("in memory") : location, shape.toString(), dtype.name(),
             dtype.typestr(), chunks.toString(), codec, humanReadableSize(nbytes))
        .arg(humanReadableSize(nbytesStored), ratioText)
        .arg(chunksInitialized)
        .arg(chunksTotal);
}

} // namespace cs
