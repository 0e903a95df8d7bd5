#pragma once

#include "array/dtype.h"

#include <QByteArray>
#include <QJsonValue>
#include <QString>

#include <optional>

namespace cs {

// One of Zarr v3's core data types. v3 types carry no byte order (the `bytes` codec does), so an item
// here is always in the array's in-memory order, little-endian on this host.
struct ZarrV3DataType {
    enum class Kind : uint8_t { Bool, Int, UInt, Float, Complex };
    Kind kind = Kind::UInt;
    int itemsize = 1; // complex64: 8, two float32

    // "bool", "int8" ... "uint64", "float16", "float32", "float64", "complex64", "complex128"; nullopt
    // for anything else (the raw r* types and extension types included).
    static std::optional<ZarrV3DataType> fromName(const QString &name);
    QString name() const;
    // The engine's little-endian DType.
    std::optional<DType> toDType() const;
    bool operator==(const ZarrV3DataType &o) const { return kind == o.kind && itemsize == o.itemsize; }
};

// A fill_value as zarr.json spells it and as one item's bytes.
struct ZarrV3Fill {
    QByteArray json; // normalised spelling: "0", "-3", "true", "1.5", "\"NaN\"", "\"0x7fc00001\"", "[1.0, \"NaN\"]"
    QByteArray item; // itemsize bytes, little-endian
};

// The fill value of a data type from its JSON value, per the v3 core spec's permitted fill values:
// booleans for bool; integers without fraction or exponent, in range, for the integer types (rawToken
// is the number's text in the file, which alone holds a uint64 beyond 2^53 exactly); for the float
// types a number (rounded to nearest, ties to even), "NaN", "Infinity", "-Infinity" or "0x" and the
// value's bits in hex; for complex types a list of two such floats. null, which zarrita writes when no
// fill value is given, reads as zeros and is written back as null. Sets *error and returns nullopt when
// the value is not permitted.
std::optional<ZarrV3Fill> makeV3Fill(const QJsonValue &value, const QByteArray &rawToken, const ZarrV3DataType &type,
                                     QString *error);

} // namespace cs
