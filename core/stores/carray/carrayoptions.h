#pragma once

#include "codecs/compressorspec.h"

#include <QString>

#include <cstdint>

namespace cs {

// A bcolz carray's own keys. A relative rootdir is resolved against the scenario file's directory.
struct CarrayOptions {
    // Rows per chunk: the scenario's chunklen or first chunk entry, else bcolz's default as the
    // parser computes it; 0 while unknown (the shape comes from the rootdir).
    int64_t chunklen = 0;
    // bcolz's defaults as the notebook's bcolz printed them: cparams(clevel=5, shuffle=1, cname='blosclz').
    CompressorSpec cparams = CompressorSpec{QStringLiteral("blosc"), QStringLiteral("blosclz"), 5, 1, 0};
    QString rootdir; // bcolz's on-disk layout; empty: in memory
};

} // namespace cs
