#pragma once

#include "array/coords.h"
#include "array/dtype.h"

#include <QString>

namespace cs {

// What zarr's `info`, h5py diagnostics and bcolz's repr tell about an array: sizes, ratio,
// how many chunks hold data and the codec. A plain value, taken before and after each run.
struct StoreInfo {
    QString id;
    QString store; // "memory", "zarr", "hdf5", "carray"
    DType dtype;
    Coords shape;
    Coords chunks;
    int64_t nbytes = 0;
    int64_t nbytesStored = 0;
    int64_t chunksInitialized = 0;
    int64_t chunksTotal = 0;
    QString codec; // "none", "blosc(cname=blosclz, clevel=5, shuffle=1)", "lzf+shuffle", ...
    QString location; // "in memory", a directory, "file.h5:/dataset"

    // nbytes / nbytesStored; infinity for an empty store, as zarr reports it.
    double ratio() const;
    // A multi-line description in the manner of zarr's Array.info.
    QString describe() const;
};

// Bytes as zarr's human_readable_size prints them ("1.5G", "26.9M", "298").
QString humanReadableSize(int64_t bytes);

} // namespace cs
