#include "hdf5store.h"

#include "array/stridedcopy.h"
#include "codecs/chunkcodec.h"
#include "io/regularfile.h"
#include "stores/hdf5/hdf5lzffilter.h"
#include "stores/hdf5/hdf5objects.h"
#include "task/taskcontext.h"

#include <QFile>
#include <QFileInfo>
#include <QStringList>

#include <hdf5.h>

#include <algorithm>
#include <cstring>
#include <limits>
#include <sys/stat.h>
#include <type_traits>

namespace cs {

static_assert(std::is_same_v<hsize_t, unsigned long long>, "Hdf5Store::storedChunk spells hsize_t out");

namespace {

void toHsize(const Coords &c, hsize_t *out)
{
    for (int i = 0; i < c.rank; ++i)
        out[i] = hsize_t(c[i]);
}

} // namespace

Hdf5Store::Hdf5Store(QString id, DType dtype, Coords shape, Coords chunks, Hdf5Dataset dataset)
    : ChunkedStore(std::move(id), dtype, shape, chunks, dataset.fillItem)
    , m_file(std::move(dataset.file))
    , m_dataset(std::move(dataset.dataset))
    , m_type(std::move(dataset.type))
    , m_fileSpace(H5Dget_space(m_dataset), H5Sclose)
    , m_location(m_file->displayName() + QLatin1Char(':') + dataset.path)
    , m_path(dataset.path)
    , m_pipeline(std::move(dataset.pipeline))
    , m_chunked(dataset.chunked)
{
    for (const Hdf5FilterPipeline::Filter &f : m_pipeline.filters())
        m_pipelineMaySkip = m_pipelineMaySkip || (f.optional && f.kind != Hdf5FilterPipeline::Kind::Shuffle);
}

Hdf5Store::~Hdf5Store()
{
    std::lock_guard<std::mutex> lock(hdf5Mutex());
    hdf5PrepareThread();
    m_fileSpace.reset();
    m_type.reset();
    m_dataset.reset();
    m_file.reset();
}

void Hdf5Store::read(const Region &region, void *out, TaskContext &ctx)
{
    if (region.isEmpty())
        return;
    if (m_direct)
        ChunkedStore::read(region, out, ctx);
    else
        libraryRead(region, out, ctx);
}

void Hdf5Store::write(const Region &region, const void *in, TaskContext &ctx)
{
    if (region.isEmpty())
        return;
    if (m_direct)
        ChunkedStore::write(region, in, ctx);
    else
        libraryWrite(region, in, ctx);
}

QString Hdf5Store::prepareCopy(const ChunkGrid &copyGrid, Hdf5Path requested)
{
    // Raw chunks are whole storage chunks, so the direct path needs tasks that are exactly the
    // dataset's chunks, and filters it can run itself.
    const bool aligned
        = m_chunked && m_pipeline.runsOutsideHdf5() && copyGrid.shape() == shape() && copyGrid.chunks() == chunks();
    m_direct = requested != Hdf5Path::Library && aligned;
    std::lock_guard<std::mutex> lock(hdf5Mutex());
    hdf5PrepareThread();
    // Chunks a library write left in HDF5's chunk cache must reach the file before raw chunk I/O.
    if (H5Dflush(m_dataset) < 0)
        hdf5ErrorText();
    forgetStoredChunkRecord();
    return m_direct ? QStringLiteral("direct") : QStringLiteral("library");
}

void Hdf5Store::endWriting()
{
    std::lock_guard<std::mutex> lock(hdf5Mutex());
    hdf5PrepareThread();
    if (H5Dflush(m_dataset) < 0 || H5Fflush(m_file->id(), H5F_SCOPE_LOCAL) < 0)
        throw StoreError(
            withDetail(QStringLiteral("array %1: cannot flush %2").arg(id(), m_location), hdf5ErrorText()));
    m_heldBack = false;
    forgetStoredChunkRecord();
}

void Hdf5Store::beforeVerifying()
{
    std::lock_guard<std::mutex> lock(hdf5Mutex());
    hdf5PrepareThread();
    // HDF5's chunk cache holds chunks as they were written; a lossy filter (scale-offset) stores
    // something else. Flushed and reopened, the dataset reads its chunks from the file.
    if (H5Dflush(m_dataset) < 0)
        throw StoreError(
            withDetail(QStringLiteral("array %1: cannot flush %2").arg(id(), m_location), hdf5ErrorText()));
    reopenDataset();
    m_heldBack = false;
    m_chunksPut = false;
}

StoreInfo Hdf5Store::info() const
{
    StoreInfo info = baseInfo();
    info.codec = m_pipeline.describe();
    info.location = m_location;
    std::lock_guard<std::mutex> lock(hdf5Mutex());
    hdf5PrepareThread();
    H5Dflush(m_dataset);
    info.nbytesStored = int64_t(H5Dget_storage_size(m_dataset));
    hsize_t count = 0;
    // HDF5 1.10 refuses H5S_ALL here; a fresh dataspace selects everything.
    const Hdf5Id all(H5Dget_space(m_dataset), H5Sclose);
    if (m_chunked && all.valid() && H5Dget_num_chunks(m_dataset, all, &count) >= 0)
        info.chunksInitialized = int64_t(count);
    else
        info.chunksInitialized = info.nbytesStored > 0 ? info.chunksTotal : 0;
    hdf5ErrorText();
    return info;
}

QString Hdf5Store::failure(const Coords &chunkCoords, const QString &what, const QString &detail) const
{
    return withDetail(chunkLabel(chunkCoords) + QStringLiteral(": ") + what + QLatin1Char(' ') + m_location, detail);
}

Hdf5Id Hdf5Store::selectRegion(const Region &region) const
{
    hsize_t start[kMaxRank];
    hsize_t count[kMaxRank];
    toHsize(region.start, start);
    toHsize(region.shape(), count);
    if (H5Sselect_hyperslab(m_fileSpace, H5S_SELECT_SET, start, nullptr, count, nullptr) < 0)
        return {};
    return Hdf5Id(H5Screate_simple(region.rank(), count, nullptr), H5Sclose);
}

Coords Hdf5Store::failingChunk(const Region &region) const
{
    Coords found = grid().chunkSpan(region).start;
    QByteArray buffer(qsizetype(chunkBytes()), Qt::Uninitialized);
    bool searching = true;
    grid().forEachChunk(region, [&](const Coords &c) {
        if (!searching)
            return;
        const Region part = *grid().chunkRegion(c).intersect(region);
        const Hdf5Id memory = selectRegion(part);
        if (!memory.valid() || H5Dread(m_dataset, m_type, memory, m_fileSpace, H5P_DEFAULT, buffer.data()) < 0) {
            found = c;
            searching = false;
        }
    });
    hdf5ErrorText();
    return found;
}

void Hdf5Store::libraryRead(const Region &region, void *out, TaskContext &ctx)
{
    TimedLock lock(ctx, &hdf5Mutex(), Phase::StoreLock);
    PhaseTimer timer(ctx, Phase::Read);
    hdf5PrepareThread();
    if (m_heldBack) {
        // H5Dwrite leaves chunks in HDF5's chunk cache, and a read that evicts one whose write then
        // fails (a full disk) drops it with an error about the read: the data would be lost while
        // the run that wrote it ended well. Reads after writes (verification) store them first.
        if (H5Dflush(m_dataset) < 0)
            throw StoreError(withDetail(
                QStringLiteral("array %1: cannot write the chunks HDF5 held in its cache to %2").arg(id(), m_location),
                hdf5ErrorText()));
        m_heldBack = false;
    }
    const Hdf5Id memory = selectRegion(region);
    if (memory.valid() && H5Dread(m_dataset, m_type, memory, m_fileSpace, H5P_DEFAULT, out) >= 0)
        return;
    const QString detail = hdf5ErrorText();
    throw StoreError(failure(failingChunk(region), QStringLiteral("cannot read"), detail));
}

void Hdf5Store::libraryWrite(const Region &region, const void *in, TaskContext &ctx)
{
    TimedLock io(ctx, ctx.ioLock);
    TimedLock lock(ctx, &hdf5Mutex(), Phase::StoreLock);
    PhaseTimer timer(ctx, Phase::Write);
    hdf5PrepareThread();
    m_heldBack = true;
    const Hdf5Id memory = selectRegion(region);
    if (memory.valid() && H5Dwrite(m_dataset, m_type, memory, m_fileSpace, H5P_DEFAULT, in) >= 0)
        return;
    const QString detail = hdf5ErrorText();
    throw StoreError(failure(grid().chunkSpan(region).start, QStringLiteral("cannot write"), detail));
}

bool Hdf5Store::storedChunk(const hsize_t *offset, hsize_t *bytes, uint32_t *mask) const
{
    // Not H5Dget_chunk_storage_size: HDF5 1.10 reports a chunk never written as an error there.
    // And the mask from here, never H5Dread_chunk's: this asks the chunk index itself, while
    // H5Dread_chunk (like H5Dread) trusts the record HDF5 caches of the chunk looked up last, in
    // which H5Dwrite_chunk leaves the mask the chunk had before it was stored (none for a new one).
    unsigned indexMask = 0;
    haddr_t address = HADDR_UNDEF;
    hsize_t size = 0;
    if (H5Dget_chunk_info_by_coord(m_dataset, offset, &indexMask, &address, &size) < 0)
        return false;
    *bytes = address == HADDR_UNDEF ? 0 : size;
    *mask = address == HADDR_UNDEF ? 0 : uint32_t(indexMask);
    return true;
}

bool Hdf5Store::putChunk(const hsize_t *offset, uint32_t mask, size_t bytes, const char *data, bool maskMayChange)
{
    m_chunksPut = true;
    // HDF5 1.10 records a replaced chunk's new mask only when it reallocates the chunk, which it
    // does when the stored size changes. Storing one byte less first makes it do so.
    hsize_t stored = 0;
    uint32_t storedMask = 0;
    if (maskMayChange && bytes > 0 && storedChunk(offset, &stored, &storedMask) && stored == bytes
        && storedMask != mask) {
        const char pad[2] = {data[0], 0};
        const bool shorter = bytes > 1 ? H5Dwrite_chunk(m_dataset, H5P_DEFAULT, mask, offset, bytes - 1, data) >= 0
                                       : H5Dwrite_chunk(m_dataset, H5P_DEFAULT, mask, offset, 2, pad) >= 0;
        if (!shorter)
            return false;
    }
    return H5Dwrite_chunk(m_dataset, H5P_DEFAULT, mask, offset, bytes, data) >= 0;
}

void Hdf5Store::forgetStoredChunkRecord()
{
    if (!m_chunksPut)
        return;
    // Looking up two stored chunks, one after the other, leaves HDF5 a record read from the
    // index, whichever of them (if either) H5Dwrite_chunk stored last.
    const Hdf5Id all(H5Dget_space(m_dataset), H5Sclose);
    int looked = 0;
    for (hsize_t i = 0; i < 2 && all.valid(); ++i) {
        hsize_t offset[kMaxRank];
        unsigned mask = 0;
        haddr_t address = HADDR_UNDEF;
        hsize_t size = 0;
        if (H5Dget_chunk_info(m_dataset, all, i, offset, &mask, &address, &size) < 0 || address == HADDR_UNDEF
            || H5Dget_chunk_storage_size(m_dataset, offset, &size) < 0)
            break;
        ++looked;
    }
    hdf5ErrorText();
    // A single stored chunk: reopening the dataset drops the record.
    if (looked < 2)
        reopenDataset();
    m_chunksPut = false;
}

void Hdf5Store::reopenDataset()
{
    m_dataset.reset();
    m_dataset = Hdf5Id(H5Dopen2(m_file->id(), m_path.toUtf8().constData(), H5P_DEFAULT), H5Dclose);
    if (!m_dataset.valid())
        throw StoreError(
            withDetail(QStringLiteral("array %1: cannot reopen %2").arg(id(), m_location), hdf5ErrorText()));
}

bool Hdf5Store::loadChunk(int64_t, const Coords &chunkCoords, char *dest, TaskContext &ctx)
{
    hsize_t offset[kMaxRank];
    toHsize(grid().fullChunkRegion(chunkCoords).start, offset);
    hsize_t stored = 0;
    uint32_t mask = 0;
    const char *packed = nullptr;
    {
        TimedLock lock(ctx, &hdf5Mutex(), Phase::StoreLock);
        PhaseTimer timer(ctx, Phase::Read);
        hdf5PrepareThread();
        if (!storedChunk(offset, &stored, &mask))
            throw StoreError(failure(chunkCoords, QStringLiteral("cannot read"), hdf5ErrorText()));
        if (stored > 0) {
            // Unfiltered chunks of the right size go straight to their destination.
            char *buffer = m_pipeline.isEmpty() && stored == chunkBytes() ? dest : ctx.scratch(Scratch::Packed, stored);
            uint32_t cachedMask = 0; // see storedChunk
            if (H5Dread_chunk(m_dataset, H5P_DEFAULT, offset, &cachedMask, buffer) < 0)
                throw StoreError(failure(chunkCoords, QStringLiteral("cannot read"), hdf5ErrorText()));
            packed = buffer;
        }
    }
    if (!packed)
        return false;
    PhaseTimer timer(ctx, Phase::Decode);
    try {
        m_pipeline.decode(packed, size_t(stored), mask, dest, chunkBytes(), ctx);
    } catch (const CodecError &e) {
        throw StoreError(failure(chunkCoords, QStringLiteral("cannot decode"), e.message()));
    }
    return true;
}

void Hdf5Store::storeChunk(int64_t, const Coords &chunkCoords, const char *chunk, TaskContext &ctx)
{
    Hdf5FilterPipeline::Encoded encoded;
    {
        PhaseTimer timer(ctx, Phase::Encode);
        try {
            encoded = m_pipeline.encode(chunk, chunkBytes(), ctx);
        } catch (const CodecError &e) {
            throw StoreError(failure(chunkCoords, QStringLiteral("cannot encode"), e.message()));
        }
    }
    writeEncoded(0, chunkCoords, EncodedChunk{encoded.data, encoded.bytes, encoded.filterMask, true}, ctx);
}

std::optional<EncodedForm> Hdf5Store::encodedForm(QString *whyNot) const
{
    if (!m_chunked || !m_direct) {
        *whyNot = m_chunked ? QStringLiteral("takes the library path, which moves no stored chunks")
                            : QStringLiteral("is a contiguous dataset");
        return std::nullopt;
    }
    EncodedForm form;
    form.chunks = chunks();
    form.dtype = dtype();
    form.bigEndian = dtype().isBigEndian();
    form.fillItem = fillItem();
    form.codecs = m_pipeline.storedForm();
    return form;
}

EncodedChunk Hdf5Store::readEncoded(int64_t, const Coords &chunkCoords, TaskContext &ctx)
{
    hsize_t offset[kMaxRank];
    toHsize(grid().fullChunkRegion(chunkCoords).start, offset);
    TimedLock lock(ctx, &hdf5Mutex(), Phase::StoreLock);
    PhaseTimer timer(ctx, Phase::Read);
    hdf5PrepareThread();
    hsize_t stored = 0;
    uint32_t mask = 0;
    if (!storedChunk(offset, &stored, &mask))
        throw StoreError(failure(chunkCoords, QStringLiteral("cannot read"), hdf5ErrorText()));
    if (stored == 0)
        return {};
    char *buffer = ctx.scratch(Scratch::Packed, stored);
    uint32_t cachedMask = 0; // see storedChunk
    if (H5Dread_chunk(m_dataset, H5P_DEFAULT, offset, &cachedMask, buffer) < 0)
        throw StoreError(failure(chunkCoords, QStringLiteral("cannot read"), hdf5ErrorText()));
    return EncodedChunk{buffer, size_t(stored), mask, true};
}

void Hdf5Store::writeEncoded(int64_t, const Coords &chunkCoords, const EncodedChunk &chunk, TaskContext &ctx)
{
    hsize_t offset[kMaxRank];
    toHsize(grid().fullChunkRegion(chunkCoords).start, offset);
    if (!chunk.present) {
        // HDF5 cannot remove a stored chunk: one the target already holds where the source holds
        // none gets the fill value, so that the target reads as the source does even unverified.
        bool held = false;
        {
            TimedLock lock(ctx, &hdf5Mutex(), Phase::StoreLock);
            PhaseTimer timer(ctx, Phase::Read);
            hdf5PrepareThread();
            hsize_t stored = 0;
            uint32_t mask = 0;
            held = storedChunk(offset, &stored, &mask) && stored > 0;
        }
        if (held) {
            char *fill = ctx.scratch(Scratch::Chunk, chunkBytes());
            fillChunk(fill);
            storeChunk(0, chunkCoords, fill, ctx);
        }
        return;
    }
    TimedLock io(ctx, ctx.ioLock);
    TimedLock lock(ctx, &hdf5Mutex(), Phase::StoreLock);
    PhaseTimer timer(ctx, Phase::Write);
    hdf5PrepareThread();
    // Only a chunk stored at its unfiltered size (a compressor skipped, or output exactly that long)
    // can meet a stored one of the same size but another mask.
    const bool maskMayChange = m_pipelineMaySkip && (chunk.filterMask != 0 || chunk.size == chunkBytes());
    if (!putChunk(offset, chunk.filterMask, chunk.size, chunk.data, maskMayChange))
        throw StoreError(failure(chunkCoords, QStringLiteral("cannot write"), hdf5ErrorText()));
}

std::optional<Hdf5Store::RawChunk> Hdf5Store::rawChunk(const Coords &chunkCoords) const
{
    hsize_t offset[kMaxRank];
    toHsize(grid().fullChunkRegion(chunkCoords).start, offset);
    std::lock_guard<std::mutex> lock(hdf5Mutex());
    hdf5PrepareThread();
    hsize_t stored = 0;
    RawChunk raw;
    if (!storedChunk(offset, &stored, &raw.filterMask))
        throw StoreError(failure(chunkCoords, QStringLiteral("cannot read"), hdf5ErrorText()));
    if (stored == 0)
        return std::nullopt;
    raw.bytes.resize(qsizetype(stored));
    uint32_t cachedMask = 0; // see storedChunk
    if (H5Dread_chunk(m_dataset, H5P_DEFAULT, offset, &cachedMask, raw.bytes.data()) < 0)
        throw StoreError(failure(chunkCoords, QStringLiteral("cannot read"), hdf5ErrorText()));
    return raw;
}

void Hdf5Store::writeRawChunk(const Coords &chunkCoords, const QByteArray &bytes, uint32_t filterMask)
{
    hsize_t offset[kMaxRank];
    toHsize(grid().fullChunkRegion(chunkCoords).start, offset);
    std::lock_guard<std::mutex> lock(hdf5Mutex());
    hdf5PrepareThread();
    if (!putChunk(offset, filterMask, size_t(bytes.size()), bytes.constData(), true))
        throw StoreError(failure(chunkCoords, QStringLiteral("cannot write"), hdf5ErrorText()));
    forgetStoredChunkRecord();
}

} // namespace cs
