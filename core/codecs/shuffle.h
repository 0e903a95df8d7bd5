#pragma once

#include "chunkcodec.h"

#include <cstddef>

namespace cs {

// Byte shuffle as blosc and HDF5's shuffle filter define it: byte j of element i goes to
// out[j * n + i] for the n = bytes / typesize whole elements; the bytes % typesize leftover bytes
// are copied unchanged to the end. in and out must not overlap.
void shuffleBytes(const void *in, void *out, size_t bytes, size_t typesize);
void unshuffleBytes(const void *in, void *out, size_t bytes, size_t typesize);

// The byte shuffle as a step of a codec chain: HDF5's shuffle filter, numcodecs' Shuffle.
class ShuffleCodec final : public ChunkCodec {
public:
    explicit ShuffleCodec(size_t typesize)
        : m_typesize(typesize)
    {
    }
    size_t maxEncodedSize(size_t n) const override { return n; }
    size_t encode(const void *in, size_t n, void *out, size_t cap) const override;
    size_t decode(const void *in, size_t n, void *out, size_t cap) const override;
    QString describe() const override;

private:
    size_t m_typesize;
};

} // namespace cs
