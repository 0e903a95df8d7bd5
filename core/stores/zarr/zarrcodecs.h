#pragma once

#include "codecs/chunkcodec.h"
#include "codecs/compressorspec.h"

#include <QJsonArray>
#include <QJsonObject>

#include <memory>
#include <optional>

namespace cs {

// Zarr v2's compressors beyond blosc and zlib, and its filters: numcodecs configs as a .zarray or a
// scenario gives them, normalised to what numcodecs' get_config() returns (absent keys with their
// defaults, dtypes as typestrs) so that the .zarray Chunkscope writes is the one zarr-python writes.

// True for the compressor ids that only numcodecs names: bz2, lzma, lz4, zstd and gzip.
bool isNumcodecsCompressor(const QString &id);
// The compressors whose one option is "level": zlib, bz2, zstd and gzip.
bool zarrCompressorTakesLevel(const QString &id);

// One of those compressors, its config normalised into CompressorSpec::numcodecs. Throws CodecError
// naming the id and the key, as numcodecs.get_codec would fail.
CompressorSpec numcodecsCompressor(const QJsonObject &config);

// Zarr's `filters`: null, or a list of numcodecs configs applied in order on write. Returns them
// normalised; throws CodecError naming the filter's place in the list and its id.
QJsonArray zarrFilters(const QJsonValue &filters);

// The codec of a Zarr compressor (nullptr for none).
std::unique_ptr<ChunkCodec> zarrCompressorCodec(const std::optional<CompressorSpec> &spec, int itemsize);

} // namespace cs
