#pragma once

#include "array/chunkgrid.h"
#include "kv/keyvalue.h"

#include <QString>
#include <QStringList>

#include <optional>

namespace cs {

// What is Zarr's own about keeping an array in a key-value store (kv/keyvalue.h): how its chunks are
// named, which keys a listing shows first, how large a stored chunk may be, and which files an
// overwrite may delete.

// Chunk keys of a Zarr array: "2.0.1" or, with the "/" separator, "2/0/1", as v2 and v3's "v2" encoding
// name them; v3's "default" encoding puts "c" and the separator first ("c/2/0/1"). A chunk's key-value
// key carries its linear index as its slot.
class ZarrChunkKeys {
public:
    ZarrChunkKeys(const ChunkGrid &grid, char separator, bool defaultV3Encoding = false);
    char separator() const { return m_separator; }
    // Writes the key of a chunk into buf (NUL-terminated) without allocating; returns its length,
    // or 0 when it does not fit in cap.
    size_t format(const Coords &chunkCoords, char *buf, size_t cap) const;
    QString key(int64_t linear) const;
    // The linear index of a chunk key of this grid; nullopt for any other key.
    std::optional<int64_t> parse(const QString &key) const;

    // Room for the longest key with its NUL: kMaxRank indices of up to 20 digits and their separators.
    // And room for v3's "c/".
    static constexpr size_t kMaxKeyBytes = kMaxRank * 21 + 2;
    // The key of a chunk for a get or set, written into buf (kMaxKeyBytes) without allocating.
    KvKey chunk(int64_t linear, const Coords &chunkCoords, char *buf) const
    {
        return KvKey(buf, format(chunkCoords, buf, kMaxKeyBytes), linear);
    }
    // Any key of the array (".zarray", "0.1"), in UTF-8, which must outlive the result; a chunk's
    // carries its slot.
    KvKey anyKey(const QByteArray &utf8) const;

private:
    ChunkGrid m_grid;
    char m_separator;
    bool m_prefixed; // "c" and the separator before the indices
};

// Every key of an array: metadata (and whatever else is there) first, sorted, then the chunks in C
// order, as zarr lists a store.
QStringList zarrKeys(const KeyValue &kv, const ZarrChunkKeys &keys);
// How many chunks are stored.
int64_t zarrChunksInitialized(const KeyValue &kv, const ZarrChunkKeys &keys);

// What a chunk read may take: a chunk of decodedBytes encodes to at most maxEncodedBytes, so a larger
// file is refused before anything is allocated for it.
ValueLimit zarrChunkLimit(size_t decodedBytes, size_t maxEncodedBytes);

// Deletes what a Zarr array keeps in a directory (.zarray, .zattrs, zarr.json, chunk files and
// directories, unfinished temporary files) and nothing else. Throws StoreError with the detail.
void clearZarrArray(const QString &path);

} // namespace cs
