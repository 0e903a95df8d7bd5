#pragma once

#include "array/coords.h"

#include <QJsonObject>
#include <QJsonValue>
#include <QString>

#include <cstdint>
#include <optional>

// What Zarr v2's .zarray and v3's zarr.json parsers share: reading integers and shapes from JSON, and
// naming a bad value in a message.
namespace cs::zarrjson {

// Larger chunks than this cannot be compressed by blosc and would make every worker's scratch
// buffers absurd; zarr arrays use chunks of kilobytes to a few hundred megabytes.
constexpr int64_t kMaxChunkBytes = (int64_t(1) << 31) - 64;

// The document's top-level object; nullopt with *error "not valid JSON (... at offset N)" or "not a JSON
// object" otherwise.
std::optional<QJsonObject> parseObject(const QByteArray &json, QString *error);
// A JSON number that is an integer within int64's range.
bool toInt64(const QJsonValue &v, int64_t *out);
// A value as a message quotes it: "\"C\"", "2", "null", "a JSON list".
QString text(const QJsonValue &v);
// A list of at most kMaxRank integers.
bool readCoords(const QJsonValue &v, Coords *out);
// Rank 1 to kMaxRank, chunks of the shape's rank, no negative extent, chunks of at least 1 and at most
// kMaxChunkBytes, and a total size that fits int64. Sets *error to the reason otherwise.
bool checkShape(const Coords &shape, const Coords &chunks, int itemsize, QString *error);

} // namespace cs::zarrjson
