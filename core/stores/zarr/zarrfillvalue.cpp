#include "zarrfillvalue.h"

#include "array/float16.h"
#include "stores/zarr/zarrjson.h"
#include "stores/zarr/zarrmetadata.h"
#include "stores/zarr/zarrpythonjson.h"

#include <QJsonArray>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <limits>

namespace cs {

namespace {

using zarrjson::toInt64;
constexpr auto jsonText = &zarrjson::text;

// Writes the little-endian bytes of a value, `size` of them, in the dtype's byte order.
QByteArray unitBytes(const void *littleEndian, int size, const DType &dtype)
{
    QByteArray item(static_cast<const char *>(littleEndian), size);
    if (dtype.isBigEndian())
        std::reverse(item.begin(), item.end());
    return item;
}

// A float as zarr reads one: a number, a bool, "NaN", "Infinity" or "-Infinity".
bool readFloat(const QJsonValue &v, double *d)
{
    if (v.isDouble())
        *d = v.toDouble();
    else if (v.isBool())
        *d = v.toBool() ? 1 : 0;
    else if (v.isString() && v.toString() == QLatin1String("NaN"))
        *d = std::numeric_limits<double>::quiet_NaN();
    else if (v.isString() && v.toString() == QLatin1String("Infinity"))
        *d = std::numeric_limits<double>::infinity();
    else if (v.isString() && v.toString() == QLatin1String("-Infinity"))
        *d = -std::numeric_limits<double>::infinity();
    else
        return false;
    return true;
}

// A float of `size` bytes (2, 4 or 8) nearest to d: its bytes in the dtype's order, and the value
// it holds, which is what zarr writes back.
double roundFloat(double d, int size, const DType &dtype, QByteArray *item)
{
    char bytes[8];
    writeFloat(d, size, bytes);
    *item += unitBytes(bytes, size, dtype);
    if (size == 2) {
        uint16_t h;
        std::memcpy(&h, bytes, 2);
        return halfToDouble(h);
    }
    return size == 4 ? double(float(d)) : d;
}

QByteArray floatJson(double d)
{
    if (std::isnan(d))
        return QByteArrayLiteral("\"NaN\"");
    if (std::isinf(d))
        return d > 0 ? QByteArrayLiteral("\"Infinity\"") : QByteArrayLiteral("\"-Infinity\"");
    return pythonFloatRepr(d);
}

bool isZero(const QJsonValue &v)
{
    return v.isDouble() && v.toDouble() == 0;
}

} // namespace

bool zarrFillValue(const QJsonValue &v, const DType &dtype, const QByteArray &rawToken, QByteArray *json,
                   QByteArray *item, QString *error)
{
    const int size = dtype.itemsize();
    auto invalid = [&](const QString &why) {
        *error = QStringLiteral("fill_value %1 is not valid for dtype %2%3").arg(jsonText(v), dtype.typestr(), why);
        return false;
    };
    item->clear();
    if (v.isNull()) {
        *json = QByteArrayLiteral("null");
        *item = QByteArray(size, '\0');
        return true;
    }
    // zarr's normalize_fill_value turns any zero into the dtype's zero: 0.0 for -0.0, b"" and "" for
    // strings.
    if (isZero(v) && !dtype.isReal()) {
        *item = QByteArray(size, '\0');
        switch (dtype.kind()) {
        case DType::Kind::Complex:
            *json = QByteArrayLiteral("[\n        0.0,\n        0.0\n    ]");
            return true;
        case DType::Kind::Bytes:
        case DType::Kind::Unicode:
            *json = QByteArrayLiteral("\"\"");
            return true;
        default:
            *json = QByteArrayLiteral("0");
            return true;
        }
    }
    switch (dtype.kind()) {
    case DType::Kind::Bool: {
        bool b;
        if (v.isBool())
            b = v.toBool();
        else if (v.isDouble() && !std::isnan(v.toDouble()))
            b = v.toDouble() != 0;
        else
            return invalid({});
        *json = b ? QByteArrayLiteral("true") : QByteArrayLiteral("false");
        *item = QByteArray(1, b ? '\1' : '\0');
        return true;
    }
    case DType::Kind::Float: {
        double d;
        if (!readFloat(v, &d))
            return invalid(QStringLiteral(" (expected a number, \"NaN\", \"Infinity\", \"-Infinity\" or null)"));
        if (d == 0)
            d = 0;
        *json = floatJson(roundFloat(d, size, dtype, item));
        return true;
    }
    case DType::Kind::Complex: {
        // A number is the real part, as numpy.complex64(1.5) is 1.5+0j.
        double re = 0, im = 0;
        const QJsonArray parts = v.toArray();
        if (v.isArray() ? parts.size() != 2 || !readFloat(parts.at(0), &re) || !readFloat(parts.at(1), &im)
                        : !readFloat(v, &re))
            return invalid(QStringLiteral(" (expected [real, imaginary], each a number, \"NaN\", \"Infinity\" or "
                                          "\"-Infinity\")"));
        // zarr decodes [re, im] as re + 1j * im in Python, whose real part is re + 0.0 * im: NaN when
        // im is NaN or infinite. The bytes are what zarr reads back, and the text is written from them.
        re += 0.0 * im;
        const double r = roundFloat(re, size / 2, dtype, item);
        const double i = roundFloat(im, size / 2, dtype, item);
        *json = "[\n        " + floatJson(r) + ",\n        " + floatJson(i) + "\n    ]";
        return true;
    }
    case DType::Kind::Bytes: {
        if (!v.isString())
            return invalid(QStringLiteral(" (expected the bytes in base64)"));
        const auto decoded
            = QByteArray::fromBase64Encoding(v.toString().toLatin1(), QByteArray::AbortOnBase64DecodingErrors);
        if (!decoded || v.toString().size() % 4 != 0)
            return invalid(QStringLiteral(" (expected the bytes in base64)"));
        // NumPy cuts a longer value to the item and pads a shorter one with NULs; a bytes scalar
        // drops its trailing NULs, so zarr writes the base64 of what remains.
        *item = decoded.decoded.left(size);
        item->append(QByteArray(size - int(item->size()), '\0'));
        qsizetype used = item->size();
        while (used > 0 && item->at(used - 1) == '\0')
            --used;
        *json = '"' + item->left(used).toBase64() + '"';
        return true;
    }
    case DType::Kind::Unicode: {
        if (!v.isString())
            return invalid(QStringLiteral(" (expected a string)"));
        // zarr keeps the text as given; NumPy cuts it to the item's characters when it reads it.
        const QList<uint> chars = v.toString().toUcs4();
        for (int c = 0; c < size / 4; ++c) {
            const uint32_t code = c < chars.size() ? chars.at(c) : 0;
            *item += unitBytes(&code, 4, dtype);
        }
        *json = pythonJsonString(v.toString());
        return true;
    }
    case DType::Kind::Datetime:
    case DType::Kind::Timedelta: {
        int64_t i = 0;
        if (!toInt64(v, &i))
            return invalid(
                QStringLiteral(" (expected an integer count of %1, -9223372036854775808 for NaT)").arg(dtype.unit()));
        *item = unitBytes(&i, 8, dtype);
        *json = QByteArray::number(qlonglong(i));
        return true;
    }
    case DType::Kind::Int:
    case DType::Kind::UInt:
        break;
    }
    const bool isSigned = dtype.kind() == DType::Kind::Int;
    const int bits = size * 8;
    int64_t i = 0;
    uint64_t u = 0;
    bool negative = false;
    if (v.isBool()) {
        u = v.toBool() ? 1 : 0;
    } else if (toInt64(v, &i)) {
        negative = i < 0;
        u = negative ? uint64_t(0) - uint64_t(i) : uint64_t(i);
    } else {
        // Beyond int64 only a uint64 can hold it, and only its text in the file holds it exactly.
        bool ok = false;
        u = rawToken.toULongLong(&ok);
        if (!ok || isSigned || bits != 64 || !v.isDouble() || v.toDouble() < 9.2e18)
            return invalid(QStringLiteral(" (expected an integer in the dtype's range)"));
    }
    const uint64_t maxMagnitude = isSigned ? (uint64_t(1) << (bits - 1)) - (negative ? 0 : 1)
                                           : (bits == 64 ? ~uint64_t(0) : (uint64_t(1) << bits) - 1);
    if ((negative && !isSigned) || u > maxMagnitude)
        return invalid(QStringLiteral(" (expected an integer in the dtype's range)"));
    const uint64_t bitsValue = negative ? uint64_t(0) - u : u;
    *item = unitBytes(&bitsValue, size, dtype);
    *json = negative ? QByteArray::number(qlonglong(i)) : QByteArray::number(qulonglong(u));
    return true;
}

} // namespace cs
