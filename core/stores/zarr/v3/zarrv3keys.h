#pragma once

#include "stores/storekind.h"
#include "stores/zarr/zarroptions.h"

namespace cs {

// The zarr kind's table with Zarr v3's keys added: "zarr_format" and zarr.json's own "codecs",
// "chunk_key_encoding", "dimension_names" and "attributes". A v3 array's saved scenario leaves out the
// v2-only keys (compressor, order, dimension_separator), and giving a key of the other format is an error.
QList<KindKey> withZarrV3Keys(QList<KindKey> v2Keys);

// compressor, order and dimension_separator: the keys only a v2 array takes.
bool isZarrV2Key(const QString &key);

// The codecs of a v3 array that gives none: bytes (little), then zstd at level 0, as zarr-python 3 writes.
QJsonArray zarrV3DefaultCodecs();

// codecs, chunk_key_encoding, dimension_names and attributes: the keys only a v3 array takes.
bool isZarrV3Key(const QString &key);

// Whether a codecs list is one sharding_indexed entry: its chunks are shards.
bool isShardedZarrV3(const QJsonValue &codecs);

// Whether the array's chunks pass through a compressor.
bool zarrCompresses(const ZarrOptions &options);

// The metadata file of an opened Zarr store: "zarr.json" or ".zarray".
QString zarrMetadataFile(const Store &store);

} // namespace cs
