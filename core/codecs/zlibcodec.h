#pragma once

#include "chunkcodec.h"

namespace cs {

// zlib streams (RFC 1950, with header), as numcodecs' Zlib and HDF5's deflate filter write them.
class ZlibCodec final : public ChunkCodec {
public:
    explicit ZlibCodec(int level);
    size_t maxEncodedSize(size_t n) const override;
    size_t encode(const void *in, size_t n, void *out, size_t cap) const override;
    size_t decode(const void *in, size_t n, void *out, size_t cap) const override;
    QString describe() const override;

private:
    int m_level;
};

} // namespace cs
