#pragma once

#include "stores/hdf5/hdf5library.h"

#include <QList>
#include <QString>

#include <cstdint>
#include <optional>

namespace cs {

// What a dataset path names inside an existing HDF5 file, every soft and hard link followed, so
// that two spellings of one object ("/grp/x" and "/lg/x" through a soft link lg -> /grp) compare
// equal.
struct Hdf5PathInfo {
    enum class Kind { Missing, Dataset, Group, NamedDatatype, Other };
    // The address of the root group and of each object the path names from there down, as far as
    // the path exists. Addresses identify objects within this one file only.
    QList<uint64_t> addresses;
    QString rest; // the part of the path that names nothing yet ("/new/d"); empty when all of it exists
    Kind kind = Kind::Missing; // of the object the whole path names
    bool virtualLayout = false; // a dataset whose data lies in other datasets (an HDF5 VDS)
};

// Looks `dataset` up in the HDF5 file `file`, or returns nullopt when the file cannot be opened as
// HDF5. Takes hdf5Mutex() itself, so call it without holding it.
std::optional<Hdf5PathInfo> inspectHdf5Path(const QString &file, const QString &dataset);

// "lab.h5:/run1 is a group, not a dataset; not removing it", for an overwrite that names a
// non-dataset; empty for a dataset or nothing.
QString hdf5NotADatasetRefusal(const QString &where, Hdf5PathInfo::Kind kind);

// The same refusal for `path` in an open file, about to be deleted to make room for a new dataset:
// deleting the link of a group would take every dataset below it along. Empty when `path` names a
// dataset. Call with hdf5Mutex() held.
QString hdf5ReplaceRefusal(Hdf5Handle file, const QString &path, const QString &where);

// "vv.h5:/v is a virtual dataset; Chunkscope does not write through virtual datasets".
QString hdf5VirtualTargetRefusal(const QString &where);

} // namespace cs
