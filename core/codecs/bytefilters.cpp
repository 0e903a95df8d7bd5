#include "bytefilters.h"

#include "shuffle.h"

#include <cstdint>
#include <cstring>

namespace cs {

size_t PackBitsFilter::encode(const void *in, size_t n, void *out, size_t cap) const
{
    if (maxEncodedSize(n) > cap)
        throw CodecError(QStringLiteral("packbits output of %1 bytes does not fit in %2 bytes")
                             .arg(qulonglong(n))
                             .arg(qulonglong(cap)));
    const auto *src = static_cast<const uint8_t *>(in);
    auto *dst = static_cast<uint8_t *>(out);
    const size_t leftover = n % 8;
    dst[0] = uint8_t(leftover ? 8 - leftover : 0);
    const size_t bytes = (n + 7) / 8;
    std::memset(dst + 1, 0, bytes);
    for (size_t i = 0; i < n; ++i)
        if (src[i])
            dst[1 + i / 8] |= uint8_t(0x80u >> (i % 8));
    return 1 + bytes;
}

size_t PackBitsFilter::decode(const void *in, size_t n, void *out, size_t cap) const
{
    const auto *src = static_cast<const uint8_t *>(in);
    if (n == 0)
        throw CodecError(QStringLiteral("corrupt packbits chunk (no padding byte)"));
    const size_t padding = src[0];
    if (padding > 7 || (padding > 0 && n == 1))
        throw CodecError(QStringLiteral("corrupt packbits chunk (%1 padding bits)").arg(padding));
    const size_t count = (n - 1) * 8 - padding;
    if (count > cap)
        throw CodecError(QStringLiteral("packbits: the chunk decodes to %1 bytes, more than %2")
                             .arg(qulonglong(count))
                             .arg(qulonglong(cap)));
    auto *dst = static_cast<uint8_t *>(out);
    for (size_t i = 0; i < count; ++i)
        dst[i] = (src[1 + i / 8] >> (7 - i % 8)) & 1u;
    return count;
}

ElementShuffleFilter::ElementShuffleFilter(size_t elementsize)
    : m_elementsize(elementsize)
{
}

void ElementShuffleFilter::check(size_t n, size_t cap) const
{
    if (m_elementsize > 1 && n % m_elementsize != 0)
        throw CodecError(QStringLiteral("shuffle: a chunk of %1 bytes is not a whole number of %2-byte elements")
                             .arg(qulonglong(n))
                             .arg(qulonglong(m_elementsize)));
    if (n > cap)
        throw CodecError(QStringLiteral("shuffle: %1 bytes do not fit in %2").arg(qulonglong(n)).arg(qulonglong(cap)));
}

size_t ElementShuffleFilter::encode(const void *in, size_t n, void *out, size_t cap) const
{
    check(n, cap);
    shuffleBytes(in, out, n, m_elementsize < 1 ? 1 : m_elementsize);
    return n;
}

size_t ElementShuffleFilter::decode(const void *in, size_t n, void *out, size_t cap) const
{
    check(n, cap);
    unshuffleBytes(in, out, n, m_elementsize < 1 ? 1 : m_elementsize);
    return n;
}

QString ElementShuffleFilter::describe() const
{
    return QStringLiteral("shuffle(elementsize=%1)").arg(qulonglong(m_elementsize));
}

} // namespace cs
