#include "carraystore.h"

#include "array/stridedcopy.h"
#include "task/taskcontext.h"

#include <QDebug>

#include <blosc.h>

#include <cmath>
#include <cstring>
#include <new>

namespace cs {

namespace {

// Beyond this many chunks the slot table alone would take hundreds of megabytes.
constexpr int64_t kMaxChunks = int64_t(1) << 22;
// bcolz's check_zeros: a chunk of zeros is kept as a constant instead of a frame (in memory only).
bool allZero(const char *p, size_t n)
{
    size_t i = 0;
    for (; i + 8 <= n; i += 8) {
        uint64_t w;
        std::memcpy(&w, p + i, 8);
        if (w)
            return false;
    }
    for (; i < n; ++i)
        if (p[i])
            return false;
    return true;
}

} // namespace

int64_t rowBytesOf(const Coords &shape, const DType &dtype)
{
    int64_t bytes = dtype.itemsize();
    for (int i = 1; i < shape.rank; ++i)
        if (__builtin_mul_overflow(bytes, shape[i], &bytes))
            return INT64_MAX;
    return bytes;
}

int64_t bcolzDefaultChunklen(int64_t expectedlen, int64_t rowBytes)
{
    if (rowBytes <= 0)
        return 1;
    // utils.calc_chunksize: the size in MB, clamped to [1e-4, 1e4], rounded down to its decade
    // (python's int() truncates toward zero), then 4 KiB * 2^(decade + 6).
    double mb = double(expectedlen) * double(rowBytes) / double(1 << 20);
    mb = std::min(std::max(mb, 1e-4), 1e4);
    const int zone = int(std::log10(mb));
    int64_t chunksize = int64_t(4096) << (zone + 6);
    chunksize = chunksize / rowBytes * rowBytes;
    if (chunksize < rowBytes)
        chunksize = rowBytes;
    return chunksize / rowBytes;
}

CarrayStore::CarrayStore(const QString &id, const DType &dtype, const Coords &shape, int64_t chunklen,
                         const BloscParams &cparams, const QString &rootdir)
    : ChunkedStore(
        id, dtype, shape,
        [&] {
            Coords c = shape;
            c[0] = chunklen;
            return c;
        }(),
        QByteArray(dtype.itemsize(), '\0'))
    , m_chunklen(chunklen)
    , m_rowBytes(rowBytesOf(shape, dtype))
    , m_fullChunks(shape[0] / chunklen)
    , m_leftoverRows(shape[0] % chunklen)
    , m_codec(cparams)
    , m_rootdirPath(rootdir)
    , m_rootdir(rootdir)
    , m_slots(new Slot[size_t(m_fullChunks)])
    , m_leftover(new char[size_t(m_leftoverRows * m_rowBytes)]())
{
}

CarrayStore::~CarrayStore()
{
    if (!onDisk() || !m_dirty.load())
        return;
    try {
        flush();
    } catch (const std::exception &e) {
        qWarning("%s", e.what());
    }
}

QString CarrayStore::kind() const
{
    return QStringLiteral("carray");
}

QString CarrayStore::fileError(const Coords &cc, const StoreError &e) const
{
    return chunkLabel(cc) + QStringLiteral(": ") + e.message();
}

void CarrayStore::decodeFrame(const Coords &cc, const char *frame, size_t bytes, char *dst, TaskContext &ctx) const
{
    PhaseTimer t(ctx, Phase::Decode);
    try {
        // A frame from disk may announce any size: check it before blosc writes a byte.
        const size_t announced = BloscCodec::decodedSize(frame, bytes);
        if (announced != chunkBytes())
            throw StoreError(chunkLabel(cc)
                             + QStringLiteral(": the blosc frame holds %1 bytes, a chunk of %2 rows holds %3")
                                   .arg(announced)
                                   .arg(m_chunklen)
                                   .arg(chunkBytes()));
        m_codec.decode(frame, bytes, dst, chunkBytes());
    } catch (const CodecError &e) {
        throw StoreError(chunkLabel(cc) + QStringLiteral(": corrupt blosc frame: ") + e.message());
    }
}

bool CarrayStore::holdsFrame(int64_t n, const Coords &cc) const
{
    switch (m_slots[size_t(n)].state.load(std::memory_order_acquire)) {
    case SlotState::Missing:
        throw StoreError(chunkLabel(cc) + QStringLiteral(": missing chunk file ") + m_rootdir.chunkPath(n));
    case SlotState::Empty:
    case SlotState::Zero:
        return false; // reads as zeros, the fill value
    case SlotState::Frame:
        break;
    }
    return true;
}

bool CarrayStore::loadChunk(int64_t n, const Coords &cc, char *dst, TaskContext &ctx)
{
    if (!holdsFrame(n, cc))
        return false;
    Slot &slot = m_slots[size_t(n)];
    if (!onDisk()) {
        decodeFrame(cc, slot.data.get(), size_t(slot.bytes.load(std::memory_order_relaxed)), dst, ctx);
        return true;
    }
    BcolzFrame frame;
    {
        PhaseTimer t(ctx, Phase::Read);
        try {
            frame = m_rootdir.readChunk(n, chunkBytes(), ctx, Scratch::Packed);
        } catch (const StoreError &e) {
            throw StoreError(fileError(cc, e));
        }
    }
    decodeFrame(cc, frame.data, frame.bytes, dst, ctx);
    return true;
}

std::optional<EncodedForm> CarrayStore::encodedForm(QString *) const
{
    EncodedForm form;
    form.chunks = chunks();
    form.dtype = dtype();
    form.fillItem = fillItem();
    // Named apart from a Zarr blosc compressor's: a carray's frames are not claimed to be Zarr's.
    form.codecs << QStringLiteral("carray ") + m_codec.describe();
    form.edgeChunksFullSize = false;
    return form;
}

EncodedChunk CarrayStore::readEncoded(int64_t n, const Coords &cc, TaskContext &ctx)
{
    if (!holdsFrame(n, cc))
        return {};
    Slot &slot = m_slots[size_t(n)];
    PhaseTimer t(ctx, Phase::Read);
    if (!onDisk())
        return EncodedChunk{slot.data.get(), size_t(slot.bytes.load(std::memory_order_relaxed)), 0, true};
    try {
        const BcolzFrame frame = m_rootdir.readChunk(n, chunkBytes(), ctx, Scratch::Packed);
        return EncodedChunk{frame.data, frame.bytes, 0, true};
    } catch (const StoreError &e) {
        throw StoreError(fileError(cc, e));
    }
}

void CarrayStore::writeEncoded(int64_t n, const Coords &cc, const EncodedChunk &chunk, TaskContext &ctx)
{
    if (!chunk.present) {
        // In memory the chunk becomes bcolz's zero constant, as it reads in the source. On disk every
        // chunk has a file, and one the target already held must not keep its old values: the chunk
        // is stored as the fill value.
        if (!onDisk()) {
            putMemory(m_slots[size_t(n)], nullptr, 0, true, ctx);
        } else {
            char *fill = ctx.scratch(Scratch::Chunk, chunkBytes());
            fillChunk(fill);
            storeChunk(n, cc, fill, ctx);
        }
        return;
    }
    if (!onDisk()) {
        putMemory(m_slots[size_t(n)], chunk.data, chunk.size, false, ctx);
        return;
    }
    // The file gets its header in front of the frame, which may sit in the source's Packed buffer.
    char *file = ctx.scratch(Scratch::Shuffle, BcolzRootdir::kHeaderBytes + chunk.size);
    {
        PhaseTimer t(ctx, Phase::Write);
        std::memcpy(file + BcolzRootdir::kHeaderBytes, chunk.data, chunk.size);
    }
    putFile(n, cc, file, chunk.size, ctx);
}

char *CarrayStore::residentChunk(const Coords &cc, bool forWriting)
{
    if (cc[0] < m_fullChunks)
        return nullptr;
    if (forWriting) {
        m_leftoverWritten.store(true, std::memory_order_relaxed);
        m_leftoverDirty.store(true, std::memory_order_relaxed);
        m_dirty.store(true, std::memory_order_relaxed);
    }
    return m_leftover.get();
}

void CarrayStore::putMemory(Slot &slot, const char *frame, size_t bytes, bool zero, TaskContext &ctx)
{
    // Allocate before taking the lock and free after releasing it: only the copy is the raw put.
    std::unique_ptr<char[]> spare;
    if (!zero && (bytes > slot.capacity || bytes < slot.capacity / 4)) {
        PhaseTimer t(ctx, Phase::Write);
        spare.reset(new char[bytes]);
    }
    TimedLock lock(ctx, ctx.ioLock);
    PhaseTimer t(ctx, Phase::Write);
    if (zero) {
        spare.swap(slot.data);
        slot.capacity = 0;
        slot.bytes.store(0, std::memory_order_relaxed);
        slot.state.store(SlotState::Zero, std::memory_order_release);
        return;
    }
    if (spare) {
        spare.swap(slot.data);
        slot.capacity = bytes;
    }
    std::memcpy(slot.data.get(), frame, bytes);
    slot.bytes.store(int64_t(bytes), std::memory_order_relaxed);
    slot.state.store(SlotState::Frame, std::memory_order_release);
}

void CarrayStore::storeChunk(int64_t n, const Coords &cc, const char *src, TaskContext &ctx)
{
    Slot &slot = m_slots[size_t(n)];
    bool zero = false;
    size_t bytes = 0;
    char *file = nullptr;
    {
        PhaseTimer t(ctx, Phase::Encode);
        zero = !onDisk() && allZero(src, chunkBytes());
        if (!zero) {
            const size_t cap = m_codec.maxEncodedSize(chunkBytes());
            file = ctx.scratch(Scratch::Packed, BcolzRootdir::kHeaderBytes + cap);
            try {
                bytes = m_codec.encode(src, chunkBytes(), file + BcolzRootdir::kHeaderBytes, cap);
            } catch (const CodecError &e) {
                throw StoreError(chunkLabel(cc) + QStringLiteral(": blosc compression failed: ") + e.message());
            }
        }
    }
    if (!onDisk()) {
        putMemory(slot, file ? file + BcolzRootdir::kHeaderBytes : nullptr, bytes, zero, ctx);
        return;
    }
    putFile(n, cc, file, bytes, ctx);
}

void CarrayStore::putFile(int64_t n, const Coords &cc, char *file, size_t bytes, TaskContext &ctx)
{
    Slot &slot = m_slots[size_t(n)];
    {
        TimedLock lock(ctx, ctx.ioLock);
        PhaseTimer t(ctx, Phase::Write);
        try {
            m_rootdir.writeChunk(n, file, bytes);
        } catch (const StoreError &e) {
            throw StoreError(fileError(cc, e));
        }
    }
    slot.bytes.store(int64_t(bytes), std::memory_order_relaxed);
    slot.state.store(SlotState::Frame, std::memory_order_release);
    m_dirty.store(true, std::memory_order_relaxed);
}

int64_t CarrayStore::cbytes() const
{
    int64_t total = int64_t(chunkBytes());
    for (int64_t n = 0; n < m_fullChunks; ++n)
        total += m_slots[size_t(n)].bytes.load(std::memory_order_relaxed);
    return total;
}

StoreInfo CarrayStore::info() const
{
    StoreInfo info = baseInfo();
    info.nbytesStored = cbytes();
    int64_t initialized = 0;
    for (int64_t n = 0; n < m_fullChunks; ++n) {
        const SlotState s = m_slots[size_t(n)].state.load(std::memory_order_relaxed);
        initialized += s == SlotState::Zero || s == SlotState::Frame;
    }
    if (m_leftoverRows > 0 && (m_opened || m_leftoverWritten.load(std::memory_order_relaxed)))
        ++initialized;
    info.chunksInitialized = initialized;
    info.codec = m_codec.describe();
    info.location = onDisk() ? m_rootdirPath : QStringLiteral("in memory");
    return info;
}

void CarrayStore::beginWriting()
{
    if (!onDisk())
        return;
    try {
        m_rootdir.prepareForWriting();
    } catch (const StoreError &e) {
        throw StoreError(QStringLiteral("array %1: %2").arg(id(), e.message()));
    }
}

void CarrayStore::endWriting()
{
    flush();
}

QByteArray CarrayStore::frame(int64_t nchunk) const
{
    if (nchunk < 0 || nchunk >= m_fullChunks)
        return {};
    const Slot &slot = m_slots[size_t(nchunk)];
    if (slot.state.load() != SlotState::Frame)
        return {};
    if (!onDisk())
        return QByteArray(slot.data.get(), qsizetype(slot.bytes.load()));
    TaskContext ctx;
    try {
        const BcolzFrame f = m_rootdir.readChunk(nchunk, chunkBytes(), ctx, Scratch::Packed);
        return QByteArray(f.data, qsizetype(f.bytes));
    } catch (const StoreError &e) {
        throw StoreError(fileError(grid().chunkCoords(nchunk), e));
    }
}

bool CarrayStore::isZeroConstant(int64_t nchunk) const
{
    return nchunk >= 0 && nchunk < m_fullChunks && m_slots[size_t(nchunk)].state.load() == SlotState::Zero;
}

QByteArray CarrayStore::leftover() const
{
    return QByteArray(m_leftover.get(), qsizetype(leftoverBytes()));
}

void CarrayStore::loadLeftoverFile()
{
    const Coords cc = grid().chunkCoords(m_fullChunks);
    TaskContext ctx;
    BcolzFrame f;
    size_t announced = 0;
    try {
        f = m_rootdir.readChunk(m_fullChunks, chunkBytes(), ctx, Scratch::Packed);
        announced = BloscCodec::decodedSize(f.data, f.bytes);
    } catch (const StoreError &e) {
        throw StoreError(fileError(cc, e));
    } catch (const CodecError &e) {
        throw StoreError(chunkLabel(cc) + QStringLiteral(": corrupt blosc frame: ") + e.message());
    }
    const size_t want = size_t(leftoverBytes());
    if (announced != want && announced != chunkBytes())
        throw StoreError(chunkLabel(cc)
                         + QStringLiteral(": the leftover frame holds %1 bytes, %2 leftover rows hold %3")
                               .arg(announced)
                               .arg(m_leftoverRows)
                               .arg(want));
    char *dst = ctx.scratch(Scratch::Chunk, announced);
    try {
        m_codec.decode(f.data, f.bytes, dst, announced);
    } catch (const CodecError &e) {
        throw StoreError(chunkLabel(cc) + QStringLiteral(": corrupt blosc frame: ") + e.message());
    }
    std::memcpy(m_leftover.get(), dst, want);
}

void CarrayStore::openExisting()
{
    m_opened = true;
    for (int64_t n = 0; n < m_fullChunks; ++n) {
        const int64_t fileBytes = m_rootdir.chunkFileBytes(n);
        Slot &slot = m_slots[size_t(n)];
        if (fileBytes < 0) {
            slot.state.store(SlotState::Missing);
            continue;
        }
        slot.bytes.store(std::max<int64_t>(0, fileBytes - int64_t(BcolzRootdir::kHeaderBytes)));
        slot.state.store(SlotState::Frame);
    }
    if (m_leftoverRows > 0)
        loadLeftoverFile();
}

QString checkParams(const DType &dtype, const Coords &shape, int64_t chunklen, const BloscParams &cparams,
                    int64_t *rowBytes)
{
    if (shape.rank < 1 || shape.rank > kMaxRank)
        return QStringLiteral("a carray needs a shape of rank 1 to %1").arg(kMaxRank);
    // bcolz keeps a default item in its metadata as json.dumps(default.tolist()), which has no form
    // for complex, bytes, str or datetime64 values.
    if (!dtype.isReal())
        return QStringLiteral("dtype %1 is not supported by carray (bool, integer and float dtypes are)")
            .arg(dtype.typestr());
    int64_t items = 1;
    for (int i = 0; i < shape.rank; ++i) {
        if (shape[i] < 0)
            return QStringLiteral("shape %1 has a negative dimension").arg(shape.toString());
        if (i > 0 && __builtin_mul_overflow(items, shape[i], &items))
            return QStringLiteral("shape %1 is too large").arg(shape.toString());
    }
    int64_t total = 0;
    if (__builtin_mul_overflow(items, int64_t(dtype.itemsize()), rowBytes)
        || __builtin_mul_overflow(*rowBytes, shape[0], &total))
        return QStringLiteral("shape %1 is too large").arg(shape.toString());
    if (*rowBytes == 0)
        return QStringLiteral("rows of shape %1 hold no bytes (bcolz needs rows of at least one byte)")
            .arg(shape.toString());
    if (chunklen < 1)
        return QStringLiteral("chunklen must be a positive integer, not %1").arg(chunklen);
    if (chunklen > BLOSC_MAX_BUFFERSIZE / *rowBytes)
        return QStringLiteral("a chunk of %1 rows of %2 bytes exceeds blosc's limit of %3 bytes")
            .arg(chunklen)
            .arg(*rowBytes)
            .arg(BLOSC_MAX_BUFFERSIZE);
    if (shape[0] / chunklen > kMaxChunks)
        return QStringLiteral("%1 chunks of %2 rows are too many (at most %3); use a larger chunklen")
            .arg(shape[0] / chunklen)
            .arg(chunklen)
            .arg(kMaxChunks);
    if (!BloscCodec::compressorNames().contains(cparams.cname))
        return QStringLiteral("cparams cname \"%1\" is not one of %2")
            .arg(cparams.cname, BloscCodec::compressorNames().join(QStringLiteral(", ")));
    if (cparams.clevel < 0 || cparams.clevel > 9)
        return QStringLiteral("cparams clevel must be 0 to 9, not %1").arg(cparams.clevel);
    if (cparams.shuffle < 0 || cparams.shuffle > 2)
        return QStringLiteral("cparams shuffle must be 0, 1 or 2, not %1").arg(cparams.shuffle);
    return {};
}

} // namespace cs
