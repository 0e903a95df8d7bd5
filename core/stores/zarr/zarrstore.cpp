#include "zarrstore.h"

#include "array/stridedcopy.h"
#include "codecs/codecfactory.h"
#include "codecs/transposecodec.h"
#include "io/regularfile.h"
#include "scenario/scenario.h"
#include "task/taskcontext.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>

#include <cstring>

namespace cs {

ZarrStore::ZarrStore(const QString &id, const ZarrMetadata &metadata, std::unique_ptr<ZarrKeyValue> backend)
    : ChunkedStore(id, metadata.dtype, metadata.shape, metadata.chunks, metadata.fillItem)
    , m_meta(metadata)
    , m_kv(std::move(backend))
    , m_chain(codecChainOf(metadata))
    , m_compressorName(m_chain.isEmpty() || (m_chain.size() == 1 && metadata.fortranOrder)
                           ? QStringLiteral("none")
                           : m_chain.step(m_chain.size() - 1).describe())
    , m_keys(grid(), metadata.separator)
    , m_chunkBytes(metadata.chunkBytes())
{
    m_kv->setChunkLimit(m_chunkBytes, m_chain.maxEncodedSize(m_chunkBytes));
}

ZarrStore::~ZarrStore() = default;

QString ZarrStore::kind() const
{
    return QStringLiteral("zarr");
}

CodecChain ZarrStore::codecChainOf(const ZarrMetadata &metadata)
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

bool ZarrStore::loadChunk(int64_t linear, const Coords &chunkCoords, char *dst, TaskContext &ctx)
{
    ChunkBytes stored;
    {
        PhaseTimer t(ctx, Phase::Read);
        // Without codecs the stored bytes are the chunk: read them straight into place.
        char *direct = m_chain.isEmpty() ? dst : nullptr;
        stored = m_kv->getChunk(linear, chunkCoords, ctx, direct, m_chunkBytes);
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
    m_kv->putChunk(linear, chunkCoords, encoded.data, encoded.bytes);
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
    if (m_kv->chunksInitialized() > 0)
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
    i.chunksInitialized = m_kv->chunksInitialized();
    i.codec = m_compressorName;
    i.location = m_kv->location();
    return i;
}

QByteArray ZarrStore::get(const QString &key) const
{
    return m_kv->get(key).value_or(QByteArray());
}

QStringList ZarrStore::keys() const
{
    return m_kv->keys();
}

QString ZarrStore::chunkKey(const Coords &chunkCoords) const
{
    return m_keys.key(grid().linearIndex(chunkCoords));
}

namespace {

void checkGiven(const ArraySpec &spec, const ZarrMetadata &meta, const QString &file)
{
    auto differs = [&](const char *key, const QString &given, const QString &stored) {
        return StoreError(QStringLiteral("array %1: %2 %3 differs from %4 in %5")
                              .arg(spec.id, QLatin1String(key), given, stored, file));
    };
    if (spec.given.contains(QLatin1String("shape")) && Coords::fromVector(spec.shape) != meta.shape)
        throw differs("shape", Coords::fromVector(spec.shape).toString(), meta.shape.toString());
    if (spec.given.contains(QLatin1String("chunks")) && Coords::fromVector(spec.chunks) != meta.chunks)
        throw differs("chunks", Coords::fromVector(spec.chunks).toString(), meta.chunks.toString());
    if (spec.given.contains(QLatin1String("dtype")) && spec.dtype != meta.dtype)
        throw differs("dtype", spec.dtype.typestr(), meta.dtype.typestr());
}

std::unique_ptr<Store> openExisting(const ArraySpec &spec)
{
    auto fail = [&](const QString &why) { return StoreError(QStringLiteral("array %1: %2").arg(spec.id, why)); };
    if (spec.path.isEmpty())
        throw fail(QStringLiteral("fill \"existing\" needs a path"));
    if (!QFileInfo(spec.path).isDir())
        throw fail(QStringLiteral("%1 is not a directory").arg(spec.path));
    const QString file = spec.path + QStringLiteral("/.zarray");
    QString error;
    const std::optional<QByteArray> text = readRegularFile(file, &error);
    if (!text)
        throw StoreError(QStringLiteral("array %1, .zarray: %2").arg(spec.id, error));
    const ZarrMetadata meta = ZarrMetadata::parse(*text, spec.id);
    checkGiven(spec, meta, file);
    const ZarrChunkKeys keys(ChunkGrid(meta.shape, meta.chunks), meta.separator);
    return std::make_unique<ZarrStore>(spec.id, meta, std::make_unique<ZarrDirectoryBackend>(keys, spec.path));
}

} // namespace

std::optional<QString> zarrOverwriteRefusal(const QString &path)
{
    const QFileInfo info(path);
    if (!info.isDir())
        return QStringLiteral("%1 exists and is not a directory").arg(path);
    const QDir dir(path);
    if (dir.isEmpty(QDir::AllEntries | QDir::Hidden | QDir::System | QDir::NoDotAndDotDot))
        return std::nullopt;
    const auto notZarr = [&](const QString &why) {
        return QStringLiteral("%1 exists and is not a Zarr array (%2); not removing it").arg(path, why);
    };
    QString error;
    bool missing = false;
    const std::optional<QByteArray> text = readRegularFile(dir.filePath(QStringLiteral(".zarray")), &error, &missing);
    if (!text)
        return notZarr(missing ? QStringLiteral("no .zarray") : error);
    try {
        ZarrMetadata::parse(*text, QString());
    } catch (const StoreError &e) {
        return notZarr(QStringLiteral(".zarray: ") + e.message().section(QStringLiteral(".zarray: "), 1, -1));
    }
    return std::nullopt;
}

std::unique_ptr<Store> createZarrStore(const ArraySpec &spec)
{
    if (spec.fill.kind == FillSpec::Kind::Existing)
        return openExisting(spec);
    auto fail = [&](const QString &why) { return StoreError(QStringLiteral("array %1: %2").arg(spec.id, why)); };
    const ZarrMetadata meta = ZarrMetadata::fromSpec(spec);
    const ChunkGrid grid(meta.shape, meta.chunks);
    const ZarrChunkKeys keys(grid, meta.separator);
    std::unique_ptr<ZarrKeyValue> kv;
    if (spec.path.isEmpty()) {
        if (grid.chunkCount() > ZarrMemoryBackend::kMaxChunks)
            throw fail(QStringLiteral("%1 chunks are more than an in-memory Zarr array holds (at most %2)")
                           .arg(grid.chunkCount())
                           .arg(ZarrMemoryBackend::kMaxChunks));
        kv = std::make_unique<ZarrMemoryBackend>(keys, grid.chunkCount());
    } else {
        const QFileInfo info(spec.path);
        if (info.exists() || info.isSymLink()) {
            if (!spec.overwrite)
                throw fail(QStringLiteral("%1 already exists (set \"overwrite\": true to replace it)").arg(spec.path));
            if (const std::optional<QString> refusal = zarrOverwriteRefusal(spec.path))
                throw fail(*refusal);
            try {
                ZarrDirectoryBackend::clearArray(spec.path);
            } catch (const StoreError &e) {
                throw fail(e.message());
            }
        } else if (!QDir().mkpath(spec.path)) {
            throw fail(QStringLiteral("cannot create the directory %1").arg(spec.path));
        }
        kv = std::make_unique<ZarrDirectoryBackend>(keys, spec.path);
    }
    try {
        kv->put(QStringLiteral(".zarray"), meta.toJson());
    } catch (const StoreError &e) {
        throw fail(e.message());
    }
    return std::make_unique<ZarrStore>(spec.id, meta, std::move(kv));
}

} // namespace cs
