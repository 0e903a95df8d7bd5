#pragma once

#include "scenario.h"

#include <QString>

namespace cs {

// Where an array keeps its data, resolved so that every spelling of one place compares equal:
// "./x/../data.zarr", a symlink to it and its absolute path are one location.
struct StorageLocation {
    QString path; // canonical absolute path; empty for an array in memory
    QString dataset; // HDF5: the dataset's path inside the file, "/g/d"; empty for other stores
    bool isEmpty() const { return path.isEmpty(); }
};

// The absolute form of `path` (relative to the current directory) with every symlink resolved
// for the part that exists, and the rest, which does not exist yet, cleaned of "." and "..".
QString canonicalLocation(const QString &path);

// The scenario key that names an array's storage: "path" (zarr), "file" (hdf5), "rootdir"
// (carray); empty for a memory array. storagePath is that key's value (resolved by the parser).
QString storageKey(const ArraySpec &spec);
QString storagePath(const ArraySpec &spec);

StorageLocation storageLocation(const ArraySpec &spec);

// How location `a` relates to `b`. One HDF5 file holds many datasets, so two arrays in one file
// overlap only when their datasets do; an HDF5 file inside a Zarr or bcolz directory is Inside it.
enum class Overlap { None, Same, Inside, Contains };
Overlap overlap(const StorageLocation &a, const StorageLocation &b);

// True when the canonical path `inner` is `outer` or lies below it.
bool pathWithin(const QString &inner, const QString &outer);

} // namespace cs
