#pragma once

#include "stores/storearray.h"
#include "stores/zarr/v3/zarrv3codecs.h"
#include "stores/zarr/v3/zarrv3metadata.h"
#include "stores/zarr/zarrarraystore.h"
#include "stores/zarr/zarroptions.h"

#include <memory>
#include <optional>

namespace cs {

// A Zarr v3 array, in memory or in a directory, read and written through the codecs its zarr.json lists.
//
// Sharded (sharding_indexed), the store's chunks are shards, each holding a grid of inner chunks encoded
// one after another and an index of where they are:
//  - a read of part of a shard reads the shard's index and then only the byte ranges of the inner chunks
//    it needs; an inner chunk the index marks empty reads as the fill value;
//  - a write that covers a whole shard assembles it in the worker's Scratch::Shard buffer and writes it
//    once, without reading; inner chunks that hold only the fill value are left out, as zarr-python does;
//  - a write of part of a shard is a read-modify-write under the shard's chunk lock (ChunkedStore).
// Errors in a shard name its key and the inner chunk at fault.
class ZarrV3Store final : public ZarrArrayStore {
public:
    ZarrV3Store(const QString &id, const ZarrV3Metadata &metadata, DType dtype, ZarrV3Codecs codecs,
                std::unique_ptr<KeyValue> backend);
    ~ZarrV3Store() override;

    void read(const Region &region, void *out, TaskContext &ctx) override;

    const ZarrV3Metadata &metadata() const { return m_meta; }
    bool isSharded() const { return m_sharding.has_value(); }
    std::optional<EncodedForm> encodedForm(QString *whyNot) const override;

protected:
    bool loadChunk(int64_t linear, const Coords &chunkCoords, char *dst, TaskContext &ctx) override;
    void storeChunk(int64_t linear, const Coords &chunkCoords, const char *src, TaskContext &ctx) override;

private:
    // Reads the inner chunks of shard c that meet `part` (array coordinates, inside the shard) into dst, a
    // dense C-order buffer of dstShape whose first item is at dstOrigin. False when the shard is not stored.
    bool readShard(int64_t linear, const Coords &c, const Region &part, char *dst, const Coords &dstShape,
                   const Coords &dstOrigin, TaskContext &ctx);
    // True when n bytes of items all equal the fill value.
    bool holdsOnlyFill(const char *items, size_t n) const;

    ZarrV3Metadata m_meta;
    std::optional<ZarrV3Codecs::Sharding> m_sharding;
    ChunkGrid m_innerGrid; // the inner chunks of one shard
    size_t m_innerBytes = 0;
    // Each inner chunk is one run of the shard's items (it spans every axis but the first), so it is
    // encoded in place rather than copied out first.
    bool m_innerContiguous = false;
    ValueLimit m_indexLimit;
    ValueLimit m_innerLimit;
};

// Creates a new Zarr v3 array from a scenario's options (in memory, or at options.path as
// createZarrStore does for v2), writing its zarr.json atomically; or opens the one at `path`.
// Throws StoreError naming the array.
std::unique_ptr<Store> createZarrV3Store(const ZarrOptions &options, const StoreArray &array);
std::unique_ptr<Store> openZarrV3Store(const QString &path, const StoreArray &array);

} // namespace cs
