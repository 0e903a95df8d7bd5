// Passthrough for Zarr v3 arrays (stores/passthrough.h): an unsharded array's chunks are ZarrArrayStore's;
// a sharded array moves whole shards to an array sharded alike, packs another array's stored chunks into
// its shards as their inner chunks, and unpacks its inner chunks into another array's chunks.

#include "zarrv3store.h"

#include "task/taskcontext.h"

#include <cstring>

namespace cs {

std::optional<EncodedForm> ZarrV3Store::encodedForm(QString *whyNot) const
{
    std::optional<EncodedForm> form = ZarrArrayStore::encodedForm(whyNot);
    if (m_sharding) {
        // The shard as stored: its inner chunks as the inner codecs store them, laid out by this index.
        form->innerChunks = m_sharding->innerShape;
        form->shardIndex = m_sharding->layout.describe();
    }
    return form;
}

std::optional<EncodedForm> ZarrV3Store::packedForm() const
{
    if (!m_sharding)
        return std::nullopt;
    QString whyNot;
    std::optional<EncodedForm> form = ZarrArrayStore::encodedForm(&whyNot);
    form->chunks = m_sharding->innerShape;
    return form;
}

EncodedChunk ZarrV3Store::readEncoded(int64_t linear, const Coords &chunkCoords, TaskContext &ctx)
{
    if (!m_sharding)
        return ZarrArrayStore::readEncoded(linear, chunkCoords, ctx);
    PhaseTimer t(ctx, Phase::Read);
    char key[ZarrChunkKeys::kMaxKeyBytes];
    const KvValue v
        = kv().get(chunkKeys().chunk(linear, chunkCoords, key), ByteRange::whole(), m_shardLimit, ctx, nullptr, 0);
    return EncodedChunk{v.data, v.size, 0, v.present};
}

PassedChunks ZarrV3Store::packChunksFrom(ChunkedStore &source, const Coords &c, bool passEdges, TaskContext &ctx,
                                         std::mutex *writeLock)
{
    const Coords &innerShape = m_sharding->innerShape;
    const Coords shardStart = grid().chunkRegion(c).start;
    PassedChunks out;
    // Adds inner chunk e (`whole` when the array holds all of it) as the source stores it, or returns
    // false to have it read decoded and encoded.
    const auto pass = [&](int64_t e, bool whole, ShardWriter &w) {
        if (!passEdges && !whole) {
            out.reencoded = true;
            return false;
        }
        // The source's chunks are the inner chunks: this one is the source's chunk at the inner chunk's start.
        Coords sourceChunk = innerRegion(shardStart, e).start;
        for (int d = 0; d < sourceChunk.rank; ++d)
            sourceChunk[d] /= innerShape[d];
        const EncodedChunk stored = readStoredChunk(source, sourceChunk, ctx);
        if (!stored.present) {
            // Never stored, so left out here too: it reads as the fill value, which both share.
            w.entries[e] = ShardIndexEntry{};
            return true;
        }
        if (stored.filterMask != 0 || stored.size > m_innerRoom) {
            out.reencoded = true;
            return false;
        }
        PhaseTimer t(ctx, Phase::ShardAssembly);
        std::memcpy(w.shard + w.at, stored.data, stored.size);
        w.entries[e] = ShardIndexEntry{w.at, stored.size};
        w.at += stored.size;
        w.any = true;
        out.storedBytes += int64_t(stored.size);
        return true;
    };
    buildShard(c, source, ctx, writeLock, pass);
    return out;
}

PassedChunks ZarrV3Store::unpackChunkInto(ChunkedStore &target, const Coords &c, TaskContext &ctx,
                                          std::mutex *writeLock)
{
    const Coords &innerShape = m_sharding->innerShape;
    const Region valid = grid().chunkRegion(c);
    char keyText[ZarrChunkKeys::kMaxKeyBytes];
    const KvKey key = chunkKeys().chunk(grid().linearIndex(c), c, keyText);
    const ShardIndexEntry *entries = nullptr;
    try {
        entries = readShardIndex(key, ctx);
    } catch (...) {
        rethrow(c);
    }
    PassedChunks out;
    for (int64_t e = 0; e < m_innerGrid.chunkCount(); ++e) {
        const Region inner = innerRegion(valid.start, e);
        const std::optional<Region> held = inner.intersect(valid);
        if (!held || held->isEmpty())
            continue; // wholly past the array's edge: the target has no such chunk
        // The target's chunks are the inner chunks: this one is the target's chunk at the inner chunk's start.
        Coords targetChunk = inner.start;
        for (int d = 0; d < targetChunk.rank; ++d)
            targetChunk[d] /= innerShape[d];
        // A shard never stored, or an inner chunk its index leaves out, reads as the fill value, which
        // both share: the target's chunk is left unstored too (removed where it held one).
        EncodedChunk chunk;
        if (entries && !entries[e].isEmpty()) {
            KvValue stored;
            try {
                stored = readInnerStored(key, entries[e], nullptr, ctx);
            } catch (const StoreError &err) {
                throw StoreError(chunkLabel(c) + QStringLiteral(": ") + innerError(key, e, err.message()));
            } catch (...) {
                rethrow(c);
            }
            chunk = EncodedChunk{stored.data, stored.size, 0, true};
            out.storedBytes += int64_t(stored.size);
        }
        writeStoredChunk(target, targetChunk, chunk, ctx, writeLock);
    }
    return out;
}

} // namespace cs
