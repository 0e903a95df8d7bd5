#include "zarrjson.h"

#include "stores/zarr/zarrmetadata.h"

#include <QJsonArray>
#include <QJsonDocument>

#include <cmath>

namespace cs::zarrjson {

std::optional<QJsonObject> parseObject(const QByteArray &json, QString *error)
{
    QJsonParseError parseError;
    const QJsonDocument doc = QJsonDocument::fromJson(json, &parseError);
    if (parseError.error != QJsonParseError::NoError) {
        *error
            = QStringLiteral("not valid JSON (%1 at offset %2)").arg(parseError.errorString()).arg(parseError.offset);
        return std::nullopt;
    }
    if (!doc.isObject()) {
        *error = QStringLiteral("not a JSON object");
        return std::nullopt;
    }
    return doc.object();
}

bool toInt64(const QJsonValue &v, int64_t *out)
{
    if (!v.isDouble())
        return false;
    const double d = v.toDouble();
    if (!std::isfinite(d) || d != std::floor(d))
        return false;
    const qint64 i = v.toInteger();
    if (i == 0 && d != 0)
        return false; // out of qint64's range
    *out = i;
    return true;
}

QString text(const QJsonValue &v)
{
    if (v.isString())
        return QLatin1Char('"') + v.toString() + QLatin1Char('"');
    if (v.isDouble())
        return QString::fromLatin1(pythonFloatRepr(v.toDouble()));
    if (v.isBool())
        return v.toBool() ? QStringLiteral("true") : QStringLiteral("false");
    if (v.isNull())
        return QStringLiteral("null");
    return QStringLiteral("a JSON %1").arg(v.isArray() ? QStringLiteral("list") : QStringLiteral("object"));
}

bool checkShape(const Coords &shape, const Coords &chunks, int itemsize, QString *error)
{
    if (shape.rank < 1 || shape.rank > kMaxRank) {
        *error = QStringLiteral("shape %1 has rank %2; arrays of rank 1 to %3 are supported")
                     .arg(shape.toString())
                     .arg(shape.rank)
                     .arg(kMaxRank);
        return false;
    }
    if (chunks.rank != shape.rank) {
        *error = QStringLiteral("chunks %1 do not have the rank of shape %2").arg(chunks.toString(), shape.toString());
        return false;
    }
    int64_t total = itemsize, chunkTotal = itemsize;
    for (int i = 0; i < shape.rank; ++i) {
        if (shape[i] < 0) {
            *error = QStringLiteral("shape %1 has a negative extent").arg(shape.toString());
            return false;
        }
        if (chunks[i] < 1) {
            *error = QStringLiteral("chunks %1 must all be at least 1").arg(chunks.toString());
            return false;
        }
        if (__builtin_mul_overflow(total, shape[i], &total)) {
            *error = QStringLiteral("shape %1 is too large").arg(shape.toString());
            return false;
        }
        if (__builtin_mul_overflow(chunkTotal, chunks[i], &chunkTotal) || chunkTotal > kMaxChunkBytes) {
            *error = QStringLiteral("chunks %1 exceed the limit of %2 bytes per chunk")
                         .arg(chunks.toString())
                         .arg(kMaxChunkBytes);
            return false;
        }
    }
    return true;
}

bool readCoords(const QJsonValue &v, Coords *out)
{
    if (!v.isArray())
        return false;
    const QJsonArray a = v.toArray();
    if (a.size() > kMaxRank)
        return false;
    out->rank = int(a.size());
    for (int i = 0; i < out->rank; ++i)
        if (!toInt64(a.at(i), &(*out)[i]))
            return false;
    return true;
}

} // namespace cs::zarrjson
