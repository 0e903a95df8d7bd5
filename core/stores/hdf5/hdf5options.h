#pragma once

#include <QString>

namespace cs {

// An HDF5 array's own keys. A relative file is resolved against the scenario file's directory.
struct Hdf5Options {
    QString file; // empty: an in-memory file on the core driver
    QString dataset; // the dataset's path inside the file
    QString compression; // "", "lzf", "gzip"
    int compressionOpts = 4; // gzip's level
    bool shuffle = false;
};

} // namespace cs
