#pragma once

#include "stores/storearray.h"
#include "stores/zarr/zarrarraystore.h"
#include "stores/zarr/zarrmetadata.h"
#include "stores/zarr/zarroptions.h"

#include <memory>
#include <optional>

namespace cs {

// A Zarr v2 array, in memory (the keys and bytes of zarr-python's dict store) or in a directory
// (a DirectoryStore), read and written chunk by chunk through the array's compressor (see
// ChunkedStore for how regions map to chunks). Missing chunks read as fill_value.
class ZarrStore final : public ZarrArrayStore {
public:
    ZarrStore(const QString &id, const ZarrMetadata &metadata, std::unique_ptr<KeyValue> backend);
    ~ZarrStore() override;

    const ZarrMetadata &metadata() const { return m_meta; }

private:
    ZarrMetadata m_meta;
};

// Creates a Zarr store of either format: a new array (in memory, or at options.path, which must not
// exist unless array.overwrite), or, for array.existing, opens the array at options.path, whose
// format, shape, dtype and chunks come from its zarr.json or .zarray. Throws StoreError naming the
// array.
std::unique_ptr<Store> createZarrStore(const ZarrOptions &options, const StoreArray &array);

// Why "overwrite" may not replace what exists at `path`, or nullopt when it may: an empty
// directory, or one whose .zarray or zarr.json parses. Anything else may be someone's data and is
// left alone.
std::optional<QString> zarrOverwriteRefusal(const QString &path);
// Why `text`, the array's metadata file `name` (".zarray" or "zarr.json"), does not describe a Zarr
// array ("zarr.json: ..."), or nullopt when it does.
std::optional<QString> zarrMetadataTextRefusal(const QString &name, const QByteArray &text);

// The key-value store of a new array of either format, after the checks "overwrite" makes: in memory
// (with a slot for each of the grid's chunks) when options.path is empty, the objects under an s3://
// path, otherwise the directory at the path, created or cleared. Throws StoreError naming the array.
std::unique_ptr<KeyValue> newZarrKeyValue(const ZarrOptions &options, const StoreArray &array,
                                          const ZarrChunkKeys &keys, const ChunkGrid &grid);

} // namespace cs
