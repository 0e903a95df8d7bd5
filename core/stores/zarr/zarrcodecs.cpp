#include "zarrcodecs.h"

#include "array/dtype.h"
#include "codecs/codecfactory.h"
#include "codecs/numcodecsfactory.h"

#include <QJsonValue>

#include <map>

namespace cs {

namespace {

// The keys numcodecs' get_config() always returns, with the value an absent key takes. "=dtype"
// stands for the config's own dtype (astype=None means the same type).
const std::map<QString, QJsonObject> &defaults()
{
    static const std::map<QString, QJsonObject> table = {
        {QStringLiteral("bz2"), {{QStringLiteral("level"), 1}}},
        {QStringLiteral("lzma"),
         {{QStringLiteral("format"), 1},
          {QStringLiteral("check"), -1},
          {QStringLiteral("preset"), QJsonValue::Null},
          {QStringLiteral("filters"), QJsonValue::Null}}},
        {QStringLiteral("lz4"), {{QStringLiteral("acceleration"), 1}}},
        {QStringLiteral("zstd"), {{QStringLiteral("level"), 1}}},
        {QStringLiteral("gzip"), {{QStringLiteral("level"), 1}}},
        {QStringLiteral("zlib"), {{QStringLiteral("level"), 1}}},
        {QStringLiteral("delta"), {{QStringLiteral("astype"), QStringLiteral("=dtype")}}},
        {QStringLiteral("fixedscaleoffset"), {{QStringLiteral("astype"), QStringLiteral("=dtype")}}},
        {QStringLiteral("quantize"), {{QStringLiteral("astype"), QStringLiteral("=dtype")}}},
        {QStringLiteral("shuffle"), {{QStringLiteral("elementsize"), 4}}},
        {QStringLiteral("categorize"), {{QStringLiteral("astype"), QStringLiteral("|u1")}}},
    };
    return table;
}

// A config as get_config() returns it. The codec is built first, so a bad config fails with the
// factory's message before anything is filled in.
QJsonObject normalized(const QJsonObject &config)
{
    makeNumcodecsCodec(config);
    QJsonObject out = config;
    const QString id = config.value(QLatin1String("id")).toString();
    const auto found = defaults().find(id);
    if (found != defaults().end()) {
        for (auto it = found->second.begin(); it != found->second.end(); ++it) {
            if (out.contains(it.key()) && !out.value(it.key()).isNull())
                continue;
            out.insert(it.key(), it.value() == QLatin1String("=dtype") ? config.value(QLatin1String("dtype")) : *it);
        }
    }
    // numcodecs keeps dtypes as numpy.dtype(...).str: "u2" is written "<u2".
    for (const char *key : {"dtype", "astype", "encode_dtype", "decode_dtype"}) {
        const QJsonValue v = out.value(QLatin1String(key));
        if (v.isString())
            if (const std::optional<DType> t = DType::parse(v.toString()))
                out.insert(QLatin1String(key), t->typestr());
    }
    return out;
}

} // namespace

bool isNumcodecsCompressor(const QString &id)
{
    return id == QLatin1String("bz2") || id == QLatin1String("lzma") || id == QLatin1String("lz4")
        || id == QLatin1String("zstd") || id == QLatin1String("gzip");
}

CompressorSpec numcodecsCompressor(const QJsonObject &config)
{
    CompressorSpec spec;
    spec.id = config.value(QLatin1String("id")).toString();
    spec.numcodecs = normalized(config);
    // The level, where the codec has one, so that level 0 counts as storing bytes as they are.
    spec.clevel = spec.numcodecs.value(QLatin1String("level")).toInt(spec.clevel);
    return spec;
}

QJsonArray zarrFilters(const QJsonValue &filters)
{
    if (filters.isNull() || filters.isUndefined())
        return {};
    if (!filters.isArray())
        throw CodecError(QStringLiteral("filters must be a list or null"));
    QJsonArray out;
    const QJsonArray list = filters.toArray();
    for (qsizetype i = 0; i < list.size(); ++i) {
        try {
            if (!list.at(i).isObject())
                throw CodecError(QStringLiteral("a numcodecs codec config must be an object"));
            out.append(normalized(list.at(i).toObject()));
        } catch (const CodecError &e) {
            throw CodecError(QStringLiteral("filters[%1]: %2").arg(i).arg(e.message()));
        }
    }
    return out;
}

std::unique_ptr<ChunkCodec> zarrCompressorCodec(const std::optional<CompressorSpec> &spec, int itemsize)
{
    if (spec && !spec->numcodecs.isEmpty())
        return makeNumcodecsCodec(spec->numcodecs);
    return makeCodec(spec, itemsize);
}

bool zarrCompressorTakesLevel(const QString &id)
{
    return id == QLatin1String("zlib") || id == QLatin1String("bz2") || id == QLatin1String("zstd")
        || id == QLatin1String("gzip");
}

} // namespace cs
