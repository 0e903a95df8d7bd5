#pragma once

#include "chunkcodec.h"

namespace cs {

// Zarr v3's crc32c codec: the bytes unchanged, then their CRC-32C as 4 little-endian bytes. Decoding
// checks and strips the checksum; a mismatch is a CodecError naming both values.
class Crc32cCodec final : public ChunkCodec {
public:
    size_t maxEncodedSize(size_t n) const override;
    size_t encode(const void *in, size_t n, void *out, size_t cap) const override;
    size_t decode(const void *in, size_t n, void *out, size_t cap) const override;
    QString describe() const override;

    // Checks the trailing checksum of n encoded bytes without copying them and returns the payload's
    // size (n - 4). Throws CodecError as decode() does.
    static size_t verify(const void *in, size_t n);
};

} // namespace cs
