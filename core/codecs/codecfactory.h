#pragma once

#include "chunkcodec.h"
#include "codecs/compressorspec.h"

#include <memory>
#include <optional>

namespace cs {

// The codec a compressor spec describes, for items of `itemsize` bytes (blosc's typesize), or
// nullptr when the spec has no compressor (an empty id or nullopt). "gzip" is HDF5's deflate filter,
// which writes the same zlib streams as "zlib". Throws CodecError for an unknown id or bad settings.
// An LzfCodec refuses data that does not shrink; HDF5 then stores the chunk raw, so its caller must too.
std::unique_ptr<ChunkCodec> makeCodec(const CompressorSpec &spec, int itemsize);
std::unique_ptr<ChunkCodec> makeCodec(const std::optional<CompressorSpec> &spec, int itemsize);

} // namespace cs
