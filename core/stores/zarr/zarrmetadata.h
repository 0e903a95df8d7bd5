#pragma once

#include "array/coords.h"
#include "array/dtype.h"
#include "codecs/compressorspec.h"
#include "stores/storearray.h"
#include "stores/zarr/zarroptions.h"

#include <QByteArray>
#include <QJsonArray>
#include <QString>

#include <optional>

namespace cs {

// What a Zarr v2 `.zarray` says about an array, parsed from the file or built from a scenario's
// array spec, and written back byte-for-byte as zarr-python 2.13 writes it.
struct ZarrMetadata {
    Coords shape;
    Coords chunks;
    DType dtype;
    std::optional<CompressorSpec> compressor; // nullopt: "compressor": null
    // numcodecs configs applied in order before the compressor, as get_config() gives them; empty:
    // "filters": null.
    QJsonArray filters;
    // The fill_value as .zarray spells it ("0", "0.0", "\"NaN\"", "null", "true") and one item of
    // it in the array's byte order (zeros for null, whose missing chunks zarr leaves undefined).
    QByteArray fillJson = QByteArrayLiteral("0");
    QByteArray fillItem;
    bool fortranOrder = false; // order "F": each chunk's items in Fortran order
    char separator = '.'; // between chunk indices in keys: "0.1" or "0/1"
    // zarr writes "dimension_separator" only when it was asked for one.
    bool writeSeparator = false;

    // Bytes of one full (unclipped) chunk.
    size_t chunkBytes() const { return size_t(chunks.product()) * size_t(dtype.itemsize()); }

    // The .zarray text: json.dumps(meta, indent=4, sort_keys=True, ensure_ascii=True,
    // separators=(',', ': ')), as zarr.util.json_dumps writes it.
    QByteArray toJson() const;

    // Parses a .zarray. Throws StoreError "array ID, .zarray: ..." for anything it cannot read.
    static ZarrMetadata parse(const QByteArray &json, const QString &arrayId);
    // The metadata of a new array. Throws StoreError "array ID: ..." for invalid settings.
    static ZarrMetadata fromOptions(const ZarrOptions &options, const StoreArray &array);
};

// A float as Python's repr() writes it (shortest round trip; "0.1", "1e-05", "1e+300", "5.0").
QByteArray pythonFloatRepr(double value);

} // namespace cs
