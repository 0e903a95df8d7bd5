#pragma once

#include "chunkcodec.h"

namespace cs {

// numcodecs' LZ4 (Debian's liblz4): the decoded size as 4 little-endian bytes, then one LZ4 block
// compressed with LZ4_compress_fast at the given acceleration (1 is LZ4's default; larger is faster and
// compresses less). Decoding refuses a header that announces more than the chunk's size before touching
// the block, so a lying header cannot make anyone allocate for it.
class Lz4Codec final : public ChunkCodec {
public:
    explicit Lz4Codec(int acceleration = 1);
    size_t maxEncodedSize(size_t n) const override;
    size_t encode(const void *in, size_t n, void *out, size_t cap) const override;
    size_t decode(const void *in, size_t n, void *out, size_t cap) const override;
    QString describe() const override;

private:
    int m_acceleration;
};

} // namespace cs
