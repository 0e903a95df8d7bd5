#pragma once

#include <QString>

#include <cstdint>
#include <optional>

namespace cs {

// A NumPy-style scalar type: kind, item size, byte order and, for datetime64 and timedelta64, the
// unit. Copies move bytes, so the byte order matters only to fills, verification messages and the
// typestr written to files.
class DType {
public:
    // Complex: two floats (real, imaginary). Bytes: NumPy's fixed-width "S", NUL-padded. Unicode:
    // NumPy's fixed-width "U", four bytes (UCS-4) per character. Datetime and Timedelta: an int64
    // count of the unit since the epoch, NaT being INT64_MIN.
    enum class Kind : uint8_t { Bool, Int, UInt, Float, Complex, Bytes, Unicode, Datetime, Timedelta };

    DType() = default;
    // For Unicode, itemsize is in bytes (four per character). unit is one of timeUnits() for
    // Datetime and Timedelta, empty otherwise.
    DType(Kind kind, int itemsize, bool bigEndian = false, const char *unit = nullptr);

    // Parses what numpy.dtype accepts for the supported types: a typestr ("<i4", "i4", ">u2", "|b1",
    // "=f8", "<f2", "<c8", "|S5", ">U3", "<M8[ns]"), a type code ("i", ">h", "?", "e", "D") or a
    // name ("int32", "bool", "float16", "complex64", "datetime64[s]"). Object, void (structured)
    // and unit-less datetime types are refused, saying why. Returns nullopt and sets *error to a
    // user-facing message when the text is not a supported dtype.
    static std::optional<DType> parse(const QString &text, QString *error = nullptr);

    Kind kind() const { return m_kind; }
    int itemsize() const { return m_itemsize; }
    bool isBigEndian() const { return m_bigEndian; }
    // The bytes that swap together when the order changes: a complex's float, a UCS-4 character,
    // 1 for bytes, the whole item otherwise.
    int swapUnit() const;
    // True when the bytes of a value must be swapped to be read on this (little-endian) host.
    bool needsSwap() const { return m_bigEndian && swapUnit() > 1; }
    // "ns", "s", "D", ... for Datetime and Timedelta; empty otherwise.
    QString unit() const;
    // A string type: Bytes or Unicode.
    bool isText() const { return m_kind == Kind::Bytes || m_kind == Kind::Unicode; }
    // Bool, Int, UInt or Float: a number NumPy converts to and from the others by value.
    bool isReal() const { return m_kind <= Kind::Float; }

    // The NumPy typestr: '|' for one-byte types and bytes, '<' or '>' otherwise ("<i4", "|b1",
    // "|S5", "<U3", "<M8[ns]").
    QString typestr() const;
    // The NumPy name ("int32", "bool", "float16", "complex64", "bytes40", "str96", "datetime64[ns]").
    QString name() const;

    // The units NumPy's datetime64 and timedelta64 take, coarsest first.
    static const char *const *timeUnits(int *count);

    bool operator==(const DType &other) const;
    bool operator!=(const DType &other) const { return !(*this == other); }

private:
    Kind m_kind = Kind::UInt;
    int m_itemsize = 1;
    bool m_bigEndian = false;
    int8_t m_unit = -1; // index in timeUnits()
};

} // namespace cs
