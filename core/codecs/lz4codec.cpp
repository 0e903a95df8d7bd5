#include "lz4codec.h"

#include <lz4.h>

#include <cstdint>

namespace cs {

namespace {

constexpr size_t kHeader = 4;

} // namespace

Lz4Codec::Lz4Codec(int acceleration)
    : m_acceleration(acceleration)
{
}

size_t Lz4Codec::maxEncodedSize(size_t n) const
{
    // LZ4_compressBound is 0 past LZ4_MAX_INPUT_SIZE, where encode() refuses anyway.
    return n > size_t(LZ4_MAX_INPUT_SIZE) ? kHeader : kHeader + size_t(LZ4_compressBound(int(n)));
}

size_t Lz4Codec::encode(const void *in, size_t n, void *out, size_t cap) const
{
    if (n > size_t(LZ4_MAX_INPUT_SIZE))
        throw CodecError(QStringLiteral("lz4 cannot compress %1 bytes in one block (at most %2)")
                             .arg(qulonglong(n))
                             .arg(LZ4_MAX_INPUT_SIZE));
    if (cap < kHeader)
        throw CodecError(
            QStringLiteral("lz4 output of %1 bytes does not fit in %2 bytes").arg(qulonglong(n)).arg(qulonglong(cap)));
    auto *dst = static_cast<uint8_t *>(out);
    const auto size = uint32_t(n);
    for (size_t i = 0; i < kHeader; ++i)
        dst[i] = uint8_t(size >> (8 * i));
    const size_t room = cap - kHeader;
    const int written = LZ4_compress_fast(static_cast<const char *>(in), reinterpret_cast<char *>(dst + kHeader),
                                          int(n), room > size_t(INT32_MAX) ? INT32_MAX : int(room), m_acceleration);
    if (written <= 0 && n > 0)
        throw CodecError(
            QStringLiteral("lz4 output of %1 bytes does not fit in %2 bytes").arg(qulonglong(n)).arg(qulonglong(cap)));
    return kHeader + size_t(written);
}

size_t Lz4Codec::decode(const void *in, size_t n, void *out, size_t cap) const
{
    if (n < kHeader)
        throw CodecError(
            QStringLiteral("corrupt lz4 chunk (%1 bytes, shorter than its size header)").arg(qulonglong(n)));
    const auto *src = static_cast<const uint8_t *>(in);
    uint32_t size = 0;
    for (size_t i = 0; i < kHeader; ++i)
        size |= uint32_t(src[i]) << (8 * i);
    if (size > cap)
        throw CodecError(QStringLiteral("corrupt lz4 chunk (its header announces %1 bytes, more than %2)")
                             .arg(qulonglong(size))
                             .arg(qulonglong(cap)));
    if (size > uint32_t(LZ4_MAX_INPUT_SIZE) || n - kHeader > size_t(INT32_MAX))
        throw CodecError(QStringLiteral("corrupt lz4 chunk (larger than one LZ4 block can be)"));
    const int got = LZ4_decompress_safe(reinterpret_cast<const char *>(src + kHeader), static_cast<char *>(out),
                                        int(n - kHeader), int(size));
    if (got < 0)
        throw CodecError(QStringLiteral("corrupt lz4 chunk (invalid block)"));
    if (uint32_t(got) != size)
        throw CodecError(
            QStringLiteral("corrupt lz4 chunk (decodes to %1 bytes, its header says %2)").arg(got).arg(size));
    return size_t(got);
}

QString Lz4Codec::describe() const
{
    return QStringLiteral("lz4(acceleration=%1)").arg(m_acceleration);
}

} // namespace cs
