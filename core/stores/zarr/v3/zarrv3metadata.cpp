#include "zarrv3metadata.h"

#include "stores/store.h"
#include "stores/zarr/zarrjson.h"

#include <QJsonDocument>

namespace cs {

namespace {

// A value as a message quotes it; whole numbers as JSON spells them ("2", where .zarray messages say "2.0").
QString text(const QJsonValue &v)
{
    int64_t i = 0;
    return zarrjson::toInt64(v, &i) ? QString::number(i) : zarrjson::text(v);
}

// The fields of the core specification; any other must say "must_understand": false.
const char *const kKnownFields[] = {"zarr_format",        "node_type",  "shape",  "data_type",  "chunk_grid",
                                    "chunk_key_encoding", "fill_value", "codecs", "attributes", "storage_transformers",
                                    "dimension_names"};

// The raw text of a top-level member's value, for numbers whose exact digits matter (a uint64 fill value
// beyond 2^53, an integer written "1.0"). Empty when the key is absent; the last one when it repeats, as
// QJsonDocument keeps. The document is valid JSON by now, so tracking strings and nesting is enough.
QByteArray rawTopLevelValue(const QByteArray &json, const QByteArray &key)
{
    QByteArray found;
    int depth = 0;
    const int n = int(json.size());
    for (int i = 0; i < n; ++i) {
        const char c = json[i];
        if (c == '{' || c == '[') {
            ++depth;
        } else if (c == '}' || c == ']') {
            --depth;
        } else if (c == '"') {
            const int start = i + 1;
            for (++i; i < n && json[i] != '"'; ++i)
                if (json[i] == '\\')
                    ++i;
            if (depth != 1)
                continue;
            const QByteArray name = json.mid(start, i - start);
            int j = i + 1;
            while (j < n && QChar::isSpace(uchar(json[j])))
                ++j;
            if (j >= n || json[j] != ':')
                continue; // a string value, not a key
            ++j;
            while (j < n && QChar::isSpace(uchar(json[j])))
                ++j;
            int end = j;
            while (end < n && json[end] != ',' && json[end] != '}' && !QChar::isSpace(uchar(json[end])))
                ++end;
            if (name == key)
                found = json.mid(j, end - j);
        }
    }
    return found;
}

// An extension point's value: a short-hand name or {"name": ..., "configuration": {...}}.
struct Extension {
    QString name;
    QJsonObject configuration;
    bool mustUnderstand = true;
};

std::optional<Extension> readExtension(const QJsonValue &v, QString *error)
{
    Extension e;
    if (v.isString()) {
        e.name = v.toString();
        return e;
    }
    if (!v.isObject()) {
        *error = QStringLiteral("%1 is not a name or an object with a name").arg(text(v));
        return std::nullopt;
    }
    const QJsonObject o = v.toObject();
    const QJsonValue name = o.value(QLatin1String("name"));
    if (!name.isString()) {
        *error = QStringLiteral("name %1 is not a string").arg(text(name));
        return std::nullopt;
    }
    e.name = name.toString();
    const QJsonValue config = o.value(QLatin1String("configuration"));
    if (!config.isUndefined() && !config.isObject()) {
        *error = QStringLiteral("configuration of \"%1\" is not an object").arg(e.name);
        return std::nullopt;
    }
    e.configuration = config.toObject();
    const QJsonValue must = o.value(QLatin1String("must_understand"));
    if (!must.isUndefined() && !must.isBool()) {
        *error = QStringLiteral("must_understand of \"%1\" is not true or false").arg(e.name);
        return std::nullopt;
    }
    e.mustUnderstand = must.toBool(true);
    return e;
}

QByteArray compact(const QJsonValue &v)
{
    if (v.isObject())
        return QJsonDocument(v.toObject()).toJson(QJsonDocument::Compact);
    return QJsonDocument(v.toArray()).toJson(QJsonDocument::Compact);
}

QByteArray coordsJson(const Coords &c)
{
    QByteArray out = "[";
    for (int i = 0; i < c.rank; ++i) {
        if (i)
            out += ", ";
        out += QByteArray::number(qlonglong(c[i]));
    }
    return out + ']';
}

} // namespace

QByteArray ZarrV3Metadata::chunkKey(const Coords &chunkIndex) const
{
    QByteArray key = keyEncoding == KeyEncoding::Default ? QByteArrayLiteral("c") : QByteArray();
    for (int i = 0; i < chunkIndex.rank; ++i) {
        if (i > 0 || keyEncoding == KeyEncoding::Default)
            key += separator;
        key += QByteArray::number(qlonglong(chunkIndex[i]));
    }
    if (key.isEmpty())
        key = "0"; // a rank-0 array's one chunk under the v2 encoding
    return key;
}

QByteArray ZarrV3Metadata::toJson() const
{
    QByteArray out = QByteArrayLiteral("{\n    \"zarr_format\": 3,\n    \"node_type\": \"array\",\n");
    out += "    \"shape\": " + coordsJson(shape) + ",\n";
    out += "    \"data_type\": \"" + dataType.name().toLatin1() + "\",\n";
    out += "    \"chunk_grid\": {\"name\": \"regular\", \"configuration\": {\"chunk_shape\": " + coordsJson(chunks)
        + "}},\n";
    out += QByteArrayLiteral("    \"chunk_key_encoding\": {\"name\": \"")
        + (keyEncoding == KeyEncoding::Default ? "default" : "v2") + "\", \"configuration\": {\"separator\": \""
        + separator + "\"}},\n";
    out += "    \"fill_value\": " + fill.json + ",\n";
    QJsonArray codecList;
    for (const ZarrV3Codec &c : codecs) {
        QJsonObject entry{{QStringLiteral("name"), c.name}};
        if (!c.configuration.isEmpty())
            entry.insert(QStringLiteral("configuration"), c.configuration);
        if (!c.mustUnderstand)
            entry.insert(QStringLiteral("must_understand"), false);
        codecList.append(entry);
    }
    out += "    \"codecs\": " + compact(codecList) + ",\n";
    out += "    \"attributes\": " + compact(attributes);
    if (dimensionNames)
        out += ",\n    \"dimension_names\": " + compact(*dimensionNames);
    return out + "\n}\n";
}

ZarrV3Metadata ZarrV3Metadata::parse(const QByteArray &json, const QString &arrayId)
{
    auto fail
        = [&](const QString &why) { return StoreError(QStringLiteral("array %1, zarr.json: %2").arg(arrayId, why)); };
    QString documentError;
    const std::optional<QJsonObject> document = zarrjson::parseObject(json, &documentError);
    if (!document)
        throw fail(documentError);
    const QJsonObject &o = *document;
    ZarrV3Metadata m;

    const QJsonValue format = o.value(QLatin1String("zarr_format"));
    int64_t formatNumber = 0;
    if (format.isUndefined())
        throw fail(QStringLiteral("zarr_format is missing"));
    if (!zarrjson::toInt64(format, &formatNumber) || formatNumber != 3)
        throw fail(QStringLiteral("zarr_format %1 is not 3").arg(text(format)));
    const QJsonValue nodeType = o.value(QLatin1String("node_type"));
    if (nodeType.isUndefined())
        throw fail(QStringLiteral("node_type is missing"));
    if (nodeType.toString() != QLatin1String("array"))
        throw fail(QStringLiteral("node_type %1 is not an array").arg(text(nodeType)));

    for (auto it = o.begin(); it != o.end(); ++it) {
        bool known = false;
        for (const char *field : kKnownFields)
            known = known || it.key() == QLatin1String(field);
        if (!known
            && !(it.value().isObject()
                 && it.value().toObject().value(QLatin1String("must_understand")) == QJsonValue(false)))
            throw fail(QStringLiteral("field \"%1\" is not understood (an extension that may be ignored says "
                                      "\"must_understand\": false)")
                           .arg(it.key()));
    }

    const QJsonValue transformers = o.value(QLatin1String("storage_transformers"));
    if (!transformers.isUndefined() && !(transformers.isArray() && transformers.toArray().isEmpty()))
        throw fail(
            QStringLiteral("storage_transformers %1 are not supported").arg(QString::fromUtf8(compact(transformers))));

    if (!zarrjson::readCoords(o.value(QLatin1String("shape")), &m.shape))
        throw fail(QStringLiteral("shape must be a list of at most %1 integers").arg(kMaxRank));

    QString error;
    const auto typeExt = readExtension(o.value(QLatin1String("data_type")), &error);
    if (!typeExt)
        throw fail(QStringLiteral("data_type ") + error);
    const auto type = typeExt->configuration.isEmpty() ? ZarrV3DataType::fromName(typeExt->name) : std::nullopt;
    if (!type)
        throw fail(QStringLiteral("data_type %1 is not supported (bool, int8 to int64, uint8 to uint64, float16, "
                                  "float32, float64, complex64 and complex128 are)")
                       .arg(QLatin1Char('"') + typeExt->name + QLatin1Char('"')));
    m.dataType = *type;

    const auto grid = readExtension(o.value(QLatin1String("chunk_grid")), &error);
    if (!grid)
        throw fail(QStringLiteral("chunk_grid ") + error);
    if (grid->name != QLatin1String("regular"))
        throw fail(QStringLiteral("chunk_grid \"%1\" is not supported (\"regular\" is)").arg(grid->name));
    const QJsonValue chunkShape = grid->configuration.value(QLatin1String("chunk_shape"));
    if (!zarrjson::readCoords(chunkShape, &m.chunks))
        throw fail(QStringLiteral("chunk_grid chunk_shape must be a list of at most %1 integers").arg(kMaxRank));
    if (m.chunks.rank != m.shape.rank)
        throw fail(QStringLiteral("chunk_grid chunk_shape %1 does not have the rank of shape %2")
                       .arg(m.chunks.toString(), m.shape.toString()));
    for (int i = 0; i < m.chunks.rank; ++i)
        if (m.chunks[i] < 1)
            throw fail(QStringLiteral("chunk_grid chunk_shape %1 must all be at least 1").arg(m.chunks.toString()));
    if (!zarrjson::checkShape(m.shape, m.chunks, m.dataType.itemsize, &error))
        throw fail(error);

    const auto keys = readExtension(o.value(QLatin1String("chunk_key_encoding")), &error);
    if (!keys)
        throw fail(QStringLiteral("chunk_key_encoding ") + error);
    if (keys->name == QLatin1String("default"))
        m.keyEncoding = KeyEncoding::Default;
    else if (keys->name == QLatin1String("v2"))
        m.keyEncoding = KeyEncoding::V2;
    else
        throw fail(
            QStringLiteral("chunk_key_encoding \"%1\" is not supported (\"default\" and \"v2\" are)").arg(keys->name));
    m.separator = m.keyEncoding == KeyEncoding::Default ? '/' : '.';
    const QJsonValue separator = keys->configuration.value(QLatin1String("separator"));
    if (separator == QJsonValue(QStringLiteral("/")) || separator == QJsonValue(QStringLiteral(".")))
        m.separator = separator.toString().at(0).toLatin1();
    else if (!separator.isUndefined())
        throw fail(QStringLiteral("chunk_key_encoding separator %1 is not \"/\" or \".\"").arg(text(separator)));

    const QJsonValue fill = o.value(QLatin1String("fill_value"));
    if (fill.isUndefined())
        throw fail(QStringLiteral("fill_value is missing"));
    const auto fillValue = makeV3Fill(fill, rawTopLevelValue(json, "fill_value"), m.dataType, &error);
    if (!fillValue)
        throw fail(error);
    m.fill = *fillValue;

    const QJsonValue codecs = o.value(QLatin1String("codecs"));
    if (!codecs.isArray() || codecs.toArray().isEmpty())
        throw fail(QStringLiteral("codecs must be a non-empty list"));
    const QJsonArray codecList = codecs.toArray();
    for (int i = 0; i < codecList.size(); ++i) {
        const auto codec = readExtension(codecList.at(i), &error);
        if (!codec)
            throw fail(QStringLiteral("codecs[%1] ").arg(i) + error);
        m.codecs.append(ZarrV3Codec{codec->name, codec->configuration, codec->mustUnderstand});
    }

    const QJsonValue attributes = o.value(QLatin1String("attributes"));
    if (!attributes.isUndefined() && !attributes.isObject())
        throw fail(QStringLiteral("attributes must be an object"));
    m.attributes = attributes.toObject();

    const QJsonValue names = o.value(QLatin1String("dimension_names"));
    if (!names.isUndefined()) {
        const QJsonArray list = names.toArray();
        bool valid = names.isArray() && list.size() == m.shape.rank;
        for (const QJsonValue &name : list)
            valid = valid && (name.isString() || name.isNull());
        if (!valid)
            throw fail(QStringLiteral("dimension_names must be a list of %1 strings or nulls").arg(m.shape.rank));
        m.dimensionNames = list;
    }
    return m;
}

} // namespace cs
