#pragma once

#include "codecs/blosccodec.h"
#include "stores/carray/bcolzrootdir.h"
#include "stores/carray/carrayoptions.h"
#include "stores/chunkedstore.h"
#include "stores/storearray.h"

#include <QByteArray>

#include <atomic>
#include <functional>
#include <memory>

namespace cs {

// bcolz's default chunklen (utils.calc_chunksize) for expectedlen rows of rowBytes bytes each:
// 16 KiB chunks for tiny arrays, 256 KiB at 1 MB, doubling per decade up to 4 MiB at 10 GB.
int64_t bcolzDefaultChunklen(int64_t expectedlen, int64_t rowBytes);

// Bytes of one row: the item size times the trailing dimensions (saturated; checkParams rejects
// shapes that overflow).
int64_t rowBytesOf(const Coords &shape, const DType &dtype);

// Why a carray of these parameters cannot be made (chunklen, blosc's buffer limit, the number of
// chunks, cparams), or an empty string; *rowBytes is set to the bytes of one row.
QString checkParams(const DType &dtype, const Coords &shape, int64_t chunklen, const BloscParams &cparams,
                    int64_t *rowBytes);

// Creates a carray store. The chunklen is options.chunklen, else the first entry of array.chunks
// (as bcolz.carray(a, chunklen=chunks[0]) is called), else bcolz's default. With a rootdir the
// array lives on disk in bcolz's layout: a new one is created (an existing path is an error unless
// array.overwrite), or for array.existing the one there is opened and its dtype, shape, chunklen
// and cparams are used. Throws StoreError.
std::unique_ptr<Store> createCarrayStore(const CarrayOptions &options, const StoreArray &array);

// A bcolz carray: rows along axis 0 in chunks of chunklen rows, each full chunk one blosc frame
// compressed with the carray's cparams (typesize = item size, blocksize automatic, one thread:
// bcolz's blosc_compress_ctx call), and the shape[0] % chunklen leftover rows kept uncompressed.
//
// In memory, each chunk has one slot; a chunk of zeros is kept as bcolz's zero constant, without
// a frame. On disk, every full chunk is a data/__N.blp file, written as soon as a write completes
// it, and read from its file on every read; the leftover rows are written as a last chunk file of
// just those rows, with meta/sizes, by flush() (called by endWriting() and, when anything changed,
// by the destructor), exactly as bcolz's flush() does.
//
// nbytes_stored is bcolz's cbytes: the frames plus one full uncompressed chunk for the leftover
// buffer, which bcolz always counts.
//
// Under MPI (shareWriting()) each process writes only its own chunk files, and the leftover file
// when it wrote leftover rows (at most one process does: copy chunks cover whole carray chunks).
// The rootdir is then completed by one process once all have written (endSharedWriting()): the
// chunks no process wrote become zeros and meta/sizes gets the cbytes of every chunk file, so the
// rootdir is byte for byte the one a single process writes.
class CarrayStore final : public ChunkedStore {
public:
    ~CarrayStore() override;

    QString kind() const override;
    StoreInfo info() const override;
    void beginWriting() override;
    void endWriting() override;
    // A new carray reads as zeros (bcolz's dflt) until written; an opened one holds its data.
    bool readsZerosWhenFresh() const override { return !m_opened; }

    int64_t chunklen() const { return m_chunklen; }
    // Chunks held as blosc frames: shape[0] / chunklen.
    int64_t fullChunks() const { return m_fullChunks; }
    int64_t leftoverRows() const { return m_leftoverRows; }
    const BloscCodec &codec() const { return m_codec; }
    const QString &rootdir() const { return m_rootdirPath; }
    // bcolz's cbytes (see above).
    int64_t cbytes() const;

    // Full chunks move as their blosc frames; the leftover rows, kept unpadded, are re-encoded.
    std::optional<EncodedForm> encodedForm(QString *whyNot) const override;

    // Inspection outside a run. The blosc frame of full chunk n as stored (read from its file on
    // disk); empty when the chunk holds no frame (never written, or a zero constant in memory).
    QByteArray frame(int64_t nchunk) const;
    bool isZeroConstant(int64_t nchunk) const;
    // The uncompressed leftover rows.
    QByteArray leftover() const;

    // On disk: writes every chunk never written as a chunk of zeros, the leftover rows as the
    // last chunk file, and meta/sizes. Does nothing in memory. Throws StoreError.
    void flush();

    // On disk only: rank 0 writes the leftover file first when there is none yet, so that the
    // other ranks can open the rootdir.
    bool shareWriting() override;
    void endSharedWriting(bool completing) override;

protected:
    // Decodes chunk n (its frame) into dst, a buffer of one whole chunk; false for a chunk that
    // reads as zeros.
    bool loadChunk(int64_t n, const Coords &cc, char *dst, TaskContext &ctx) override;
    // Compresses one whole chunk from src and stores it (the raw put under ctx.ioLock).
    void storeChunk(int64_t n, const Coords &cc, const char *src, TaskContext &ctx) override;
    EncodedChunk readEncoded(int64_t n, const Coords &cc, TaskContext &ctx) override;
    void writeEncoded(int64_t n, const Coords &cc, const EncodedChunk &chunk, TaskContext &ctx) override;
    // The leftover rows, kept uncompressed.
    char *residentChunk(const Coords &cc, bool forWriting) override;

private:
    // Whether chunk n is stored as a frame; false for one that reads as zeros, and StoreError naming
    // the file for one whose file is missing.
    bool holdsFrame(int64_t n, const Coords &cc) const;
    friend std::unique_ptr<Store> createCarrayStore(const CarrayOptions &options, const StoreArray &array);

    enum class SlotState : uint8_t {
        Empty, // never written: reads as zeros (bcolz's dflt)
        Missing, // an opened rootdir lacks the chunk's file: reading it is an error
        Zero, // in memory, bcolz's constant chunk of zeros
        Frame, // a blosc frame, in data (memory) or in data/__N.blp (disk)
    };
    // One per full chunk. Writers of different chunks never share a slot; writers of the same
    // chunk are serialised by ChunkLocks, so only the state and size that info() reads are atomic.
    struct Slot {
        std::unique_ptr<char[]> data; // memory only
        size_t capacity = 0;
        std::atomic<int64_t> bytes{0}; // frame bytes
        std::atomic<SlotState> state{SlotState::Empty};
    };

    CarrayStore(const QString &id, const DType &dtype, const Coords &shape, int64_t chunklen,
                const BloscParams &cparams, const QString &rootdir);
    void openExisting(); // reads the chunk file sizes and the leftover chunk of a rootdir

    bool onDisk() const { return !m_rootdirPath.isEmpty(); }
    int64_t leftoverBytes() const { return m_leftoverRows * m_rowBytes; }
    void decodeFrame(const Coords &cc, const char *frame, size_t bytes, char *dst, TaskContext &ctx) const;
    void putMemory(Slot &slot, const char *frame, size_t bytes, bool zero, TaskContext &ctx);
    // Writes data/__N.blp from `file` (kHeaderBytes of room, then the frame) under ctx.ioLock.
    void putFile(int64_t n, const Coords &cc, char *file, size_t bytes, TaskContext &ctx);
    // bcolz's decompression of a leftover chunk file on open: a frame of the leftover rows (or,
    // from older writers, of a whole chunk whose first rows are the leftover).
    void loadLeftoverFile();
    QString fileError(const Coords &cc, const StoreError &e) const;
    // Writes a chunk file of zeros for every full chunk `unwritten` names, and the leftover rows as
    // their file when `leftover`: the steps of flush() and of completing a shared rootdir. Throws
    // StoreError naming the array.
    void writeRootdirFiles(const std::function<bool(int64_t)> &unwritten, bool leftover);

    int64_t m_chunklen;
    int64_t m_rowBytes; // bytes of one row: item size times the trailing dimensions
    int64_t m_fullChunks;
    int64_t m_leftoverRows;
    BloscCodec m_codec;
    QString m_rootdirPath;
    BcolzRootdir m_rootdir;
    bool m_opened = false;
    std::unique_ptr<Slot[]> m_slots;
    std::unique_ptr<char[]> m_leftover; // leftoverBytes(), zero-initialised
    std::atomic<bool> m_leftoverWritten{false};
    std::atomic<bool> m_dirty{false};
    std::atomic<bool> m_leftoverDirty{false}; // leftover rows written since the last flush()
    bool m_shared = false; // written by several processes at once (shareWriting())
};

} // namespace cs
