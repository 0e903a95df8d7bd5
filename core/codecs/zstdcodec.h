#pragma once

#include "chunkcodec.h"

namespace cs {

// Zstandard frames (Debian's libzstd), as Zarr v3's zstd codec and numcodecs' Zstd write them: one frame
// with its content size, and a trailing XXH64 checksum when `checksum` is set. Level 0 is zstd's
// default (3); negative levels are its fast modes.
class ZstdCodec final : public ChunkCodec {
public:
    explicit ZstdCodec(int level, bool checksum = false);
    size_t maxEncodedSize(size_t n) const override;
    size_t encode(const void *in, size_t n, void *out, size_t cap) const override;
    size_t decode(const void *in, size_t n, void *out, size_t cap) const override;
    QString describe() const override;

private:
    int m_level;
    bool m_checksum;
};

} // namespace cs
