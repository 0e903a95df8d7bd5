#include "zlibcodec.h"

#include <zlib.h>

#include <algorithm>
#include <climits>

namespace cs {

namespace {

// deflateInit/inflateInit allocate a few hundred kilobytes each; a stream kept per thread and
// reset between chunks lets the copy's workers encode and decode without allocating once warm.
// deflateReset keeps the level and container and gives the same output as a fresh deflateInit2.
// windowBits picks the container: 15 for zlib's header, 15 + 16 for gzip's (with mtime 0, so the
// output depends on the data alone).
int windowBits(ZlibContainer container)
{
    return container == ZlibContainer::Gzip ? MAX_WBITS + 16 : MAX_WBITS;
}

struct DeflateStream {
    z_stream s{};
    int level = INT_MIN;
    int bits = 0;
    // Python's gzip module, which numcodecs' GZip writes with, names no operating system (255);
    // zlib would write its own. The header's other fields stay zero.
    gz_header header{};
    ~DeflateStream()
    {
        if (level != INT_MIN)
            deflateEnd(&s);
    }
    z_stream &ready(int wanted, int wantedBits)
    {
        if (level == wanted && bits == wantedBits) {
            deflateReset(&s);
            return withHeader();
        }
        if (level != INT_MIN)
            deflateEnd(&s);
        level = INT_MIN;
        s = z_stream{};
        // The same memory level and strategy as deflateInit, so zlib streams stay byte-identical.
        if (deflateInit2(&s, wanted, Z_DEFLATED, wantedBits, 8, Z_DEFAULT_STRATEGY) != Z_OK)
            throw CodecError(QStringLiteral("zlib could not start a stream at level %1").arg(wanted));
        level = wanted;
        bits = wantedBits;
        return withHeader();
    }
    z_stream &withHeader()
    {
        if (bits == windowBits(ZlibContainer::Gzip)) {
            header = gz_header{};
            header.os = 255;
            deflateSetHeader(&s, &header);
        }
        return s;
    }
};

struct InflateStream {
    z_stream s{};
    int bits = 0; // 0: not started
    ~InflateStream()
    {
        if (bits)
            inflateEnd(&s);
    }
    z_stream &ready(int wantedBits)
    {
        if (bits == wantedBits) {
            inflateReset(&s);
            return s;
        }
        if (bits)
            inflateEnd(&s);
        bits = 0;
        s = z_stream{};
        if (inflateInit2(&s, wantedBits) != Z_OK)
            throw CodecError(QStringLiteral("zlib could not start a stream"));
        bits = wantedBits;
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

ZlibCodec::ZlibCodec(int level, ZlibContainer container)
    : m_level(level)
    , m_container(container)
{
    if (level < -1 || level > 9)
        throw CodecError(QStringLiteral("%1 level %2 is out of range 0-9").arg(name()).arg(level));
}

size_t ZlibCodec::maxEncodedSize(size_t n) const
{
    // compressBound counts zlib's 6 bytes of header and trailer; gzip's are 18.
    return size_t(compressBound(uLong(n))) + (m_container == ZlibContainer::Gzip ? 12 : 0);
}

size_t ZlibCodec::encode(const void *in, size_t n, void *out, size_t cap) const
{
    z_stream &s = t_deflate.ready(m_level, windowBits(m_container));
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
            throw CodecError(QStringLiteral("%1 output of %2 bytes does not fit in %3 bytes")
                                 .arg(name())
                                 .arg(qulonglong(n))
                                 .arg(qulonglong(cap)));
        if (rc != Z_OK && rc != Z_BUF_ERROR)
            throw CodecError(QStringLiteral("%1 compression failed (error %2)").arg(name()).arg(rc));
    }
}

size_t ZlibCodec::decode(const void *in, size_t n, void *out, size_t cap) const
{
    z_stream &s = t_inflate.ready(windowBits(m_container));
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
            throw CodecError(QStringLiteral("corrupt %1 stream (%2)")
                                 .arg(name())
                                 .arg(s.msg ? QString::fromLatin1(s.msg) : QStringLiteral("needs a dictionary")));
        if (rc != Z_OK && rc != Z_BUF_ERROR)
            throw CodecError(QStringLiteral("%1 decompression failed (error %2)").arg(name()).arg(rc));
        const bool progressed = s.avail_in != inBefore || s.avail_out != outBefore;
        if (s.avail_out == 0 && outLeft == 0 && (s.avail_in > 0 || inLeft > 0 || !progressed))
            throw CodecError(
                QStringLiteral("corrupt %1 stream (decodes to more than %2 bytes)").arg(name()).arg(qulonglong(cap)));
        if (s.avail_in == 0 && inLeft == 0 && !progressed)
            throw CodecError(
                QStringLiteral("corrupt %1 stream (truncated after %2 bytes)").arg(name()).arg(qulonglong(n)));
    }
}

QString ZlibCodec::name() const
{
    return m_container == ZlibContainer::Gzip ? QStringLiteral("gzip") : QStringLiteral("zlib");
}

QString ZlibCodec::describe() const
{
    return QStringLiteral("%1(level=%2)").arg(name()).arg(m_level);
}

} // namespace cs
