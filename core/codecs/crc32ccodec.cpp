#include "crc32ccodec.h"

#include "crc32c.h"

#include <cstring>

namespace cs {

namespace {

constexpr size_t kChecksumBytes = 4;

QString hex32(uint32_t v)
{
    return QStringLiteral("0x%1").arg(v, 8, 16, QLatin1Char('0'));
}

} // namespace

size_t Crc32cCodec::maxEncodedSize(size_t n) const
{
    return n + kChecksumBytes;
}

size_t Crc32cCodec::encode(const void *in, size_t n, void *out, size_t cap) const
{
    if (cap < n + kChecksumBytes)
        throw CodecError(QStringLiteral("crc32c output of %1 bytes does not fit in %2 bytes")
                             .arg(qulonglong(n + kChecksumBytes))
                             .arg(qulonglong(cap)));
    const uint32_t crc = crc32c(in, n);
    auto *o = static_cast<unsigned char *>(out);
    std::memmove(o, in, n);
    for (size_t i = 0; i < kChecksumBytes; ++i)
        o[n + i] = static_cast<unsigned char>(crc >> (8 * i));
    return n + kChecksumBytes;
}

size_t Crc32cCodec::verify(const void *in, size_t n)
{
    if (n < kChecksumBytes)
        throw CodecError(
            QStringLiteral("crc32c input of %1 bytes is shorter than its 4-byte checksum").arg(qulonglong(n)));
    const size_t payload = n - kChecksumBytes;
    const auto *p = static_cast<const unsigned char *>(in);
    uint32_t stored = 0;
    for (size_t i = 0; i < kChecksumBytes; ++i)
        stored |= uint32_t(p[payload + i]) << (8 * i);
    const uint32_t computed = crc32c(p, payload);
    if (stored != computed)
        throw CodecError(
            QStringLiteral("crc32c checksum mismatch: stored %1, computed %2").arg(hex32(stored), hex32(computed)));
    return payload;
}

size_t Crc32cCodec::decode(const void *in, size_t n, void *out, size_t cap) const
{
    const size_t payload = verify(in, n);
    if (payload > cap)
        throw CodecError(QStringLiteral("crc32c payload of %1 bytes does not fit in %2 bytes")
                             .arg(qulonglong(payload))
                             .arg(qulonglong(cap)));
    std::memmove(out, in, payload);
    return payload;
}

QString Crc32cCodec::describe() const
{
    return QStringLiteral("crc32c");
}

} // namespace cs
