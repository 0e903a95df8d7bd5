#pragma once

#include "kv/keyvalue.h"
#include "stores/storearray.h"
#include "stores/zarr/zarroptions.h"

#include <QJsonObject>
#include <QJsonValue>
#include <QString>

#include <memory>

namespace cs {

// A Zarr array kept as objects of an S3-compatible server: its path is "s3://bucket/prefix", and its
// keys are the objects under "prefix/" (".zarray", "zarr.json", "0.1", "c/0/1").

// Where the array is, as StoreKind::remoteLocation spells it: "s3:" + the endpoint + "/bucket/prefix",
// the same for every spelling of the path and of the endpoint.
QString zarrS3Location(const ZarrOptions &options);

// The objects of the array at options.path, for reading what is there. Throws StoreError naming the
// array when the path, the endpoint or the credentials are refused, before any request.
std::unique_ptr<KeyValue> openZarrS3KeyValue(const ZarrOptions &options, const StoreArray &array);

// The objects of a new array, after the checks "overwrite" makes, as a directory gets them: nothing
// may be under the prefix unless array.overwrite, and then only a Zarr array's own objects (its
// metadata, which must parse, and its chunks), which are deleted, metadata last. Anything else may be
// someone's data: the prefix is left alone and the array refused. Throws StoreError naming the array.
std::unique_ptr<KeyValue> newZarrS3KeyValue(const ZarrOptions &options, const StoreArray &array);

// The array's "s3" object, at `pointer`: "endpoint", "region", "profile" and "allow_http". A key that
// names a credential is refused with where credentials come from instead. Throws JsonError.
S3Config readZarrS3Object(const QJsonValue &value, const QString &pointer);
// The "s3" object of a saved array: the keys above that differ from their defaults, never a
// credential; empty when none do.
QJsonObject zarrS3Object(const S3Config &config);

} // namespace cs
