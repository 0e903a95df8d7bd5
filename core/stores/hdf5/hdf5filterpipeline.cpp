#include "hdf5filterpipeline.h"

#include "codecs/bytefilters.h"
#include "codecs/lzfcodec.h"
#include "codecs/shuffle.h"
#include "codecs/zlibcodec.h"

#include <QStringList>

#include <cstring>

namespace cs {

namespace {

constexpr int kMaxFilters = 32; // H5Z_MAX_NFILTERS: the filter mask has one bit per filter

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

QStringList Hdf5FilterPipeline::storedForm() const
{
    QStringList steps;
    for (const Filter &f : m_filters) {
        if (f.kind == Kind::Deflate && f.param <= 9)
            // HDF5's deflate filter writes zlib's container (compress2), as numcodecs' Zlib does.
            steps << ZlibCodec(int(f.param), ZlibContainer::Zlib).describe();
        else if (f.kind == Kind::Shuffle)
            // H5Z's shuffle puts byte j of item i at j * items + i, as numcodecs' Shuffle does.
            steps << ElementShuffleFilter(size_t(f.param)).describe();
        else // LZF among them: numcodecs has none
            steps << QStringLiteral("hdf5 filter %1(%2)").arg(f.id).arg(f.param);
    }
    return steps;
}

void Hdf5FilterPipeline::add(const Filter &filter)
{
    m_filters.push_back(filter);
    switch (filter.kind) {
    case Kind::Shuffle:
        m_chain.append(std::make_unique<ShuffleCodec>(filter.param), filter.optional);
        break;
    case Kind::Deflate:
        m_chain.append(std::make_unique<ZlibCodec>(validLevel(filter.param)), filter.optional);
        break;
    case Kind::Lzf:
        // The output may be as long as the input, as h5py's filter allows; an incompressible chunk
        // of an optional LZF filter is stored without it.
        m_chain.append(std::make_unique<LzfCodec>(), filter.optional);
        break;
    case Kind::Other:
        // Never run here: runsOutsideHdf5() is false, and decode() and encode() refuse.
        break;
    }
}

void Hdf5FilterPipeline::refuseOthers() const
{
    for (const Filter &f : m_filters)
        if (f.kind == Kind::Other)
            throw CodecError(QStringLiteral("filter %1 cannot run outside HDF5").arg(f.id));
}

void Hdf5FilterPipeline::decode(const char *stored, size_t storedBytes, uint32_t filterMask, char *out,
                                size_t chunkBytes, TaskContext &ctx) const
{
    bool filtered = false;
    for (size_t i = 0; i < m_filters.size(); ++i)
        filtered = filtered || i >= size_t(kMaxFilters) || !((filterMask >> i) & 1u);
    if (!filtered) {
        if (storedBytes != chunkBytes)
            throw CodecError(
                QStringLiteral("an unfiltered chunk of %1 bytes, expected %2").arg(storedBytes).arg(chunkBytes));
        if (stored != out)
            std::memcpy(out, stored, chunkBytes);
        return;
    }
    refuseOthers();
    const size_t n = m_chain.decode(stored, storedBytes, filterMask, out, chunkBytes, ctx);
    if (n != chunkBytes)
        throw CodecError(QStringLiteral("the chunk decodes to %1 bytes, expected %2").arg(n).arg(chunkBytes));
}

Hdf5FilterPipeline::Encoded Hdf5FilterPipeline::encode(const char *chunk, size_t chunkBytes, TaskContext &ctx) const
{
    refuseOthers();
    const CodecChain::Encoded e = m_chain.encode(chunk, chunkBytes, ctx);
    return {e.data, e.bytes, e.skipped};
}

} // namespace cs
