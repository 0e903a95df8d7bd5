#pragma once

#include <QByteArray>
#include <QString>

namespace cs::testing {

// 200 small runs cycling through every pair of stores (memory, Zarr and HDF5 in memory and on disk,
// carray and a bcolz rootdir), 1 to 3 workers, every lock mode and HDF5 path. The on-disk paths are
// relative: parse it against a temporary directory, or save it into one.
inline QByteArray manyRunsScenario()
{
    QByteArray json = R"({"chunkscope": 1, "name": "200 runs", "arrays": {
        "a": {"store": "memory", "dtype": "<i4", "shape": [64, 64], "chunks": [16, 32], "fill": "arange"},
        "m": {"store": "memory", "like": "a", "fill": "empty"},
        "z": {"store": "zarr", "like": "a", "fill": "empty",
              "compressor": {"id": "blosc", "cname": "lz4", "clevel": 5, "shuffle": 1}},
        "zd": {"store": "zarr", "like": "a", "path": "zd.zarr", "fill": "empty", "compressor": {"id": "zlib", "level": 1},
               "dimension_separator": "/"},
        "h": {"store": "hdf5", "like": "a", "dataset": "h", "compression": "lzf", "shuffle": true, "fill": "empty"},
        "hd": {"store": "hdf5", "like": "a", "file": "hd.h5", "dataset": "d", "compression": "gzip", "fill": "empty"},
        "c": {"store": "carray", "like": "a", "chunklen": 16, "fill": "empty"},
        "cd": {"store": "carray", "like": "a", "chunklen": 16, "rootdir": "cd.bcolz", "fill": "empty"}},
        "runs": [)";
    const char *pairs[][2]
        = {{"a", "m"}, {"a", "z"}, {"z", "zd"}, {"zd", "h"}, {"h", "hd"}, {"hd", "c"}, {"c", "cd"}, {"cd", "m"}};
    const char *locks[] = {"target", "none", "io"};
    const char *paths[] = {"auto", "library", "direct"};
    for (int i = 0; i < 200; ++i) {
        const auto &pair = pairs[i % 8];
        json += QStringLiteral(R"(%1{"name": "run %2", "source": "%3", "target": "%4", "workers": %5, "lock": "%6", )"
                               R"("hdf5_path": "%7", "sample_ms": 5})")
                    .arg(i ? QStringLiteral(", ") : QString())
                    .arg(i + 1)
                    .arg(QLatin1String(pair[0]), QLatin1String(pair[1]))
                    .arg(1 + i % 3)
                    .arg(QLatin1String(locks[(i / 8) % 3]), QLatin1String(paths[(i / 24) % 3]))
                    .toUtf8();
    }
    return json + "]}";
}

} // namespace cs::testing
