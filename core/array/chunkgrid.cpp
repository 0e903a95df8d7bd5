#include "chunkgrid.h"

#include <algorithm>

namespace cs {

ChunkGrid::ChunkGrid(const Coords &shape, const Coords &chunks)
    : m_shape(shape)
    , m_chunks(chunks)
{
    m_grid.rank = shape.rank;
    m_count = 1;
    for (int i = 0; i < shape.rank; ++i) {
        const int64_t c = std::max<int64_t>(1, chunks[i]);
        m_grid[i] = (shape[i] + c - 1) / c;
        m_count *= m_grid[i];
    }
}

Coords ChunkGrid::chunkCoords(int64_t linear) const
{
    Coords c;
    c.rank = rank();
    for (int i = rank() - 1; i >= 0; --i) {
        c[i] = linear % m_grid[i];
        linear /= m_grid[i];
    }
    return c;
}

int64_t ChunkGrid::linearIndex(const Coords &chunkCoords) const
{
    int64_t linear = 0;
    for (int i = 0; i < rank(); ++i)
        linear = linear * m_grid[i] + chunkCoords[i];
    return linear;
}

Region ChunkGrid::chunkRegion(int64_t linear) const
{
    return chunkRegion(chunkCoords(linear));
}

Region ChunkGrid::chunkRegion(const Coords &chunkCoords) const
{
    Region r = fullChunkRegion(chunkCoords);
    for (int i = 0; i < rank(); ++i)
        r.stop[i] = std::min(r.stop[i], m_shape[i]);
    return r;
}

Region ChunkGrid::fullChunkRegion(const Coords &chunkCoords) const
{
    Region r;
    r.start.rank = r.stop.rank = rank();
    for (int i = 0; i < rank(); ++i) {
        r.start[i] = chunkCoords[i] * m_chunks[i];
        r.stop[i] = r.start[i] + m_chunks[i];
    }
    return r;
}

Region ChunkGrid::chunkSpan(const Region &region) const
{
    Region span;
    span.start.rank = span.stop.rank = rank();
    for (int i = 0; i < rank(); ++i) {
        span.start[i] = region.start[i] / m_chunks[i];
        span.stop[i] = (region.stop[i] + m_chunks[i] - 1) / m_chunks[i];
    }
    return span;
}

} // namespace cs
