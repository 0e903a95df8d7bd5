#pragma once

#include <QList>

#include <array>
#include <cstdint>
#include <vector>

namespace cs {

constexpr int kMaxRank = 32;

// A fixed-capacity list of up to kMaxRank integers: an index, a shape or a chunk shape.
// It lives on the stack so that computing a task's region never allocates.
struct Coords {
    int rank = 0;
    std::array<int64_t, kMaxRank> v{};

    Coords() = default;
    static Coords filled(int rank, int64_t value);
    static Coords fromVector(const std::vector<int64_t> &values);
    static Coords fromList(const QList<qint64> &values);
    std::vector<int64_t> toVector() const;
    QList<qint64> toList() const;

    int64_t &operator[](int i) { return v[size_t(i)]; }
    int64_t operator[](int i) const { return v[size_t(i)]; }
    // Product of the entries; 1 for rank 0. Callers validate shapes against overflow first.
    int64_t product() const;
    bool operator==(const Coords &other) const;
    bool operator!=(const Coords &other) const { return !(*this == other); }
    // "[400000000]" or "[3, 4]".
    QString toString() const;
};

} // namespace cs
