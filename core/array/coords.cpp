#include "coords.h"

#include <QStringList>

namespace cs {

Coords Coords::filled(int rank, int64_t value)
{
    Coords c;
    c.rank = rank;
    for (int i = 0; i < rank; ++i)
        c.v[size_t(i)] = value;
    return c;
}

Coords Coords::fromVector(const std::vector<int64_t> &values)
{
    Coords c;
    c.rank = int(std::min<size_t>(values.size(), kMaxRank));
    for (int i = 0; i < c.rank; ++i)
        c.v[size_t(i)] = values[size_t(i)];
    return c;
}

Coords Coords::fromList(const QList<qint64> &values)
{
    Coords c;
    c.rank = int(std::min<qsizetype>(values.size(), kMaxRank));
    for (int i = 0; i < c.rank; ++i)
        c.v[size_t(i)] = values[i];
    return c;
}

std::vector<int64_t> Coords::toVector() const
{
    return std::vector<int64_t>(v.begin(), v.begin() + rank);
}

QList<qint64> Coords::toList() const
{
    QList<qint64> out;
    out.reserve(rank);
    for (int i = 0; i < rank; ++i)
        out.append(v[size_t(i)]);
    return out;
}

int64_t Coords::product() const
{
    int64_t p = 1;
    for (int i = 0; i < rank; ++i)
        p *= v[size_t(i)];
    return p;
}

bool Coords::operator==(const Coords &other) const
{
    if (rank != other.rank)
        return false;
    for (int i = 0; i < rank; ++i)
        if (v[size_t(i)] != other.v[size_t(i)])
            return false;
    return true;
}

QString Coords::toString() const
{
    QStringList parts;
    for (int i = 0; i < rank; ++i)
        parts.append(QString::number(v[size_t(i)]));
    return QLatin1Char('[') + parts.join(QStringLiteral(", ")) + QLatin1Char(']');
}

} // namespace cs
