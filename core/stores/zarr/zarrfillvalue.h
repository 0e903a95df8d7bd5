#pragma once

#include "array/dtype.h"

#include <QByteArray>
#include <QJsonValue>
#include <QString>

namespace cs {

// A Zarr v2 fill_value: its .zarray spelling and one item of it in the array's byte order, normalised
// as zarr-python's normalize_fill_value and encode_fill_value do. Numbers for the real types, with
// "NaN", "Infinity" and "-Infinity" for floats; [real, imaginary] for complex; base64 text for bytes
// ("S"); the text itself for unicode ("U"); the int64 count of units for datetime64 and timedelta64.
// null is kept and reads as zeros (zarr leaves missing chunks undefined then). rawToken is the number's
// text in the file, for uint64 values beyond int64. Returns false and sets *error when v does not fit
// the dtype.
bool zarrFillValue(const QJsonValue &v, const DType &dtype, const QByteArray &rawToken, QByteArray *json,
                   QByteArray *item, QString *error);

} // namespace cs
