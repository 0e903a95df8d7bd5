#include "hdf5store.h"

#include "array/stridedcopy.h"
#include "codecs/chunkcodec.h"
#include "io/regularfile.h"
#include "scenario/scenario.h"
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

QString withDetail(const QString &message, const QString &detail)
{
    return detail.isEmpty() ? message : message + QStringLiteral(": ") + detail;
}

// Why the existing `file` is not an HDF5 file, or nullopt. HDF5 would block opening a FIFO and
// may not answer on a device, so only a regular file is handed to it. Call with hdf5Mutex() held.
std::optional<QString> notAnHdf5File(const QString &file)
{
    struct stat st;
    if (::stat(QFile::encodeName(file).constData(), &st) == 0 && !S_ISREG(st.st_mode))
        return QStringLiteral("%1 is %2, not an HDF5 file").arg(file, fileTypeName(st.st_mode));
    const htri_t isHdf5 = H5Fis_hdf5(QFile::encodeName(file).constData());
    hdf5ErrorText();
    if (isHdf5 <= 0)
        return QStringLiteral("%1 is not an HDF5 file").arg(file);
    return std::nullopt;
}

} // namespace

Hdf5Store::Hdf5Store(QString id, DType dtype, Coords shape, Coords chunks, Hdf5Dataset dataset)
    : ChunkedStore(std::move(id), dtype, shape, chunks, QByteArray(dataset.fillItem.data(), dtype.itemsize()))
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
    hsize_t offset[kMaxRank];
    toHsize(grid().fullChunkRegion(chunkCoords).start, offset);
    TimedLock io(ctx, ctx.ioLock);
    TimedLock lock(ctx, &hdf5Mutex(), Phase::StoreLock);
    PhaseTimer timer(ctx, Phase::Write);
    hdf5PrepareThread();
    // Only a chunk stored at its unfiltered size (a compressor skipped, or output exactly that long)
    // can meet a stored one of the same size but another mask.
    const bool maskMayChange = m_pipelineMaySkip && (encoded.filterMask != 0 || encoded.bytes == chunkBytes());
    if (!putChunk(offset, encoded.filterMask, encoded.bytes, encoded.data, maskMayChange))
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

// ---- Opening and creating datasets ------------------------------------------------------------

namespace {

// A contiguous dataset has no chunks of its own: the copy reads and writes it in hyperslabs of at
// most kContiguousPieceBytes, whole rows along axis 0 as far as they fit, so that no buffer of a run
// grows with the array. Only a row larger than that is split along the next axis, and so on.
constexpr int64_t kContiguousPieceBytes = int64_t(4) << 20;

Coords contiguousPieces(const Coords &shape, int64_t itemsize)
{
    Coords pieces;
    pieces.rank = shape.rank;
    for (int i = 0; i < shape.rank; ++i)
        pieces[i] = std::max<int64_t>(1, shape[i]);
    // below[i]: the bytes of one index along axis i, every later axis whole (saturated).
    int64_t below[kMaxRank];
    int64_t bytes = itemsize;
    for (int i = shape.rank - 1; i >= 0; --i) {
        below[i] = bytes;
        if (__builtin_mul_overflow(bytes, pieces[i], &bytes))
            bytes = std::numeric_limits<int64_t>::max();
    }
    for (int i = 0; i < shape.rank; ++i) {
        if (below[i] > kContiguousPieceBytes) {
            pieces[i] = 1;
            continue;
        }
        pieces[i] = std::clamp<int64_t>(kContiguousPieceBytes / below[i], 1, pieces[i]);
        break;
    }
    return pieces;
}

// "/h1" for "h1", "/h1", "h1/"; "/grp/h1" for "grp/h1".
QString normaliseDatasetPath(const QString &path)
{
    const QStringList parts = path.split(QLatin1Char('/'), Qt::SkipEmptyParts);
    return QLatin1Char('/') + parts.join(QLatin1Char('/'));
}

// H5Lexists for a path whose groups may be missing (H5Lexists itself fails on those).
bool linkExists(hid_t location, const QString &path)
{
    const QStringList parts = path.split(QLatin1Char('/'), Qt::SkipEmptyParts);
    QString prefix;
    for (const QString &part : parts) {
        prefix += QLatin1Char('/') + part;
        if (H5Lexists(location, prefix.toUtf8().constData(), H5P_DEFAULT) <= 0) {
            hdf5ErrorText();
            return false;
        }
    }
    return !parts.isEmpty();
}

class Opener {
public:
    explicit Opener(const ArraySpec &spec)
        : m_spec(spec)
        , m_label(QStringLiteral("array %1: ").arg(spec.id))
        , m_existing(spec.fill.kind == FillSpec::Kind::Existing)
        , m_path(normaliseDatasetPath(spec.dataset))
    {
    }

    std::unique_ptr<Store> open()
    {
        checkSpec();
        if (!registerHdf5LzfFilter())
            fail(withDetail(QStringLiteral("HDF5 refused to register the LZF filter"), hdf5ErrorText()));
        Hdf5Dataset ds;
        ds.file = openFile();
        ds.path = m_path;
        m_where = ds.file->displayName() + QLatin1Char(':') + m_path;
        if (m_existing)
            openDataset(ds);
        else
            createDataset(ds);
        return describe(ds);
    }

private:
    [[noreturn]] void fail(const QString &message) const { throw StoreError(m_label + message); }

    void checkSpec() const
    {
        if (m_path == QLatin1String("/"))
            fail(QStringLiteral("an hdf5 array needs a \"dataset\" (its path inside the file)"));
        if (m_existing)
            return;
        const QString &c = m_spec.compression;
        if (!c.isEmpty() && c != QLatin1String("lzf") && c != QLatin1String("gzip"))
            fail(QStringLiteral("unsupported compression \"%1\" (expected null, \"lzf\" or \"gzip\")").arg(c));
        if (c == QLatin1String("gzip") && (m_spec.compressionOpts < 0 || m_spec.compressionOpts > 9))
            fail(QStringLiteral("gzip level %1 is out of range 0-9").arg(m_spec.compressionOpts));
        const size_t rank = m_spec.shape.size();
        if (rank < 1 || rank > size_t(kMaxRank))
            fail(QStringLiteral("shape must have 1 to %1 dimensions").arg(kMaxRank));
        if (m_spec.chunks.size() != rank)
            fail(QStringLiteral("chunks must have as many dimensions as the shape"));
        for (size_t i = 0; i < rank; ++i)
            if (m_spec.shape[i] < 0 || m_spec.chunks[i] < 1)
                fail(QStringLiteral("shape entries must be >= 0 and chunks entries >= 1"));
    }

    std::shared_ptr<Hdf5File> openFile() const
    {
        if (m_spec.file.isEmpty()) {
            if (m_existing)
                fail(QStringLiteral("fill \"existing\" needs a \"file\""));
            // One in-memory file for the datasets of a scenario; a dataset it already has means
            // a new scenario (or a second array of that name), which starts a new file.
            if (auto file = hdf5files::currentInMemory(); file && !linkExists(file->id(), m_path))
                return file;
            if (auto file = hdf5files::createInMemory())
                return file;
            fail(withDetail(QStringLiteral("cannot create an in-memory HDF5 file"), hdf5ErrorText()));
        }

        const QFileInfo info(m_spec.file);
        if (!info.exists()) {
            if (m_existing)
                fail(QStringLiteral("file %1 does not exist").arg(m_spec.file));
            Hdf5Id id(H5Fcreate(QFile::encodeName(m_spec.file).constData(), H5F_ACC_EXCL, H5P_DEFAULT, H5P_DEFAULT),
                      H5Fclose);
            if (!id.valid())
                fail(withDetail(QStringLiteral("cannot create %1").arg(m_spec.file), hdf5ErrorText()));
            auto file = std::make_shared<Hdf5File>(std::move(id), m_spec.file, false, true);
            hdf5files::addOnDisk(QFileInfo(m_spec.file).canonicalFilePath(), file);
            return file;
        }

        // A file this scenario already opened (another array's dataset) is shared as it is.
        const QString canonical = info.canonicalFilePath();
        if (auto file = hdf5files::findOnDisk(canonical))
            return file;
        if (!m_existing && !m_spec.overwrite)
            fail(QStringLiteral("file %1 already exists (set \"overwrite\": true to replace the dataset, or fill "
                                "\"existing\" to open it)")
                     .arg(m_spec.file));
        // "overwrite" replaces a dataset, never a file that is not HDF5: that may be anyone's data.
        if (const std::optional<QString> notHdf5 = notAnHdf5File(m_spec.file))
            fail(m_existing ? *notHdf5 : *notHdf5 + QStringLiteral("; not replacing it"));
        const QByteArray native = QFile::encodeName(canonical);
        bool writable = true;
        Hdf5Id id(H5Fopen(native.constData(), H5F_ACC_RDWR, H5P_DEFAULT), H5Fclose);
        if (!id.valid() && m_existing) {
            hdf5ErrorText();
            writable = false;
            id = Hdf5Id(H5Fopen(native.constData(), H5F_ACC_RDONLY, H5P_DEFAULT), H5Fclose);
        }
        if (!id.valid())
            fail(withDetail(QStringLiteral("cannot open %1").arg(m_spec.file), hdf5ErrorText()));
        auto file = std::make_shared<Hdf5File>(std::move(id), m_spec.file, false, writable);
        hdf5files::addOnDisk(canonical, file);
        return file;
    }

    void openDataset(Hdf5Dataset &ds) const
    {
        if (!linkExists(ds.file->id(), m_path))
            fail(QStringLiteral("%1 has no dataset %2").arg(ds.file->displayName(), m_path));
        ds.dataset = Hdf5Id(H5Dopen2(ds.file->id(), m_path.toUtf8().constData(), H5P_DEFAULT), H5Dclose);
        if (!ds.dataset.valid())
            fail(withDetail(QStringLiteral("cannot open dataset %1").arg(m_where), hdf5ErrorText()));
    }

    void createDataset(Hdf5Dataset &ds) const
    {
        if (!ds.file->writable())
            fail(QStringLiteral("cannot create dataset %1: the file is open read-only").arg(m_where));
        const QByteArray path = m_path.toUtf8();
        if (linkExists(ds.file->id(), m_path)) {
            if (!m_spec.overwrite)
                fail(QStringLiteral("dataset %1 already exists").arg(m_where));
            if (const QString refusal = hdf5ReplaceRefusal(ds.file->id(), m_path, m_where); !refusal.isEmpty())
                fail(refusal);
            if (H5Ldelete(ds.file->id(), path.constData(), H5P_DEFAULT) < 0)
                fail(withDetail(QStringLiteral("cannot replace dataset %1").arg(m_where), hdf5ErrorText()));
        }
        const Hdf5Id type = hdf5TypeFor(m_spec.dtype);
        if (!type.valid())
            fail(withDetail(QStringLiteral("cannot make an HDF5 type for dtype %1").arg(m_spec.dtype.typestr()),
                            hdf5ErrorText()));

        const int rank = int(m_spec.shape.size());
        hsize_t dims[kMaxRank];
        hsize_t maxDims[kMaxRank];
        hsize_t chunkDims[kMaxRank];
        for (int i = 0; i < rank; ++i) {
            dims[i] = hsize_t(m_spec.shape[size_t(i)]);
            chunkDims[i] = hsize_t(m_spec.chunks[size_t(i)]);
            // HDF5 wants chunks no larger than a fixed dimension; such a dimension is made
            // extensible instead (as h5py with maxshape=None), which changes nothing else.
            maxDims[i] = chunkDims[i] > dims[i] ? H5S_UNLIMITED : dims[i];
        }
        const Hdf5Id space(H5Screate_simple(rank, dims, maxDims), H5Sclose);
        const Hdf5Id dcpl(H5Pcreate(H5P_DATASET_CREATE), H5Pclose);
        const Hdf5Id lcpl(H5Pcreate(H5P_LINK_CREATE), H5Pclose);
        // The properties and filter order h5py's create_dataset uses: shuffle, then compression.
        bool ok = space.valid() && dcpl.valid() && lcpl.valid() && H5Pset_chunk(dcpl, rank, chunkDims) >= 0
            && H5Pset_obj_track_times(dcpl, 0) >= 0 && H5Pset_create_intermediate_group(lcpl, 1) >= 0;
        if (ok && m_spec.shuffle)
            ok = H5Pset_shuffle(dcpl) >= 0;
        if (ok && m_spec.compression == QLatin1String("gzip"))
            ok = H5Pset_deflate(dcpl, unsigned(m_spec.compressionOpts)) >= 0;
        if (ok && m_spec.compression == QLatin1String("lzf"))
            ok = H5Pset_filter(dcpl, kHdf5LzfFilterId, H5Z_FLAG_OPTIONAL, 0, nullptr) >= 0;
        if (ok)
            ds.dataset
                = Hdf5Id(H5Dcreate2(ds.file->id(), path.constData(), type, space, lcpl, dcpl, H5P_DEFAULT), H5Dclose);
        if (!ds.dataset.valid())
            fail(withDetail(QStringLiteral("cannot create dataset %1").arg(m_where), hdf5ErrorText()));
    }

    // Reads type, shape, chunks, filters and fill value back from the dataset (also for one just
    // created: set_local callbacks fill in cd_values) and builds the store.
    std::unique_ptr<Store> describe(Hdf5Dataset &ds) const
    {
        ds.type = Hdf5Id(H5Dget_type(ds.dataset), H5Tclose);
        const Hdf5Id space(H5Dget_space(ds.dataset), H5Sclose);
        const Hdf5Id dcpl(H5Dget_create_plist(ds.dataset), H5Pclose);
        if (!ds.type.valid() || !space.valid() || !dcpl.valid())
            fail(withDetail(QStringLiteral("cannot inspect dataset %1").arg(m_where), hdf5ErrorText()));

        const std::optional<DType> dtype = dtypeFromHdf5(ds.type);
        if (!dtype)
            fail(QStringLiteral("dataset %1 has a type Chunkscope does not support (%2)")
                     .arg(m_where, describeHdf5Type(ds.type)));
        if (m_spec.given.contains(QLatin1String("dtype")) && *dtype != m_spec.dtype)
            fail(QStringLiteral("dataset %1 has dtype %2, not %3")
                     .arg(m_where, dtype->typestr(), m_spec.dtype.typestr()));

        const int rank = H5Sget_simple_extent_ndims(space);
        if (rank < 1 || rank > kMaxRank)
            fail(QStringLiteral("dataset %1 has %2 dimensions; Chunkscope supports 1 to %3")
                     .arg(m_where)
                     .arg(rank)
                     .arg(kMaxRank));
        hsize_t dims[kMaxRank];
        H5Sget_simple_extent_dims(space, dims, nullptr);
        Coords shape;
        shape.rank = rank;
        for (int i = 0; i < rank; ++i)
            shape[i] = int64_t(dims[i]);
        if (m_spec.given.contains(QLatin1String("shape")) && shape != Coords::fromVector(m_spec.shape))
            fail(QStringLiteral("dataset %1 has shape %2, not %3")
                     .arg(m_where, shape.toString(), Coords::fromVector(m_spec.shape).toString()));

        Coords chunks;
        chunks.rank = rank;
        ds.chunked = H5Pget_layout(dcpl) == H5D_CHUNKED;
        hsize_t chunkDims[kMaxRank];
        if (ds.chunked && H5Pget_chunk(dcpl, rank, chunkDims) == rank) {
            for (int i = 0; i < rank; ++i)
                chunks[i] = int64_t(chunkDims[i]);
        } else {
            ds.chunked = false;
            chunks = contiguousPieces(shape, dtype->itemsize());
        }
        // A contiguous dataset's only chunk is the whole array, and a scenario may say so.
        const Coords given = Coords::fromVector(m_spec.chunks);
        if (m_spec.given.contains(QLatin1String("chunks")) && chunks != given && (ds.chunked || given != shape))
            fail(QStringLiteral("dataset %1 has chunks %2, not %3")
                     .arg(m_where, chunks.toString(), Coords::fromVector(m_spec.chunks).toString()));

        const int filters = H5Pget_nfilters(dcpl);
        for (int i = 0; i < filters; ++i) {
            unsigned flags = 0;
            size_t count = 8;
            unsigned values[8] = {};
            const H5Z_filter_t id = H5Pget_filter2(dcpl, unsigned(i), &flags, &count, values, 0, nullptr, nullptr);
            Hdf5FilterPipeline::Filter f;
            f.id = int(id);
            f.optional = (flags & H5Z_FLAG_OPTIONAL) != 0;
            if (id == H5Z_FILTER_SHUFFLE) {
                f.kind = Hdf5FilterPipeline::Kind::Shuffle;
                f.param = count >= 1 && values[0] ? values[0] : unsigned(dtype->itemsize());
            } else if (id == H5Z_FILTER_DEFLATE) {
                f.kind = Hdf5FilterPipeline::Kind::Deflate;
                f.param = count >= 1 ? values[0] : 6;
            } else if (id == kHdf5LzfFilterId) {
                f.kind = Hdf5FilterPipeline::Kind::Lzf;
            }
            ds.pipeline.add(f);
        }

        H5D_fill_value_t fillStatus = H5D_FILL_VALUE_DEFAULT;
        if (H5Pfill_value_defined(dcpl, &fillStatus) >= 0 && fillStatus == H5D_FILL_VALUE_USER_DEFINED
            && H5Pget_fill_value(dcpl, ds.type, ds.fillItem.data()) < 0)
            ds.fillItem.fill(0);
        hdf5ErrorText();

        return std::make_unique<Hdf5Store>(m_spec.id, *dtype, shape, chunks, std::move(ds));
    }

    const ArraySpec &m_spec;
    QString m_label;
    bool m_existing;
    QString m_path;
    QString m_where;
};

} // namespace

std::optional<QString> hdf5OverwriteRefusal(const QString &file)
{
    std::lock_guard<std::mutex> lock(hdf5Mutex());
    hdf5PrepareThread();
    const std::optional<QString> notHdf5 = notAnHdf5File(file);
    return notHdf5 ? std::optional<QString>(*notHdf5 + QStringLiteral("; not replacing it")) : std::nullopt;
}

std::unique_ptr<Store> createHdf5Store(const ArraySpec &spec)
{
    std::lock_guard<std::mutex> lock(hdf5Mutex());
    hdf5PrepareThread();
    return Opener(spec).open();
}

} // namespace cs
