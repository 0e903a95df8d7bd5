#pragma once

#include "coords.h"

#include <optional>

namespace cs {

// A hyper-rectangle [start, stop) of an N-dimensional array.
struct Region {
    Coords start;
    Coords stop;

    static Region whole(const Coords &shape);
    int rank() const { return start.rank; }
    Coords shape() const;
    int64_t count() const;
    bool isEmpty() const;
    bool contains(const Region &inner) const;
    std::optional<Region> intersect(const Region &other) const;
    // The same region expressed relative to origin (start - origin, stop - origin).
    Region relativeTo(const Coords &origin) const;
    bool operator==(const Region &other) const { return start == other.start && stop == other.stop; }
    // "[[0, 1048576]]", one [start, stop] pair per dimension, as the results document writes it.
    QString toString() const;
};

} // namespace cs
