#include "bz2codec.h"

#include <bzlib.h>

#include <climits>

namespace cs {

namespace {

// libbz2 counts in unsigned int; a chunk is far smaller, but a larger one must fail, not wrap.
void checkSize(size_t n, const char *what)
{
    if (n > UINT_MAX)
        throw CodecError(
            QStringLiteral("bz2 cannot %1 %2 bytes in one call").arg(QLatin1String(what)).arg(qulonglong(n)));
}

// Ends a decompression stream however the decode leaves it.
struct DecompressStream {
    bz_stream s{};
    bool open = false;
    ~DecompressStream() { end(); }
    void start()
    {
        end();
        if (BZ2_bzDecompressInit(&s, 0, 0) != BZ_OK)
            throw CodecError(QStringLiteral("bz2 could not start a stream"));
        open = true;
    }
    void end()
    {
        if (open)
            BZ2_bzDecompressEnd(&s);
        open = false;
    }
};

} // namespace

Bz2Codec::Bz2Codec(int level)
    : m_level(level)
{
    if (level < 1 || level > 9)
        throw CodecError(QStringLiteral("bz2 level %1 is out of range 1-9").arg(level));
}

size_t Bz2Codec::maxEncodedSize(size_t n) const
{
    // bzip2's manual: "1% larger than the uncompressed data, plus 600 extra bytes".
    return n + n / 100 + 600;
}

size_t Bz2Codec::encode(const void *in, size_t n, void *out, size_t cap) const
{
    checkSize(n, "compress");
    // Python's BZ2Compressor uses the same defaults: verbosity 0, work factor 0 (30).
    unsigned int written = cap > UINT_MAX ? UINT_MAX : unsigned(cap);
    const int rc
        = BZ2_bzBuffToBuffCompress(static_cast<char *>(out), &written,
                                   const_cast<char *>(static_cast<const char *>(in)), unsigned(n), m_level, 0, 0);
    if (rc == BZ_OUTBUFF_FULL)
        throw CodecError(
            QStringLiteral("bz2 output of %1 bytes does not fit in %2 bytes").arg(qulonglong(n)).arg(qulonglong(cap)));
    if (rc != BZ_OK)
        throw CodecError(QStringLiteral("bz2 compression failed (error %1)").arg(rc));
    return written;
}

size_t Bz2Codec::decode(const void *in, size_t n, void *out, size_t cap) const
{
    checkSize(n, "decompress");
    checkSize(cap, "decompress into");
    if (n == 0)
        throw CodecError(QStringLiteral("corrupt bz2 stream (no data)"));
    DecompressStream stream;
    bz_stream &s = stream.s;
    char *const begin = static_cast<char *>(out);
    const char *src = static_cast<const char *>(in);
    size_t inLeft = n;
    size_t produced = 0;
    // Output goes to out, then to a one-byte probe once out is full: any byte written there means the
    // chunk decodes to more than cap, whatever its header or our buffer says.
    char probe = 0;
    while (inLeft > 0) {
        stream.start();
        s.next_in = const_cast<char *>(src);
        s.avail_in = unsigned(inLeft);
        int rc = BZ_OK;
        while (rc == BZ_OK) {
            const bool full = produced == cap;
            s.next_out = full ? &probe : begin + produced;
            s.avail_out = full ? 1 : unsigned(cap - produced);
            const unsigned before = s.avail_out;
            rc = BZ2_bzDecompress(&s);
            if (full && s.avail_out != before)
                throw CodecError(
                    QStringLiteral("corrupt bz2 stream (decodes to more than %1 bytes)").arg(qulonglong(cap)));
            if (!full)
                produced += before - s.avail_out;
            if (rc == BZ_OK && s.avail_in == 0 && s.avail_out != 0)
                throw CodecError(QStringLiteral("corrupt bz2 stream (truncated)"));
        }
        if (rc != BZ_STREAM_END) {
            if (rc == BZ_DATA_ERROR_MAGIC)
                throw CodecError(QStringLiteral("corrupt bz2 stream (not a bzip2 stream)"));
            if (rc == BZ_DATA_ERROR)
                throw CodecError(QStringLiteral("corrupt bz2 stream (data error)"));
            throw CodecError(QStringLiteral("bz2 decompression failed (error %1)").arg(rc));
        }
        src += inLeft - s.avail_in;
        inLeft = s.avail_in;
    }
    return produced;
}

QString Bz2Codec::describe() const
{
    return QStringLiteral("bz2(level=%1)").arg(m_level);
}

} // namespace cs
