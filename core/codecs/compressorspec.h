#pragma once

#include <QString>

namespace cs {

// A codec's settings as a store kind's options give them: Zarr's compressor object, HDF5's
// compression keys or a carray's cparams, normalised to one shape.
struct CompressorSpec {
    QString id; // "blosc", "zlib", "lzf", "gzip"; empty means no compressor
    QString cname = QStringLiteral("blosclz"); // blosc only
    int clevel = 5; // blosc level; zlib / gzip level
    int shuffle = 1; // blosc: -1 auto, 0 none, 1 byte, 2 bit
    int blocksize = 0; // blosc only
    bool operator==(const CompressorSpec &o) const
    {
        return id == o.id && cname == o.cname && clevel == o.clevel && shuffle == o.shuffle && blocksize == o.blocksize;
    }
};

} // namespace cs
