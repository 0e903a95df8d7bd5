#pragma once

#include <algorithm>
#include <vector>

namespace cs::bench {

// The q-quantile (0..1) by linear interpolation between order statistics.
inline double quantile(std::vector<double> v, double q)
{
    if (v.empty())
        return 0;
    std::sort(v.begin(), v.end());
    const double at = q * double(v.size() - 1);
    const size_t lo = size_t(at);
    const size_t hi = std::min(lo + 1, v.size() - 1);
    return v[lo] + (v[hi] - v[lo]) * (at - double(lo));
}

inline double median(std::vector<double> v)
{
    return quantile(std::move(v), 0.5);
}

} // namespace cs::bench
