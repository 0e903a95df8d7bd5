#pragma once

#include "stores/storearray.h"
#include "stores/zarr/v3/shardindex.h"
#include "stores/zarr/v3/zarrv3codecs.h"
#include "stores/zarr/v3/zarrv3metadata.h"
#include "stores/zarr/zarrarraystore.h"
#include "stores/zarr/zarroptions.h"

#include <functional>
#include <memory>
#include <optional>

namespace cs {

// What a worker holds for the shards of an array sharded so (inner chunks encoded by `chain`, items of
// `itemsize` bytes), beyond the engine's chunk-sized buffers. Reading: a shard's decoded index and one
// inner chunk. Writing adds the shard being assembled (the index and room for every inner chunk at its
// largest encoded size, at least its decoded size), its index entries and the inner chunk read from the
// copy's source. All 0 unsharded.
struct ShardScratch {
    size_t shard = 0; // Scratch::Shard
    size_t reading = 0;
    size_t writing = 0;
};

// A Zarr v3 array, in memory or in a directory, read and written through the codecs its zarr.json lists.
//
// Sharded (sharding_indexed), the store's chunks are shards, each holding a grid of inner chunks encoded
// one after another and an index of where they are:
//  - a read of part of a shard reads the shard's index and then only the byte ranges of the inner chunks
//    it needs; an inner chunk the index marks empty reads as the fill value;
//  - a write that covers a whole shard assembles it in the worker's Scratch::Shard buffer and writes it
//    once, without reading; inner chunks that hold only the fill value are left out, as zarr-python does;
//  - a copy task of whole shards (writeStreamed) reads its source an inner chunk at a time and encodes
//    each while it is in the worker's cache, rather than holding the task's region whole;
//  - a write of part of a shard is a read-modify-write under the shard's chunk lock (ChunkedStore).
// Errors in a shard name its key and the inner chunk at fault.
class ZarrV3Store final : public ZarrArrayStore {
public:
    ZarrV3Store(const QString &id, const ZarrV3Metadata &metadata, DType dtype, ZarrV3Codecs codecs,
                std::unique_ptr<KeyValue> backend);
    ~ZarrV3Store() override;

    void read(const Region &region, void *out, TaskContext &ctx) override;
    // Sharded, a region of whole shards is written a shard at a time, each assembled from its inner
    // chunks as they are read from the source, encoded and stored once.
    bool writeStreamed(const Region &region, Store &source, TaskContext &ctx, std::mutex *writeLock) override;

    const ZarrV3Metadata &metadata() const { return m_meta; }
    bool isSharded() const { return m_sharding.has_value(); }
    int64_t scratchBytesPerWorker(bool writing) const override;
    // Sharded, a chunk's stored form is the shard's: its shape, its inner chunks' shape and codecs and its
    // index (zarrv3passthrough.cpp, with the rest of passthrough).
    std::optional<EncodedForm> encodedForm(QString *whyNot) const override;
    // Sharded, a shard's inner chunks can be another array's chunks as they are stored: the inner codecs'
    // stored form, of the inner chunk shape.
    std::optional<EncodedForm> packedForm() const override;
    PassedChunks packChunksFrom(ChunkedStore &source, const Coords &c, bool passEdges, TaskContext &ctx,
                                std::mutex *writeLock) override;
    // Reads shard c's index once, then each inner chunk it lists, by its byte range, as a chunk of target.
    PassedChunks unpackChunkInto(ChunkedStore &target, const Coords &c, TaskContext &ctx,
                                 std::mutex *writeLock) override;

protected:
    bool loadChunk(int64_t linear, const Coords &chunkCoords, char *dst, TaskContext &ctx) override;
    void storeChunk(int64_t linear, const Coords &chunkCoords, const char *src, TaskContext &ctx) override;
    // Sharded, a whole shard, up to the largest a shard of this array's inner chunks can be.
    EncodedChunk readEncoded(int64_t linear, const Coords &chunkCoords, TaskContext &ctx) override;

private:
    // "shard c/0/1", for errors.
    static QString shardName(const KvKey &key);
    // Reads and decodes the index of the shard at `key` into Scratch::ShardIndex; null when the shard is
    // not stored.
    const ShardIndexEntry *readShardIndex(const KvKey &key, TaskContext &ctx);
    // The inner chunk at `entry` of the shard at `key`, as stored (into `direct` when it is exactly an
    // inner chunk's decoded size, as KeyValue::get()).
    KvValue readInnerStored(const KvKey &key, const ShardIndexEntry &entry, char *direct, TaskContext &ctx);
    // "shard c/0/1, inner chunk (1, 0): message".
    QString innerError(const KvKey &key, int64_t e, const QString &message) const;
    // Reads the inner chunks of shard c that meet `part` (array coordinates, inside the shard) into dst, a
    // dense C-order buffer of dstShape whose first item is at dstOrigin. False when the shard is not stored.
    bool readShard(int64_t linear, const Coords &c, const Region &part, char *dst, const Coords &dstShape,
                   const Coords &dstOrigin, TaskContext &ctx);
    // True when n bytes of items all equal the fill value.
    bool holdsOnlyFill(const char *items, size_t n) const;

    // A shard being written: its bytes in Scratch::Shard, its index entries in Scratch::ShardEntries
    // (not Scratch::ShardIndex, which a sharded source uses while the shard's parts are read from it).
    struct ShardWriter {
        char *shard = nullptr;
        ShardIndexEntry *entries = nullptr;
        uint64_t at = 0; // where the next encoded inner chunk goes
        bool any = false; // whether any inner chunk was stored
    };
    ShardWriter beginShard(TaskContext &ctx) const;
    // Encodes inner chunk e (items in C order of the inner shape) into the shard, or marks it empty
    // when it holds only the fill value.
    void addInner(ShardWriter &w, int64_t e, const char *items, TaskContext &ctx) const;
    // Adds the index and stores the shard once; erases it when no inner chunk was stored.
    void finishShard(ShardWriter &w, int64_t linear, const Coords &chunkCoords, TaskContext &ctx);
    // Writes shard c whole, reading its inner chunks from source one at a time into Scratch::Part.
    // The encoding of each inner chunk and the shard's write are under writeLock when not null.
    void assembleShard(const Coords &c, Store &source, TaskContext &ctx, std::mutex *writeLock);
    // Writes shard c whole, each inner chunk's encoding and the shard's write under writeLock when not
    // null, the reads not: each inner chunk the array holds is first offered to passInner (its index,
    // whether the array holds all of it, the shard), which either adds it to the shard as stored and
    // returns true, or returns false to have it read from source decoded, as assembleShard() reads it,
    // and encoded.
    void buildShard(const Coords &c, Store &source, TaskContext &ctx, std::mutex *writeLock,
                    const std::function<bool(int64_t, bool, ShardWriter &)> &passInner);
    // Inner chunk e of the shard whose first item is at shardStart, in array coordinates.
    Region innerRegion(const Coords &shardStart, int64_t e) const;
    // Reads the items of inner chunk `inner` (array coordinates) that the array holds, `held`, from
    // source into `part`, padded with the fill value past the array's edge; w's free space is room for
    // the part while it is rearranged.
    void readInner(Store &source, const Region &inner, const Region &held, ShardWriter &w, char *part,
                   TaskContext &ctx) const;

    ZarrV3Metadata m_meta;
    std::optional<ZarrV3Codecs::Sharding> m_sharding;
    ChunkGrid m_innerGrid; // the inner chunks of one shard
    size_t m_innerBytes = 0;
    // The room the shard buffer keeps for each inner chunk: its largest encoded size, at least its
    // decoded size. A stored chunk passed in that is longer is encoded again instead.
    size_t m_innerRoom = 0;
    // The Scratch::Shard buffer's size, and what a worker holds for a shard in all (shardScratch()).
    ShardScratch m_scratch;
    // Each inner chunk is one run of the shard's items (it spans every axis but the first), so it is
    // encoded in place rather than copied out first.
    bool m_innerContiguous = false;
    ValueLimit m_indexLimit;
    ValueLimit m_innerLimit;
    ValueLimit m_shardLimit;
};

ShardScratch shardScratch(const ZarrV3Codecs::Sharding *sharding, const CodecChain &chain, size_t itemsize);

// scratchBytesPerWorker() of the array a scenario's options describe, before it exists; 0 when they
// do not describe a v3 array (or one whose zarr.json is not yet read, or that would not open).
int64_t zarrV3ScratchBytesPerWorker(const ZarrOptions &options, const StoreArray &array, bool writing);

// Creates a new Zarr v3 array from a scenario's options (in memory, or at options.path as
// createZarrStore does for v2), writing its zarr.json atomically; or opens the one whose zarr.json
// is `text`, its values in the store that kvFor makes for its chunk keys' separator.
// Throws StoreError naming the array.
std::unique_ptr<Store> createZarrV3Store(const ZarrOptions &options, const StoreArray &array);
std::unique_ptr<Store> openZarrV3Store(const QByteArray &text, const StoreArray &array,
                                       const std::function<std::unique_ptr<KeyValue>(char separator)> &kvFor);

} // namespace cs
