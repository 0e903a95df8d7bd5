#include "lzmacodec.h"

#include <lzma.h>

namespace cs {

namespace {

constexpr uint32_t kExtreme = 0x80000000u;

// One stream per thread, kept between chunks: liblzma reuses a stream's allocations when the same
// coder is started on it again, so warm workers do not allocate per chunk.
struct Stream {
    lzma_stream s = LZMA_STREAM_INIT;
    ~Stream() { lzma_end(&s); }
};
thread_local Stream t_encoder;
thread_local Stream t_decoder;

QString errorText(lzma_ret rc)
{
    switch (rc) {
    case LZMA_FORMAT_ERROR:
        return QStringLiteral("not an xz stream");
    case LZMA_OPTIONS_ERROR:
        return QStringLiteral("unsupported options");
    case LZMA_DATA_ERROR:
        return QStringLiteral("data error");
    case LZMA_BUF_ERROR:
        return QStringLiteral("truncated");
    case LZMA_MEMLIMIT_ERROR:
        return QStringLiteral("needs more than %1 MiB to decode").arg(LzmaCodec::kMemoryLimit >> 20);
    case LZMA_MEM_ERROR:
        return QStringLiteral("out of memory");
    default:
        return QStringLiteral("error %1").arg(int(rc));
    }
}

// Runs a stream that started with `started` over the whole input into out, in one call.
lzma_ret run(lzma_stream &s, lzma_ret started, const void *in, size_t n, void *out, size_t cap)
{
    if (started != LZMA_OK)
        throw CodecError(QStringLiteral("lzma could not start a stream (%1)").arg(errorText(started)));
    s.next_in = static_cast<const uint8_t *>(in);
    s.avail_in = n;
    s.next_out = static_cast<uint8_t *>(out);
    s.avail_out = cap;
    return lzma_code(&s, LZMA_FINISH);
}

} // namespace

LzmaCodec::LzmaCodec(uint32_t preset, int check)
    : m_preset(preset)
    , m_check(check)
{
    if ((preset & ~kExtreme) > 9)
        // The message shows the level without the extreme flag, as 0-9 is what a user sets.
        throw CodecError(QStringLiteral("lzma preset %1 is out of range 0-9").arg(preset & ~kExtreme));
    if (check != -1 && check != LZMA_CHECK_NONE && check != LZMA_CHECK_CRC32 && check != LZMA_CHECK_CRC64
        && check != LZMA_CHECK_SHA256)
        throw CodecError(QStringLiteral("lzma check %1 is not one of -1, 0, 1, 4 and 10").arg(check));
}

size_t LzmaCodec::maxEncodedSize(size_t n) const
{
    return lzma_stream_buffer_bound(n);
}

size_t LzmaCodec::encode(const void *in, size_t n, void *out, size_t cap) const
{
    // The streaming encoder, as Python's LZMACompressor uses: its block headers carry no sizes, unlike
    // lzma_stream_buffer_encode's, so the bytes match numcodecs'.
    lzma_stream &s = t_encoder.s;
    const lzma_check check = m_check == -1 ? LZMA_CHECK_CRC64 : lzma_check(m_check);
    lzma_ret rc = run(s, lzma_easy_encoder(&s, m_preset, check), in, n, out, cap);
    if (rc == LZMA_OK || rc == LZMA_BUF_ERROR)
        throw CodecError(
            QStringLiteral("lzma output of %1 bytes does not fit in %2 bytes").arg(qulonglong(n)).arg(qulonglong(cap)));
    if (rc != LZMA_STREAM_END)
        throw CodecError(QStringLiteral("lzma compression failed (%1)").arg(errorText(rc)));
    return cap - s.avail_out;
}

size_t LzmaCodec::decode(const void *in, size_t n, void *out, size_t cap) const
{
    if (n == 0)
        throw CodecError(QStringLiteral("corrupt lzma stream (no data)"));
    lzma_stream &s = t_decoder.s;
    lzma_ret rc = run(s, lzma_stream_decoder(&s, kMemoryLimit, LZMA_CONCATENATED), in, n, out, cap);
    const size_t produced = cap - s.avail_out;
    if (rc == LZMA_STREAM_END)
        return produced;
    if ((rc == LZMA_OK || rc == LZMA_BUF_ERROR) && s.avail_out == 0) {
        // out is full: one more byte from the decoder means the chunk is larger than expected.
        uint8_t probe = 0;
        s.next_out = &probe;
        s.avail_out = 1;
        rc = lzma_code(&s, LZMA_FINISH);
        if (s.avail_out == 0)
            throw CodecError(
                QStringLiteral("corrupt lzma stream (decodes to more than %1 bytes)").arg(qulonglong(cap)));
        if (rc == LZMA_STREAM_END)
            return produced;
    }
    throw CodecError(QStringLiteral("corrupt lzma stream (%1)").arg(errorText(rc == LZMA_OK ? LZMA_BUF_ERROR : rc)));
}

QString LzmaCodec::describe() const
{
    const QString preset
        = QString::number(m_preset & ~kExtreme) + ((m_preset & kExtreme) ? QStringLiteral("e") : QString());
    return QStringLiteral("lzma(preset=%1, check=%2)").arg(preset).arg(m_check);
}

} // namespace cs
