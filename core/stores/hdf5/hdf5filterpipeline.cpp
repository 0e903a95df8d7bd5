#include "hdf5filterpipeline.h"

#include "codecs/lzfcodec.h"
#include "codecs/shuffle.h"
#include "codecs/zlibcodec.h"
#include "task/taskcontext.h"

#include <QStringList>

#include <lzf.h>

#include <climits>
#include <cstring>

namespace cs {

namespace {

constexpr int kMaxFilters = 32; // H5Z_MAX_NFILTERS: the filter mask has one bit per filter

// Intermediate results alternate between two scratch buffers; the input of a step is always the
// other one, so growing a buffer never loses the step's input.
Scratch stepBuffer(int step)
{
    return step % 2 == 0 ? Scratch::Shuffle : Scratch::Packed;
}

// zlib's inflate does not depend on the level, but ZlibCodec checks it; any valid one will do.
int validLevel(unsigned level)
{
    return level <= 9 ? int(level) : 6;
}

} // namespace

bool Hdf5FilterPipeline::runsOutsideHdf5() const
{
    if (m_filters.size() > size_t(kMaxFilters))
        return false;
    for (const Filter &f : m_filters)
        if (f.kind == Kind::Other)
            return false;
    return true;
}

QString Hdf5FilterPipeline::describe() const
{
    QStringList compression;
    QStringList others;
    for (const Filter &f : m_filters) {
        switch (f.kind) {
        case Kind::Deflate:
            compression << QStringLiteral("gzip(%1)").arg(f.param);
            break;
        case Kind::Lzf:
            compression << QStringLiteral("lzf");
            break;
        case Kind::Shuffle:
            others << QStringLiteral("shuffle");
            break;
        case Kind::Other:
            switch (f.id) {
            case 3:
                others << QStringLiteral("fletcher32");
                break;
            case 4:
                compression << QStringLiteral("szip");
                break;
            case 5:
                others << QStringLiteral("nbit");
                break;
            case 6:
                others << QStringLiteral("scaleoffset");
                break;
            default:
                compression << QStringLiteral("filter(%1)").arg(f.id);
            }
            break;
        }
    }
    const QStringList all = compression + others;
    return all.isEmpty() ? QStringLiteral("none") : all.join(QLatin1Char('+'));
}

void Hdf5FilterPipeline::decode(const char *stored, size_t storedBytes, uint32_t filterMask, char *out,
                                size_t chunkBytes, TaskContext &ctx) const
{
    int active[kMaxFilters];
    int count = 0;
    for (int i = int(m_filters.size()) - 1; i >= 0; --i)
        if (i >= kMaxFilters || !((filterMask >> i) & 1u))
            active[count++] = i;

    if (count == 0) {
        if (storedBytes != chunkBytes)
            throw CodecError(
                QStringLiteral("an unfiltered chunk of %1 bytes, expected %2").arg(storedBytes).arg(chunkBytes));
        if (stored != out)
            std::memcpy(out, stored, chunkBytes);
        return;
    }

    // Only a pipeline that compresses twice has intermediates that are not chunkBytes long; deflate
    // may grow its input a little.
    const size_t bound = chunkBytes + chunkBytes / 64 + 1024;
    const char *src = stored;
    size_t srcBytes = storedBytes;
    for (int step = 0; step < count; ++step) {
        const Filter &f = m_filters[size_t(active[step])];
        const bool last = step == count - 1;
        const size_t cap = last ? chunkBytes : bound;
        char *dst = last ? out : ctx.scratch(stepBuffer(step), cap);
        switch (f.kind) {
        case Kind::Shuffle:
            if (srcBytes > cap)
                throw CodecError(
                    QStringLiteral("the chunk decodes to %1 bytes, expected %2").arg(srcBytes).arg(chunkBytes));
            unshuffleBytes(src, dst, srcBytes, f.param);
            break;
        case Kind::Deflate:
            srcBytes = ZlibCodec(validLevel(f.param)).decode(src, srcBytes, dst, cap);
            break;
        case Kind::Lzf:
            srcBytes = LzfCodec().decode(src, srcBytes, dst, cap);
            break;
        case Kind::Other:
            throw CodecError(QStringLiteral("filter %1 cannot run outside HDF5").arg(f.id));
        }
        src = dst;
    }
    if (srcBytes != chunkBytes)
        throw CodecError(QStringLiteral("the chunk decodes to %1 bytes, expected %2").arg(srcBytes).arg(chunkBytes));
}

Hdf5FilterPipeline::Encoded Hdf5FilterPipeline::encode(const char *chunk, size_t chunkBytes, TaskContext &ctx) const
{
    Encoded result;
    const char *src = chunk;
    size_t n = chunkBytes;
    int step = 0;
    for (size_t i = 0; i < m_filters.size(); ++i) {
        const Filter &f = m_filters[i];
        const uint32_t bit = i < size_t(kMaxFilters) ? uint32_t(1) << i : 0;
        switch (f.kind) {
        case Kind::Shuffle: {
            char *dst = ctx.scratch(stepBuffer(step), n);
            shuffleBytes(src, dst, n, f.param);
            src = dst;
            ++step;
            break;
        }
        case Kind::Lzf: {
            // liblzf directly rather than LzfCodec: an incompressible chunk is an ordinary outcome
            // here, not worth an exception per chunk. The output may be as long as the input, as
            // h5py's filter allows.
            char *dst = ctx.scratch(stepBuffer(step), n);
            const unsigned written = n <= UINT_MAX ? lzf_compress(src, unsigned(n), dst, unsigned(n)) : 0;
            if (written == 0) {
                if (!f.optional)
                    throw CodecError(
                        QStringLiteral("lzf: %1 bytes do not compress and the filter is not optional").arg(n));
                result.filterMask |= bit;
                break;
            }
            src = dst;
            n = written;
            ++step;
            break;
        }
        case Kind::Deflate: {
            const ZlibCodec zlib(validLevel(f.param));
            const size_t cap = zlib.maxEncodedSize(n);
            char *dst = ctx.scratch(stepBuffer(step), cap);
            try {
                n = zlib.encode(src, n, dst, cap);
            } catch (const CodecError &) {
                if (!f.optional)
                    throw;
                result.filterMask |= bit;
                break;
            }
            src = dst;
            ++step;
            break;
        }
        case Kind::Other:
            throw CodecError(QStringLiteral("filter %1 cannot run outside HDF5").arg(f.id));
        }
    }
    result.data = src;
    result.bytes = n;
    return result;
}

} // namespace cs
