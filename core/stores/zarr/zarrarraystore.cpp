#include "zarrarraystore.h"

#include "codecs/bytescodec.h"
#include "task/taskcontext.h"

#include <cstring>

namespace cs {

ZarrArrayStore::ZarrArrayStore(const QString &id, DType dtype, const Coords &shape, const Coords &chunks,
                               QByteArray fillItem, std::unique_ptr<KeyValue> backend, const ZarrChunkKeys &keys,
                               CodecChain chain, QString codecName)
    : ChunkedStore(id, dtype, shape, chunks, std::move(fillItem))
    , m_kv(std::move(backend))
    , m_keys(keys)
    , m_chain(std::move(chain))
    , m_codecName(std::move(codecName))
    , m_chunkLimit(zarrChunkLimit(chunkBytes(), m_chain.maxEncodedSize(chunkBytes())))
{
}

ZarrArrayStore::~ZarrArrayStore() = default;

QString ZarrArrayStore::kind() const
{
    return QStringLiteral("zarr");
}

bool ZarrArrayStore::loadChunk(int64_t linear, const Coords &chunkCoords, char *dst, TaskContext &ctx)
{
    const size_t bytes = chunkBytes();
    KvValue stored;
    {
        PhaseTimer t(ctx, Phase::Read);
        // Without codecs the stored bytes are the chunk: read them straight into place.
        char *direct = m_chain.isEmpty() ? dst : nullptr;
        char key[ZarrChunkKeys::kMaxKeyBytes];
        stored
            = m_kv->get(m_keys.chunk(linear, chunkCoords, key), ByteRange::whole(), m_chunkLimit, ctx, direct, bytes);
        if (stored.present && direct && stored.size == bytes && stored.data != dst)
            std::memcpy(dst, stored.data, bytes);
    }
    if (!stored.present)
        return false;
    if (m_chain.isEmpty()) {
        if (stored.size != bytes)
            throw StoreError(QStringLiteral("the stored chunk has %1 bytes, expected %2")
                                 .arg(qulonglong(stored.size))
                                 .arg(qulonglong(bytes)));
        return true;
    }
    PhaseTimer t(ctx, Phase::Decode);
    const size_t n = m_chain.decode(stored.data, stored.size, 0, dst, bytes, ctx);
    if (n != bytes)
        throw StoreError(
            QStringLiteral("the chunk decodes to %1 bytes, expected %2").arg(qulonglong(n)).arg(qulonglong(bytes)));
    return true;
}

void ZarrArrayStore::storeChunk(int64_t linear, const Coords &chunkCoords, const char *src, TaskContext &ctx)
{
    CodecChain::Encoded encoded{src, chunkBytes(), 0};
    if (!m_chain.isEmpty()) {
        PhaseTimer t(ctx, Phase::Encode);
        encoded = m_chain.encode(src, chunkBytes(), ctx);
    }
    TimedLock lock(ctx, ctx.ioLock);
    PhaseTimer t(ctx, Phase::Write);
    char key[ZarrChunkKeys::kMaxKeyBytes];
    m_kv->set(m_keys.chunk(linear, chunkCoords, key), encoded.data, encoded.bytes, Sync::NoFlush);
}

std::optional<EncodedForm> ZarrArrayStore::encodedForm(QString *) const
{
    EncodedForm form;
    form.chunks = chunks();
    form.dtype = dtype();
    form.bigEndian = dtype().isBigEndian();
    form.fillItem = fillItem();
    for (size_t i = 0; i < m_chain.size(); ++i) {
        // Zarr v3's bytes step says the byte order; Zarr v2 has none, its dtype says it.
        if (const auto *bytes = dynamic_cast<const BytesCodec *>(&m_chain.step(i)))
            form.bigEndian = form.bigEndian != bytes->isBigEndian();
        else
            form.codecs << m_chain.step(i).describe();
    }
    return form;
}

EncodedChunk ZarrArrayStore::readEncoded(int64_t linear, const Coords &chunkCoords, TaskContext &ctx)
{
    PhaseTimer t(ctx, Phase::Read);
    char key[ZarrChunkKeys::kMaxKeyBytes];
    const KvValue v
        = m_kv->get(m_keys.chunk(linear, chunkCoords, key), ByteRange::whole(), m_chunkLimit, ctx, nullptr, 0);
    return EncodedChunk{v.data, v.size, 0, v.present};
}

void ZarrArrayStore::writeEncoded(int64_t linear, const Coords &chunkCoords, const EncodedChunk &chunk,
                                  TaskContext &ctx)
{
    TimedLock lock(ctx, ctx.ioLock);
    PhaseTimer t(ctx, Phase::Write);
    char key[ZarrChunkKeys::kMaxKeyBytes];
    const KvKey k = m_keys.chunk(linear, chunkCoords, key);
    // A chunk the source never stored reads as the fill value here too, as zarr.copy_store leaves it.
    if (chunk.present)
        m_kv->set(k, chunk.data, chunk.size, Sync::NoFlush);
    else
        m_kv->erase(k);
}

void ZarrArrayStore::beginWriting()
{
    try {
        m_kv->prepareForWriting();
    } catch (const StoreError &e) {
        throw StoreError(QStringLiteral("array %1: %2").arg(id(), e.message()));
    }
}

bool ZarrArrayStore::readsZerosWhenFresh() const
{
    if (zarrChunksInitialized(*m_kv, m_keys) > 0)
        return false;
    for (char c : fillItem())
        if (c != 0)
            return false;
    return true;
}

StoreInfo ZarrArrayStore::info() const
{
    StoreInfo i = baseInfo();
    i.nbytesStored = m_kv->storedBytes();
    i.chunksInitialized = zarrChunksInitialized(*m_kv, m_keys);
    i.codec = m_codecName;
    i.location = m_kv->location();
    return i;
}

QByteArray ZarrArrayStore::get(const QString &key) const
{
    const QByteArray utf8 = key.toUtf8();
    return m_kv->getCopy(m_keys.anyKey(utf8)).value_or(QByteArray());
}

QStringList ZarrArrayStore::keys() const
{
    return zarrKeys(*m_kv, m_keys);
}

QString ZarrArrayStore::chunkKey(const Coords &chunkCoords) const
{
    return m_keys.key(grid().linearIndex(chunkCoords));
}

} // namespace cs
