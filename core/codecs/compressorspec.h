#pragma once

#include <QJsonObject>
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
    // Zarr only: the numcodecs config of a compressor other than blosc and zlib ("bz2", "lzma", "lz4",
    // "zstd", numcodecs' "gzip"), as numcodecs' get_config() gives it. Those codecs have options of their
    // own, and Zarr's "gzip" is the gzip container, not HDF5's deflate that id means in the fields above.
    QJsonObject numcodecs;
    bool operator==(const CompressorSpec &o) const
    {
        return id == o.id && cname == o.cname && clevel == o.clevel && shuffle == o.shuffle && blocksize == o.blocksize
            && numcodecs == o.numcodecs;
    }
};

} // namespace cs
