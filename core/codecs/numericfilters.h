#pragma once

#include "array/dtype.h"
#include "chunkcodec.h"

namespace cs {

// numcodecs' filters that compute on a chunk's numbers, each doing what numcodecs 0.11 does with
// NumPy 1.24 so the stored bytes are the same: the arithmetic happens in the type NumPy would pick, and
// casts follow NumPy's astype (floats to integers truncate toward zero; integers wrap). A chunk is
// read as a flat run of `dtype` items; the encoded side holds as many `astype` items, so a step whose
// types differ in size changes the chunk's byte size (maxEncodedSize says by how much).
// Supported types: bool (AsType only), signed and unsigned integers, float32 and float64, either
// byte order. Casts of values outside the target's range (NaN to an integer, 300 to uint8 from a float)
// are not guaranteed to match NumPy, whose result there is the C compiler's.
class NumericFilter : public ChunkCodec {
public:
    CodecKind kind() const override { return CodecKind::ArrayToArray; }
    size_t maxEncodedSize(size_t n) const override;

protected:
    // from is the decoded side's item type, to the encoded side's; name is the numcodecs id, in messages.
    NumericFilter(const char *name, DType from, DType to);
    // The number of whole items in n bytes of `type`; throws when n is not a whole number of them.
    size_t items(size_t n, const DType &type) const;
    // Throws when count items of `type` do not fit in cap bytes.
    void checkFits(size_t count, const DType &type, size_t cap) const;
    QString typesText() const; // "dtype='<i4'" or "dtype='<i4', astype='<i2'"
    // Reads n bytes of `from` items and writes each as a `to` item into out (capacity cap), through the
    // functor makeOp(Tag<From>, Tag<To>) returns for the two C++ types; returns the bytes written.
    template <typename MakeOp>
    size_t mapItems(const DType &from, const DType &to, const void *in, size_t n, void *out, size_t cap,
                    MakeOp makeOp) const;

    const char *m_name;
    DType m_dtype;
    DType m_astype;
};

// numcodecs.Delta(dtype, astype): the first item, then each item minus the one before (in dtype),
// stored as astype; decoding sums the items back up in dtype.
class DeltaFilter final : public NumericFilter {
public:
    DeltaFilter(DType dtype, DType astype);
    size_t encode(const void *in, size_t n, void *out, size_t cap) const override;
    size_t decode(const void *in, size_t n, void *out, size_t cap) const override;
    QString describe() const override;
};

// numcodecs.FixedScaleOffset(offset, scale, dtype, astype): round((x - offset) * scale) stored as astype;
// decoding gives y / scale + offset. Float32 data computes in float32, everything else in float64.
class FixedScaleOffsetFilter final : public NumericFilter {
public:
    FixedScaleOffsetFilter(double offset, double scale, DType dtype, DType astype);
    size_t encode(const void *in, size_t n, void *out, size_t cap) const override;
    size_t decode(const void *in, size_t n, void *out, size_t cap) const override;
    QString describe() const override;

private:
    double m_offset;
    double m_scale;
};

// numcodecs.Quantize(digits, dtype, astype): floats rounded to a power-of-two step at least as fine as
// 10^-digits, so the compressor after it finds long runs of zero bits. Lossy; decoding only casts back.
class QuantizeFilter final : public NumericFilter {
public:
    QuantizeFilter(int digits, DType dtype, DType astype);
    size_t encode(const void *in, size_t n, void *out, size_t cap) const override;
    size_t decode(const void *in, size_t n, void *out, size_t cap) const override;
    QString describe() const override;

private:
    int m_digits;
    double m_scale;
};

// numcodecs.AsType(encode_dtype, decode_dtype): the chunk's items cast to encode_dtype, and back.
class AsTypeFilter final : public NumericFilter {
public:
    AsTypeFilter(DType encodeDtype, DType decodeDtype);
    size_t encode(const void *in, size_t n, void *out, size_t cap) const override;
    size_t decode(const void *in, size_t n, void *out, size_t cap) const override;
    QString describe() const override;
};

} // namespace cs
