#include "zarrv3store.h"

#include "array/stridedcopy.h"
#include "task/taskcontext.h"

#include <algorithm>
#include <cstring>
#include <new>

namespace cs {

namespace {

ChunkGrid innerGridOf(const std::optional<ZarrV3Codecs::Sharding> &sharding, const Coords &shardShape)
{
    return sharding ? ChunkGrid(shardShape, sharding->innerShape) : ChunkGrid();
}

} // namespace

ZarrV3Store::ZarrV3Store(const QString &id, const ZarrV3Metadata &metadata, DType dtype, ZarrV3Codecs codecs,
                         std::unique_ptr<KeyValue> backend)
    : ZarrArrayStore(id, dtype, metadata.shape, metadata.chunks, metadata.fill.item, std::move(backend),
                     ZarrChunkKeys(ChunkGrid(metadata.shape, metadata.chunks), metadata.separator,
                                   metadata.keyEncoding == ZarrV3Metadata::KeyEncoding::Default),
                     std::move(codecs.chain), codecs.describe())
    , m_meta(metadata)
    , m_sharding(codecs.sharding)
    , m_innerGrid(innerGridOf(m_sharding, metadata.chunks))
{
    if (!m_sharding)
        return;
    m_innerBytes = size_t(m_sharding->innerShape.product() * dtype.itemsize());
    m_innerContiguous = true;
    for (int d = 1; d < metadata.chunks.rank; ++d)
        m_innerContiguous = m_innerContiguous && m_sharding->innerShape[d] == metadata.chunks[d];
    const uint64_t indexBytes = m_sharding->layout.encodedSize();
    m_indexLimit = ValueLimit{QStringLiteral("shard index"), indexBytes,
                              QStringLiteral("the index of %1 inner chunks takes").arg(m_innerGrid.chunkCount())};
    m_innerLimit = zarrChunkLimit(m_innerBytes, chain().maxEncodedSize(m_innerBytes));
    m_innerRoom = std::max(chain().maxEncodedSize(m_innerBytes), m_innerBytes);
    m_scratch = shardScratch(&*m_sharding, chain(), size_t(dtype.itemsize()));
    m_shardLimit = ValueLimit{QStringLiteral("shard"), m_scratch.shard,
                              QStringLiteral("a shard of %1 inner chunks can take").arg(m_innerGrid.chunkCount())};
}

ZarrV3Store::~ZarrV3Store() = default;

ShardScratch shardScratch(const ZarrV3Codecs::Sharding *sharding, const CodecChain &chain, size_t itemsize)
{
    ShardScratch s;
    if (!sharding)
        return s;
    const size_t innerBytes = size_t(sharding->innerShape.product()) * itemsize;
    const size_t count = size_t(sharding->layout.entryCount());
    const size_t entries = count * sizeof(ShardIndexEntry);
    s.shard = size_t(sharding->layout.encodedSize()) + count * std::max(chain.maxEncodedSize(innerBytes), innerBytes);
    s.reading = entries + innerBytes; // Scratch::ShardIndex, Scratch::Inner
    s.writing = s.reading + s.shard + entries + innerBytes; // Scratch::Shard, ShardEntries and Part
    return s;
}

int64_t ZarrV3Store::scratchBytesPerWorker(bool writing) const
{
    return int64_t(writing ? m_scratch.writing : m_scratch.reading);
}

bool ZarrV3Store::holdsOnlyFill(const char *items, size_t n) const
{
    // Every item equals the first, and the first is the fill value.
    const size_t k = fillItem().size();
    return n >= k && std::memcmp(items, fillItem().constData(), k) == 0 && std::memcmp(items, items + k, n - k) == 0;
}

QString ZarrV3Store::shardName(const KvKey &key)
{
    return QStringLiteral("shard %1").arg(QString::fromLatin1(key.text, int(key.size)));
}

QString ZarrV3Store::innerError(const KvKey &key, int64_t e, const QString &message) const
{
    return QStringLiteral("%1, inner chunk %2: %3").arg(shardName(key), m_sharding->layout.innerChunkName(e), message);
}

const ShardIndexEntry *ZarrV3Store::readShardIndex(const KvKey &key, TaskContext &ctx)
{
    const ShardIndexLayout &layout = m_sharding->layout;
    const uint64_t indexBytes = layout.encodedSize();
    KvValue index;
    {
        PhaseTimer t(ctx, Phase::Read);
        index = kv().get(key,
                         layout.location == ShardIndexLayout::Location::End ? ByteRange::suffix(indexBytes)
                                                                            : ByteRange::span(0, indexBytes),
                         m_indexLimit, ctx, nullptr, 0);
    }
    if (!index.present)
        return nullptr;
    const int64_t count = m_innerGrid.chunkCount();
    auto *entries = reinterpret_cast<ShardIndexEntry *>(
        ctx.scratch(Scratch::ShardIndex, size_t(count) * sizeof(ShardIndexEntry)));
    try {
        PhaseTimer t(ctx, Phase::ShardIndex);
        decodeShardIndex(index.data, index.size, layout, index.total, entries);
    } catch (const CodecError &e) {
        throw StoreError(shardName(key) + QStringLiteral(": ") + e.message());
    }
    return entries;
}

KvValue ZarrV3Store::readInnerStored(const KvKey &key, const ShardIndexEntry &entry, char *direct, TaskContext &ctx)
{
    KvValue stored;
    {
        PhaseTimer t(ctx, Phase::Read);
        stored = kv().get(key, ByteRange::span(entry.offset, entry.nbytes), m_innerLimit, ctx, direct,
                          direct ? m_innerBytes : 0);
    }
    if (!stored.present)
        throw StoreError(QStringLiteral("the shard was removed while it was read"));
    return stored;
}

bool ZarrV3Store::readShard(int64_t linear, const Coords &c, const Region &part, char *dst, const Coords &dstShape,
                            const Coords &dstOrigin, TaskContext &ctx)
{
    char keyText[ZarrChunkKeys::kMaxKeyBytes];
    const KvKey key = chunkKeys().chunk(linear, c, keyText);
    const ShardIndexEntry *entries = readShardIndex(key, ctx);
    if (!entries)
        return false;

    const size_t itemsize = size_t(dtype().itemsize());
    const Coords shardStart = grid().fullChunkRegion(c).start;
    const Region inShard = part.relativeTo(shardStart);
    const Coords &innerShape = m_sharding->innerShape;
    m_innerGrid.forEachChunk(inShard, [&](const Coords &ic) {
        const int64_t e = m_innerGrid.linearIndex(ic);
        const Region innerFull = m_innerGrid.fullChunkRegion(ic);
        const Region sub = *inShard.intersect(innerFull);
        Coords dstAt = sub.start;
        for (int d = 0; d < dstAt.rank; ++d)
            dstAt[d] += shardStart[d] - dstOrigin[d];
        const Coords srcAt = sub.relativeTo(innerFull.start).start;
        const ShardIndexEntry entry = entries[e];
        if (entry.isEmpty()) {
            PhaseTimer t(ctx, Phase::ShardAssembly);
            fillBox(dst, dstShape, dstAt, sub.shape(), fillItem().constData(), itemsize);
            return;
        }
        try {
            // A whole inner chunk that is one run of dst is decoded (or read) straight into place.
            char *inPlace = nullptr;
            if (sub == innerFull) {
                Region innerInArray = innerFull;
                for (int d = 0; d < innerFull.rank(); ++d) {
                    innerInArray.start[d] += shardStart[d];
                    innerInArray.stop[d] += shardStart[d];
                }
                Region dstRegion{dstOrigin, dstOrigin};
                for (int d = 0; d < dstOrigin.rank; ++d)
                    dstRegion.stop[d] += dstShape[d];
                const int64_t offset = contiguousOffset(dstRegion, innerInArray, itemsize);
                inPlace = offset >= 0 ? dst + offset : nullptr;
            }
            const KvValue stored = readInnerStored(key, entry, chain().isEmpty() ? inPlace : nullptr, ctx);
            const char *items = stored.data;
            if (!chain().isEmpty()) {
                PhaseTimer t(ctx, Phase::Decode);
                char *decoded = inPlace ? inPlace : ctx.scratch(Scratch::Inner, m_innerBytes);
                const size_t n = chain().decode(stored.data, stored.size, 0, decoded, m_innerBytes, ctx);
                if (n != m_innerBytes)
                    throw StoreError(QStringLiteral("decodes to %1 bytes, expected %2")
                                         .arg(qulonglong(n))
                                         .arg(qulonglong(m_innerBytes)));
                items = decoded;
            } else if (stored.size != m_innerBytes) {
                throw StoreError(QStringLiteral("has %1 bytes, expected %2")
                                     .arg(qulonglong(stored.size))
                                     .arg(qulonglong(m_innerBytes)));
            }
            if (items == inPlace)
                return;
            PhaseTimer t(ctx, Phase::ShardAssembly);
            copyBox(items, innerShape, srcAt, dst, dstShape, dstAt, sub.shape(), itemsize);
        } catch (const CodecError &err) {
            throw StoreError(innerError(key, e, err.message()));
        } catch (const StoreError &err) {
            throw StoreError(innerError(key, e, err.message()));
        }
    });
    return true;
}

void ZarrV3Store::read(const Region &region, void *out, TaskContext &ctx)
{
    if (!m_sharding) {
        ZarrArrayStore::read(region, out, ctx);
        return;
    }
    checkRegion(region);
    if (region.isEmpty())
        return;
    auto *dst = static_cast<char *>(out);
    const Coords regionShape = region.shape();
    grid().forEachChunk(region, [&](const Coords &c) {
        try {
            const Region part = *region.intersect(grid().chunkRegion(c));
            if (!readShard(grid().linearIndex(c), c, part, dst, regionShape, region.start, ctx)) {
                PhaseTimer t(ctx, Phase::Decode);
                fillBox(dst, regionShape, part.relativeTo(region.start).start, part.shape(), fillItem().constData(),
                        size_t(dtype().itemsize()));
            }
        } catch (...) {
            rethrow(c);
        }
    });
}

bool ZarrV3Store::loadChunk(int64_t linear, const Coords &chunkCoords, char *dst, TaskContext &ctx)
{
    if (!m_sharding)
        return ZarrArrayStore::loadChunk(linear, chunkCoords, dst, ctx);
    // Every inner chunk of the full shard, those past the array's edge included, so that all of dst is set.
    const Region full = grid().fullChunkRegion(chunkCoords);
    return readShard(linear, chunkCoords, full, dst, chunks(), full.start, ctx);
}

ZarrV3Store::ShardWriter ZarrV3Store::beginShard(TaskContext &ctx) const
{
    const ShardIndexLayout &layout = m_sharding->layout;
    ShardWriter w;
    w.shard = ctx.scratch(Scratch::Shard, m_scratch.shard);
    w.entries = reinterpret_cast<ShardIndexEntry *>(
        ctx.scratch(Scratch::ShardEntries, size_t(m_innerGrid.chunkCount()) * sizeof(ShardIndexEntry)));
    w.at = layout.location == ShardIndexLayout::Location::Start ? layout.encodedSize() : 0;
    return w;
}

void ZarrV3Store::addInner(ShardWriter &w, int64_t e, const char *items, TaskContext &ctx) const
{
    bool onlyFill = false;
    {
        PhaseTimer t(ctx, Phase::ShardAssembly);
        onlyFill = holdsOnlyFill(items, m_innerBytes);
    }
    if (onlyFill) {
        w.entries[e] = ShardIndexEntry{};
        return;
    }
    CodecChain::Encoded encoded{items, m_innerBytes, 0};
    if (!chain().isEmpty()) {
        PhaseTimer t(ctx, Phase::Encode);
        encoded = chain().encode(items, m_innerBytes, ctx);
    }
    PhaseTimer t(ctx, Phase::ShardAssembly);
    std::memcpy(w.shard + w.at, encoded.data, encoded.bytes);
    w.entries[e] = ShardIndexEntry{w.at, encoded.bytes};
    w.at += encoded.bytes;
    w.any = true;
}

void ZarrV3Store::finishShard(ShardWriter &w, int64_t linear, const Coords &chunkCoords, TaskContext &ctx)
{
    const ShardIndexLayout &layout = m_sharding->layout;
    const uint64_t indexBytes = layout.encodedSize();
    uint64_t size = 0;
    if (w.any) {
        PhaseTimer t(ctx, Phase::ShardIndex);
        const bool atEnd = layout.location == ShardIndexLayout::Location::End;
        encodeShardIndex(w.entries, layout, w.shard + (atEnd ? w.at : 0));
        size = atEnd ? w.at + indexBytes : w.at;
    }
    TimedLock lock(ctx, ctx.ioLock);
    PhaseTimer t(ctx, Phase::Write);
    char key[ZarrChunkKeys::kMaxKeyBytes];
    const KvKey k = chunkKeys().chunk(linear, chunkCoords, key);
    // A shard of nothing but the fill value is not stored, as zarr-python leaves it out.
    if (size == 0)
        kv().erase(k);
    else
        kv().set(k, w.shard, size_t(size), Sync::NoFlush);
}

void ZarrV3Store::storeChunk(int64_t linear, const Coords &chunkCoords, const char *src, TaskContext &ctx)
{
    if (!m_sharding) {
        ZarrArrayStore::storeChunk(linear, chunkCoords, src, ctx);
        return;
    }
    const Coords &innerShape = m_sharding->innerShape;
    const size_t itemsize = size_t(dtype().itemsize());
    const Coords origin = Coords::filled(innerShape.rank, 0);
    char *inner = m_innerContiguous ? nullptr : ctx.scratch(Scratch::Inner, m_innerBytes);
    ShardWriter w = beginShard(ctx);
    for (int64_t e = 0; e < m_innerGrid.chunkCount(); ++e) {
        const char *items = src + size_t(e) * m_innerBytes;
        if (!m_innerContiguous) {
            PhaseTimer t(ctx, Phase::ShardAssembly);
            copyBox(src, chunks(), m_innerGrid.chunkRegion(e).start, inner, innerShape, origin, innerShape, itemsize);
            items = inner;
        }
        addInner(w, e, items, ctx);
    }
    finishShard(w, linear, chunkCoords, ctx);
}

bool ZarrV3Store::writeStreamed(const Region &region, Store &source, TaskContext &ctx, std::mutex *writeLock)
{
    if (!m_sharding || region.rank() != shape().rank || !Region::whole(shape()).contains(region) || region.isEmpty())
        return false;
    // Only whole shards (edge shards whole up to the array's edge): a part of a shard is a
    // read-modify-write under its chunk lock, which write() does.
    for (int d = 0; d < region.rank(); ++d) {
        if (region.start[d] % chunks()[d] != 0)
            return false;
        if (region.stop[d] % chunks()[d] != 0 && region.stop[d] != shape()[d])
            return false;
    }
    grid().forEachChunk(region, [&](const Coords &c) { assembleShard(c, source, ctx, writeLock); });
    return true;
}

Region ZarrV3Store::innerRegion(const Coords &shardStart, int64_t e) const
{
    Region inner = m_innerGrid.fullChunkRegion(m_innerGrid.chunkCoords(e));
    for (int d = 0; d < inner.rank(); ++d) {
        inner.start[d] += shardStart[d];
        inner.stop[d] += shardStart[d];
    }
    return inner;
}

void ZarrV3Store::readInner(Store &source, const Region &inner, const Region &held, ShardWriter &w, char *part,
                            TaskContext &ctx) const
{
    // The source accounts its own reads; errors from it name the source's chunk, so they pass as they are.
    if (held == inner) {
        source.read(inner, part, ctx);
        return;
    }
    // An inner chunk on the array's edge is stored whole, padded with the fill value. The part the array
    // holds is read in place when it is one run of the inner chunk; otherwise into the shard's free
    // space, which has room for any inner chunk not yet added, and then copied into place.
    const size_t itemsize = size_t(dtype().itemsize());
    const Coords &innerShape = m_sharding->innerShape;
    const Coords origin = Coords::filled(innerShape.rank, 0);
    const int64_t at = contiguousOffset(inner, held, itemsize);
    char *dense = at >= 0 ? part + at : w.shard + w.at;
    {
        PhaseTimer t(ctx, Phase::ShardAssembly);
        fillBox(part, innerShape, origin, innerShape, fillItem().constData(), itemsize);
    }
    source.read(held, dense, ctx);
    if (at < 0) {
        PhaseTimer t(ctx, Phase::ShardAssembly);
        const Coords heldShape = held.shape();
        copyBox(dense, heldShape, origin, part, innerShape, held.relativeTo(inner.start).start, heldShape, itemsize);
    }
}

void ZarrV3Store::buildShard(const Coords &c, Store &source, TaskContext &ctx, std::mutex *writeLock,
                             const std::function<bool(int64_t, bool, ShardWriter &)> &passInner)
{
    const Region valid = grid().chunkRegion(c);
    ShardWriter w;
    char *part = nullptr;
    try {
        w = beginShard(ctx);
    } catch (...) {
        rethrow(c);
    }
    for (int64_t e = 0; e < m_innerGrid.chunkCount(); ++e) {
        const Region inner = innerRegion(valid.start, e);
        const std::optional<Region> held = inner.intersect(valid);
        if (!held || held->isEmpty()) {
            // Wholly past the array's edge: nothing but the fill value, left out.
            w.entries[e] = ShardIndexEntry{};
            continue;
        }
        if (passInner && passInner(e, *held == inner, w))
            continue;
        try {
            if (!part)
                part = ctx.scratch(Scratch::Part, m_innerBytes);
        } catch (...) {
            rethrow(c);
        }
        readInner(source, inner, *held, w, part, ctx);
        try {
            TimedLock lock(ctx, writeLock);
            addInner(w, e, part, ctx);
        } catch (...) {
            rethrow(c);
        }
    }
    try {
        TimedLock lock(ctx, writeLock);
        finishShard(w, grid().linearIndex(c), c, ctx);
    } catch (...) {
        rethrow(c);
    }
}

void ZarrV3Store::assembleShard(const Coords &c, Store &source, TaskContext &ctx, std::mutex *writeLock)
{
    buildShard(c, source, ctx, writeLock, nullptr);
}

} // namespace cs
