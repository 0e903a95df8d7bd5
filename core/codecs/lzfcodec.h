#pragma once

#include "chunkcodec.h"

namespace cs {

// LZF through the system liblzf, as h5py's lzf_filter.c uses it: raw LZF data with no header.
// encode() throws CodecError when the data does not shrink (the caller then stores the chunk raw,
// as HDF5 does for an optional filter).
class LzfCodec final : public ChunkCodec {
public:
    size_t maxEncodedSize(size_t n) const override;
    size_t encode(const void *in, size_t n, void *out, size_t cap) const override;
    size_t tryEncode(const void *in, size_t n, void *out, size_t cap) const override;
    size_t decode(const void *in, size_t n, void *out, size_t cap) const override;
    QString describe() const override;
};

} // namespace cs
