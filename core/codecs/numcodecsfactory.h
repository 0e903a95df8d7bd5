#pragma once

#include "chunkcodec.h"

#include <QJsonObject>
#include <QStringList>

#include <memory>

namespace cs {

// Builds one codec chain step from a numcodecs config object, as Zarr v2's .zarray lists them under
// `compressor` and `filters`: {"id": "bz2", "level": 9}, {"id": "delta", "dtype": "<i4"}. Keys take
// numcodecs' defaults when absent; an unknown key, a missing required key or a value of the wrong type
// throws CodecError naming the id and the key, as constructing the numcodecs codec would fail.
std::unique_ptr<ChunkCodec> makeNumcodecsCodec(const QJsonObject &config);

// The ids makeNumcodecsCodec builds, in messages and forms.
const QStringList &numcodecsIds();

} // namespace cs
