#pragma once

#include "array/coords.h"
#include "array/dtype.h"
#include "codecs/blosccodec.h"
#include "task/taskcontext.h"

#include <QByteArray>
#include <QString>

#include <cstdint>
#include <optional>

namespace cs {

// What a bcolz rootdir records in meta/storage and meta/sizes.
struct BcolzMeta {
    DType dtype; // the scalar dtype; trailing dimensions are part of the shape
    Coords shape;
    int64_t chunklen = 0; // rows along axis 0 per chunk
    BloscParams cparams; // cname, clevel, shuffle; typesize is the dtype's item size
    int quantize = 0; // bcolz's lossy float quantisation; 0 is off
    int64_t expectedlen = 0;
    int64_t nbytes = 0; // from meta/sizes
    int64_t cbytes = 0; // from meta/sizes
};

// A blosc frame of a chunk file, as read into a worker's scratch buffer.
struct BcolzFrame {
    const char *data = nullptr;
    size_t bytes = 0;
};

// The on-disk layout of a bcolz 1.x carray (bcolz's DISK_FORMAT_v1):
//   ROOT/meta/storage  {"dtype": ..., "cparams": {...}, "chunklen": ..., "expectedlen": ..., "dflt": ...}
//   ROOT/meta/sizes    {"shape": [...], "nbytes": ..., "cbytes": ...}
//   ROOT/__attrs__     user attributes, JSON ({} when none)
//   ROOT/data/__N.blp  a 16-byte bloscpack header ("blpk", version 1, 3 reserved bytes, int64 LE
//                      chunk count 1) followed by one blosc frame.
// The JSON files are written byte for byte as bcolz's json.dumps writes them. Every file is
// replaced atomically (written beside and renamed), so a reader never sees half a chunk.
//
// Errors are thrown as StoreError whose message names the file but not the array: the store
// prefixes its array id or chunk label.
class BcolzRootdir {
public:
    static constexpr size_t kHeaderBytes = 16;

    explicit BcolzRootdir(const QString &path);
    const QString &path() const { return m_path; }
    QString chunkPath(int64_t nchunk) const;

    // Creates the layout with meta/storage, meta/sizes (no chunks yet) and an empty __attrs__.
    // An existing path is an error unless overwrite; even then it must be an empty directory or a
    // bcolz rootdir, and only the files bcolz writes are removed.
    void create(const BcolzMeta &meta, int64_t cbytes, bool overwrite) const;
    // Why "overwrite" may not replace what exists at `path`, or nullopt when it may: an empty
    // directory, or one whose meta/sizes and meta/storage parse. Anything else may be someone's data.
    static std::optional<QString> overwriteRefusal(const QString &path);
    // Reads and checks meta/storage and meta/sizes.
    BcolzMeta open() const;
    // Checks the texts of meta/storage and meta/sizes; the file names are for messages.
    static BcolzMeta parseMeta(const QByteArray &storageText, const QByteArray &sizesText, const QString &storageFile,
                               const QString &sizesFile);
    void writeSizes(const Coords &shape, int64_t nbytes, int64_t cbytes) const;
    // Before a run writes: refuses data/ or meta/ that is a symbolic link (the writes would land in
    // another array) and removes the temporary chunk files of writers that no longer run. Throws
    // StoreError.
    void prepareForWriting() const;

    // The JSON texts exactly as bcolz writes them (python's json.dumps and a newline).
    static QByteArray storageJson(const BcolzMeta &meta);
    static QByteArray sizesJson(const Coords &shape, int64_t nbytes, int64_t cbytes);
    // The bloscpack header bcolz writes before every chunk's frame.
    static void putHeader(char *dst);

    // The size of data/__N.blp in bytes, or -1 when there is no such file.
    int64_t chunkFileBytes(int64_t nchunk) const;
    // Reads data/__N.blp into the worker's scratch buffer `which` and checks its bloscpack header
    // and the frame length its blosc header announces. No allocation beyond the scratch buffer: a
    // file longer than the headers and a blosc frame of chunkBytes can take is refused unread.
    BcolzFrame readChunk(int64_t nchunk, size_t chunkBytes, TaskContext &ctx, Scratch which) const;
    // Writes data/__N.blp from `file`, which holds kHeaderBytes of room followed by the frame;
    // the header is put into that room.
    void writeChunk(int64_t nchunk, char *file, size_t frameBytes) const;

private:
    // Formats data/__N.blp into buf; throws when the path does not fit.
    void formatChunkPath(char *buf, size_t size, int64_t nchunk) const;
    void writeMetaFile(const QString &relative, const QByteArray &bytes) const;
    void removeArrayFiles() const;

    QString m_path;
    QByteArray m_dataDir; // native encoding, made once for the chunk I/O path
};

} // namespace cs
