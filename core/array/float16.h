#pragma once

#include <cstdint>

namespace cs {

// IEEE 754 binary16 (NumPy's float16), which C++17 has no type for.

// The half nearest to a double, ties to even, as numpy.float16(value) rounds: beyond 65520 it is
// infinity; a NaN becomes the quiet NaN 0x7e00 with the sign kept.
uint16_t halfFromDouble(double value);
// The double a half holds exactly.
double halfToDouble(uint16_t bits);
// Writes value as a float16, float32 or float64 (size 2, 4 or 8) in this host's (little-endian) order.
void writeFloat(double value, int size, void *out);

} // namespace cs
