#include "zarrv3keys.h"

#include "stores/zarr/v3/zarrv3store.h"

#include <QJsonArray>

namespace cs {

namespace {

const ZarrOptions &zarr(const StoreOptions &o)
{
    static const ZarrOptions defaults;
    const ZarrOptions *own = std::any_cast<ZarrOptions>(&o);
    return own ? *own : defaults;
}

ZarrOptions &zarr(StoreOptions &o)
{
    if (!std::any_cast<ZarrOptions>(&o))
        o = ZarrOptions();
    return *std::any_cast<ZarrOptions>(&o);
}

const QStringList &v2Only()
{
    static const QStringList keys{QStringLiteral("compressor"), QStringLiteral("filters"), QStringLiteral("order"),
                                  QStringLiteral("dimension_separator")};
    return keys;
}

const QStringList &v3Only()
{
    static const QStringList keys{QStringLiteral("codecs"), QStringLiteral("chunk_key_encoding"),
                                  QStringLiteral("dimension_names"), QStringLiteral("attributes")};
    return keys;
}

// A key of zarr.json kept as the file would have it; its checks are zarr.json's, made when the store is
// created.
KindKey v3Key(const QString &name, const QString &type, const QString &defaultText, QJsonValue ZarrOptions::*member)
{
    KindKey key;
    key.name = name;
    key.type = type;
    key.defaultText = defaultText;
    key.read = [name, member](const QJsonValue &v, const KindParse &p, StoreOptions &o) {
        if (v.isUndefined())
            return;
        if (name == QLatin1String("chunk_key_encoding") || name == QLatin1String("attributes"))
            requireObject(v, p.at(name));
        else
            requireArray(v, p.at(name));
        zarr(o).*member = v;
    };
    key.write = [name, member](const StoreOptions &o, QJsonObject &out) {
        const QJsonValue &v = zarr(o).*member;
        if (zarr(o).zarrFormat == 3 && !v.isUndefined())
            out.insert(name, v);
    };
    return key;
}

bool anyCompressor(const QJsonArray &codecs)
{
    for (const QJsonValue &c : codecs) {
        const QJsonObject o = c.toObject();
        const QString name = c.isString() ? c.toString() : o.value(QLatin1String("name")).toString();
        if (name == QLatin1String("blosc") || name == QLatin1String("gzip") || name == QLatin1String("zstd"))
            return true;
        if (name == QLatin1String("sharding_indexed")
            && anyCompressor(
                o.value(QLatin1String("configuration")).toObject().value(QLatin1String("codecs")).toArray()))
            return true;
    }
    return false;
}

} // namespace

bool isZarrV2Key(const QString &key)
{
    return v2Only().contains(key);
}

bool zarrCompresses(const ZarrOptions &options)
{
    if (options.zarrFormat == 3)
        return options.codecs.isUndefined() || anyCompressor(options.codecs.toArray()); // the default ends in zstd
    return options.compressor.has_value();
}

QString zarrMetadataFile(const Store &store)
{
    return dynamic_cast<const ZarrV3Store *>(&store) ? QStringLiteral("zarr.json") : QStringLiteral(".zarray");
}

QList<KindKey> withZarrV3Keys(QList<KindKey> keys)
{
    for (KindKey &key : keys) {
        if (!v2Only().contains(key.name))
            continue;
        key.write = [write = key.write](const StoreOptions &o, QJsonObject &out) {
            if (zarr(o).zarrFormat != 3)
                write(o, out);
        };
    }
    KindKey format;
    format.name = QStringLiteral("zarr_format");
    format.type = QStringLiteral("2 or 3");
    format.defaultText = QStringLiteral("2");
    format.read = [](const QJsonValue &v, const KindParse &p, StoreOptions &o) {
        if (!v.isUndefined())
            zarr(o).zarrFormat = int(requireInteger(v, p.at(QStringLiteral("zarr_format")), 2, 3));
        // Keys of the other format are refused, so that nothing a user gives is silently ignored.
        const bool v3 = zarr(o).zarrFormat == 3;
        for (const QString &key : v3 ? v2Only() : v3Only())
            if (p.has(key))
                failAt(p.at(key),
                       v3 ? QStringLiteral("is a Zarr v2 key; a Zarr v3 array gives \"codecs\"")
                          : QStringLiteral("is a Zarr v3 key (set \"zarr_format\": 3)"));
    };
    format.write = [](const StoreOptions &o, QJsonObject &out) {
        if (zarr(o).zarrFormat == 3)
            out.insert(QStringLiteral("zarr_format"), 3);
    };
    keys.append(v3Key(QStringLiteral("codecs"), QStringLiteral("list of codecs, as in zarr.json"),
                      QStringLiteral("bytes (little), zstd (level 0)"), &ZarrOptions::codecs));
    keys.append(v3Key(QStringLiteral("chunk_key_encoding"), QStringLiteral("object"),
                      QStringLiteral("default, separator /"), &ZarrOptions::chunkKeyEncoding));
    keys.append(v3Key(QStringLiteral("dimension_names"), QStringLiteral("list of strings or nulls"),
                      QStringLiteral("none"), &ZarrOptions::dimensionNames));
    keys.append(
        v3Key(QStringLiteral("attributes"), QStringLiteral("object"), QStringLiteral("{}"), &ZarrOptions::attributes));
    keys.append(format); // last: it checks the keys above against the format
    return keys;
}

} // namespace cs
