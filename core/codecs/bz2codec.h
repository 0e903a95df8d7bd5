#pragma once

#include "chunkcodec.h"

namespace cs {

// bzip2 streams (Debian's libbz2), as numcodecs' BZ2 writes them with Python's bz2 module: one stream
// with blocks of level × 100 kB. Decoding accepts concatenated streams, as Python's bz2.decompress does.
class Bz2Codec final : public ChunkCodec {
public:
    explicit Bz2Codec(int level = 1);
    size_t maxEncodedSize(size_t n) const override;
    size_t encode(const void *in, size_t n, void *out, size_t cap) const override;
    size_t decode(const void *in, size_t n, void *out, size_t cap) const override;
    QString describe() const override;

private:
    int m_level;
};

} // namespace cs
