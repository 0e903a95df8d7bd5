#include "zarrv3keys.h"

#include "stores/zarr/v3/zarrv3codecs.h"
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

// A codecs list the array gives, checked as the store will build its chain, so that a list out of order
// is named at the key (and under the form's field) rather than when a run creates the store.
void checkCodecs(const QJsonArray &list, const KindParse &p, const StoreOptions &o)
{
    const QJsonValue format = p.given.value(QStringLiteral("zarr_format"));
    const bool v3 = format.isUndefined() ? zarr(o).zarrFormat == 3 : format == QJsonValue(3);
    if (!v3 || !p.array.dtypeKnown || p.array.chunks.empty())
        return; // the format's own check, or the store once the file is read, says what is wrong
    QList<ZarrV3Codec> codecs;
    for (const QJsonValue &v : list) {
        const QJsonObject e = v.toObject();
        codecs.append(ZarrV3Codec{v.isString() ? v.toString() : e.value(QLatin1String("name")).toString(),
                                  e.value(QLatin1String("configuration")).toObject(), true});
    }
    try {
        makeZarrV3Codecs(codecs, Coords::fromVector(p.array.chunks), p.array.dtype);
    } catch (const CodecError &e) {
        failAt(p.at(QStringLiteral("codecs")), e.message());
    }
}

// A key of zarr.json kept as the file would have it; its checks are zarr.json's, made when the store is
// created (the codecs list's order and configurations already when the scenario is read).
KindKey v3Key(const QString &name, const QString &type, const QString &defaultText, QJsonValue ZarrOptions::*member)
{
    KindKey key;
    key.name = name;
    key.type = type;
    key.defaultText = defaultText;
    key.formFields = {name};
    key.read = [name, member](const QJsonValue &v, const KindParse &p, StoreOptions &o) {
        if (v.isUndefined())
            return;
        if (name == QLatin1String("chunk_key_encoding") || name == QLatin1String("attributes"))
            requireObject(v, p.at(name));
        else if (name == QLatin1String("codecs"))
            checkCodecs(requireArray(v, p.at(name)), p, o);
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

QJsonArray zarrV3DefaultCodecs()
{
    return QJsonArray{
        QJsonObject{
            {QStringLiteral("name"), QStringLiteral("bytes")},
            {QStringLiteral("configuration"), QJsonObject{{QStringLiteral("endian"), QStringLiteral("little")}}}},
        QJsonObject{{QStringLiteral("name"), QStringLiteral("zstd")},
                    {QStringLiteral("configuration"),
                     QJsonObject{{QStringLiteral("level"), 0}, {QStringLiteral("checksum"), false}}}},
    };
}

bool isZarrV3Key(const QString &key)
{
    return v3Only().contains(key);
}

bool isShardedZarrV3(const QJsonValue &codecs)
{
    const QJsonArray list = codecs.toArray();
    return list.size() == 1
        && list.at(0).toObject().value(QLatin1String("name")) == QJsonValue(QStringLiteral("sharding_indexed"));
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
    format.formFields = {QStringLiteral("zarr_format")};
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
    KindKey codecs = v3Key(QStringLiteral("codecs"), QStringLiteral("list of codecs, as in zarr.json"),
                           QStringLiteral("bytes (little), zstd (level 0)"), &ZarrOptions::codecs);
    // Sharding is the codecs list's one sharding_indexed entry; its inner chunk shape, index codecs and
    // index location have rows of their own.
    codecs.formFields = QStringList{QStringLiteral("codecs/sharding"), QStringLiteral("codecs"),
                                    QStringLiteral("codecs/index_codecs"), QStringLiteral("codecs/index_location")};
    keys.append(codecs);
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
