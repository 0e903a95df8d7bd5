#pragma once

// The notebook's compressor (blosc, blosclz level 5 with byte shuffle) as scenario JSON: a Zarr v2
// array's "compressor", and the Zarr v3 codecs that store the same bytes for int32 items.

#include <QByteArray>

namespace cs::testing {

inline const QByteArray kNotebookBlosc = R"({"id": "blosc", "cname": "blosclz", "clevel": 5, "shuffle": 1})";
inline const QByteArray kNotebookV3Blosc = R"([{"name": "bytes", "configuration": {"endian": "little"}},
    {"name": "blosc", "configuration": {"cname": "blosclz", "clevel": 5, "shuffle": "shuffle", "typesize": 4,
                                        "blocksize": 0}}])";

} // namespace cs::testing
