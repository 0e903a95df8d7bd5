#include "float16.h"

#include <cmath>
#include <cstring>

namespace cs {

uint16_t halfFromDouble(double value)
{
    const uint16_t sign = std::signbit(value) ? 0x8000 : 0;
    const double a = std::fabs(value);
    if (std::isnan(value))
        return sign | 0x7e00;
    if (a >= 65520.0)
        return sign | 0x7c00;
    if (a < 0x1.0p-14) {
        // Subnormal: a multiple of 2^-24. Rounding up to 0x400 gives the smallest normal's bits.
        return uint16_t(sign | unsigned(std::nearbyint(a * 0x1.0p24)));
    }
    int e = 0;
    const double f = std::frexp(a, &e); // a = f * 2^e, f in [0.5, 1)
    // The mantissa scaled to ten bits is exact in a double, so rounding it rounds the value; a
    // carry into the exponent (1024) gives the next binade's bits.
    const unsigned mantissa = unsigned(std::nearbyint((2 * f - 1) * 1024));
    return uint16_t(sign | ((unsigned(e - 1 + 15) << 10) + mantissa));
}

double halfToDouble(uint16_t bits)
{
    const int exponent = (bits >> 10) & 0x1f;
    const int mantissa = bits & 0x3ff;
    double v;
    if (exponent == 0)
        v = std::ldexp(double(mantissa), -24);
    else if (exponent == 31)
        v = mantissa ? std::nan("") : HUGE_VAL;
    else
        v = std::ldexp(double(mantissa + 1024), exponent - 25);
    return (bits & 0x8000) ? -v : v;
}

void writeFloat(double value, int size, void *out)
{
    if (size == 2) {
        const uint16_t h = halfFromDouble(value);
        std::memcpy(out, &h, 2);
    } else if (size == 4) {
        const float f = float(value);
        std::memcpy(out, &f, 4);
    } else {
        std::memcpy(out, &value, 8);
    }
}

} // namespace cs
