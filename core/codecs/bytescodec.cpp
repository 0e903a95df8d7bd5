#include "bytescodec.h"

#include <algorithm>
#include <cstring>

namespace cs {

BytesCodec::BytesCodec(int itemsize, bool bigEndian)
    : m_itemsize(std::max(itemsize, 1))
    , m_bigEndian(bigEndian)
{
}

size_t BytesCodec::convert(const void *in, size_t n, void *out, size_t cap) const
{
    if (n > cap)
        throw CodecError(
            QStringLiteral("bytes: %1 bytes do not fit in %2 bytes").arg(qulonglong(n)).arg(qulonglong(cap)));
    if (n % size_t(m_itemsize) != 0)
        throw CodecError(QStringLiteral("bytes: %1 bytes are not a whole number of %2-byte items")
                             .arg(qulonglong(n))
                             .arg(m_itemsize));
    const auto *src = static_cast<const unsigned char *>(in);
    auto *dst = static_cast<unsigned char *>(out);
    if (isIdentity()) {
        std::memmove(dst, src, n);
        return n;
    }
    const size_t k = size_t(m_itemsize);
    for (size_t at = 0; at < n; at += k)
        for (size_t b = 0; b < k; ++b)
            dst[at + b] = src[at + k - 1 - b];
    return n;
}

size_t BytesCodec::encode(const void *in, size_t n, void *out, size_t cap) const
{
    return convert(in, n, out, cap);
}

size_t BytesCodec::decode(const void *in, size_t n, void *out, size_t cap) const
{
    return convert(in, n, out, cap);
}

QString BytesCodec::describe() const
{
    return m_bigEndian ? QStringLiteral("bytes(big)") : QStringLiteral("bytes(little)");
}

} // namespace cs
