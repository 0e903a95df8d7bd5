#include "blosccodec.h"

#include <blosc.h>

#include <algorithm>

namespace cs {

BloscCodec::BloscCodec(const BloscParams &params)
    : m_params(params)
    , m_cname(params.cname.toLatin1())
{
    // blosc_compname_to_compcode only reads a constant table, so it is safe without blosc_init.
    if (blosc_compname_to_compcode(m_cname.constData()) < 0)
        throw CodecError(QStringLiteral("blosc compressor \"%1\" is not available (expected one of %2)")
                             .arg(params.cname, QString::fromLatin1(blosc_list_compressors())));
    if (params.clevel < 0 || params.clevel > 9)
        throw CodecError(QStringLiteral("blosc clevel %1 is out of range 0-9").arg(params.clevel));
    if (params.shuffle < -1 || params.shuffle > 2)
        throw CodecError(QStringLiteral("blosc shuffle %1 is not one of -1, 0, 1, 2").arg(params.shuffle));
    if (params.blocksize < 0)
        throw CodecError(QStringLiteral("blosc blocksize %1 is negative").arg(params.blocksize));
    if (params.typesize < 1)
        throw CodecError(QStringLiteral("blosc typesize %1 is not positive").arg(params.typesize));
}

size_t BloscCodec::maxEncodedSize(size_t n) const
{
    return n + BLOSC_MAX_OVERHEAD;
}

size_t BloscCodec::encode(const void *in, size_t n, void *out, size_t cap) const
{
    if (n > size_t(BLOSC_MAX_BUFFERSIZE))
        throw CodecError(QStringLiteral("%1 bytes exceed blosc's limit of %2 bytes per chunk")
                             .arg(qulonglong(n))
                             .arg(BLOSC_MAX_BUFFERSIZE));
    // numcodecs resolves AUTOSHUFFLE itself before calling blosc: bit shuffle for 1-byte items.
    int shuffle = m_params.shuffle;
    if (shuffle == -1)
        shuffle = m_params.typesize == 1 ? BLOSC_BITSHUFFLE : BLOSC_SHUFFLE;
    // numcodecs passes exactly n + BLOSC_MAX_OVERHEAD; blosc's choice between compressed and
    // stored blocks depends on the destination size, so the same bound gives the same frame.
    const size_t destsize = std::min(cap, n + BLOSC_MAX_OVERHEAD);
    const int written = blosc_compress_ctx(m_params.clevel, shuffle, size_t(m_params.typesize), n, in, out, destsize,
                                           m_cname.constData(), size_t(m_params.blocksize), 1);
    if (written < 0)
        throw CodecError(QStringLiteral("blosc compression failed (error %1)").arg(written));
    if (written == 0)
        throw CodecError(QStringLiteral("blosc output of %1 bytes does not fit in %2 bytes")
                             .arg(qulonglong(n))
                             .arg(qulonglong(destsize)));
    return size_t(written);
}

size_t BloscCodec::decodedSize(const void *frame, size_t frameBytes)
{
    if (frameBytes < BLOSC_MIN_HEADER_LENGTH)
        throw CodecError(QStringLiteral("corrupt blosc frame (%1 bytes, shorter than the %2-byte header)")
                             .arg(qulonglong(frameBytes))
                             .arg(BLOSC_MIN_HEADER_LENGTH));
    size_t nbytes = 0;
    if (blosc_cbuffer_validate(frame, frameBytes, &nbytes) < 0) {
        size_t cbytes = 0, blocksize = 0;
        blosc_cbuffer_sizes(frame, &nbytes, &cbytes, &blocksize);
        // The header's sizes are unsigned 32-bit fields, which blosc hands out sign-extended.
        throw CodecError(QStringLiteral("corrupt blosc frame (header announces %1 bytes compressed to %2, "
                                        "the frame has %3)")
                             .arg(qulonglong(uint32_t(nbytes)))
                             .arg(qulonglong(uint32_t(cbytes)))
                             .arg(qulonglong(frameBytes)));
    }
    return nbytes;
}

size_t BloscCodec::decode(const void *in, size_t n, void *out, size_t cap) const
{
    const size_t nbytes = decodedSize(in, n);
    if (nbytes > cap)
        throw CodecError(QStringLiteral("corrupt blosc frame (decodes to %1 bytes, expected %2)")
                             .arg(qulonglong(nbytes))
                             .arg(qulonglong(cap)));
    const int decoded = blosc_decompress_ctx(in, out, cap, 1);
    if (decoded < 0 || size_t(decoded) != nbytes)
        throw CodecError(QStringLiteral("corrupt blosc frame (blosc_decompress_ctx returned %1, header announces "
                                        "%2 bytes)")
                             .arg(decoded)
                             .arg(qulonglong(nbytes)));
    return nbytes;
}

const QStringList &BloscCodec::compressorNames()
{
    static const QStringList names = {QStringLiteral("blosclz"), QStringLiteral("lz4"),  QStringLiteral("lz4hc"),
                                      QStringLiteral("snappy"),  QStringLiteral("zlib"), QStringLiteral("zstd")};
    return names;
}

QString BloscCodec::describe() const
{
    return QStringLiteral("blosc(cname=%1, clevel=%2, shuffle=%3)")
        .arg(m_params.cname)
        .arg(m_params.clevel)
        .arg(m_params.shuffle);
}

} // namespace cs
