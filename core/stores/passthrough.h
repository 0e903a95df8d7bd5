#pragma once

#include "array/coords.h"
#include "array/dtype.h"

#include <QByteArray>
#include <QString>
#include <QStringList>

#include <cstdint>
#include <optional>

namespace cs {

class ChunkedStore;
class Store;

// The run key "passthrough": whether a copy may move a chunk's encoded bytes from the source's
// storage to the target's without decoding and re-encoding them.
//  Never:   always decode and re-encode, as dask's store does (the default, the notebook's measure).
//  Auto:    pass a chunk through wherever its stored form is the same in both stores.
//  Require: as auto, and the run is refused when the stores cannot pass their chunks through.
enum class PassthroughMode { Never, Auto, Require };

QString passthroughModeName(PassthroughMode mode); // "never", "auto", "require"
std::optional<PassthroughMode> passthroughModeFromName(const QString &name);

// How a chunked store keeps a chunk, in the terms two stores of different formats can compare: when
// two forms are equal, the bytes one store keeps for a chunk are the bytes the other would keep for
// the same values, so they can be moved without decoding.
struct EncodedForm {
    Coords chunks; // the stored chunk's shape
    DType dtype; // the items' type; the byte order is `bigEndian`
    bool bigEndian = false; // the byte order of the stored (serialised) items
    // The steps that rearrange, filter or compress the serialised items, in encoding order, as their
    // describe() gives them ("blosc(cname=blosclz, clevel=5, shuffle=1)").
    QStringList codecs;
    QByteArray fillItem; // what a chunk never stored reads as
    // An edge chunk is stored full size, padded, as Zarr and HDF5 do; false where the format keeps the
    // array's last chunk another way (carray's leftover rows).
    bool edgeChunksFullSize = true;
    // A chunk made of inner chunks (a sharded Zarr v3 array's shard): their shape and how the chunk's
    // index of them is kept ("bytes(little) | crc32c at the end"); `codecs` and the byte order are then
    // the inner chunks'. Rank 0 and empty for a chunk of items.
    Coords innerChunks;
    QString shardIndex;
};

// A chunk's stored bytes: in the store's own memory or the worker's Scratch::Packed buffer, valid
// until the worker's next read from the store.
struct EncodedChunk {
    const char *data = nullptr;
    size_t size = 0;
    uint32_t filterMask = 0; // HDF5's: the optional filters this chunk was stored without
    bool present = false; // false: never stored
};

// What moving one task's chunks as stored did.
struct PassedChunks {
    int64_t storedBytes = 0; // the stored bytes moved without decoding them
    // Some of the task's chunks were decoded and encoded after all: an edge chunk the target keeps
    // another way, or a chunk HDF5 stored without one of its filters (a set bit of its filter mask),
    // for a target that keeps no mask.
    bool reencoded = false;
};

// What a copy over chunks of `copyChunks` can pass through from `source` to `target`: nothing, with
// why (`refusal`), or every chunk but, when `edgeRefusal` says why, the edge chunks, which are
// re-encoded.
struct PassthroughPlan {
    std::optional<QString> refusal;
    QString edgeRefusal;
    // The target packs the source's chunks, as they are stored, as the inner chunks of its own (a
    // sharded Zarr v3 array's shards): the copy's chunks are the target's, and only each one's index
    // is computed.
    bool packs = false;
    // The source unpacks its chunks (a sharded Zarr v3 array's shards) into the target's, which are its
    // inner chunks, each moved as it is stored: the copy's chunks are the source's, and each task reads
    // one shard's index and writes a target chunk per inner chunk.
    bool unpacks = false;
    bool passes() const { return !refusal.has_value(); }
    bool passesEdges() const { return passes() && edgeRefusal.isEmpty(); }
};
PassthroughPlan planPassthrough(const Store &source, const Store &target, const Coords &copyChunks);

// The chunks a copy over `copyChunks` that may pass chunks through reads `source` in and writes `target`
// in. Where a sharded Zarr v3 array packs the other's chunks into its shards, or unpacks its shards into
// the other's chunks, the other is read or written one of its own chunks at a time, whatever the copy's
// chunks (so that an HDF5 dataset can take its direct path); elsewhere both are copyChunks. For
// Store::prepareCopy().
struct PassthroughGrids {
    Coords source;
    Coords target;
};
PassthroughGrids passthroughGrids(const Store &source, const Store &target, const Coords &copyChunks);

// Why `target` cannot take `source`'s chunks as they are stored when a copy runs over chunks of
// `copyChunks`, edge chunks included, in the words "passthrough \"require\"" errors use ("a different
// grid: the copy's chunks [4] differ from source a's chunks [8]"); nullopt when it can.
std::optional<QString> passthroughRefusal(const Store &source, const Store &target, const Coords &copyChunks);

// The message of a run "passthrough": "require" refuses, `why` being passthroughRefusal()'s.
QString requireRefusalMessage(const QString &why);

// The stored form's description for messages: "blosc(cname=lz4, clevel=5, shuffle=1)", "none".
QString codecsText(const EncodedForm &form);

} // namespace cs
