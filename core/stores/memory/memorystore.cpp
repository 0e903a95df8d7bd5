#include "memorystore.h"

#include "array/stridedcopy.h"
#include "task/taskcontext.h"

#include <cstdlib>
#include <cstring>

namespace cs {

MemoryStore::MemoryStore(QString id, DType dtype, Coords shape, Coords chunks)
    : Store(std::move(id), dtype, shape, chunks)
{
    // calloc of a large block maps fresh zero pages without touching them.
    m_data = static_cast<char *>(std::calloc(size_t(std::max<int64_t>(1, nbytes())), 1));
    if (!m_data)
        throw StoreError(QStringLiteral("array %1: cannot allocate %2 bytes").arg(this->id()).arg(nbytes()));
}

MemoryStore::~MemoryStore()
{
    std::free(m_data);
}

int64_t MemoryStore::offsetOf(const Region &region) const
{
    return contiguousOffset(shape(), region, size_t(dtype().itemsize()));
}

const char *MemoryStore::contiguous(const Region &region) const
{
    const int64_t off = offsetOf(region);
    return off < 0 ? nullptr : m_data + off;
}

char *MemoryStore::contiguousMutable(const Region &region)
{
    const int64_t off = offsetOf(region);
    return off < 0 ? nullptr : m_data + off;
}

void MemoryStore::read(const Region &region, void *out, TaskContext &ctx)
{
    PhaseTimer t(ctx, Phase::Read);
    copyBox(m_data, shape(), region.start, out, region.shape(), Coords::filled(region.rank(), 0), region.shape(),
            size_t(dtype().itemsize()));
}

void MemoryStore::write(const Region &region, const void *in, TaskContext &ctx)
{
    TimedLock lock(ctx, ctx.ioLock);
    PhaseTimer t(ctx, Phase::Write);
    copyBox(in, region.shape(), Coords::filled(region.rank(), 0), m_data, shape(), region.start, region.shape(),
            size_t(dtype().itemsize()));
}

StoreInfo MemoryStore::info() const
{
    StoreInfo i = baseInfo();
    i.nbytesStored = nbytes();
    i.chunksInitialized = i.chunksTotal;
    i.codec = QStringLiteral("none");
    i.location = QStringLiteral("in memory");
    return i;
}

} // namespace cs
