#include "memorypartition.h"

#include "array/stridedcopy.h"
#include "task/taskcontext.h"

#include <algorithm>
#include <cstdlib>
#include <set>

namespace cs {

MemoryPartition::MemoryPartition(QString id, DType dtype, Coords shape, Coords chunks, ChunkGrid parts,
                                 std::vector<int64_t> held)
    : Store(std::move(id), dtype, shape, chunks)
    , m_parts(std::move(parts))
    , m_held(std::move(held))
{
    m_offsets.reserve(m_held.size());
    for (const int64_t part : m_held) {
        m_offsets.push_back(m_heldBytes);
        m_heldBytes += m_parts.chunkRegion(part).count() * this->dtype().itemsize();
    }
    // calloc maps fresh zero pages without touching them, as MemoryStore's buffer does.
    m_data = static_cast<char *>(std::calloc(size_t(std::max<int64_t>(1, m_heldBytes)), 1));
    if (!m_data)
        throw StoreError(QStringLiteral("array %1: cannot allocate %2 bytes").arg(this->id()).arg(m_heldBytes));
}

MemoryPartition::~MemoryPartition()
{
    std::free(m_data);
}

char *MemoryPartition::partData(int64_t part) const
{
    const auto it = std::lower_bound(m_held.cbegin(), m_held.cend(), part);
    if (it == m_held.cend() || *it != part)
        throw StoreError(QStringLiteral("array %1: chunk %2 of %3 is held by another MPI rank")
                             .arg(id(), m_parts.chunkCoords(part).toString(), m_parts.chunks().toString()));
    return m_data + m_offsets[size_t(it - m_held.cbegin())];
}

template <typename F> void MemoryPartition::forEachPiece(const Region &region, F &&f) const
{
    m_parts.forEachChunk(region, [&](const Coords &c) {
        const Region part = m_parts.chunkRegion(c);
        f(part, partData(m_parts.linearIndex(c)), *region.intersect(part));
    });
}

void MemoryPartition::read(const Region &region, void *out, TaskContext &ctx)
{
    PhaseTimer t(ctx, Phase::Read);
    const size_t itemsize = size_t(dtype().itemsize());
    forEachPiece(region, [&](const Region &part, const char *data, const Region &piece) {
        copyBox(data, part.shape(), piece.relativeTo(part.start).start, out, region.shape(),
                piece.relativeTo(region.start).start, piece.shape(), itemsize);
    });
}

void MemoryPartition::write(const Region &region, const void *in, TaskContext &ctx)
{
    TimedLock lock(ctx, ctx.ioLock);
    PhaseTimer t(ctx, Phase::Write);
    const size_t itemsize = size_t(dtype().itemsize());
    forEachPiece(region, [&](const Region &part, char *data, const Region &piece) {
        copyBox(in, region.shape(), piece.relativeTo(region.start).start, data, part.shape(),
                piece.relativeTo(part.start).start, piece.shape(), itemsize);
    });
}

const char *MemoryPartition::contiguous(const Region &region) const
{
    const Region span = m_parts.chunkSpan(region);
    for (int i = 0; i < span.rank(); ++i)
        if (span.stop[i] - span.start[i] != 1)
            return nullptr; // the region lies in more than one part, or is empty
    const Region part = m_parts.chunkRegion(span.start);
    const int64_t offset = contiguousOffset(part.shape(), region.relativeTo(part.start), size_t(dtype().itemsize()));
    return offset < 0 ? nullptr : partData(m_parts.linearIndex(span.start)) + offset;
}

char *MemoryPartition::contiguousMutable(const Region &region)
{
    return const_cast<char *>(contiguous(region));
}

StoreInfo MemoryPartition::info() const
{
    StoreInfo i = baseInfo();
    i.nbytesStored = m_heldBytes;
    // The storage chunks this rank holds some of: parts and storage chunks need not coincide.
    std::set<int64_t> touched;
    for (const int64_t part : m_held)
        grid().forEachChunk(m_parts.chunkRegion(part), [&](const Coords &c) { touched.insert(grid().linearIndex(c)); });
    i.chunksInitialized = int64_t(touched.size());
    i.codec = QStringLiteral("none");
    i.location = QStringLiteral("in memory, partitioned: %1 of %2 chunks %3 held by this rank")
                     .arg(m_held.size())
                     .arg(m_parts.chunkCount())
                     .arg(m_parts.chunks().toString());
    return i;
}

} // namespace cs
