#include "chunkedstore.h"

#include "array/stridedcopy.h"
#include "codecs/chunkcodec.h"
#include "task/taskcontext.h"

#include <algorithm>
#include <cstring>

namespace cs {

int64_t ChunkedStore::contiguousOffset(const Region &region, const Region &full, size_t itemsize)
{
    if (!region.contains(full))
        return -1;
    const int rank = region.rank();
    int d = 0;
    while (d < rank && full.stop[d] - full.start[d] == 1)
        ++d;
    for (int e = d + 1; e < rank; ++e)
        if (full.start[e] != region.start[e] || full.stop[e] != region.stop[e])
            return -1;
    int64_t offset = 0, stride = int64_t(itemsize);
    for (int i = rank - 1; i >= 0; --i) {
        offset += (full.start[i] - region.start[i]) * stride;
        stride *= region.stop[i] - region.start[i];
    }
    return offset;
}

void ChunkedStore::checkRegion(const Region &region) const
{
    if (region.rank() != shape().rank || !Region::whole(shape()).contains(region))
        throw StoreError(QStringLiteral("array %1: region %2 is outside the shape %3")
                             .arg(id(), region.toString(), shape().toString()));
}

ChunkedStore::ChunkedStore(QString id, DType dtype, Coords shape, Coords chunks, QByteArray fillItem)
    : Store(std::move(id), dtype, shape, chunks)
    , m_fillItem(std::move(fillItem))
    , m_chunkBytes(size_t(chunks.product() * dtype.itemsize()))
{
    m_fillItem.resize(dtype.itemsize());
    m_fillIsZero = std::all_of(m_fillItem.cbegin(), m_fillItem.cend(), [](char c) { return c == 0; });
}

[[noreturn]] void ChunkedStore::rethrow(const Coords &chunkCoords) const
{
    const QString label = chunkLabel(chunkCoords) + QStringLiteral(": ");
    try {
        throw;
    } catch (const CodecError &e) {
        throw StoreError(label + e.message());
    } catch (const StoreError &e) {
        // Code a store shares with its paths outside a copy (flushing, opening) labels its errors
        // itself; such a message passes unchanged rather than naming the chunk twice.
        if (e.message().startsWith(label))
            throw;
        throw StoreError(label + e.message());
    } catch (const std::bad_alloc &) {
        throw StoreError(label + QStringLiteral("out of memory"));
    }
}

void ChunkedStore::fillChunk(char *dst) const
{
    if (m_fillIsZero) {
        std::memset(dst, 0, m_chunkBytes);
        return;
    }
    const Coords &shape = chunks();
    fillBox(dst, shape, Coords::filled(shape.rank, 0), shape, m_fillItem.constData(), size_t(dtype().itemsize()));
}

void ChunkedStore::read(const Region &region, void *out, TaskContext &ctx)
{
    checkRegion(region);
    if (region.isEmpty())
        return;
    auto *dst = static_cast<char *>(out);
    grid().forEachChunk(region, [&](const Coords &c) { readChunk(region, c, dst, ctx); });
}

void ChunkedStore::write(const Region &region, const void *in, TaskContext &ctx)
{
    checkRegion(region);
    if (region.isEmpty())
        return;
    const auto *src = static_cast<const char *>(in);
    grid().forEachChunk(region, [&](const Coords &c) { writeChunk(region, c, src, ctx); });
}

void ChunkedStore::readChunk(const Region &region, const Coords &c, char *dst, TaskContext &ctx)
{
    const size_t itemsize = size_t(dtype().itemsize());
    const int64_t linear = grid().linearIndex(c);
    const Region full = grid().fullChunkRegion(c);
    try {
        const Region valid = grid().chunkRegion(c);
        const Region part = *region.intersect(valid);
        const Coords regionShape = region.shape();
        if (const char *resident = residentChunk(c, false)) {
            PhaseTimer t(ctx, Phase::Read);
            copyBox(resident, valid.shape(), part.relativeTo(valid.start).start, dst, regionShape,
                    part.relativeTo(region.start).start, part.shape(), itemsize);
            return;
        }
        const int64_t at = contiguousOffset(region, full, itemsize);
        if (at >= 0) {
            if (!loadChunk(linear, c, dst + at, ctx)) {
                PhaseTimer t(ctx, Phase::Decode);
                fillChunk(dst + at);
            }
            return;
        }
        char *chunk = ctx.scratch(Scratch::Chunk, m_chunkBytes);
        const bool present = loadChunk(linear, c, chunk, ctx);
        PhaseTimer t(ctx, Phase::Decode);
        if (present)
            copyBox(chunk, chunks(), part.relativeTo(full.start).start, dst, regionShape,
                    part.relativeTo(region.start).start, part.shape(), itemsize);
        else
            fillBox(dst, regionShape, part.relativeTo(region.start).start, part.shape(), m_fillItem.constData(),
                    itemsize);
    } catch (...) {
        rethrow(c);
    }
}

void ChunkedStore::writeChunk(const Region &region, const Coords &c, const char *src, TaskContext &ctx)
{
    const size_t itemsize = size_t(dtype().itemsize());
    const int64_t linear = grid().linearIndex(c);
    const Region full = grid().fullChunkRegion(c);
    const Region valid = grid().chunkRegion(c);
    try {
        const Region part = *region.intersect(valid);
        const Coords regionShape = region.shape();
        if (char *resident = residentChunk(c, true)) {
            // Disjoint writes touch disjoint bytes of a resident chunk: no chunk lock needed.
            TimedLock lock(ctx, ctx.ioLock);
            PhaseTimer t(ctx, Phase::Write);
            copyBox(src, regionShape, part.relativeTo(region.start).start, resident, valid.shape(),
                    part.relativeTo(valid.start).start, part.shape(), itemsize);
            return;
        }
        if (part == valid) {
            // The whole chunk is new: nothing to read. Edge chunks are padded with the fill value.
            const int64_t at = contiguousOffset(region, full, itemsize);
            if (at >= 0) {
                storeChunk(linear, c, src + at, ctx);
                return;
            }
            char *chunk = ctx.scratch(Scratch::Chunk, m_chunkBytes);
            {
                PhaseTimer t(ctx, Phase::Encode);
                if (!(valid == full))
                    fillChunk(chunk);
                copyBox(src, regionShape, part.relativeTo(region.start).start, chunk, chunks(),
                        part.relativeTo(full.start).start, part.shape(), itemsize);
            }
            storeChunk(linear, c, chunk, ctx);
            return;
        }
        // Another task may be writing another part of this chunk: read-modify-write under its lock.
        TimedLock chunkLock(ctx, &m_chunkLocks.forChunk(linear), Phase::ChunkLock);
        char *chunk = ctx.scratch(Scratch::Chunk, m_chunkBytes);
        const bool present = loadChunk(linear, c, chunk, ctx);
        {
            PhaseTimer t(ctx, Phase::Encode);
            if (!present)
                fillChunk(chunk);
            copyBox(src, regionShape, part.relativeTo(region.start).start, chunk, chunks(),
                    part.relativeTo(full.start).start, part.shape(), itemsize);
        }
        storeChunk(linear, c, chunk, ctx);
    } catch (...) {
        rethrow(c);
    }
}

std::optional<EncodedForm> ChunkedStore::encodedForm(QString *whyNot) const
{
    *whyNot = QStringLiteral("cannot give or take a chunk's stored bytes");
    return std::nullopt;
}

EncodedChunk ChunkedStore::readEncoded(int64_t, const Coords &, TaskContext &)
{
    throw StoreError(QStringLiteral("cannot read a chunk's stored bytes"));
}

void ChunkedStore::writeEncoded(int64_t, const Coords &, const EncodedChunk &, TaskContext &)
{
    throw StoreError(QStringLiteral("cannot write a chunk's stored bytes"));
}

EncodedChunk ChunkedStore::readStoredChunk(ChunkedStore &source, const Coords &c, TaskContext &ctx)
{
    try {
        return source.readEncoded(source.grid().linearIndex(c), c, ctx);
    } catch (...) {
        source.rethrow(c);
    }
}

PassedChunks ChunkedStore::passChunkFrom(ChunkedStore &source, const Coords &c, TaskContext &ctx, std::mutex *writeLock)
{
    const int64_t linear = grid().linearIndex(c);
    const EncodedChunk chunk = readStoredChunk(source, c, ctx);
    if (chunk.present && chunk.filterMask != 0 && !keepsFilterMask()) {
        // Stored without a filter this store's codecs would apply: its bytes are not this store's
        // stored form, so the chunk is decoded and encoded.
        char *decoded = ctx.scratch(Scratch::Chunk, chunkBytes());
        try {
            source.loadChunk(linear, c, decoded, ctx);
        } catch (...) {
            source.rethrow(c);
        }
        try {
            TimedLock lock(ctx, writeLock);
            storeChunk(linear, c, decoded, ctx);
        } catch (...) {
            rethrow(c);
        }
        return PassedChunks{0, true};
    }
    writeStoredChunk(*this, c, chunk, ctx, writeLock);
    return PassedChunks{chunk.present ? int64_t(chunk.size) : 0, false};
}

void ChunkedStore::writeStoredChunk(ChunkedStore &target, const Coords &c, const EncodedChunk &chunk, TaskContext &ctx,
                                    std::mutex *writeLock)
{
    try {
        TimedLock lock(ctx, writeLock);
        target.writeEncoded(target.grid().linearIndex(c), c, chunk, ctx);
    } catch (...) {
        target.rethrow(c);
    }
}

PassedChunks ChunkedStore::packChunksFrom(ChunkedStore &, const Coords &, bool, TaskContext &, std::mutex *)
{
    throw StoreError(QStringLiteral("cannot pack chunks into its own"));
}

PassedChunks ChunkedStore::unpackChunkInto(ChunkedStore &, const Coords &, TaskContext &, std::mutex *)
{
    throw StoreError(QStringLiteral("cannot unpack its chunks into another's"));
}

} // namespace cs
