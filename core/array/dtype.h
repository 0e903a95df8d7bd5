#pragma once

#include <QString>

#include <cstdint>
#include <optional>

namespace cs {

// A NumPy-style scalar type: kind, item size and byte order. Copies move bytes, so the
// byte order matters only to fills, verification messages and the typestr written to files.
class DType {
public:
    enum class Kind : uint8_t { Bool, Int, UInt, Float };

    DType() = default;
    DType(Kind kind, int itemsize, bool bigEndian = false);

    // Parses what numpy.dtype accepts for the supported types: a typestr ("<i4", "i4", ">u2", "|b1",
    // "=f8"), a type code ("i", ">h", "?") or a name ("int32", "bool", "double"). float16 is refused.
    // Returns nullopt and sets *error to a user-facing message when the text is not a supported dtype.
    static std::optional<DType> parse(const QString &text, QString *error = nullptr);

    Kind kind() const { return m_kind; }
    int itemsize() const { return m_itemsize; }
    bool isBigEndian() const { return m_bigEndian; }
    // True when the bytes of a value must be swapped to be read on this (little-endian) host.
    bool needsSwap() const { return m_bigEndian && m_itemsize > 1; }

    // The NumPy typestr: '|' for one-byte types, '<' or '>' otherwise ("<i4", "|b1").
    QString typestr() const;
    // The NumPy name ("int32", "bool", "float64").
    QString name() const;

    bool operator==(const DType &other) const;
    bool operator!=(const DType &other) const { return !(*this == other); }

private:
    Kind m_kind = Kind::UInt;
    int m_itemsize = 1;
    bool m_bigEndian = false;
};

} // namespace cs
