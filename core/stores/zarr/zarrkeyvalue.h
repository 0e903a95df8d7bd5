#pragma once

#include "array/chunkgrid.h"

#include <QByteArray>
#include <QMap>
#include <QString>
#include <QStringList>

#include <atomic>
#include <memory>
#include <optional>

namespace cs {

class TaskContext;

// Chunk keys of a Zarr v2 array: "2.0.1" or, with the "/" separator, "2/0/1".
class ZarrChunkKeys {
public:
    ZarrChunkKeys(const ChunkGrid &grid, char separator);
    char separator() const { return m_separator; }
    // Writes the key of a chunk into buf (NUL-terminated) without allocating; returns its length,
    // or 0 when it does not fit in cap.
    size_t format(const Coords &chunkCoords, char *buf, size_t cap) const;
    QString key(int64_t linear) const;
    // The linear index of a chunk key of this grid; nullopt for any other key.
    std::optional<int64_t> parse(const QString &key) const;

private:
    ChunkGrid m_grid;
    char m_separator;
};

// The stored bytes of a chunk: in the backend's own memory or in a buffer of the caller.
struct ChunkBytes {
    const char *data = nullptr;
    size_t size = 0;
    bool present = false;
};

// Where a Zarr array's keys live: zarr-python's MutableMapping store. Chunk access (getChunk,
// putChunk) is safe from many threads for distinct chunks and allocates nothing once warm; the
// other calls are for setting up, tools and tests. Failures throw StoreError with the detail only
// (the store adds the array and the chunk).
class ZarrKeyValue {
public:
    explicit ZarrKeyValue(const ZarrChunkKeys &keys);
    virtual ~ZarrKeyValue();
    ZarrKeyValue(const ZarrKeyValue &) = delete;
    ZarrKeyValue &operator=(const ZarrKeyValue &) = delete;

    // "in memory" or the directory.
    virtual QString location() const = 0;
    // A backend that must copy the bytes anyway puts them into `direct` when they are exactly
    // directCap bytes long (a whole uncompressed chunk read in place); otherwise into the worker's
    // Scratch::Packed buffer. A missing chunk is not an error.
    virtual ChunkBytes getChunk(int64_t linear, const Coords &chunkCoords, TaskContext &ctx, char *direct,
                                size_t directCap)
        = 0;
    virtual void putChunk(int64_t linear, const Coords &chunkCoords, const char *data, size_t size) = 0;

    virtual std::optional<QByteArray> get(const QString &key) const = 0;
    virtual void put(const QString &key, const QByteArray &value) = 0;
    // Every key, sorted: metadata first, then chunks (as zarr lists a store).
    virtual QStringList keys() const = 0;
    // The sum of the sizes of every stored value, metadata included.
    virtual int64_t storedBytes() const = 0;
    virtual int64_t chunksInitialized() const = 0;
    // Called before a run writes: checks that the writes stay inside the store and tidies what
    // killed writers left. Throws StoreError.
    virtual void prepareForWriting() { }

    // The most bytes a stored chunk may have: a chunk of decodedBytes encodes to at most
    // maxEncodedBytes, so a larger file is refused before anything is allocated for it.
    void setChunkLimit(size_t decodedBytes, size_t maxEncodedBytes)
    {
        m_decodedBytes = decodedBytes;
        m_maxEncodedBytes = maxEncodedBytes;
    }

protected:
    ZarrChunkKeys m_keys;
    size_t m_decodedBytes = 0;
    size_t m_maxEncodedBytes = size_t(-1);
};

// A dict store: every key to its bytes, in memory. Chunks live in one slot per chunk, found by
// linear index without a lock (entries come in pages allocated on first touch, so a huge sparse grid
// costs little), and a slot's buffer is reused whenever the new encoding fits.
class ZarrMemoryBackend final : public ZarrKeyValue {
public:
    explicit ZarrMemoryBackend(const ZarrChunkKeys &keys, int64_t chunkCount);
    ~ZarrMemoryBackend() override;

    QString location() const override;
    ChunkBytes getChunk(int64_t linear, const Coords &chunkCoords, TaskContext &ctx, char *direct,
                        size_t directCap) override;
    void putChunk(int64_t linear, const Coords &chunkCoords, const char *data, size_t size) override;
    std::optional<QByteArray> get(const QString &key) const override;
    void put(const QString &key, const QByteArray &value) override;
    QStringList keys() const override;
    int64_t storedBytes() const override;
    int64_t chunksInitialized() const override;

    // Grids of more chunks are refused: the page table alone would not be small any more.
    static constexpr int64_t kMaxChunks = int64_t(1) << 32;

private:
    struct Slot {
        char *data = nullptr;
        size_t capacity = 0;
        std::atomic<int64_t> size{-1}; // -1: no chunk stored
    };
    static constexpr int64_t kPageSlots = 4096;
    struct Page {
        Slot entries[kPageSlots];
    };
    Slot *slot(int64_t linear, bool create) const;

    int64_t m_chunkCount;
    std::unique_ptr<std::atomic<Page *>[]> m_pages;
    int64_t m_pageCount;
    std::atomic<int64_t> m_chunkBytes{0};
    std::atomic<int64_t> m_initialized{0};
    QMap<QString, QByteArray> m_meta;
};

// A DirectoryStore: one file per key under a directory, nested directories for "/" keys. Each
// write goes to a temporary file beside the target and is renamed over it, so a crash never
// leaves half a chunk behind.
class ZarrDirectoryBackend final : public ZarrKeyValue {
public:
    // The directory must exist.
    ZarrDirectoryBackend(const ZarrChunkKeys &keys, const QString &path);

    QString location() const override { return m_path; }
    ChunkBytes getChunk(int64_t linear, const Coords &chunkCoords, TaskContext &ctx, char *direct,
                        size_t directCap) override;
    void putChunk(int64_t linear, const Coords &chunkCoords, const char *data, size_t size) override;
    std::optional<QByteArray> get(const QString &key) const override;
    void put(const QString &key, const QByteArray &value) override;
    QStringList keys() const override;
    int64_t storedBytes() const override;
    int64_t chunksInitialized() const override;
    // Refuses a symbolic link to a directory below the array (where nested keys would write through
    // it) and removes the temporary files of writers that no longer run.
    void prepareForWriting() override;

    // Deletes what a Zarr array keeps in a directory (.zarray, .zattrs, chunk files and directories,
    // unfinished temporary files) and nothing else. Throws StoreError with the detail.
    static void clearArray(const QString &path);

private:
    // Writes bytes to `target` (a NUL-terminated path) with replaceFileContents, creating the
    // directories of nested keys; `sync` for metadata, not for chunks.
    void writeFile(const char *target, size_t targetLen, const char *data, size_t size, bool sync) const;
    size_t chunkPath(const Coords &chunkCoords, char *buf, size_t cap) const;

    QString m_path;
    QByteArray m_nativePath; // encoded once for the C file API
};

} // namespace cs
