#pragma once

#include "scenario.h"
#include "stores/carray/carraykind.h"

#include <QJsonObject>
#include <QList>
#include <QString>
#include <QStringList>

#include <cstdint>
#include <vector>

namespace cs {

// Blosc refuses buffers above BLOSC_MAX_BUFFERSIZE, INT_MAX less its 16-byte header. Every compressed
// store is held to it, which also keeps lzf's and zlib's 32-bit lengths safe.
constexpr int64_t kMaxCompressedChunkBytes = int64_t(2147483647) - 16;

// Parses the "arrays" object of a scenario, ids taken in `order` (the file's): resolves `like`
// chains, fills in defaults (chunks: one chunk, or bcolz's chunklen for a carray; zarr's and bcolz's
// codecs) and checks every key, the byte-size limits of the stores and the `{"copy": ID}` fills.
// Relative store paths are resolved against baseDir when it is not empty. Throws JsonError.
QList<ArraySpec> parseScenarioArrays(const QJsonObject &arrays, const QStringList &order, const QString &baseDir);

// The keys every array may have, whatever its store kind, in the order scenario files write them;
// each kind adds the keys of its table (StoreKind::keys()).
const QStringList &commonArrayKeys();

// Array ids match [A-Za-z_][A-Za-z0-9_.-]*.
bool isValidArrayId(const QString &id);

} // namespace cs
