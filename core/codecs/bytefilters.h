#pragma once

#include "chunkcodec.h"

namespace cs {

// numcodecs.PackBits(): a bool chunk packed eight items to a byte, first item in the highest bit, after
// one byte that says how many padding bits the last byte has. Any non-zero byte counts as true, as
// NumPy's view as bool does; decoding gives 0 and 1 bytes.
class PackBitsFilter final : public ChunkCodec {
public:
    CodecKind kind() const override { return CodecKind::ArrayToArray; }
    size_t maxEncodedSize(size_t n) const override { return 1 + (n + 7) / 8; }
    size_t encode(const void *in, size_t n, void *out, size_t cap) const override;
    size_t decode(const void *in, size_t n, void *out, size_t cap) const override;
    QString describe() const override { return QStringLiteral("packbits"); }
};

// numcodecs.Shuffle(elementsize): the same byte layout as ShuffleCodec (blosc's and HDF5's shuffle),
// but numcodecs refuses a chunk that is not a whole number of elements, so this step does too rather
// than writing bytes numcodecs would not read back.
class ElementShuffleFilter final : public ChunkCodec {
public:
    explicit ElementShuffleFilter(size_t elementsize);
    size_t maxEncodedSize(size_t n) const override { return n; }
    size_t encode(const void *in, size_t n, void *out, size_t cap) const override;
    size_t decode(const void *in, size_t n, void *out, size_t cap) const override;
    QString describe() const override;

private:
    void check(size_t n, size_t cap) const;
    size_t m_elementsize;
};

} // namespace cs
