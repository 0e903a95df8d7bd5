#include "zarrstore.h"

#include "codecs/numcodecsfactory.h"
#include "codecs/transposecodec.h"
#include "stores/zarr/zarrcodecs.h"

#include <QStringList>

namespace cs {

namespace {

CodecChain codecChainOf(const ZarrMetadata &metadata)
{
    // Zarr v2 stores an order "F" chunk's items with the axes reversed, then compresses them.
    CodecChain chain;
    if (metadata.fortranOrder)
        chain.append(std::make_unique<TransposeCodec>(metadata.chunks, size_t(metadata.dtype.itemsize()),
                                                      TransposeCodec::reversedOrder(metadata.chunks.rank)));
    // Then the filters, in order, and the compressor, as zarr-python's _encode_chunk applies them.
    for (const QJsonValue &filter : metadata.filters)
        chain.append(makeNumcodecsCodec(filter.toObject()));
    if (std::unique_ptr<ChunkCodec> compressor = zarrCompressorCodec(metadata.compressor, metadata.dtype.itemsize()))
        chain.append(std::move(compressor));
    return chain;
}

QString codecsDescription(const CodecChain &chain, const ZarrMetadata &metadata)
{
    // The filters and the compressor; an order "F" chunk's transposition is the array's layout.
    QStringList steps;
    for (size_t i = metadata.fortranOrder ? 1 : 0; i < chain.size(); ++i)
        steps << chain.step(i).describe();
    return steps.isEmpty() ? QStringLiteral("none") : steps.join(QStringLiteral(" | "));
}

} // namespace

ZarrStore::ZarrStore(const QString &id, const ZarrMetadata &metadata, std::unique_ptr<KeyValue> backend)
    : ZarrArrayStore(id, metadata.dtype, metadata.shape, metadata.chunks, metadata.fillItem, std::move(backend),
                     ZarrChunkKeys(ChunkGrid(metadata.shape, metadata.chunks), metadata.separator),
                     codecChainOf(metadata), codecsDescription(codecChainOf(metadata), metadata))
    , m_meta(metadata)
{
}

ZarrStore::~ZarrStore() = default;

} // namespace cs
