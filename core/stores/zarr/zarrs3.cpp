#include "stores/zarr/zarrs3.h"

#include "io/jsoncheck.h"
#include "kv/s3keyvalue.h"
#include "stores/zarr/zarrstore.h"

#include <QRegularExpression>

namespace cs {

namespace {

StoreError arrayError(const StoreArray &array, const QString &why)
{
    return StoreError(QStringLiteral("array %1: %2").arg(array.id, why));
}

bool isMetadataKey(const QString &key)
{
    return key == QLatin1String(".zarray") || key == QLatin1String(".zattrs") || key == QLatin1String("zarr.json");
}

// The chunk keys of either format and any separator: "0.1", "0/1", v3's "c/0/1", "c.0.1" and, for a
// scalar, "0" or "c". An object store has no directories, so a key is the whole name.
bool isChunkKey(const QString &key)
{
    static const QRegularExpression chunk(QStringLiteral("^(c([./][0-9]+)*|[0-9]+([./][0-9]+)*)$"));
    return chunk.match(key).hasMatch();
}

// Why the objects under the prefix are not only a Zarr array's, or nullopt when they are.
std::optional<QString> overwriteRefusal(const KeyValue &kv, const QStringList &keys)
{
    const QString where = kv.location();
    const auto notZarr = [&](const QString &why) {
        return QStringLiteral("%1 exists and is not a Zarr array (%2); not removing it").arg(where, why);
    };
    // A v3 array is known by its zarr.json, a v2 array by its .zarray.
    const QString name
        = keys.contains(QStringLiteral("zarr.json")) ? QStringLiteral("zarr.json") : QStringLiteral(".zarray");
    const std::optional<QByteArray> text = kv.getCopy(KvKey(name.toUtf8()));
    if (!text)
        return notZarr(QStringLiteral("no ") + name);
    if (const std::optional<QString> refusal = zarrMetadataTextRefusal(name, *text))
        return notZarr(*refusal);
    QStringList foreign;
    for (const QString &key : keys)
        if (!isMetadataKey(key) && !isChunkKey(key))
            foreign.append(key);
    if (foreign.isEmpty())
        return std::nullopt;
    constexpr qsizetype kNamed = 3;
    QString named = foreign.mid(0, kNamed).join(QStringLiteral(", "));
    if (foreign.size() > kNamed)
        named += QStringLiteral(" and %1 more").arg(foreign.size() - kNamed);
    return QStringLiteral("%1 holds objects that are not a Zarr array's (%2); not removing any").arg(where, named);
}

} // namespace

QString zarrS3Location(const ZarrOptions &options)
{
    try {
        const S3Location where = S3Location::parse(options.path);
        QString prefix = where.prefix;
        prefix.chop(prefix.endsWith(QLatin1Char('/')) ? 1 : 0);
        return QStringLiteral("s3:") + options.s3.resolvedEndpoint() + QLatin1Char('/') + where.bucket
            + (prefix.isEmpty() ? QString() : QLatin1Char('/') + prefix);
    } catch (const StoreError &) {
        // The parser refuses such a path; an array made in code keeps its text.
        return QStringLiteral("s3:") + options.path;
    }
}

std::unique_ptr<KeyValue> openZarrS3KeyValue(const ZarrOptions &options, const StoreArray &array)
{
    try {
        return std::make_unique<S3KeyValue>(S3Location::parse(options.path), options.s3);
    } catch (const StoreError &e) {
        throw arrayError(array, e.message());
    }
}

std::unique_ptr<KeyValue> newZarrS3KeyValue(const ZarrOptions &options, const StoreArray &array)
{
    std::unique_ptr<KeyValue> kv = openZarrS3KeyValue(options, array);
    try {
        const QStringList keys = kv->list();
        if (keys.isEmpty())
            return kv;
        if (!array.overwrite)
            throw StoreError(
                QStringLiteral("%1 already exists (set \"overwrite\": true to replace it)").arg(kv->location()));
        if (const std::optional<QString> refusal = overwriteRefusal(*kv, keys))
            throw StoreError(*refusal);
        // The metadata goes last: a removal cut short leaves a prefix that is still a Zarr array, which
        // the next overwrite may clear.
        for (const QString &key : keys)
            if (!isMetadataKey(key))
                kv->erase(KvKey(key.toUtf8()));
        for (const QString &key : keys)
            if (isMetadataKey(key))
                kv->erase(KvKey(key.toUtf8()));
    } catch (const StoreError &e) {
        throw arrayError(array, e.message());
    }
    return kv;
}

S3Config readZarrS3Object(const QJsonValue &value, const QString &pointer)
{
    const QJsonObject o = requireObject(value, pointer);
    const auto at = [&](const QString &key) { return jsonPointer(pointer, key); };
    // A secret written into a scenario would travel with it, into saved copies and shared files.
    static const QRegularExpression credential(QStringLiteral("key|secret|token|password|credential"),
                                               QRegularExpression::CaseInsensitiveOption);
    for (auto it = o.begin(); it != o.end(); ++it)
        if (credential.match(it.key()).hasMatch())
            failAt(at(it.key()),
                   QStringLiteral("credentials are never kept in a scenario: set AWS_ACCESS_KEY_ID, "
                                  "AWS_SECRET_ACCESS_KEY and AWS_SESSION_TOKEN, or name a \"profile\" "
                                  "of the shared credentials file"));
    checkKeys(o, pointer,
              {QStringLiteral("endpoint"), QStringLiteral("region"), QStringLiteral("profile"),
               QStringLiteral("allow_http")});
    S3Config config;
    if (o.contains(QStringLiteral("endpoint")))
        config.endpoint = requireString(o.value(QStringLiteral("endpoint")), at(QStringLiteral("endpoint")));
    if (o.contains(QStringLiteral("region")))
        config.region = requireString(o.value(QStringLiteral("region")), at(QStringLiteral("region")));
    if (o.contains(QStringLiteral("profile")))
        config.profile = requireString(o.value(QStringLiteral("profile")), at(QStringLiteral("profile")));
    if (o.contains(QStringLiteral("allow_http")))
        config.allowHttp = requireBool(o.value(QStringLiteral("allow_http")), at(QStringLiteral("allow_http")));
    return config;
}

QJsonObject zarrS3Object(const S3Config &config)
{
    QJsonObject o;
    if (!config.endpoint.isEmpty())
        o.insert(QStringLiteral("endpoint"), config.endpoint);
    if (!config.region.isEmpty())
        o.insert(QStringLiteral("region"), config.region);
    if (!config.profile.isEmpty())
        o.insert(QStringLiteral("profile"), config.profile);
    if (config.allowHttp)
        o.insert(QStringLiteral("allow_http"), true);
    return o;
}

} // namespace cs
