#include "zarrstore.h"

#include "codecs/codecfactory.h"
#include "codecs/transposecodec.h"

namespace cs {

namespace {

CodecChain codecChainOf(const ZarrMetadata &metadata)
{
    // Zarr v2 stores an order "F" chunk's items with the axes reversed, then compresses them.
    CodecChain chain;
    if (metadata.fortranOrder)
        chain.append(std::make_unique<TransposeCodec>(metadata.chunks, size_t(metadata.dtype.itemsize()),
                                                      TransposeCodec::reversedOrder(metadata.chunks.rank)));
    if (std::unique_ptr<ChunkCodec> compressor = makeCodec(metadata.compressor, metadata.dtype.itemsize()))
        chain.append(std::move(compressor));
    return chain;
}

QString compressorName(const CodecChain &chain, const ZarrMetadata &metadata)
{
    return chain.isEmpty() || (chain.size() == 1 && metadata.fortranOrder) ? QStringLiteral("none")
                                                                           : chain.step(chain.size() - 1).describe();
}

} // namespace

ZarrStore::ZarrStore(const QString &id, const ZarrMetadata &metadata, std::unique_ptr<KeyValue> backend)
    : ZarrArrayStore(id, metadata.dtype, metadata.shape, metadata.chunks, metadata.fillItem, std::move(backend),
                     ZarrChunkKeys(ChunkGrid(metadata.shape, metadata.chunks), metadata.separator),
                     codecChainOf(metadata), compressorName(codecChainOf(metadata), metadata))
    , m_meta(metadata)
{
}

ZarrStore::~ZarrStore() = default;

} // namespace cs
