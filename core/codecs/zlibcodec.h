#pragma once

#include "chunkcodec.h"

namespace cs {

// Which wrapper around the deflate data: zlib's (RFC 1950), as numcodecs' Zlib and HDF5's deflate filter
// write it, or gzip's (RFC 1952), as numcodecs' GZip and Zarr v3's gzip codec write it.
enum class ZlibContainer { Zlib, Gzip };

// Deflate streams in a zlib or gzip container.
class ZlibCodec final : public ChunkCodec {
public:
    explicit ZlibCodec(int level, ZlibContainer container = ZlibContainer::Zlib);
    size_t maxEncodedSize(size_t n) const override;
    size_t encode(const void *in, size_t n, void *out, size_t cap) const override;
    size_t decode(const void *in, size_t n, void *out, size_t cap) const override;
    QString describe() const override;

private:
    QString name() const; // "zlib" or "gzip", in messages
    int m_level;
    ZlibContainer m_container;
};

} // namespace cs
