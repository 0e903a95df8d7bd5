#include "zlibcodec.h"

#include <zlib.h>

#include <algorithm>
#include <climits>

namespace cs {

namespace {

// deflateInit/inflateInit allocate a few hundred kilobytes each; a stream kept per thread and
// reset between chunks lets the copy's workers encode and decode without allocating once warm.
// deflateReset keeps the level and gives the same output as a fresh deflateInit.
struct DeflateStream {
    z_stream s{};
    int level = INT_MIN;
    ~DeflateStream()
    {
        if (level != INT_MIN)
            deflateEnd(&s);
    }
    z_stream &ready(int wanted)
    {
        if (level == wanted) {
            deflateReset(&s);
            return s;
        }
        if (level != INT_MIN)
            deflateEnd(&s);
        level = INT_MIN;
        s = z_stream{};
        if (deflateInit(&s, wanted) != Z_OK)
            throw CodecError(QStringLiteral("zlib could not start a stream at level %1").arg(wanted));
        level = wanted;
        return s;
    }
};

struct InflateStream {
    z_stream s{};
    bool started = false;
    ~InflateStream()
    {
        if (started)
            inflateEnd(&s);
    }
    z_stream &ready()
    {
        if (started) {
            inflateReset(&s);
            return s;
        }
        s = z_stream{};
        if (inflateInit(&s) != Z_OK)
            throw CodecError(QStringLiteral("zlib could not start a stream"));
        started = true;
        return s;
    }
};

thread_local DeflateStream t_deflate;
thread_local InflateStream t_inflate;

// zlib counts in uInt; chunks of 4 GiB or more are fed in pieces.
void feed(size_t &remaining, uInt &avail)
{
    const size_t take = std::min<size_t>(remaining, UINT_MAX);
    avail = uInt(take);
    remaining -= take;
}

} // namespace

ZlibCodec::ZlibCodec(int level)
    : m_level(level)
{
    if (level < -1 || level > 9)
        throw CodecError(QStringLiteral("zlib level %1 is out of range 0-9").arg(level));
}

size_t ZlibCodec::maxEncodedSize(size_t n) const
{
    return size_t(compressBound(uLong(n)));
}

size_t ZlibCodec::encode(const void *in, size_t n, void *out, size_t cap) const
{
    z_stream &s = t_deflate.ready(m_level);
    s.next_in = static_cast<Bytef *>(const_cast<void *>(in));
    s.next_out = static_cast<Bytef *>(out);
    s.avail_in = 0;
    s.avail_out = 0;
    size_t inLeft = n, outLeft = cap;
    for (;;) {
        if (s.avail_in == 0)
            feed(inLeft, s.avail_in);
        if (s.avail_out == 0)
            feed(outLeft, s.avail_out);
        // Z_FINISH with the whole input at once, as Python's zlib.compress calls it, so the stream
        // is byte-identical to numcodecs' Zlib.
        const int rc = deflate(&s, inLeft == 0 ? Z_FINISH : Z_NO_FLUSH);
        if (rc == Z_STREAM_END)
            return size_t(s.total_out);
        if (rc == Z_BUF_ERROR && s.avail_out == 0 && outLeft == 0)
            throw CodecError(QStringLiteral("zlib output of %1 bytes does not fit in %2 bytes")
                                 .arg(qulonglong(n))
                                 .arg(qulonglong(cap)));
        if (rc != Z_OK && rc != Z_BUF_ERROR)
            throw CodecError(QStringLiteral("zlib compression failed (error %1)").arg(rc));
    }
}

size_t ZlibCodec::decode(const void *in, size_t n, void *out, size_t cap) const
{
    z_stream &s = t_inflate.ready();
    s.next_in = static_cast<Bytef *>(const_cast<void *>(in));
    s.next_out = static_cast<Bytef *>(out);
    s.avail_in = 0;
    s.avail_out = 0;
    size_t inLeft = n, outLeft = cap;
    for (;;) {
        if (s.avail_in == 0)
            feed(inLeft, s.avail_in);
        if (s.avail_out == 0)
            feed(outLeft, s.avail_out);
        const uInt inBefore = s.avail_in, outBefore = s.avail_out;
        const int rc = inflate(&s, Z_NO_FLUSH);
        if (rc == Z_STREAM_END)
            return size_t(s.total_out);
        if (rc == Z_DATA_ERROR || rc == Z_NEED_DICT)
            throw CodecError(QStringLiteral("corrupt zlib stream (%1)")
                                 .arg(s.msg ? QString::fromLatin1(s.msg) : QStringLiteral("needs a dictionary")));
        if (rc != Z_OK && rc != Z_BUF_ERROR)
            throw CodecError(QStringLiteral("zlib decompression failed (error %1)").arg(rc));
        const bool progressed = s.avail_in != inBefore || s.avail_out != outBefore;
        if (s.avail_out == 0 && outLeft == 0 && (s.avail_in > 0 || inLeft > 0 || !progressed))
            throw CodecError(
                QStringLiteral("corrupt zlib stream (decodes to more than %1 bytes)").arg(qulonglong(cap)));
        if (s.avail_in == 0 && inLeft == 0 && !progressed)
            throw CodecError(QStringLiteral("corrupt zlib stream (truncated after %1 bytes)").arg(qulonglong(n)));
    }
}

QString ZlibCodec::describe() const
{
    return QStringLiteral("zlib(level=%1)").arg(m_level);
}

} // namespace cs
