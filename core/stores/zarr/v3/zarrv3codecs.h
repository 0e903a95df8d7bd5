#pragma once

#include "codecs/codecchain.h"
#include "stores/zarr/v3/shardindex.h"
#include "stores/zarr/v3/zarrv3metadata.h"

#include <optional>

namespace cs {

// How a Zarr v3 array's chunks are encoded, built from zarr.json's codecs list: a chain of array→array
// steps (transpose), one array→bytes step (bytes, or sharding_indexed) and bytes→bytes steps (blosc,
// gzip, zstd, crc32c). A sharded array's chunk is a shard: its inner chunks are encoded by the inner
// chain and placed one after another with an index.
struct ZarrV3Codecs {
    CodecChain chain; // the whole chunk's, or each inner chunk's when sharded
    struct Sharding {
        Coords innerShape;
        ShardIndexLayout layout;
    };
    std::optional<Sharding> sharding;
    // "bytes(little) | zstd(level=0)", or for a sharded array
    // "sharding_indexed(chunk_shape=[2, 2], index at end) | bytes(little) | blosc(...)".
    QString describe() const;
};

// The codecs of chunks of chunkShape with items of dtype (little-endian in memory). Throws CodecError naming the entry
// ("codecs[1] \"lz5\" is not supported ...") for a codec it does not know, a configuration it cannot
// take, or a list out of order. sharding_indexed must be the array's only codec (its inner codecs say
// the rest).
ZarrV3Codecs makeZarrV3Codecs(const QList<ZarrV3Codec> &codecs, const Coords &chunkShape, const DType &dtype);

} // namespace cs
