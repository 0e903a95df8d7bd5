#pragma once

#include "codecs/compressorspec.h"
#include "kv/s3config.h"

#include <QJsonArray>
#include <QJsonValue>
#include <QString>

#include <optional>

namespace cs {

// A Zarr array's own keys. A relative path is resolved against the scenario file's directory.
struct ZarrOptions {
    QString path; // a directory store, or "s3://bucket/prefix"; empty: in memory
    // For an s3:// path, the array's "s3" object: endpoint, region, profile and allow_http, never
    // credentials (they come from the environment or the profile when the store opens).
    S3Config s3;
    // nullopt: no compressor. A scenario's default is zarr's, blosc lz4 (ZarrKind::defaults).
    std::optional<CompressorSpec> compressor;
    // numcodecs filter configs, applied in order before the compressor; empty: none.
    QJsonArray filters;
    QJsonValue fillValue = QJsonValue(0); // number, "NaN", "Infinity", "-Infinity" or null
    QString order = QStringLiteral("C");
    QString dimensionSeparator = QStringLiteral(".");
    // The array gave dimension_separator itself, so .zarray names it even when it is ".".
    bool separatorGiven = false;

    // Zarr v3 (zarr_format 3): zarr.json's own keys, as a user would paste them.
    int zarrFormat = 2;
    // Each as zarr.json has it; undefined when not given.
    QJsonValue codecs
        = QJsonValue(QJsonValue::Undefined); // undefined: [bytes(little), zstd(level 0)], as zarr-python 3 writes
    QJsonValue chunkKeyEncoding
        = QJsonValue(QJsonValue::Undefined); // undefined: {"name": "default"} with separator "/"
    QJsonValue dimensionNames = QJsonValue(QJsonValue::Undefined); // undefined: none
    QJsonValue attributes = QJsonValue(QJsonValue::Undefined); // undefined: {}
};

} // namespace cs
