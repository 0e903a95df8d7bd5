#include "codecfactory.h"

#include "blosccodec.h"
#include "lzfcodec.h"
#include "zlibcodec.h"

namespace cs {

std::unique_ptr<ChunkCodec> makeCodec(const CompressorSpec &spec, int itemsize)
{
    if (spec.id.isEmpty())
        return nullptr;
    if (spec.id == QLatin1String("blosc")) {
        BloscParams params;
        params.cname = spec.cname;
        params.clevel = spec.clevel;
        params.shuffle = spec.shuffle;
        params.blocksize = spec.blocksize;
        params.typesize = itemsize;
        return std::make_unique<BloscCodec>(params);
    }
    if (spec.id == QLatin1String("zlib") || spec.id == QLatin1String("gzip"))
        return std::make_unique<ZlibCodec>(spec.clevel);
    if (spec.id == QLatin1String("lzf"))
        return std::make_unique<LzfCodec>();
    throw CodecError(QStringLiteral("unknown compressor \"%1\" (expected blosc, zlib, gzip or lzf)").arg(spec.id));
}

std::unique_ptr<ChunkCodec> makeCodec(const std::optional<CompressorSpec> &spec, int itemsize)
{
    return spec ? makeCodec(*spec, itemsize) : nullptr;
}

} // namespace cs
