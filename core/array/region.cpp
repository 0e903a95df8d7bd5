#include "region.h"

#include <QStringList>

#include <algorithm>

namespace cs {

Region Region::whole(const Coords &shape)
{
    Region r;
    r.start = Coords::filled(shape.rank, 0);
    r.stop = shape;
    return r;
}

Coords Region::shape() const
{
    Coords s;
    s.rank = rank();
    for (int i = 0; i < s.rank; ++i)
        s[i] = std::max<int64_t>(0, stop[i] - start[i]);
    return s;
}

int64_t Region::count() const
{
    return shape().product();
}

bool Region::isEmpty() const
{
    for (int i = 0; i < rank(); ++i)
        if (stop[i] <= start[i])
            return true;
    return false;
}

bool Region::contains(const Region &inner) const
{
    if (inner.rank() != rank())
        return false;
    for (int i = 0; i < rank(); ++i)
        if (inner.start[i] < start[i] || inner.stop[i] > stop[i])
            return false;
    return true;
}

std::optional<Region> Region::intersect(const Region &other) const
{
    if (other.rank() != rank())
        return std::nullopt;
    Region r;
    r.start.rank = r.stop.rank = rank();
    for (int i = 0; i < rank(); ++i) {
        r.start[i] = std::max(start[i], other.start[i]);
        r.stop[i] = std::min(stop[i], other.stop[i]);
        if (r.stop[i] <= r.start[i])
            return std::nullopt;
    }
    return r;
}

Region Region::relativeTo(const Coords &origin) const
{
    Region r = *this;
    for (int i = 0; i < rank(); ++i) {
        r.start[i] -= origin[i];
        r.stop[i] -= origin[i];
    }
    return r;
}

QString Region::toString() const
{
    QStringList parts;
    for (int i = 0; i < rank(); ++i)
        parts.append(QStringLiteral("[%1, %2]").arg(start[i]).arg(stop[i]));
    return QLatin1Char('[') + parts.join(QStringLiteral(", ")) + QLatin1Char(']');
}

} // namespace cs
