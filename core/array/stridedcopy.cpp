#include "stridedcopy.h"

#include <cstring>

namespace cs {

namespace {

// The shape of a box walk: after merging, dimensions [0, outerRank) are walked one element at a
// time and everything from outerRank on is one contiguous run of runBytes in both buffers.
struct BoxWalk {
    int outerRank = 0;
    size_t runBytes = 0;
    int64_t srcStride[kMaxRank]{};
    int64_t dstStride[kMaxRank]{};
    int64_t count[kMaxRank]{};
    int64_t srcBase = 0;
    int64_t dstBase = 0;
};

BoxWalk planWalk(const Coords &srcShape, const Coords &srcOffset, const Coords &dstShape, const Coords &dstOffset,
                 const Coords &count, size_t itemsize)
{
    BoxWalk w;
    const int rank = count.rank;
    int64_t srcStrides[kMaxRank];
    int64_t dstStrides[kMaxRank];
    int64_t s = 1, d = 1;
    for (int i = rank - 1; i >= 0; --i) {
        srcStrides[i] = s;
        dstStrides[i] = d;
        s *= srcShape[i];
        d *= dstShape[i];
    }
    for (int i = 0; i < rank; ++i) {
        w.srcBase += srcOffset[i] * srcStrides[i];
        w.dstBase += dstOffset[i] * dstStrides[i];
    }
    // Merge trailing dimensions while the box spans them fully in both buffers.
    int inner = rank - 1;
    int64_t run = rank > 0 ? count[inner] : 1;
    while (inner > 0 && count[inner] == srcShape[inner] && count[inner] == dstShape[inner]) {
        --inner;
        run *= count[inner];
    }
    w.outerRank = inner;
    w.runBytes = size_t(run) * itemsize;
    for (int i = 0; i < inner; ++i) {
        w.srcStride[i] = srcStrides[i];
        w.dstStride[i] = dstStrides[i];
        w.count[i] = count[i];
    }
    w.srcBase *= int64_t(itemsize);
    w.dstBase *= int64_t(itemsize);
    for (int i = 0; i < inner; ++i) {
        w.srcStride[i] *= int64_t(itemsize);
        w.dstStride[i] *= int64_t(itemsize);
    }
    return w;
}

// Calls f(srcByteOffset, dstByteOffset) for every contiguous run of the walk; stops when f returns false.
template <typename F> void walk(const BoxWalk &w, F &&f)
{
    int64_t idx[kMaxRank] = {};
    for (int i = 0; i < w.outerRank; ++i)
        if (w.count[i] <= 0)
            return;
    int64_t so = w.srcBase, dof = w.dstBase;
    for (;;) {
        if (!f(so, dof))
            return;
        int d = w.outerRank - 1;
        while (d >= 0) {
            ++idx[d];
            so += w.srcStride[d];
            dof += w.dstStride[d];
            if (idx[d] < w.count[d])
                break;
            so -= w.srcStride[d] * w.count[d];
            dof -= w.dstStride[d] * w.count[d];
            idx[d] = 0;
            --d;
        }
        if (d < 0)
            return;
    }
}

bool anyEmpty(const Coords &count)
{
    for (int i = 0; i < count.rank; ++i)
        if (count[i] <= 0)
            return true;
    return false;
}

} // namespace

void copyBox(const void *src, const Coords &srcShape, const Coords &srcOffset, void *dst, const Coords &dstShape,
             const Coords &dstOffset, const Coords &count, size_t itemsize)
{
    if (anyEmpty(count))
        return;
    const BoxWalk w = planWalk(srcShape, srcOffset, dstShape, dstOffset, count, itemsize);
    const auto *s = static_cast<const char *>(src);
    auto *d = static_cast<char *>(dst);
    walk(w, [&](int64_t so, int64_t dof) {
        std::memcpy(d + dof, s + so, w.runBytes);
        return true;
    });
}

void fillBox(void *dst, const Coords &dstShape, const Coords &dstOffset, const Coords &count, const void *item,
             size_t itemsize)
{
    if (anyEmpty(count))
        return;
    const BoxWalk w = planWalk(dstShape, dstOffset, dstShape, dstOffset, count, itemsize);
    auto *d = static_cast<char *>(dst);
    const auto *it = static_cast<const unsigned char *>(item);
    bool allSame = true;
    for (size_t i = 1; i < itemsize; ++i)
        allSame = allSame && it[i] == it[0];
    walk(w, [&](int64_t, int64_t dof) {
        if (allSame) {
            std::memset(d + dof, it[0], w.runBytes);
        } else {
            for (size_t off = 0; off < w.runBytes; off += itemsize)
                std::memcpy(d + dof + int64_t(off), item, itemsize);
        }
        return true;
    });
}

int64_t compareBox(const void *a, const Coords &aShape, const Coords &aOffset, const void *b, const Coords &bShape,
                   const Coords &bOffset, const Coords &count, size_t itemsize)
{
    // Items have at least one byte (DType guarantees it); an empty box has nothing to differ.
    if (anyEmpty(count) || itemsize == 0)
        return -1;
    const BoxWalk w = planWalk(aShape, aOffset, bShape, bOffset, count, itemsize);
    const auto *pa = static_cast<const char *>(a);
    const auto *pb = static_cast<const char *>(b);
    int64_t seen = 0;
    int64_t mismatch = -1;
    walk(w, [&](int64_t ao, int64_t bo) {
        if (std::memcmp(pa + ao, pb + bo, w.runBytes) != 0) {
            for (size_t off = 0; off < w.runBytes; off += itemsize) {
                if (std::memcmp(pa + ao + int64_t(off), pb + bo + int64_t(off), itemsize) != 0) {
                    mismatch = seen + int64_t(off / itemsize);
                    return false;
                }
            }
        }
        seen += int64_t(w.runBytes / itemsize);
        return true;
    });
    return mismatch;
}

int64_t contiguousOffset(const Coords &shape, const Region &region, size_t itemsize)
{
    // Contiguous when every dimension after the first one the region cuts is taken whole,
    // and all dimensions before it are a single index.
    int first = 0;
    while (first < shape.rank && region.stop[first] - region.start[first] == 1)
        ++first;
    for (int i = first + 1; i < shape.rank; ++i)
        if (region.start[i] != 0 || region.stop[i] != shape[i])
            return -1;
    int64_t offset = 0;
    for (int i = 0; i < shape.rank; ++i)
        offset = offset * shape[i] + region.start[i];
    return offset * int64_t(itemsize);
}

} // namespace cs
