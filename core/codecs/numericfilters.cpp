#include "numericfilters.h"

#include <cmath>
#include <cstdint>
#include <cstring>
#include <limits>
#include <type_traits>

namespace cs {

namespace {

template <typename T> struct Tag {
    using type = T;
};

// Calls f(Tag<T>) with the C++ type of a supported dtype.
template <typename F> void visitType(const DType &t, const char *filter, F &&f)
{
    const int size = t.itemsize();
    switch (t.kind()) {
    case DType::Kind::Bool:
        return f(Tag<bool>());
    case DType::Kind::Int:
        if (size == 1)
            return f(Tag<int8_t>());
        if (size == 2)
            return f(Tag<int16_t>());
        if (size == 4)
            return f(Tag<int32_t>());
        return f(Tag<int64_t>());
    case DType::Kind::UInt:
        if (size == 1)
            return f(Tag<uint8_t>());
        if (size == 2)
            return f(Tag<uint16_t>());
        if (size == 4)
            return f(Tag<uint32_t>());
        return f(Tag<uint64_t>());
    case DType::Kind::Float:
        if (size == 4)
            return f(Tag<float>());
        if (size == 8)
            return f(Tag<double>());
        break;
    case DType::Kind::Complex:
    case DType::Kind::Bytes:
    case DType::Kind::Unicode:
    case DType::Kind::Datetime:
    case DType::Kind::Timedelta:
        break;
    }
    throw CodecError(QStringLiteral("%1 does not support dtype '%2'").arg(QLatin1String(filter), t.typestr()));
}

template <typename T> T load(const uint8_t *p, bool swap)
{
    uint8_t bytes[sizeof(T)];
    std::memcpy(bytes, p, sizeof(T));
    if (swap)
        for (size_t i = 0; i < sizeof(T) / 2; ++i)
            std::swap(bytes[i], bytes[sizeof(T) - 1 - i]);
    T v;
    std::memcpy(&v, bytes, sizeof(T));
    return v;
}

template <typename T> void store(uint8_t *p, T v, bool swap)
{
    uint8_t bytes[sizeof(T)];
    std::memcpy(bytes, &v, sizeof(T));
    if (swap)
        for (size_t i = 0; i < sizeof(T) / 2; ++i)
            std::swap(bytes[i], bytes[sizeof(T) - 1 - i]);
    std::memcpy(p, bytes, sizeof(T));
}

// NumPy's astype between two scalar types, without C++'s undefined behaviour: integers wrap, floats
// truncate toward zero, anything to bool is "not zero". A float outside the integer's range becomes
// the smallest value of the 64- or 32-bit integer that x86 compilers convert through.
template <typename To, typename From> To cast(From v)
{
    if constexpr (std::is_same_v<To, bool>) {
        return v != From(0);
    } else if constexpr (std::is_same_v<From, bool>) {
        return To(v ? 1 : 0);
    } else if constexpr (std::is_floating_point_v<From> && std::is_integral_v<To>) {
        if constexpr (sizeof(To) == 8) {
            using Wide = std::conditional_t<std::is_signed_v<To>, int64_t, uint64_t>;
            const double lo = std::is_signed_v<To> ? -9223372036854775808.0 : 0.0;
            const double hi = std::is_signed_v<To> ? 9223372036854775808.0 : 18446744073709551616.0;
            if (!(double(v) >= lo && double(v) < hi))
                return To(uint64_t(1) << 63);
            return To(Wide(v));
        } else {
            if (!(double(v) >= -9223372036854775808.0 && double(v) < 9223372036854775808.0))
                return To(0);
            return To(uint64_t(int64_t(v)));
        }
    } else if constexpr (std::is_integral_v<From> && std::is_integral_v<To>) {
        return To(std::make_unsigned_t<To>(v));
    } else {
        return To(v);
    }
}

// Subtraction and addition that wrap for integers, as NumPy's do. (Bool never reaches them: the
// filters that compute refuse it, as NumPy's arithmetic does.)
template <typename T> T minus(T a, T b)
{
    if constexpr (std::is_same_v<T, bool>)
        return a != b;
    else if constexpr (std::is_integral_v<T>)
        return T(std::make_unsigned_t<T>(a) - std::make_unsigned_t<T>(b));
    else
        return a - b;
}

template <typename T> T plus(T a, T b)
{
    if constexpr (std::is_same_v<T, bool>)
        return a || b;
    else if constexpr (std::is_integral_v<T>)
        return T(std::make_unsigned_t<T>(a) + std::make_unsigned_t<T>(b));
    else
        return a + b;
}

void requireNumber(const DType &t, const char *filter)
{
    if (t.kind() == DType::Kind::Bool)
        throw CodecError(QStringLiteral("%1 does not support dtype '%2'").arg(QLatin1String(filter), t.typestr()));
}

void requireFloat(const DType &t, const char *filter)
{
    if (t.kind() != DType::Kind::Float)
        throw CodecError(
            QStringLiteral("%1 supports only floating point dtypes, not '%2'").arg(QLatin1String(filter), t.typestr()));
}

// Runs f(Tag<From>, Tag<To>) after checking both types are supported.
template <typename F> void visitPair(const DType &from, const DType &to, const char *filter, F &&f)
{
    visitType(from, filter, [&](auto a) { visitType(to, filter, [&](auto b) { f(a, b); }); });
}

} // namespace

NumericFilter::NumericFilter(const char *name, DType from, DType to)
    : m_name(name)
    , m_dtype(from)
    , m_astype(to)
{
    visitPair(from, to, name, [](auto, auto) {});
}

size_t NumericFilter::maxEncodedSize(size_t n) const
{
    const size_t d = size_t(m_dtype.itemsize());
    return (n + d - 1) / d * size_t(m_astype.itemsize());
}

size_t NumericFilter::items(size_t n, const DType &type) const
{
    const size_t size = size_t(type.itemsize());
    if (n % size != 0)
        throw CodecError(QStringLiteral("%1: a chunk of %2 bytes is not a whole number of '%3' items")
                             .arg(QLatin1String(m_name))
                             .arg(qulonglong(n))
                             .arg(type.typestr()));
    return n / size;
}

void NumericFilter::checkFits(size_t count, const DType &type, size_t cap) const
{
    const size_t bytes = count * size_t(type.itemsize());
    if (bytes > cap)
        throw CodecError(QStringLiteral("%1: the chunk decodes to %2 bytes, more than %3")
                             .arg(QLatin1String(m_name))
                             .arg(qulonglong(bytes))
                             .arg(qulonglong(cap)));
}

QString NumericFilter::typesText() const
{
    QString text = QStringLiteral("dtype='%1'").arg(m_dtype.typestr());
    if (m_astype != m_dtype)
        text += QStringLiteral(", astype='%1'").arg(m_astype.typestr());
    return text;
}

template <typename MakeOp>
size_t NumericFilter::mapItems(const DType &from, const DType &to, const void *in, size_t n, void *out, size_t cap,
                               MakeOp makeOp) const
{
    const size_t count = items(n, from);
    checkFits(count, to, cap);
    const auto *src = static_cast<const uint8_t *>(in);
    auto *dst = static_cast<uint8_t *>(out);
    const bool swapIn = from.needsSwap(), swapOut = to.needsSwap();
    visitPair(from, to, m_name, [&](auto f, auto t) {
        using F = typename decltype(f)::type;
        using T = typename decltype(t)::type;
        auto op = makeOp(f, t);
        for (size_t i = 0; i < count; ++i)
            store<T>(dst + i * sizeof(T), op(load<F>(src + i * sizeof(F), swapIn)), swapOut);
    });
    return count * size_t(to.itemsize());
}

namespace {

// Items cast from one type to the other, nothing else: AsType both ways, Quantize's decoding.
template <typename F, typename T> auto castOp(Tag<F>, Tag<T>)
{
    return [](F v) { return cast<T>(v); };
}

} // namespace

DeltaFilter::DeltaFilter(DType dtype, DType astype)
    : NumericFilter("delta", dtype, astype)
{
    requireNumber(dtype, m_name);
    requireNumber(astype, m_name);
}

size_t DeltaFilter::encode(const void *in, size_t n, void *out, size_t cap) const
{
    return mapItems(m_dtype, m_astype, in, n, out, cap, [](auto t, auto a) {
        using T = typename decltype(t)::type;
        using A = typename decltype(a)::type;
        return [previous = T(0), first = true](T v) mutable {
            const A d = cast<A>(first ? v : minus(v, previous));
            previous = v;
            first = false;
            return d;
        };
    });
}

size_t DeltaFilter::decode(const void *in, size_t n, void *out, size_t cap) const
{
    // np.cumsum(enc, out=dec) accumulates in dec's type.
    return mapItems(m_astype, m_dtype, in, n, out, cap, [](auto a, auto t) {
        using A = typename decltype(a)::type;
        using T = typename decltype(t)::type;
        // The first item is copied, not added to zero, so a -0.0 stays -0.0 as in NumPy.
        return [sum = T(0), first = true](A v) mutable {
            sum = first ? cast<T>(v) : plus(sum, cast<T>(v));
            first = false;
            return sum;
        };
    });
}

QString DeltaFilter::describe() const
{
    return QStringLiteral("delta(%1)").arg(typesText());
}

FixedScaleOffsetFilter::FixedScaleOffsetFilter(double offset, double scale, DType dtype, DType astype)
    : NumericFilter("fixedscaleoffset", dtype, astype)
    , m_offset(offset)
    , m_scale(scale)
{
    requireNumber(dtype, m_name);
    requireNumber(astype, m_name);
}

size_t FixedScaleOffsetFilter::encode(const void *in, size_t n, void *out, size_t cap) const
{
    return mapItems(m_dtype, m_astype, in, n, out, cap, [this](auto t, auto a) {
        using T = typename decltype(t)::type;
        using A = typename decltype(a)::type;
        // A float32 array minus a Python float stays float32 in NumPy 1.24; integers go to float64.
        using P = std::conditional_t<std::is_same_v<T, float>, float, double>;
        // np.around rounds halves to even, as nearbyint does in the default rounding mode.
        return [offset = P(m_offset), scale = P(m_scale)](T v) {
            return cast<A>(std::nearbyint(P((P(v) - offset) * scale)));
        };
    });
}

size_t FixedScaleOffsetFilter::decode(const void *in, size_t n, void *out, size_t cap) const
{
    return mapItems(m_astype, m_dtype, in, n, out, cap, [this](auto a, auto t) {
        using A = typename decltype(a)::type;
        using T = typename decltype(t)::type;
        // Integers divided by a Python number give float64; float32 stays float32.
        using P = std::conditional_t<std::is_same_v<A, float>, float, double>;
        return [offset = P(m_offset), scale = P(m_scale)](A v) { return cast<T>(P(P(P(v) / scale) + offset)); };
    });
}

QString FixedScaleOffsetFilter::describe() const
{
    return QStringLiteral("fixedscaleoffset(offset=%1, scale=%2, %3)").arg(m_offset).arg(m_scale).arg(typesText());
}

QuantizeFilter::QuantizeFilter(int digits, DType dtype, DType astype)
    : NumericFilter("quantize", dtype, astype)
    , m_digits(digits)
{
    requireFloat(dtype, m_name);
    requireFloat(astype, m_name);
    // numcodecs' own steps: Python's math.log(x, b) is log(x) / log(b), which is not always log10(x).
    const double precision = std::pow(10.0, -double(digits));
    double exponent = std::log(precision) / std::log(10.0);
    exponent = exponent < 0 ? std::floor(exponent) : std::ceil(exponent);
    const double bits = std::ceil(std::log(std::pow(10.0, -exponent)) / std::log(2.0));
    m_scale = std::pow(2.0, bits);
}

size_t QuantizeFilter::encode(const void *in, size_t n, void *out, size_t cap) const
{
    return mapItems(m_dtype, m_astype, in, n, out, cap, [this](auto t, auto a) {
        using T = typename decltype(t)::type;
        using A = typename decltype(a)::type;
        return [scale = T(m_scale)](T v) { return cast<A>(T(std::nearbyint(T(scale * v)) / scale)); };
    });
}

size_t QuantizeFilter::decode(const void *in, size_t n, void *out, size_t cap) const
{
    return mapItems(m_astype, m_dtype, in, n, out, cap, [](auto a, auto t) { return castOp(a, t); });
}

QString QuantizeFilter::describe() const
{
    return QStringLiteral("quantize(digits=%1, %2)").arg(m_digits).arg(typesText());
}

AsTypeFilter::AsTypeFilter(DType encodeDtype, DType decodeDtype)
    : NumericFilter("astype", decodeDtype, encodeDtype)
{
}

size_t AsTypeFilter::encode(const void *in, size_t n, void *out, size_t cap) const
{
    return mapItems(m_dtype, m_astype, in, n, out, cap, [](auto t, auto a) { return castOp(t, a); });
}

size_t AsTypeFilter::decode(const void *in, size_t n, void *out, size_t cap) const
{
    return mapItems(m_astype, m_dtype, in, n, out, cap, [](auto a, auto t) { return castOp(a, t); });
}

QString AsTypeFilter::describe() const
{
    return QStringLiteral("astype(encode_dtype='%1', decode_dtype='%2')").arg(m_astype.typestr(), m_dtype.typestr());
}

} // namespace cs
