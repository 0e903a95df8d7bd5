#include "zstdcodec.h"

#include <zstd.h>
#include <zstd_errors.h>

namespace cs {

namespace {

// A context allocates its tables once; one per thread, kept between chunks, lets the copy's workers
// encode and decode without allocating once warm.
struct CompressContext {
    ZSTD_CCtx *ctx = nullptr;
    int level = 0;
    int checksum = -1; // -1: no parameters set yet
    ~CompressContext() { ZSTD_freeCCtx(ctx); }
    ZSTD_CCtx *ready(int wantedLevel, bool wantedChecksum)
    {
        if (!ctx && !(ctx = ZSTD_createCCtx()))
            throw CodecError(QStringLiteral("zstd could not allocate a compression context"));
        if (checksum != int(wantedChecksum) || level != wantedLevel) {
            ZSTD_CCtx_reset(ctx, ZSTD_reset_session_and_parameters);
            ZSTD_CCtx_setParameter(ctx, ZSTD_c_compressionLevel, wantedLevel);
            ZSTD_CCtx_setParameter(ctx, ZSTD_c_checksumFlag, wantedChecksum ? 1 : 0);
            level = wantedLevel;
            checksum = int(wantedChecksum);
        }
        return ctx;
    }
};

struct DecompressContext {
    ZSTD_DCtx *ctx = nullptr;
    ~DecompressContext() { ZSTD_freeDCtx(ctx); }
    ZSTD_DCtx *ready()
    {
        if (!ctx && !(ctx = ZSTD_createDCtx()))
            throw CodecError(QStringLiteral("zstd could not allocate a decompression context"));
        return ctx;
    }
};

thread_local CompressContext t_compress;
thread_local DecompressContext t_decompress;

QString errorName(size_t rc)
{
    return QString::fromLatin1(ZSTD_getErrorName(rc));
}

} // namespace

ZstdCodec::ZstdCodec(int level, bool checksum)
    : m_level(level)
    , m_checksum(checksum)
{
    if (level < ZSTD_minCLevel() || level > ZSTD_maxCLevel())
        throw CodecError(QStringLiteral("zstd level %1 is out of range %2 to %3")
                             .arg(level)
                             .arg(ZSTD_minCLevel())
                             .arg(ZSTD_maxCLevel()));
}

size_t ZstdCodec::maxEncodedSize(size_t n) const
{
    // ZSTD_compressBound covers the frame header; the optional checksum adds 4 bytes.
    return ZSTD_compressBound(n) + 4;
}

size_t ZstdCodec::encode(const void *in, size_t n, void *out, size_t cap) const
{
    // ZSTD_compress2 writes the content size in the frame header, which numcodecs' Zstd needs to decode.
    const size_t rc = ZSTD_compress2(t_compress.ready(m_level, m_checksum), out, cap, in, n);
    if (ZSTD_isError(rc)) {
        if (ZSTD_getErrorCode(rc) == ZSTD_error_dstSize_tooSmall)
            throw CodecError(QStringLiteral("zstd output of %1 bytes does not fit in %2 bytes")
                                 .arg(qulonglong(n))
                                 .arg(qulonglong(cap)));
        throw CodecError(QStringLiteral("zstd compression failed (%1)").arg(errorName(rc)));
    }
    return rc;
}

size_t ZstdCodec::decode(const void *in, size_t n, void *out, size_t cap) const
{
    // No input decodes to nothing without complaint; but every encoded chunk holds at least one frame.
    if (n == 0)
        throw CodecError(QStringLiteral("corrupt zstd frame (no data)"));
    // One call decodes every frame of the input into out, and verifies each frame's checksum if it has one.
    const size_t rc = ZSTD_decompressDCtx(t_decompress.ready(), out, cap, in, n);
    if (ZSTD_isError(rc)) {
        if (ZSTD_getErrorCode(rc) == ZSTD_error_dstSize_tooSmall)
            throw CodecError(QStringLiteral("corrupt zstd frame (decodes to more than %1 bytes)").arg(qulonglong(cap)));
        throw CodecError(QStringLiteral("corrupt zstd frame (%1)").arg(errorName(rc)));
    }
    return rc;
}

QString ZstdCodec::describe() const
{
    return QStringLiteral("zstd(level=%1, checksum=%2)")
        .arg(m_level)
        .arg(m_checksum ? QStringLiteral("true") : QStringLiteral("false"));
}

} // namespace cs
