#include "transposecodec.h"

#include <cstring>

namespace cs {

namespace {

// Walks the chunk in C order and the permuted array by its strides, one item of N bytes at a time
// (N fixed at compile time for the common sizes, so each copy is one move; 0: `size` bytes).
template <size_t N>
void walk(const char *src, char *dst, const Coords &shape, const Coords &stride, bool forward, size_t size = N)
{
    const int rank = shape.rank;
    int64_t total = 1;
    for (int d = 0; d < rank; ++d)
        total *= shape[d];
    int64_t idx[kMaxRank] = {};
    int64_t p = 0;
    for (int64_t c = 0; c < total; ++c) {
        const int64_t item = N ? int64_t(N) : int64_t(size);
        if (forward)
            std::memcpy(dst + p * item, src + c * item, N ? N : size);
        else
            std::memcpy(dst + c * item, src + p * item, N ? N : size);
        for (int d = rank - 1; d >= 0; --d) {
            p += stride[d];
            if (++idx[d] < shape[d])
                break;
            p -= stride[d] * shape[d];
            idx[d] = 0;
        }
    }
}

} // namespace

TransposeCodec::TransposeCodec(const Coords &shape, size_t itemsize, const Coords &order)
    : m_shape(shape)
    , m_itemsize(itemsize)
    , m_order(order)
    , m_stride(Coords::filled(shape.rank, 0))
    , m_bytes(size_t(shape.product()) * itemsize)
{
    // Axis order[i] of the chunk is axis i of the permuted array, whose C-order stride is the
    // product of the permuted extents after i.
    int64_t s = 1;
    for (int i = shape.rank - 1; i >= 0; --i) {
        m_stride[int(order[i])] = s;
        s *= shape[int(order[i])];
    }
}

Coords TransposeCodec::reversedOrder(int rank)
{
    Coords order = Coords::filled(rank, 0);
    for (int i = 0; i < rank; ++i)
        order[i] = rank - 1 - i;
    return order;
}

void TransposeCodec::permute(const char *src, char *dst, bool forward) const
{
    switch (m_itemsize) {
    case 1:
        return walk<1>(src, dst, m_shape, m_stride, forward);
    case 2:
        return walk<2>(src, dst, m_shape, m_stride, forward);
    case 4:
        return walk<4>(src, dst, m_shape, m_stride, forward);
    case 8:
        return walk<8>(src, dst, m_shape, m_stride, forward);
    default:
        return walk<0>(src, dst, m_shape, m_stride, forward, m_itemsize);
    }
}

size_t TransposeCodec::encode(const void *in, size_t n, void *out, size_t cap) const
{
    if (n != m_bytes || cap < n)
        throw CodecError(QStringLiteral("transpose: a chunk of %1 bytes, expected %2").arg(n).arg(m_bytes));
    permute(static_cast<const char *>(in), static_cast<char *>(out), true);
    return n;
}

size_t TransposeCodec::decode(const void *in, size_t n, void *out, size_t cap) const
{
    if (n != m_bytes || cap < n)
        throw CodecError(QStringLiteral("the chunk decodes to %1 bytes, expected %2").arg(n).arg(m_bytes));
    permute(static_cast<const char *>(in), static_cast<char *>(out), false);
    return n;
}

QString TransposeCodec::describe() const
{
    return QStringLiteral("transpose(%1)").arg(m_order.toString());
}

} // namespace cs
