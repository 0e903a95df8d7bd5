#pragma once

#include "array/coords.h"
#include "chunkcodec.h"

namespace cs {

// Stores a chunk's items in a permuted axis order, an array→array step: Zarr v2's order "F" (the
// axes reversed) and Zarr v3's transpose codec. Encoding takes a C-order chunk of `shape` and writes
// the C-order array whose axis i is the chunk's axis order[i]; decoding undoes it.
class TransposeCodec final : public ChunkCodec {
public:
    // order must be a permutation of 0 .. shape.rank - 1.
    TransposeCodec(const Coords &shape, size_t itemsize, const Coords &order);
    // The axes reversed: Fortran order.
    static Coords reversedOrder(int rank);

    CodecKind kind() const override { return CodecKind::ArrayToArray; }
    size_t maxEncodedSize(size_t n) const override { return n; }
    size_t encode(const void *in, size_t n, void *out, size_t cap) const override;
    size_t decode(const void *in, size_t n, void *out, size_t cap) const override;
    QString describe() const override;

private:
    void permute(const char *src, char *dst, bool forward) const;

    Coords m_shape;
    size_t m_itemsize;
    Coords m_order;
    Coords m_stride; // per axis of the chunk: its stride, in items, in the permuted array
    size_t m_bytes;
};

} // namespace cs
