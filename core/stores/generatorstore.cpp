#include "generatorstore.h"

#include "array/float16.h"
#include "task/taskcontext.h"

#include <algorithm>
#include <cstdio>
#include <cstring>

namespace cs {

namespace {

uint64_t splitmix64(uint64_t x)
{
    x += 0x9E3779B97F4A7C15ull;
    x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ull;
    x = (x ^ (x >> 27)) * 0x94D049BB133111EBull;
    return x ^ (x >> 31);
}

// Writes the decimal text of an integer into a string item, cut to the item and padded with NULs,
// as NumPy's arange(n).astype("S4") or astype("U4") writes it. Characters are bytes or UCS-4.
void storeText(const DType &dt, int64_t value, unsigned char *out)
{
    char digits[24];
    const int n = std::snprintf(digits, sizeof digits, "%lld", static_cast<long long>(value));
    const int width = dt.swapUnit();
    const int chars = dt.itemsize() / width;
    std::memset(out, 0, size_t(dt.itemsize()));
    for (int i = 0; i < std::min(n, chars); ++i)
        out[i * width] = static_cast<unsigned char>(digits[i]); // the low byte of a little-endian UCS-4 unit
}

// Stores v converted to the dtype, little-endian; wraps modulo 2^bits for integers as NumPy's
// arange does with a small dtype. A complex gets v as its real part.
void storeNumber(const DType &dt, double asDouble, int64_t asInt, bool useInt, unsigned char *out)
{
    switch (dt.kind()) {
    case DType::Kind::Bool:
        out[0] = useInt ? (asInt != 0) : (asDouble != 0);
        return;
    case DType::Kind::Int:
    case DType::Kind::UInt:
    case DType::Kind::Datetime:
    case DType::Kind::Timedelta: {
        const uint64_t bits = useInt ? uint64_t(asInt) : uint64_t(int64_t(asDouble));
        std::memcpy(out, &bits, size_t(dt.itemsize())); // little-endian host: the low bytes
        return;
    }
    case DType::Kind::Float:
        writeFloat(useInt ? double(asInt) : asDouble, dt.itemsize(), out);
        return;
    case DType::Kind::Complex:
        writeFloat(useInt ? double(asInt) : asDouble, dt.itemsize() / 2, out);
        writeFloat(0, dt.itemsize() / 2, out + dt.itemsize() / 2);
        return;
    case DType::Kind::Bytes:
    case DType::Kind::Unicode:
        storeText(dt, useInt ? asInt : int64_t(asDouble), out);
        return;
    }
}

// Random items: uniform in [0, 1) for floats (both parts of a complex), lower-case letters for
// unicode, any bits for the rest.
void storeRandom(const DType &dt, uint64_t r, unsigned char *out)
{
    const int size = dt.itemsize();
    switch (dt.kind()) {
    case DType::Kind::Float:
        writeFloat(double(r >> 11) * 0x1.0p-53, size, out);
        return;
    case DType::Kind::Complex:
        writeFloat(double(r >> 11) * 0x1.0p-53, size / 2, out);
        writeFloat(double(splitmix64(r) >> 11) * 0x1.0p-53, size / 2, out + size / 2);
        return;
    case DType::Kind::Bool:
        out[0] = r & 1;
        return;
    case DType::Kind::Unicode:
        for (int i = 0; i < size; i += 4, r = splitmix64(r)) {
            const uint32_t letter = 'a' + uint32_t(r % 26);
            std::memcpy(out + i, &letter, 4);
        }
        return;
    case DType::Kind::Int:
    case DType::Kind::UInt:
    case DType::Kind::Datetime:
    case DType::Kind::Timedelta:
    case DType::Kind::Bytes:
        for (int i = 0; i < size; i += 8, r = splitmix64(r))
            std::memcpy(out + i, &r, size_t(std::min(8, size - i)));
        return;
    }
}

} // namespace

GeneratorStore::GeneratorStore(const FillSpec &fill, DType dtype, Coords shape, Coords chunks)
    : Store(QStringLiteral("fill"), dtype, shape, chunks)
    , m_fill(fill)
{
}

void GeneratorStore::valueAt(int64_t index, unsigned char *out) const
{
    const DType &dt = dtype();
    switch (m_fill.kind) {
    case FillSpec::Kind::Arange:
        storeNumber(dt, 0, index, true, out);
        break;
    case FillSpec::Kind::Constant:
        storeNumber(dt, m_fill.constant, 0, false, out);
        break;
    case FillSpec::Kind::Random:
        storeRandom(dt, splitmix64(m_fill.seed ^ splitmix64(uint64_t(index))), out);
        break;
    default:
        std::memset(out, 0, size_t(dt.itemsize()));
        break;
    }
    if (dt.needsSwap())
        for (int unit = dt.swapUnit(), i = 0; i < dt.itemsize(); i += unit)
            std::reverse(out + i, out + i + unit);
}

void GeneratorStore::read(const Region &region, void *out, TaskContext &ctx)
{
    PhaseTimer t(ctx, Phase::Read);
    const Coords rshape = region.shape();
    const int64_t n = rshape.product();
    auto *dst = static_cast<unsigned char *>(out);
    const int item = dtype().itemsize();
    if (m_fill.kind == FillSpec::Kind::Zeros || m_fill.kind == FillSpec::Kind::Empty) {
        std::memset(dst, 0, size_t(n * item));
        return;
    }
    if (m_fill.kind == FillSpec::Kind::Constant) {
        if (n > 0)
            valueAt(0, dst);
        for (int64_t i = 1; i < n; ++i)
            std::memcpy(dst + i * item, dst, size_t(item));
        return;
    }
    // Walk the region in C order, tracking the flat index in the whole array; the innermost
    // dimension is a run of consecutive indices.
    const Coords &s = shape();
    const int rank = region.rank();
    Coords idx = region.start;
    const int64_t inner = rshape[rank - 1];
    int64_t written = 0;
    while (written < n) {
        int64_t flat = 0;
        for (int i = 0; i < rank; ++i)
            flat = flat * s[i] + idx[i];
        for (int64_t k = 0; k < inner; ++k)
            valueAt(flat + k, dst + (written + k) * item);
        written += inner;
        for (int d = rank - 2; d >= 0; --d) {
            if (++idx[d] < region.stop[d])
                break;
            idx[d] = region.start[d];
        }
    }
}

void GeneratorStore::write(const Region &, const void *, TaskContext &)
{
    throw StoreError(QStringLiteral("array %1: a generated fill cannot be written").arg(id()));
}

StoreInfo GeneratorStore::info() const
{
    StoreInfo i = baseInfo();
    i.codec = QStringLiteral("none");
    return i;
}

} // namespace cs
