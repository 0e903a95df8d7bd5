#pragma once

#include "stores/chunklocks.h"
#include "stores/store.h"
#include "stores/zarr/zarrkeyvalue.h"
#include "stores/zarr/zarrmetadata.h"

#include <memory>
#include <optional>

namespace cs {

class ChunkCodec;
struct ArraySpec;

// A Zarr v2 array, in memory (the keys and bytes of zarr-python's dict store) or in a directory
// (a DirectoryStore), read and written chunk by chunk through the array's compressor.
//
// Reading a whole chunk that lies contiguous in the caller's buffer decodes it in place; any other
// read decodes the chunk once into the worker's Scratch::Chunk buffer and copies the part needed.
// Writing a whole chunk never reads it; a partial write reads, modifies and writes the chunk under
// its ChunkLocks stripe. Missing chunks read as fill_value; edge chunks are stored full size.
class ZarrStore final : public Store {
public:
    ZarrStore(const QString &id, const ZarrMetadata &metadata, std::unique_ptr<KeyValue> backend);
    ~ZarrStore() override;

    QString kind() const override;
    void read(const Region &region, void *out, TaskContext &ctx) override;
    void write(const Region &region, const void *in, TaskContext &ctx) override;
    StoreInfo info() const override;
    // A fresh array with a zero fill_value already reads as zeros, so a "zeros" fill writes nothing,
    // as zarr.zeros does.
    bool readsZerosWhenFresh() const override;
    void beginWriting() override;

    const ZarrMetadata &metadata() const { return m_meta; }
    // The stored value of a key (".zarray", "0.1", "0/1"); a null QByteArray when there is none.
    QByteArray get(const QString &key) const;
    // Every stored key: metadata first, then chunks.
    QStringList keys() const;
    // The key of a chunk, as zarr names it.
    QString chunkKey(const Coords &chunkCoords) const;

private:
    // Fetches and decodes a chunk into dst (a full chunk, C order). False when the chunk is missing.
    bool loadChunk(int64_t linear, const Coords &chunkCoords, char *dst, TaskContext &ctx);
    // Encodes a full C-order chunk and puts it.
    void storeChunk(int64_t linear, const Coords &chunkCoords, const char *src, TaskContext &ctx);
    void fillChunk(char *dst) const;
    [[noreturn]] void rethrow(const Coords &chunkCoords) const;

    ZarrMetadata m_meta;
    std::unique_ptr<KeyValue> m_kv;
    std::unique_ptr<ChunkCodec> m_codec;
    ZarrChunkKeys m_keys;
    size_t m_chunkBytes;
    Coords m_chunkShape;
    ValueLimit m_chunkLimit;
    ChunkLocks m_chunkLocks;
};

// Creates a Zarr store for an array spec: a new array (in memory, or at spec.path, which must not
// exist unless spec.overwrite), or, for fill "existing", the array at spec.path, whose shape, dtype
// and chunks must agree with any the spec gave. Throws StoreError naming the array.
std::unique_ptr<Store> createZarrStore(const ArraySpec &spec);

// Why "overwrite" may not replace what exists at `path`, or nullopt when it may: an empty
// directory, or one whose .zarray parses. Anything else may be someone's data and is left alone.
std::optional<QString> zarrOverwriteRefusal(const QString &path);

} // namespace cs
