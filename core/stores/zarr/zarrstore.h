#pragma once

#include "codecs/codecchain.h"
#include "stores/chunkedstore.h"
#include "stores/storearray.h"
#include "stores/zarr/zarrkeyvalue.h"
#include "stores/zarr/zarrmetadata.h"
#include "stores/zarr/zarroptions.h"

#include <memory>
#include <optional>

namespace cs {

// A Zarr v2 array, in memory (the keys and bytes of zarr-python's dict store) or in a directory
// (a DirectoryStore), read and written chunk by chunk through the array's compressor (see
// ChunkedStore for how regions map to chunks). Missing chunks read as fill_value.
class ZarrStore final : public ChunkedStore {
public:
    ZarrStore(const QString &id, const ZarrMetadata &metadata, std::unique_ptr<KeyValue> backend);
    ~ZarrStore() override;

    QString kind() const override;
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

protected:
    bool loadChunk(int64_t linear, const Coords &chunkCoords, char *dst, TaskContext &ctx) override;
    void storeChunk(int64_t linear, const Coords &chunkCoords, const char *src, TaskContext &ctx) override;

private:
    ZarrMetadata m_meta;
    std::unique_ptr<KeyValue> m_kv;
    static CodecChain codecChainOf(const ZarrMetadata &metadata);
    static QString codecsDescription(const CodecChain &chain, bool fortranOrder);

    CodecChain m_chain;
    QString m_compressorName; // "none" without a compressor
    ZarrChunkKeys m_keys;
    size_t m_chunkBytes;
    ValueLimit m_chunkLimit;
};

// Creates a Zarr store: a new array (in memory, or at options.path, which must not exist unless
// array.overwrite), or, for array.existing, opens the array at options.path, whose shape, dtype
// and chunks come from its .zarray. Throws StoreError naming the array.
std::unique_ptr<Store> createZarrStore(const ZarrOptions &options, const StoreArray &array);

// Why "overwrite" may not replace what exists at `path`, or nullopt when it may: an empty
// directory, or one whose .zarray parses. Anything else may be someone's data and is left alone.
std::optional<QString> zarrOverwriteRefusal(const QString &path);

} // namespace cs
