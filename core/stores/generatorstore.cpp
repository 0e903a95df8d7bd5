#include "generatorstore.h"

#include "task/taskcontext.h"

#include <algorithm>
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

// Stores v converted to the dtype, little-endian; wraps modulo 2^bits for integers as NumPy's
// arange does with a small dtype.
void storeNumber(const DType &dt, double asDouble, int64_t asInt, bool useInt, unsigned char *out)
{
    switch (dt.kind()) {
    case DType::Kind::Bool:
        out[0] = useInt ? (asInt != 0) : (asDouble != 0);
        return;
    case DType::Kind::Int:
    case DType::Kind::UInt: {
        const uint64_t bits = useInt ? uint64_t(asInt) : uint64_t(int64_t(asDouble));
        std::memcpy(out, &bits, size_t(dt.itemsize())); // little-endian host: the low bytes
        return;
    }
    case DType::Kind::Float:
        if (dt.itemsize() == 4) {
            const float f = useInt ? float(asInt) : float(asDouble);
            std::memcpy(out, &f, 4);
        } else {
            const double d = useInt ? double(asInt) : asDouble;
            std::memcpy(out, &d, 8);
        }
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
    case FillSpec::Kind::Random: {
        const uint64_t r = splitmix64(m_fill.seed ^ splitmix64(uint64_t(index)));
        if (dt.kind() == DType::Kind::Float)
            storeNumber(dt, double(r >> 11) * 0x1.0p-53, 0, false, out); // uniform in [0, 1)
        else if (dt.kind() == DType::Kind::Bool)
            out[0] = r & 1;
        else
            std::memcpy(out, &r, size_t(dt.itemsize()));
        break;
    }
    default:
        std::memset(out, 0, size_t(dt.itemsize()));
        break;
    }
    if (dt.needsSwap())
        std::reverse(out, out + dt.itemsize());
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
        unsigned char v[8];
        valueAt(0, v);
        for (int64_t i = 0; i < n; ++i)
            std::memcpy(dst + i * item, v, size_t(item));
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
