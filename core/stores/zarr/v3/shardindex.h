#pragma once

#include "array/coords.h"
#include "stores/zarr/v3/zarrv3metadata.h"

#include <QString>

#include <cstdint>
#include <optional>

namespace cs {

// Where a shard's index inner chunk stands: its encoded bytes' offset and length within the shard.
struct ShardIndexEntry {
    static constexpr uint64_t kEmpty = ~uint64_t(0); // both fields: the inner chunk is absent (fill value)
    uint64_t offset = kEmpty;
    uint64_t nbytes = kEmpty;
    bool isEmpty() const { return offset == kEmpty && nbytes == kEmpty; }
    bool operator==(const ShardIndexEntry &o) const { return offset == o.offset && nbytes == o.nbytes; }
};

// How sharding_indexed lays out a shard's index: one entry per inner chunk in C order of the inner chunk
// grid, each two uint64 (offset, nbytes) in the bytes codec's order, then a crc32c of them when the
// index_codecs end with crc32c; the whole at the start or the end of the shard.
struct ShardIndexLayout {
    enum class Location : uint8_t { Start, End };

    Coords chunksPerShard; // the shard shape divided by the inner chunk shape
    bool bigEndian = false;
    bool checksum = true;
    Location location = Location::End;

    int64_t entryCount() const { return chunksPerShard.product(); }
    // 16 bytes per inner chunk, and 4 for the checksum.
    uint64_t encodedSize() const { return uint64_t(entryCount()) * 16 + (checksum ? 4 : 0); }
    // Where the index starts in a shard of shardSize bytes (which holds at least the index).
    uint64_t indexOffset(uint64_t shardSize) const
    {
        return location == Location::Start ? 0 : shardSize - encodedSize();
    }
    // "(1, 0)": the inner chunk at entry i, by its position in the shard's inner chunk grid.
    QString innerChunkName(int64_t i) const;
    // "bytes(little) | crc32c at the end": the index codecs and where the index stands.
    QString describe() const;

    // The layout a sharding_indexed codec's configuration describes for shards of shardShape: its
    // chunk_shape (which must divide the shard shape), index_codecs (bytes, little or big, then an
    // optional crc32c: a variable-size codec cannot encode an index) and index_location ("start" or
    // "end", the default). Sets *error, naming the field, and returns nullopt otherwise.
    static std::optional<ShardIndexLayout> fromConfiguration(const QJsonObject &configuration, const Coords &shardShape,
                                                             QString *error);
};

// Writes layout.encodedSize() bytes of index for layout.entryCount() entries to out.
void encodeShardIndex(const ShardIndexEntry *entries, const ShardIndexLayout &layout, void *out);

// Reads an index of n bytes, taken from a shard of shardSize bytes, into layout.entryCount() entries.
// Throws CodecError, naming the inner chunk where one is at fault, when the index has the wrong size, its
// checksum does not match, or an entry is empty in one field only, overflows, lies past the end of the
// shard or overlaps the index itself. Entries may share bytes: the specification does not forbid it.
void decodeShardIndex(const void *in, size_t n, const ShardIndexLayout &layout, uint64_t shardSize,
                      ShardIndexEntry *entries);

} // namespace cs
