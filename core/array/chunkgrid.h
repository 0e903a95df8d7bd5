#pragma once

#include "region.h"

namespace cs {

// The regular grid of chunks that covers an array, with edge chunks clipped to the shape.
// Chunks are numbered in C order of their grid coordinates, as Zarr and dask number them.
class ChunkGrid {
public:
    ChunkGrid() = default;
    ChunkGrid(const Coords &shape, const Coords &chunks);

    const Coords &shape() const { return m_shape; }
    const Coords &chunks() const { return m_chunks; }
    int rank() const { return m_shape.rank; }
    // Number of chunks along each dimension.
    const Coords &gridShape() const { return m_grid; }
    int64_t chunkCount() const { return m_count; }

    Coords chunkCoords(int64_t linear) const;
    int64_t linearIndex(const Coords &chunkCoords) const;
    // The chunk's region, clipped to the array's shape.
    Region chunkRegion(int64_t linear) const;
    Region chunkRegion(const Coords &chunkCoords) const;
    // The chunk's full, unclipped region: edge chunks are stored full size by Zarr and HDF5.
    Region fullChunkRegion(const Coords &chunkCoords) const;

    // The range of chunk coordinates [first, last] that a region touches.
    Region chunkSpan(const Region &region) const;

    // Calls f(chunkCoords) for every chunk the region touches, in C order. No allocation.
    template <typename F> void forEachChunk(const Region &region, F &&f) const
    {
        if (region.isEmpty())
            return;
        const Region span = chunkSpan(region);
        Coords c = span.start;
        const int r = rank();
        if (r == 0)
            return;
        for (;;) {
            f(static_cast<const Coords &>(c));
            int d = r - 1;
            while (d >= 0) {
                if (++c[d] < span.stop[d])
                    break;
                c[d] = span.start[d];
                --d;
            }
            if (d < 0)
                return;
        }
    }

private:
    Coords m_shape;
    Coords m_chunks;
    Coords m_grid;
    int64_t m_count = 0;
};

} // namespace cs
