#pragma once

#include "chunkcodec.h"

namespace cs {

// Zarr v3's bytes codec, the array→bytes step: items serialised in the given byte order. Chunks live in
// memory little-endian, so "little" leaves the bytes as they are and "big" reverses each item.
class BytesCodec final : public ChunkCodec {
public:
    BytesCodec(int itemsize, bool bigEndian);
    CodecKind kind() const override { return CodecKind::ArrayToBytes; }
    size_t maxEncodedSize(size_t n) const override { return n; }
    size_t encode(const void *in, size_t n, void *out, size_t cap) const override;
    size_t decode(const void *in, size_t n, void *out, size_t cap) const override;
    QString describe() const override;
    // Whether the step changes anything: a chain may leave out one that does not.
    bool isIdentity() const { return !m_bigEndian || m_itemsize == 1; }
    bool isBigEndian() const { return m_bigEndian; }

private:
    size_t convert(const void *in, size_t n, void *out, size_t cap) const;
    int m_itemsize;
    bool m_bigEndian;
};

} // namespace cs
