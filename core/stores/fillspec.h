#pragma once

#include <QString>

#include <cmath>
#include <cstdint>

namespace cs {

// How an array is filled before the runs; a GeneratorStore computes every kind but Copy and Existing.
struct FillSpec {
    enum class Kind { Empty, Zeros, Arange, Constant, Random, Copy, Existing };
    Kind kind = Kind::Empty;
    double constant = 0; // Constant (NaN compares equal to NaN here, so specs round-trip)
    uint64_t seed = 0; // Random
    QString copyOf; // Copy: id of the array to copy
    bool operator==(const FillSpec &o) const
    {
        const bool sameConstant = constant == o.constant || (std::isnan(constant) && std::isnan(o.constant));
        return kind == o.kind && sameConstant && seed == o.seed && copyOf == o.copyOf;
    }
};

} // namespace cs
