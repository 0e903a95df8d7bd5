#include "zarrv3datatype.h"

#include "array/float16.h"
#include "stores/zarr/zarrjson.h"
#include "stores/zarr/zarrmetadata.h"

#include <QJsonArray>

#include <charconv>
#include <cmath>
#include <cstring>
#include <limits>

namespace cs {

namespace {

struct NamedType {
    const char *name;
    ZarrV3DataType::Kind kind;
    int itemsize;
};

using K = ZarrV3DataType::Kind;
constexpr NamedType kTypes[] = {
    {"bool", K::Bool, 1},         {"int8", K::Int, 1},
    {"int16", K::Int, 2},         {"int32", K::Int, 4},
    {"int64", K::Int, 8},         {"uint8", K::UInt, 1},
    {"uint16", K::UInt, 2},       {"uint32", K::UInt, 4},
    {"uint64", K::UInt, 8},       {"float16", K::Float, 2},
    {"float32", K::Float, 4},     {"float64", K::Float, 8},
    {"complex64", K::Complex, 8}, {"complex128", K::Complex, 16},
};

QByteArray littleEndian(uint64_t bits, int size)
{
    QByteArray out(size, '\0');
    for (int i = 0; i < size; ++i)
        out[i] = char(bits >> (8 * i));
    return out;
}

// The bits of a float of `size` bytes (2, 4 or 8) for a double.
uint64_t floatBits(double d, int size)
{
    if (size == 2)
        return halfFromDouble(d);
    if (size == 4) {
        const float f = float(d); // round to nearest, ties to even
        uint32_t b;
        std::memcpy(&b, &f, 4);
        return b;
    }
    uint64_t b;
    std::memcpy(&b, &d, 8);
    return b;
}

// One float component: a JSON number, "NaN", "Infinity", "-Infinity" or "0x" and its bits in hex.
bool floatComponent(const QJsonValue &v, int size, QByteArray *json, QByteArray *item)
{
    if (v.isDouble()) {
        const double d = v.toDouble();
        if (!std::isfinite(d))
            return false;
        *item = littleEndian(floatBits(d, size), size);
        *json = pythonFloatRepr(d);
        return true;
    }
    if (!v.isString())
        return false;
    const QString s = v.toString();
    const double inf = std::numeric_limits<double>::infinity();
    if (s == QLatin1String("NaN")) {
        // The spec's NaN: sign 0, the mantissa's top bit alone set.
        const uint64_t bits = size == 2 ? 0x7e00 : size == 4 ? 0x7fc00000 : 0x7ff8000000000000;
        *item = littleEndian(bits, size);
    } else if (s == QLatin1String("Infinity") || s == QLatin1String("-Infinity")) {
        *item = littleEndian(floatBits(s.startsWith(QLatin1Char('-')) ? -inf : inf, size), size);
    } else if (s.startsWith(QLatin1String("0x")) && s.size() > 2 && s.size() <= 2 + 2 * size) {
        const QByteArray digits = s.mid(2).toLatin1();
        uint64_t bits = 0;
        const auto res = std::from_chars(digits.constData(), digits.constData() + digits.size(), bits, 16);
        if (res.ec != std::errc() || res.ptr != digits.constData() + digits.size())
            return false;
        *item = littleEndian(bits, size);
    } else {
        return false;
    }
    *json = '"' + s.toLatin1() + '"';
    return true;
}

} // namespace

std::optional<ZarrV3DataType> ZarrV3DataType::fromName(const QString &name)
{
    for (const NamedType &t : kTypes)
        if (name == QLatin1String(t.name))
            return ZarrV3DataType{t.kind, t.itemsize};
    return std::nullopt;
}

QString ZarrV3DataType::name() const
{
    for (const NamedType &t : kTypes)
        if (t.kind == kind && t.itemsize == itemsize)
            return QLatin1String(t.name);
    return {};
}

std::optional<DType> ZarrV3DataType::toDType() const
{
    switch (kind) {
    case Kind::Bool:
        return DType(DType::Kind::Bool, 1);
    case Kind::Int:
        return DType(DType::Kind::Int, itemsize);
    case Kind::UInt:
        return DType(DType::Kind::UInt, itemsize);
    case Kind::Float:
        return DType(DType::Kind::Float, itemsize);
    case Kind::Complex:
        return DType(DType::Kind::Complex, itemsize);
    }
    return std::nullopt;
}

std::optional<ZarrV3Fill> makeV3Fill(const QJsonValue &value, const QByteArray &rawToken, const ZarrV3DataType &type,
                                     QString *error)
{
    auto invalid = [&](const char *expected) {
        const QString shown
            = value.isDouble() && !rawToken.isEmpty() ? QString::fromLatin1(rawToken) : zarrjson::text(value);
        *error = QStringLiteral("fill_value %1 is not valid for data_type %2 (expected %3)")
                     .arg(shown, type.name(), QLatin1String(expected));
        return std::nullopt;
    };
    ZarrV3Fill fill;
    if (value.isNull()) {
        fill.json = QByteArrayLiteral("null");
        fill.item = QByteArray(type.itemsize, '\0');
        return fill;
    }
    switch (type.kind) {
    case K::Bool:
        if (!value.isBool())
            return invalid("true or false");
        fill.json = value.toBool() ? QByteArrayLiteral("true") : QByteArrayLiteral("false");
        fill.item = QByteArray(1, value.toBool() ? '\1' : '\0');
        return fill;
    case K::Int:
    case K::UInt: {
        const char *expected = "an integer in its range";
        // The file's own text decides: "1.0" and "1e3" are not integers there, and a double
        // cannot tell 2^64-1 from 2^64.
        if (!value.isDouble() || rawToken.isEmpty())
            return invalid(expected);
        const bool negative = rawToken.startsWith('-');
        const char *digits = rawToken.constData() + (negative ? 1 : 0);
        const char *end = rawToken.constData() + rawToken.size();
        uint64_t magnitude = 0;
        const auto res = std::from_chars(digits, end, magnitude);
        if (res.ec != std::errc() || res.ptr != end || digits == end)
            return invalid(expected);
        const int bits = type.itemsize * 8;
        const bool isSigned = type.kind == K::Int;
        const uint64_t limit = isSigned ? (uint64_t(1) << (bits - 1)) - (negative ? 0 : 1)
                                        : (bits == 64 ? ~uint64_t(0) : (uint64_t(1) << bits) - 1);
        if ((negative && !isSigned && magnitude != 0) || magnitude > limit)
            return invalid(expected);
        const uint64_t stored = negative ? uint64_t(0) - magnitude : magnitude;
        fill.item = littleEndian(stored, type.itemsize);
        fill.json = negative && magnitude != 0 ? '-' + QByteArray::number(qulonglong(magnitude))
                                               : QByteArray::number(qulonglong(magnitude));
        return fill;
    }
    case K::Float:
        if (!floatComponent(value, type.itemsize, &fill.json, &fill.item))
            return invalid("a number, \"NaN\", \"Infinity\", \"-Infinity\" or \"0x\" and the value's bits in hex");
        return fill;
    case K::Complex: {
        const char *expected = "a list of two floats, each a number, \"NaN\", \"Infinity\", \"-Infinity\" or \"0x\" "
                               "and its bits in hex";
        if (!value.isArray() || value.toArray().size() != 2)
            return invalid(expected);
        const QJsonArray parts = value.toArray();
        QByteArray re, im, reItem, imItem;
        const int half = type.itemsize / 2;
        if (!floatComponent(parts.at(0), half, &re, &reItem) || !floatComponent(parts.at(1), half, &im, &imItem))
            return invalid(expected);
        fill.json = '[' + re + ", " + im + ']';
        fill.item = reItem + imItem;
        return fill;
    }
    }
    return invalid("a value of its type");
}

} // namespace cs
