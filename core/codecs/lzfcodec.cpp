#include "lzfcodec.h"

#include <lzf.h>

#include <cerrno>
#include <climits>

namespace cs {

size_t LzfCodec::maxEncodedSize(size_t n) const
{
    // encode() never returns more than its input: like h5py's filter it gives LZF an output buffer
    // exactly as long as the input and reports failure when the result does not fit.
    return n;
}

size_t LzfCodec::encode(const void *in, size_t n, void *out, size_t cap) const
{
    if (n == 0)
        return 0;
    if (n > UINT_MAX)
        throw CodecError(QStringLiteral("lzf: %1 bytes exceed LZF's 4 GiB limit").arg(n));
    const size_t limit = cap < n ? cap : n;
    const unsigned int written = lzf_compress(in, unsigned(n), out, unsigned(limit));
    if (written == 0) {
        if (limit == n)
            throw CodecError(QStringLiteral("lzf: %1 bytes do not compress").arg(n));
        throw CodecError(QStringLiteral("lzf: the compressed data do not fit in %1 bytes").arg(cap));
    }
    return written;
}

size_t LzfCodec::tryEncode(const void *in, size_t n, void *out, size_t cap) const
{
    if (n == 0 || n > UINT_MAX)
        return 0;
    return lzf_compress(in, unsigned(n), out, unsigned(cap < n ? cap : n));
}

size_t LzfCodec::decode(const void *in, size_t n, void *out, size_t cap) const
{
    if (n == 0)
        return 0;
    if (n > UINT_MAX)
        throw CodecError(QStringLiteral("lzf: %1 bytes exceed LZF's 4 GiB limit").arg(n));
    if (cap > UINT_MAX)
        cap = UINT_MAX;
    errno = 0;
    const unsigned int written = lzf_decompress(in, unsigned(n), out, unsigned(cap));
    if (written == 0) {
        if (errno == E2BIG)
            throw CodecError(QStringLiteral("lzf: the decompressed data exceed %1 bytes").arg(cap));
        throw CodecError(QStringLiteral("lzf: corrupt input"));
    }
    return written;
}

QString LzfCodec::describe() const
{
    return QStringLiteral("lzf");
}

} // namespace cs
