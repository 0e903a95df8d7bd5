#include "zarrstore.h"

#include "array/stridedcopy.h"
#include "codecs/numcodecsfactory.h"
#include "codecs/transposecodec.h"
#include "io/regularfile.h"
#include "stores/zarr/zarrcodecs.h"
#include "task/taskcontext.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>

#include <cstring>

namespace cs {

ZarrStore::ZarrStore(const QString &id, const ZarrMetadata &metadata, std::unique_ptr<KeyValue> backend)
    : ChunkedStore(id, metadata.dtype, metadata.shape, metadata.chunks, metadata.fillItem)
    , m_meta(metadata)
    , m_kv(std::move(backend))
    , m_chain(codecChainOf(metadata))
    , m_compressorName(codecsDescription(m_chain, metadata.fortranOrder))
    , m_keys(grid(), metadata.separator)
    , m_chunkBytes(metadata.chunkBytes())
    , m_chunkLimit(zarrChunkLimit(m_chunkBytes, m_chain.maxEncodedSize(m_chunkBytes)))
{
}

ZarrStore::~ZarrStore() = default;

QString ZarrStore::kind() const
{
    return QStringLiteral("zarr");
}

QString ZarrStore::codecsDescription(const CodecChain &chain, bool fortranOrder)
{
    // The filters and the compressor; an order "F" chunk's transposition is the array's layout.
    QStringList steps;
    for (size_t i = fortranOrder ? 1 : 0; i < chain.size(); ++i)
        steps << chain.step(i).describe();
    return steps.isEmpty() ? QStringLiteral("none") : steps.join(QStringLiteral(" | "));
}

CodecChain ZarrStore::codecChainOf(const ZarrMetadata &metadata)
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

bool ZarrStore::loadChunk(int64_t linear, const Coords &chunkCoords, char *dst, TaskContext &ctx)
{
    KvValue stored;
    {
        PhaseTimer t(ctx, Phase::Read);
        // Without codecs the stored bytes are the chunk: read them straight into place.
        char *direct = m_chain.isEmpty() ? dst : nullptr;
        char key[ZarrChunkKeys::kMaxKeyBytes];
        stored = m_kv->get(m_keys.chunk(linear, chunkCoords, key), ByteRange::whole(), m_chunkLimit, ctx, direct,
                           m_chunkBytes);
        if (stored.present && direct && stored.size == m_chunkBytes && stored.data != dst)
            std::memcpy(dst, stored.data, m_chunkBytes);
    }
    if (!stored.present)
        return false;
    if (m_chain.isEmpty()) {
        if (stored.size != m_chunkBytes)
            throw StoreError(QStringLiteral("the stored chunk has %1 bytes, expected %2")
                                 .arg(qulonglong(stored.size))
                                 .arg(qulonglong(m_chunkBytes)));
        return true;
    }
    PhaseTimer t(ctx, Phase::Decode);
    const size_t n = m_chain.decode(stored.data, stored.size, 0, dst, m_chunkBytes, ctx);
    if (n != m_chunkBytes)
        throw StoreError(QStringLiteral("the chunk decodes to %1 bytes, expected %2")
                             .arg(qulonglong(n))
                             .arg(qulonglong(m_chunkBytes)));
    return true;
}

void ZarrStore::storeChunk(int64_t linear, const Coords &chunkCoords, const char *src, TaskContext &ctx)
{
    CodecChain::Encoded encoded{src, m_chunkBytes, 0};
    if (!m_chain.isEmpty()) {
        PhaseTimer t(ctx, Phase::Encode);
        encoded = m_chain.encode(src, m_chunkBytes, ctx);
    }
    TimedLock lock(ctx, ctx.ioLock);
    PhaseTimer t(ctx, Phase::Write);
    char key[ZarrChunkKeys::kMaxKeyBytes];
    m_kv->set(m_keys.chunk(linear, chunkCoords, key), encoded.data, encoded.bytes, Sync::NoFlush);
}

void ZarrStore::beginWriting()
{
    try {
        m_kv->prepareForWriting();
    } catch (const StoreError &e) {
        throw StoreError(QStringLiteral("array %1: %2").arg(id(), e.message()));
    }
}

bool ZarrStore::readsZerosWhenFresh() const
{
    if (zarrChunksInitialized(*m_kv, m_keys) > 0)
        return false;
    for (char c : m_meta.fillItem)
        if (c != 0)
            return false;
    return true;
}

StoreInfo ZarrStore::info() const
{
    StoreInfo i = baseInfo();
    i.nbytesStored = m_kv->storedBytes();
    i.chunksInitialized = zarrChunksInitialized(*m_kv, m_keys);
    i.codec = m_compressorName;
    i.location = m_kv->location();
    return i;
}

QByteArray ZarrStore::get(const QString &key) const
{
    const QByteArray utf8 = key.toUtf8();
    return m_kv->getCopy(m_keys.anyKey(utf8)).value_or(QByteArray());
}

QStringList ZarrStore::keys() const
{
    return zarrKeys(*m_kv, m_keys);
}

QString ZarrStore::chunkKey(const Coords &chunkCoords) const
{
    return m_keys.key(grid().linearIndex(chunkCoords));
}

} // namespace cs
