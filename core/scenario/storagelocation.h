#pragma once

#include "scenario.h"

#include <QList>
#include <QString>

#include <cstdint>
#include <optional>
#include <utility>

namespace cs {

// What a path is beyond its spelling: the identity of each thing it passes that exists, from the
// root down to the deepest one, and the rest, which does not exist yet. Names that a bind mount or
// a hard link make for one place share it though no text of theirs matches.
struct LocationIdentity {
    // (st_dev, st_ino) on disk; (0, object address) inside an HDF5 file.
    QList<std::pair<uint64_t, uint64_t>> chain;
    QString rest; // "/new/d", or empty when the whole path exists
    bool isKnown() const { return !chain.isEmpty(); }
};

// Where an array keeps its data, resolved so that every spelling of one place compares equal:
// "./x/../data.zarr", a symlink to it, its absolute path and its name through a bind mount are one
// location, and so are two HDF5 dataset paths that lead to one object through soft links.
struct StorageLocation {
    QString path; // canonical absolute path; empty for an array in memory
    QString dataset; // HDF5: the dataset's path inside the file, "/g/d"; empty for other stores
    LocationIdentity identity; // of path
    LocationIdentity object; // HDF5, when the file exists: of dataset inside it
    // On a server (StoreKind::remoteLocation): path is that spelling, and nothing of it is on disk.
    bool remote = false;
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
// Whether the array is kept on a server (an s3:// path): not on disk, so no path of it is resolved
// against the scenario's folder or the current directory, and what exists there is checked when its
// store opens, by asking the server.
bool isRemote(const ArraySpec &spec);

// Why creating the array would not replace what already exists at its path, file or rootdir, or
// nullopt when it may: nothing is there, or "overwrite" is set and it is an array of the same store
// kind (an HDF5 file, for HDF5). The message names the path but not the array. Nullopt for a remote
// array, whose store checks the same when it opens.
std::optional<QString> overwriteRefusal(const ArraySpec &spec);

// How location `a` relates to `b`. One HDF5 file holds many datasets, so two arrays in one file
// overlap only when their datasets do; an HDF5 file inside a Zarr or bcolz directory is Inside it.
enum class Overlap { None, Same, Inside, Contains };
Overlap overlap(const StorageLocation &a, const StorageLocation &b);

// True when the canonical path `inner` is `outer` or lies below it.
bool pathWithin(const QString &inner, const QString &outer);

// Whether two paths (relative to the current directory) name one place, or `inner` lies in `outer`,
// by text and by identity on disk.
bool sameLocation(const QString &a, const QString &b);
bool locationWithin(const QString &inner, const QString &outer);

} // namespace cs
