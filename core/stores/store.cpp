#include "store.h"

namespace cs {

Store::Store(QString id, DType dtype, Coords shape, Coords chunks)
    : m_id(std::move(id))
    , m_dtype(dtype)
    , m_grid(shape, chunks)
{
}

Store::~Store() = default;

const char *Store::contiguous(const Region &) const
{
    return nullptr;
}

char *Store::contiguousMutable(const Region &)
{
    return nullptr;
}

bool Store::writeStreamed(const Region &, Store &, TaskContext &, std::mutex *)
{
    return false;
}

StoreInfo Store::baseInfo() const
{
    StoreInfo info;
    info.id = m_id;
    info.store = kind();
    info.dtype = m_dtype;
    info.shape = shape();
    info.chunks = chunks();
    info.nbytes = nbytes();
    info.chunksTotal = m_grid.chunkCount();
    return info;
}

QString Store::chunkLabel(const Coords &chunkCoords) const
{
    return QStringLiteral("array %1, chunk %2").arg(m_id, chunkCoords.toString());
}

} // namespace cs
