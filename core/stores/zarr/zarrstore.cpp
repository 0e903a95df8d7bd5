#include "zarrstore.h"

#include "array/stridedcopy.h"
#include "codecs/codecfactory.h"
#include "io/regularfile.h"
#include "scenario/scenario.h"
#include "task/taskcontext.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>

#include <cstring>

namespace cs {

namespace {

// Moves a full chunk between C order and Fortran order (order "F"), walking the C side in order.
template <size_t N> void transpose(const char *src, char *dst, const Coords &shape, bool toFortran)
{
    const int rank = shape.rank;
    int64_t fstride[kMaxRank];
    int64_t s = 1;
    for (int d = 0; d < rank; ++d) {
        fstride[d] = s;
        s *= shape[d];
    }
    const int64_t total = s;
    int64_t idx[kMaxRank] = {};
    int64_t f = 0;
    for (int64_t c = 0; c < total; ++c) {
        if (toFortran)
            std::memcpy(dst + f * int64_t(N), src + c * int64_t(N), N);
        else
            std::memcpy(dst + c * int64_t(N), src + f * int64_t(N), N);
        for (int d = rank - 1; d >= 0; --d) {
            f += fstride[d];
            if (++idx[d] < shape[d])
                break;
            f -= fstride[d] * shape[d];
            idx[d] = 0;
        }
    }
}

void transposeChunk(const char *src, char *dst, const Coords &shape, size_t itemsize, bool toFortran)
{
    switch (itemsize) {
    case 1:
        return transpose<1>(src, dst, shape, toFortran);
    case 2:
        return transpose<2>(src, dst, shape, toFortran);
    case 4:
        return transpose<4>(src, dst, shape, toFortran);
    default:
        return transpose<8>(src, dst, shape, toFortran);
    }
}

} // namespace

ZarrStore::ZarrStore(const QString &id, const ZarrMetadata &metadata, std::unique_ptr<ZarrKeyValue> backend)
    : ChunkedStore(id, metadata.dtype, metadata.shape, metadata.chunks, metadata.fillItem)
    , m_meta(metadata)
    , m_kv(std::move(backend))
    , m_codec(makeCodec(metadata.compressor, metadata.dtype.itemsize()))
    , m_keys(grid(), metadata.separator)
    , m_chunkBytes(metadata.chunkBytes())
    , m_chunkShape(metadata.chunks)
{
    m_kv->setChunkLimit(m_chunkBytes, m_codec ? m_codec->maxEncodedSize(m_chunkBytes) : m_chunkBytes);
}

ZarrStore::~ZarrStore() = default;

QString ZarrStore::kind() const
{
    return QStringLiteral("zarr");
}

bool ZarrStore::loadChunk(int64_t linear, const Coords &chunkCoords, char *dst, TaskContext &ctx)
{
    const bool fortran = m_meta.fortranOrder;
    char *target = fortran ? ctx.scratch(Scratch::Shuffle, m_chunkBytes) : dst;
    ChunkBytes stored;
    {
        PhaseTimer t(ctx, Phase::Read);
        stored = m_kv->getChunk(linear, chunkCoords, ctx, m_codec ? nullptr : target, m_chunkBytes);
        if (stored.present && !m_codec && stored.size == m_chunkBytes && stored.data != target)
            std::memcpy(target, stored.data, m_chunkBytes);
    }
    if (!stored.present)
        return false;
    if (m_codec) {
        PhaseTimer t(ctx, Phase::Decode);
        const size_t n = m_codec->decode(stored.data, stored.size, target, m_chunkBytes);
        if (n != m_chunkBytes)
            throw StoreError(QStringLiteral("the chunk decodes to %1 bytes, expected %2")
                                 .arg(qulonglong(n))
                                 .arg(qulonglong(m_chunkBytes)));
    } else if (stored.size != m_chunkBytes) {
        throw StoreError(QStringLiteral("the stored chunk has %1 bytes, expected %2")
                             .arg(qulonglong(stored.size))
                             .arg(qulonglong(m_chunkBytes)));
    }
    if (fortran) {
        PhaseTimer t(ctx, Phase::Decode);
        transposeChunk(target, dst, m_chunkShape, size_t(dtype().itemsize()), false);
    }
    return true;
}

void ZarrStore::storeChunk(int64_t linear, const Coords &chunkCoords, const char *src, TaskContext &ctx)
{
    const char *data = src;
    size_t size = m_chunkBytes;
    if (m_meta.fortranOrder || m_codec) {
        PhaseTimer t(ctx, Phase::Encode);
        if (m_meta.fortranOrder) {
            char *f = ctx.scratch(Scratch::Shuffle, m_chunkBytes);
            transposeChunk(src, f, m_chunkShape, size_t(dtype().itemsize()), true);
            data = f;
        }
        if (m_codec) {
            const size_t cap = m_codec->maxEncodedSize(m_chunkBytes);
            char *packed = ctx.scratch(Scratch::Packed, cap);
            size = m_codec->encode(data, m_chunkBytes, packed, cap);
            data = packed;
        }
    }
    TimedLock lock(ctx, ctx.ioLock);
    PhaseTimer t(ctx, Phase::Write);
    m_kv->putChunk(linear, chunkCoords, data, size);
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
    i.codec = m_codec ? m_codec->describe() : QStringLiteral("none");
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
