#pragma once

#include "stores/chunklocks.h"
#include "stores/passthrough.h"
#include "stores/store.h"

#include <QByteArray>

namespace cs {

// A store whose data live in storage chunks of one regular grid: Zarr, HDF5's raw chunks, carray.
// It owns the chunk algorithm once, so that every such store reads, writes and accounts its time
// the same way:
//  - a chunk that lies contiguous in the caller's buffer is loaded or stored in place;
//  - any other part of a chunk goes through the worker's Scratch::Chunk buffer;
//  - a write that covers a whole chunk never reads it; an edge chunk is stored full size, padded
//    with the fill value;
//  - a write of part of a chunk is a read-modify-write under the chunk's ChunkLocks stripe, whose
//    wait is Phase::ChunkLock;
//  - a chunk never stored reads as the fill value.
// A subclass supplies only the chunk-level load and store, and accounts their phases itself
// (read and decode, encode and write). Errors thrown by either get the chunk's label here.
class ChunkedStore : public Store {
public:
    ChunkedStore(QString id, DType dtype, Coords shape, Coords chunks, QByteArray fillItem);

    void read(const Region &region, void *out, TaskContext &ctx) override;
    void write(const Region &region, const void *in, TaskContext &ctx) override;

    // The bytes of one item of the fill value (dtype().itemsize() of them).
    const QByteArray &fillItem() const { return m_fillItem; }
    // Bytes of one full chunk.
    size_t chunkBytes() const { return m_chunkBytes; }

    // Passthrough (stores/passthrough.h). How this store keeps a chunk, or nullopt with why not (the
    // words after "source h (hdf5) ": "takes the library path, which moves no stored chunks"), for a
    // store that cannot give or take a chunk's stored bytes.
    virtual std::optional<EncodedForm> encodedForm(QString *whyNot) const;
    // Moves chunk c of `source`, whose encodedForm() equals this store's, as it is stored: read, then
    // written, never decoded; the write under `writeLock` when not null (lock mode "target"), its wait
    // Phase::LockWait. A chunk the source never stored is not stored here either (nothing is written;
    // one stored before is removed). A chunk stored without one of its filters (HDF5's filter mask)
    // is decoded and encoded when this store keeps no mask. Errors name the chunk.
    PassedChunks passChunkFrom(ChunkedStore &source, const Coords &c, TaskContext &ctx, std::mutex *writeLock);
    // The stored form of the inner chunks this store packs into each of its chunks (a sharded Zarr v3
    // array's shards), or nullopt for a store that packs none.
    virtual std::optional<EncodedForm> packedForm() const { return std::nullopt; }
    // Writes chunk c whole from the chunks of `source`, whose encodedForm() equals packedForm(), moved as
    // they are stored into its inner chunks; only the chunk's own index is computed. Edge chunks are
    // decoded and encoded unless `passEdges`, as are chunks passChunkFrom() would decode. Their encoding
    // and the write are under `writeLock` when not null. Only called on stores that have a packedForm().
    virtual PassedChunks packChunksFrom(ChunkedStore &source, const Coords &c, bool passEdges, TaskContext &ctx,
                                        std::mutex *writeLock);
    // Writes the inner chunks of this store's chunk c, as they are stored, as chunks of `target`, whose
    // encodedForm() equals packedForm(); an inner chunk this store never stored, or a chunk never stored
    // at all, is not stored there either. Inner chunks wholly past the array's edge have no target chunk.
    // The writes are under `writeLock` when not null. Only called on stores that have a packedForm().
    virtual PassedChunks unpackChunkInto(ChunkedStore &target, const Coords &c, TaskContext &ctx,
                                         std::mutex *writeLock);

protected:
    // Loads a stored chunk, decoded, into dst (a full chunk in C order). False when the chunk was
    // never stored, in which case dst is left as it was.
    virtual bool loadChunk(int64_t linear, const Coords &chunkCoords, char *dst, TaskContext &ctx) = 0;
    // Encodes and stores a full chunk given in C order.
    virtual void storeChunk(int64_t linear, const Coords &chunkCoords, const char *src, TaskContext &ctx) = 0;
    // A chunk the store keeps decoded in memory of its own (carray's leftover rows), laid out in
    // the shape of its valid region, or null. Reads copy from it; writes of disjoint parts copy into
    // it under the run's I/O lock and never interfere. `forWriting` lets the store note the write.
    virtual char *residentChunk(const Coords &chunkCoords, bool forWriting)
    {
        Q_UNUSED(chunkCoords);
        Q_UNUSED(forWriting);
        return nullptr;
    }
    // A chunk's stored bytes, read without decoding them (Phase::Read), and the stored bytes of a chunk
    // written as they are (Phase::Write, under ctx.ioLock); writing an absent chunk removes the one
    // stored, where the store can. Only called on stores that have an encodedForm().
    virtual EncodedChunk readEncoded(int64_t linear, const Coords &chunkCoords, TaskContext &ctx);
    virtual void writeEncoded(int64_t linear, const Coords &chunkCoords, const EncodedChunk &chunk, TaskContext &ctx);
    // Whether writeEncoded() keeps a chunk's filter mask with its bytes (HDF5 does); a store that keeps
    // none can take only chunks stored with every filter.
    virtual bool keepsFilterMask() const { return false; }
    // Chunk c of `source` as it is stored (readEncoded()), errors naming the source's chunk.
    static EncodedChunk readStoredChunk(ChunkedStore &source, const Coords &c, TaskContext &ctx);
    // Writes chunk c of `target` as it is stored (writeEncoded()), under writeLock when not null, errors
    // naming the target's chunk.
    static void writeStoredChunk(ChunkedStore &target, const Coords &c, const EncodedChunk &chunk, TaskContext &ctx,
                                 std::mutex *writeLock);
    // Replaces a full chunk with the fill value.
    void fillChunk(char *dst) const;
    // Adds the array and the chunk to the error in flight: CodecError, StoreError, bad_alloc.
    [[noreturn]] void rethrow(const Coords &chunkCoords) const;
    // The byte offset of a full chunk inside a region's dense C-order buffer when the chunk occupies
    // one contiguous run there (its leading extents 1, then one extent of any size, then the region's
    // whole extents), so it can be decoded in place or encoded straight from the caller's buffer; -1
    // otherwise.
    static int64_t contiguousOffset(const Region &region, const Region &full, size_t itemsize);
    // Throws StoreError when the region is not inside the array.
    void checkRegion(const Region &region) const;

private:
    void readChunk(const Region &region, const Coords &chunkCoords, char *out, TaskContext &ctx);
    void writeChunk(const Region &region, const Coords &chunkCoords, const char *in, TaskContext &ctx);

    QByteArray m_fillItem;
    size_t m_chunkBytes;
    bool m_fillIsZero = false;
    ChunkLocks m_chunkLocks;
};

} // namespace cs
