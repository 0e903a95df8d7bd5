#include "numcodecsfactory.h"

#include "array/dtype.h"
#include "bytefilters.h"
#include "bz2codec.h"
#include "categorizefilter.h"
#include "lz4codec.h"
#include "lzmacodec.h"
#include "numericfilters.h"
#include "zlibcodec.h"
#include "zstdcodec.h"

#include <QJsonArray>
#include <QJsonValue>

#include <cmath>
#include <cstdint>
#include <functional>
#include <map>

namespace cs {

namespace {

// Reads one config object's keys, checking names and types, with messages that name id and key.
class Config {
public:
    Config(const QJsonObject &object, QString id, std::initializer_list<const char *> keys)
        : m_object(object)
        , m_id(std::move(id))
    {
        for (auto it = object.begin(); it != object.end(); ++it) {
            if (it.key() == QLatin1String("id"))
                continue;
            bool known = false;
            for (const char *key : keys)
                known = known || it.key() == QLatin1String(key);
            if (!known)
                fail(it.key(), QStringLiteral("is not a key of this codec"));
        }
    }

    [[noreturn]] void fail(const QString &key, const QString &what) const
    {
        throw CodecError(QStringLiteral("numcodecs codec \"%1\": key \"%2\" %3").arg(m_id, key, what));
    }

    bool has(const char *key) const
    {
        const QJsonValue v = m_object.value(QLatin1String(key));
        return !v.isUndefined() && !v.isNull();
    }

    double number(const char *key) const
    {
        const QJsonValue v = required(key);
        if (!v.isDouble())
            fail(QLatin1String(key), QStringLiteral("must be a number"));
        return v.toDouble();
    }

    int integer(const char *key, int fallback) const
    {
        const qint64 v = wideInteger(key, fallback);
        if (v < INT32_MIN || v > INT32_MAX)
            fail(QLatin1String(key), QStringLiteral("must be an integer"));
        return int(v);
    }

    // An integer beyond int's range: lzma's preset with PRESET_EXTREME (0x80000000) set.
    qint64 wideInteger(const char *key, qint64 fallback) const
    {
        if (!has(key))
            return fallback;
        const QJsonValue v = m_object.value(QLatin1String(key));
        const double d = v.toDouble();
        if (!v.isDouble() || d != std::floor(d) || std::abs(d) > 9007199254740992.0)
            fail(QLatin1String(key), QStringLiteral("must be an integer"));
        return qint64(d);
    }

    DType dtype(const char *key) const
    {
        const QJsonValue v = required(key);
        if (!v.isString())
            fail(QLatin1String(key), QStringLiteral("must be a dtype string"));
        QString error;
        const std::optional<DType> t = DType::parse(v.toString(), &error);
        if (!t)
            fail(QLatin1String(key), QStringLiteral("is not usable: %1").arg(error));
        return *t;
    }

    // numcodecs' `astype=None`: the same type as dtype.
    DType dtypeOr(const char *key, const DType &fallback) const { return has(key) ? dtype(key) : fallback; }

private:
    QJsonValue required(const char *key) const
    {
        if (!has(key))
            fail(QLatin1String(key), QStringLiteral("is missing"));
        return m_object.value(QLatin1String(key));
    }

    const QJsonObject &m_object;
    QString m_id;
};

using Builder = std::function<std::unique_ptr<ChunkCodec>(const QJsonObject &, const QString &)>;

std::unique_ptr<ChunkCodec> lzma(const QJsonObject &object, const QString &id)
{
    const Config c(object, id, {"format", "check", "preset", "filters"});
    if (c.integer("format", 1) != 1)
        c.fail(QStringLiteral("format"), QStringLiteral("must be 1 (FORMAT_XZ), the only format supported"));
    if (c.has("filters"))
        c.fail(QStringLiteral("filters"), QStringLiteral("must be null: custom LZMA filter chains are not supported"));
    const qint64 preset = c.wideInteger("preset", 6);
    if (preset < 0 || preset > qint64(UINT32_MAX))
        c.fail(QStringLiteral("preset"), QStringLiteral("must be 0-9, optionally with PRESET_EXTREME"));
    return std::make_unique<LzmaCodec>(uint32_t(preset), c.integer("check", -1));
}

std::unique_ptr<ChunkCodec> numeric(const QJsonObject &object, const QString &id)
{
    if (id == QLatin1String("delta")) {
        const Config c(object, id, {"dtype", "astype"});
        const DType dtype = c.dtype("dtype");
        return std::make_unique<DeltaFilter>(dtype, c.dtypeOr("astype", dtype));
    }
    if (id == QLatin1String("fixedscaleoffset")) {
        const Config c(object, id, {"offset", "scale", "dtype", "astype"});
        const DType dtype = c.dtype("dtype");
        return std::make_unique<FixedScaleOffsetFilter>(c.number("offset"), c.number("scale"), dtype,
                                                        c.dtypeOr("astype", dtype));
    }
    if (id == QLatin1String("quantize")) {
        const Config c(object, id, {"digits", "dtype", "astype"});
        if (!c.has("digits"))
            c.fail(QStringLiteral("digits"), QStringLiteral("is missing"));
        const DType dtype = c.dtype("dtype");
        return std::make_unique<QuantizeFilter>(c.integer("digits", 0), dtype, c.dtypeOr("astype", dtype));
    }
    const Config c(object, id, {"encode_dtype", "decode_dtype"});
    return std::make_unique<AsTypeFilter>(c.dtype("encode_dtype"), c.dtype("decode_dtype"));
}

const std::map<QString, Builder> &builders()
{
    static const std::map<QString, Builder> table = {
        {QStringLiteral("bz2"),
         [](const QJsonObject &o, const QString &id) {
             return std::make_unique<Bz2Codec>(Config(o, id, {"level"}).integer("level", 1));
         }},
        {QStringLiteral("lzma"), lzma},
        {QStringLiteral("lz4"),
         [](const QJsonObject &o, const QString &id) {
             return std::make_unique<Lz4Codec>(Config(o, id, {"acceleration"}).integer("acceleration", 1));
         }},
        {QStringLiteral("zstd"),
         [](const QJsonObject &o, const QString &id) {
             return std::make_unique<ZstdCodec>(Config(o, id, {"level"}).integer("level", 1));
         }},
        {QStringLiteral("zlib"),
         [](const QJsonObject &o, const QString &id) {
             return std::make_unique<ZlibCodec>(Config(o, id, {"level"}).integer("level", 1), ZlibContainer::Zlib);
         }},
        {QStringLiteral("gzip"),
         [](const QJsonObject &o, const QString &id) {
             return std::make_unique<ZlibCodec>(Config(o, id, {"level"}).integer("level", 1), ZlibContainer::Gzip);
         }},
        {QStringLiteral("delta"), numeric},
        {QStringLiteral("fixedscaleoffset"), numeric},
        {QStringLiteral("quantize"), numeric},
        {QStringLiteral("astype"), numeric},
        {QStringLiteral("packbits"),
         [](const QJsonObject &o, const QString &id) {
             Config(o, id, {});
             return std::make_unique<PackBitsFilter>();
         }},
        {QStringLiteral("categorize"),
         [](const QJsonObject &o, const QString &id) {
             const Config c(o, id, {"labels", "dtype", "astype"});
             const QJsonValue labels = o.value(QLatin1String("labels"));
             if (!labels.isArray())
                 c.fail(QStringLiteral("labels"),
                        labels.isUndefined() || labels.isNull() ? QStringLiteral("is missing")
                                                                : QStringLiteral("must be a list of strings"));
             QStringList texts;
             for (const QJsonValue &label : labels.toArray()) {
                 if (!label.isString())
                     c.fail(QStringLiteral("labels"), QStringLiteral("must be a list of strings"));
                 texts << label.toString();
             }
             return std::make_unique<CategorizeFilter>(texts, c.dtype("dtype"),
                                                       c.dtypeOr("astype", DType(DType::Kind::UInt, 1)));
         }},
        {QStringLiteral("shuffle"),
         [](const QJsonObject &o, const QString &id) {
             const int size = Config(o, id, {"elementsize"}).integer("elementsize", 4);
             return std::make_unique<ElementShuffleFilter>(size_t(size < 0 ? 0 : size));
         }},
    };
    return table;
}

} // namespace

const QStringList &numcodecsIds()
{
    static const QStringList ids = [] {
        QStringList list;
        for (const auto &entry : builders())
            list << entry.first;
        return list;
    }();
    return ids;
}

std::unique_ptr<ChunkCodec> makeNumcodecsCodec(const QJsonObject &config)
{
    const QJsonValue idValue = config.value(QLatin1String("id"));
    if (!idValue.isString())
        throw CodecError(QStringLiteral("a numcodecs codec config needs a string \"id\""));
    const QString id = idValue.toString();
    const auto it = builders().find(id);
    if (it == builders().end())
        throw CodecError(QStringLiteral("numcodecs codec \"%1\" is not supported (supported: %2)")
                             .arg(id, numcodecsIds().join(QStringLiteral(", "))));
    return it->second(config, id);
}

} // namespace cs
