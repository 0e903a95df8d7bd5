#include "zarrstore.h"

#include "array/stridedcopy.h"
#include "codecs/codecfactory.h"
#include "io/regularfile.h"
#include "kv/directorykeyvalue.h"
#include "kv/memorykeyvalue.h"
#include "scenario/scenario.h"
#include "task/taskcontext.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>

#include <cstring>

namespace cs {

namespace {

// The byte offset of a full chunk inside a region's dense C-order buffer when the chunk occupies
// one contiguous run there (its leading extents 1, then one extent of any size, then the region's
// whole extents), so it can be decoded in place or encoded straight from the caller's buffer; -1
// otherwise.
int64_t contiguousOffset(const Region &region, const Region &full, size_t itemsize)
{
    if (!region.contains(full))
        return -1;
    const int rank = region.rank();
    int d = 0;
    while (d < rank && full.stop[d] - full.start[d] == 1)
        ++d;
    for (int e = d + 1; e < rank; ++e)
        if (full.start[e] != region.start[e] || full.stop[e] != region.stop[e])
            return -1;
    int64_t offset = 0, stride = int64_t(itemsize);
    for (int i = rank - 1; i >= 0; --i) {
        offset += (full.start[i] - region.start[i]) * stride;
        stride *= region.stop[i] - region.start[i];
    }
    return offset;
}

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

ZarrStore::ZarrStore(const QString &id, const ZarrMetadata &metadata, std::unique_ptr<KeyValue> backend)
    : Store(id, metadata.dtype, metadata.shape, metadata.chunks)
    , m_meta(metadata)
    , m_kv(std::move(backend))
    , m_codec(makeCodec(metadata.compressor, metadata.dtype.itemsize()))
    , m_keys(grid(), metadata.separator)
    , m_chunkBytes(metadata.chunkBytes())
    , m_chunkShape(metadata.chunks)
    , m_chunkLimit(zarrChunkLimit(m_chunkBytes, m_codec ? m_codec->maxEncodedSize(m_chunkBytes) : m_chunkBytes))
{
}

ZarrStore::~ZarrStore() = default;

QString ZarrStore::kind() const
{
    return QStringLiteral("zarr");
}

[[noreturn]] void ZarrStore::rethrow(const Coords &chunkCoords) const
{
    try {
        throw;
    } catch (const CodecError &e) {
        throw StoreError(chunkLabel(chunkCoords) + QStringLiteral(": ") + e.message());
    } catch (const StoreError &e) {
        throw StoreError(chunkLabel(chunkCoords) + QStringLiteral(": ") + e.message());
    } catch (const std::bad_alloc &) {
        throw StoreError(chunkLabel(chunkCoords) + QStringLiteral(": out of memory"));
    }
}

void ZarrStore::fillChunk(char *dst) const
{
    fillBox(dst, m_chunkShape, Coords::filled(m_chunkShape.rank, 0), m_chunkShape, m_meta.fillItem.constData(),
            size_t(dtype().itemsize()));
}

bool ZarrStore::loadChunk(int64_t linear, const Coords &chunkCoords, char *dst, TaskContext &ctx)
{
    const bool fortran = m_meta.fortranOrder;
    char *target = fortran ? ctx.scratch(Scratch::Shuffle, m_chunkBytes) : dst;
    KvValue stored;
    {
        PhaseTimer t(ctx, Phase::Read);
        char key[ZarrChunkKeys::kMaxKeyBytes];
        stored = m_kv->get(m_keys.chunk(linear, chunkCoords, key), ByteRange::whole(), m_chunkLimit, ctx,
                           m_codec ? nullptr : target, m_chunkBytes);
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
    char key[ZarrChunkKeys::kMaxKeyBytes];
    m_kv->set(m_keys.chunk(linear, chunkCoords, key), data, size, Sync::NoFlush);
}

void ZarrStore::read(const Region &region, void *out, TaskContext &ctx)
{
    const Coords regionShape = region.shape();
    const size_t itemsize = size_t(dtype().itemsize());
    auto *dst = static_cast<char *>(out);
    grid().forEachChunk(region, [&](const Coords &c) {
        const int64_t linear = grid().linearIndex(c);
        const Region full = grid().fullChunkRegion(c);
        try {
            const int64_t at = contiguousOffset(region, full, itemsize);
            if (at >= 0) {
                if (!loadChunk(linear, c, dst + at, ctx)) {
                    PhaseTimer t(ctx, Phase::Decode);
                    fillChunk(dst + at);
                }
                return;
            }
            const Region part = *region.intersect(grid().chunkRegion(c));
            char *chunk = ctx.scratch(Scratch::Chunk, m_chunkBytes);
            const bool present = loadChunk(linear, c, chunk, ctx);
            PhaseTimer t(ctx, Phase::Decode);
            if (present)
                copyBox(chunk, m_chunkShape, part.relativeTo(full.start).start, dst, regionShape,
                        part.relativeTo(region.start).start, part.shape(), itemsize);
            else
                fillBox(dst, regionShape, part.relativeTo(region.start).start, part.shape(),
                        m_meta.fillItem.constData(), itemsize);
        } catch (...) {
            rethrow(c);
        }
    });
}

void ZarrStore::write(const Region &region, const void *in, TaskContext &ctx)
{
    const Coords regionShape = region.shape();
    const size_t itemsize = size_t(dtype().itemsize());
    const auto *src = static_cast<const char *>(in);
    grid().forEachChunk(region, [&](const Coords &c) {
        const int64_t linear = grid().linearIndex(c);
        const Region full = grid().fullChunkRegion(c);
        const Region valid = grid().chunkRegion(c);
        try {
            const Region part = *region.intersect(valid);
            if (part == valid) {
                // The whole chunk is new: nothing to read. Edge chunks are padded with fill_value.
                const int64_t at = contiguousOffset(region, full, itemsize);
                if (at >= 0) {
                    storeChunk(linear, c, src + at, ctx);
                    return;
                }
                char *chunk = ctx.scratch(Scratch::Chunk, m_chunkBytes);
                {
                    PhaseTimer t(ctx, Phase::Encode);
                    if (!(valid == full))
                        fillChunk(chunk);
                    copyBox(src, regionShape, part.relativeTo(region.start).start, chunk, m_chunkShape,
                            part.relativeTo(full.start).start, part.shape(), itemsize);
                }
                storeChunk(linear, c, chunk, ctx);
                return;
            }
            // Another task may be writing another part of this chunk: read-modify-write under its lock.
            TimedLock chunkLock(ctx, &m_chunkLocks.forChunk(linear), Phase::StoreLock);
            char *chunk = ctx.scratch(Scratch::Chunk, m_chunkBytes);
            const bool present = loadChunk(linear, c, chunk, ctx);
            {
                PhaseTimer t(ctx, Phase::Encode);
                if (!present)
                    fillChunk(chunk);
                copyBox(src, regionShape, part.relativeTo(region.start).start, chunk, m_chunkShape,
                        part.relativeTo(full.start).start, part.shape(), itemsize);
            }
            storeChunk(linear, c, chunk, ctx);
        } catch (...) {
            rethrow(c);
        }
    });
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
    i.codec = m_codec ? m_codec->describe() : QStringLiteral("none");
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
    return std::make_unique<ZarrStore>(spec.id, meta,
                                       std::make_unique<DirectoryKeyValue>(spec.path, meta.separator == '/'));
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
    std::unique_ptr<KeyValue> kv;
    if (spec.path.isEmpty()) {
        if (grid.chunkCount() > MemoryKeyValue::kMaxSlots)
            throw fail(QStringLiteral("%1 chunks are more than an in-memory Zarr array holds (at most %2)")
                           .arg(grid.chunkCount())
                           .arg(MemoryKeyValue::kMaxSlots));
        kv = std::make_unique<MemoryKeyValue>(grid.chunkCount());
    } else {
        const QFileInfo info(spec.path);
        if (info.exists() || info.isSymLink()) {
            if (!spec.overwrite)
                throw fail(QStringLiteral("%1 already exists (set \"overwrite\": true to replace it)").arg(spec.path));
            if (const std::optional<QString> refusal = zarrOverwriteRefusal(spec.path))
                throw fail(*refusal);
            try {
                clearZarrArray(spec.path);
            } catch (const StoreError &e) {
                throw fail(e.message());
            }
        } else if (!QDir().mkpath(spec.path)) {
            throw fail(QStringLiteral("cannot create the directory %1").arg(spec.path));
        }
        kv = std::make_unique<DirectoryKeyValue>(spec.path, meta.separator == '/');
    }
    try {
        kv->set(KvKey(QByteArrayLiteral(".zarray")), meta.toJson());
    } catch (const StoreError &e) {
        throw fail(e.message());
    }
    return std::make_unique<ZarrStore>(spec.id, meta, std::move(kv));
}

} // namespace cs
