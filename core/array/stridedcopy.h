#pragma once

#include "coords.h"
#include "region.h"

#include <cstddef>

namespace cs {

// Copies a box of `count` elements between two dense C-order buffers of shapes srcShape and
// dstShape, starting at srcOffset and dstOffset. Contiguous trailing dimensions are merged so
// that the inner loop is one memcpy as long as possible; the common 1-D case is a single memcpy.
void copyBox(const void *src, const Coords &srcShape, const Coords &srcOffset, void *dst, const Coords &dstShape,
             const Coords &dstOffset, const Coords &count, size_t itemsize);

// Fills a box of a dense C-order buffer with copies of one item (a Zarr fill_value, for example).
void fillBox(void *dst, const Coords &dstShape, const Coords &dstOffset, const Coords &count, const void *item,
             size_t itemsize);

// Compares a box of two dense C-order buffers; returns the C-order index within the box of the first
// differing element, or -1 when they are equal.
int64_t compareBox(const void *a, const Coords &aShape, const Coords &aOffset, const void *b, const Coords &bShape,
                   const Coords &bOffset, const Coords &count, size_t itemsize);

// The byte offset of `region` in a dense C-order buffer of `shape` when the region is one contiguous
// run of its bytes there, or -1 when it is not.
int64_t contiguousOffset(const Coords &shape, const Region &region, size_t itemsize);

} // namespace cs
