#pragma once

#include "array/coords.h"
#include "stores/zarr/v3/zarrv3datatype.h"

#include <QByteArray>
#include <QJsonArray>
#include <QJsonObject>
#include <QList>
#include <QString>

#include <optional>

namespace cs {

// One entry of a codecs list, as zarr.json has it. The codec chain interprets name and configuration;
// the metadata only keeps them, in order.
struct ZarrV3Codec {
    QString name;
    QJsonObject configuration; // empty when the file has none
    bool mustUnderstand = true; // false only when the file says "must_understand": false
    bool operator==(const ZarrV3Codec &o) const
    {
        return name == o.name && configuration == o.configuration && mustUnderstand == o.mustUnderstand;
    }
};

// What a Zarr v3 array's zarr.json says, per the v3.0 core specification: parsed from the file and
// written back with every required field.
struct ZarrV3Metadata {
    enum class KeyEncoding : uint8_t { Default, V2 };

    Coords shape;
    Coords chunks; // the regular chunk grid's chunk_shape (the shard shape when sharded)
    ZarrV3DataType dataType;
    KeyEncoding keyEncoding = KeyEncoding::Default;
    char separator = '/';
    ZarrV3Fill fill;
    QList<ZarrV3Codec> codecs;
    QJsonObject attributes;
    std::optional<QJsonArray> dimensionNames; // strings or nulls, one per dimension

    // The key of a chunk, relative to the array: "c/1/0" (default), "c.1.0", "1.0" (v2).
    QByteArray chunkKey(const Coords &chunkIndex) const;

    // The zarr.json text: the required fields in the specification's order, then attributes and, when
    // given, dimension_names; nested values compact.
    QByteArray toJson() const;

    // Parses a zarr.json. Throws StoreError "array ID, zarr.json: ..." naming the field it cannot accept:
    // a group or other node, a data type, chunk grid or chunk key encoding it does not know, a fill value
    // the type does not permit, storage transformers, or an unknown field that does not say
    // "must_understand": false.
    static ZarrV3Metadata parse(const QByteArray &json, const QString &arrayId);
};

} // namespace cs
