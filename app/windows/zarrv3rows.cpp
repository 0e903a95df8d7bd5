#include "zarrv3rows.h"

#include "codeclisteditor.h"

#include "stores/zarr/v3/zarrv3keys.h"

#include <QCheckBox>
#include <QComboBox>
#include <QHBoxLayout>
#include <QJsonArray>
#include <QJsonDocument>
#include <QLineEdit>
#include <QScopedValueRollback>

namespace cs {

namespace {

const QString kSharding = QStringLiteral("sharding_indexed");

QJsonObject shardConfig(const QJsonValue &codecs)
{
    return codecs.toArray().at(0).toObject().value(QLatin1String("configuration")).toObject();
}

// The index codecs the spec allows: bytes, in either byte order, with or without a crc32c checksum,
// since an index must keep its fixed size. zarr-python writes the first.
QJsonArray indexCodecs(const char *endian, bool checksum)
{
    QJsonArray list{
        QJsonObject{{QStringLiteral("name"), QStringLiteral("bytes")},
                    {QStringLiteral("configuration"), QJsonObject{{QStringLiteral("endian"), QLatin1String(endian)}}}}};
    if (checksum)
        list.append(QJsonObject{{QStringLiteral("name"), QStringLiteral("crc32c")}});
    return list;
}

QJsonArray intArray(const std::vector<int64_t> &v)
{
    QJsonArray a;
    for (int64_t x : v)
        a.append(qint64(x));
    return a;
}

QJsonObject keyEncoding(const char *name, const char *separator)
{
    return QJsonObject{
        {QStringLiteral("name"), QLatin1String(name)},
        {QStringLiteral("configuration"), QJsonObject{{QStringLiteral("separator"), QLatin1String(separator)}}}};
}

// Dimension names as a user types them: "y, x" (null for an unnamed axis), or the JSON list itself
// when a name would not survive the short form (a comma in it, spaces around it, the word null).
QString namesText(const QJsonValue &names)
{
    if (names.isUndefined())
        return {};
    QStringList parts;
    for (const QJsonValue &n : names.toArray()) {
        const QString s = n.toString();
        const bool plain = n.isNull()
            || (n.isString() && !s.isEmpty() && s == s.trimmed() && !s.contains(QLatin1Char(','))
                && s != QLatin1String("null") && !s.startsWith(QLatin1Char('[')));
        if (!names.isArray() || !plain)
            return names.isArray() ? QString::fromUtf8(QJsonDocument(names.toArray()).toJson(QJsonDocument::Compact))
                                   : scalarText(names);
        parts.append(n.isNull() ? QStringLiteral("null") : s);
    }
    return parts.join(QStringLiteral(", "));
}

QJsonValue parseNames(const QString &text)
{
    const QString t = text.trimmed();
    if (t.isEmpty())
        return QJsonValue(QJsonValue::Undefined);
    if (t.startsWith(QLatin1Char('['))) {
        const QJsonDocument doc = QJsonDocument::fromJson(t.toUtf8());
        return doc.isArray() ? QJsonValue(doc.array()) : QJsonValue(t); // the scenario's check names the text
    }
    QJsonArray names;
    for (const QString &part : t.split(QLatin1Char(','))) {
        const QString name = part.trimmed();
        names.append(name == QLatin1String("null") ? QJsonValue(QJsonValue::Null) : QJsonValue(name));
    }
    return names;
}

} // namespace

ZarrV3Rows::ZarrV3Rows(QWidget *form, FormRows &rows)
    : QObject(form)
    , m_form(form)
    , m_rows(rows)
{
}

void ZarrV3Rows::addFormatRow()
{
    m_format = new QComboBox(m_form);
    addJsonItem(m_format, tr("default (2)"), QJsonValue(QJsonValue::Undefined));
    addJsonItem(m_format, QStringLiteral("2"), 2);
    addJsonItem(m_format, QStringLiteral("3"), 3);
    m_rows.add(QStringLiteral("zarr_format"), tr("Zarr format"), m_format,
               tr("Zarr v2 (.zarray, a compressor and filters) or v3 (zarr.json, a list of codecs, sharding)"));
    connect(m_format, &QComboBox::activated, this,
            [this] { emit edited(QStringLiteral("zarr_format"), currentJson(m_format)); });
}

void ZarrV3Rows::addRows()
{
    auto *shardBox = new QWidget(m_form);
    auto *shardLayout = new QHBoxLayout(shardBox);
    shardLayout->setContentsMargins(0, 0, 0, 0);
    m_shard = new QCheckBox(tr("shards of inner chunks:"), shardBox);
    m_shard->setObjectName(QStringLiteral("sharding"));
    m_inner = new QLineEdit(shardBox);
    m_inner->setObjectName(QStringLiteral("innerChunks"));
    m_inner->setClearButtonEnabled(true);
    shardLayout->addWidget(m_shard);
    shardLayout->addWidget(m_inner, 1);
    m_rows.add(QStringLiteral("codecs/sharding"), tr("Sharding"), shardBox,
               tr("Store many inner chunks in one file, a shard, with an index: \"chunks\" is then the shard "
                  "shape, and the inner chunk shape must divide it"));
    connect(m_shard, &QCheckBox::toggled, this, [this](bool on) { toggleSharding(on); });
    connect(m_inner, &QLineEdit::editingFinished, this,
            [this] { setShardConfig(QStringLiteral("chunk_shape"), parseIntList(m_inner->text())); });

    m_codecs = new CodecListEditor(m_form);
    m_rows.add(QStringLiteral("codecs"), tr("Codecs"), m_codecs);
    connect(m_codecs, &CodecListEditor::edited, this, [this](const QJsonArray &list) {
        if (isShardedZarrV3(m_given))
            setShardConfig(QStringLiteral("codecs"), list);
        else
            setCodecs(list);
    });
    connect(m_codecs, &CodecListEditor::defaultRequested, this,
            [this] { setCodecs(QJsonValue(QJsonValue::Undefined)); });

    m_indexCodecs = new QComboBox(m_form);
    addJsonItem(m_indexCodecs, tr("bytes (little), crc32c"), indexCodecs("little", true));
    addJsonItem(m_indexCodecs, tr("bytes (little)"), indexCodecs("little", false));
    addJsonItem(m_indexCodecs, tr("bytes (big), crc32c"), indexCodecs("big", true));
    addJsonItem(m_indexCodecs, tr("bytes (big)"), indexCodecs("big", false));
    m_rows.add(QStringLiteral("codecs/index_codecs"), tr("Index codecs"), m_indexCodecs,
               tr("How each shard's index is stored: its byte order, and whether a crc32c checksum guards it"));
    connect(m_indexCodecs, &QComboBox::activated, this,
            [this] { setShardConfig(QStringLiteral("index_codecs"), currentJson(m_indexCodecs)); });

    m_indexLocation = new QComboBox(m_form);
    addJsonItem(m_indexLocation, tr("default (end)"), QJsonValue(QJsonValue::Undefined));
    addJsonItem(m_indexLocation, QStringLiteral("start"), QStringLiteral("start"));
    addJsonItem(m_indexLocation, QStringLiteral("end"), QStringLiteral("end"));
    m_rows.add(QStringLiteral("codecs/index_location"), tr("Shard index"), m_indexLocation,
               tr("Where each shard keeps the index of its inner chunks"));
    connect(m_indexLocation, &QComboBox::activated, this,
            [this] { setShardConfig(QStringLiteral("index_location"), currentJson(m_indexLocation)); });

    m_keyEncoding = new QComboBox(m_form);
    addJsonItem(m_keyEncoding, tr("default (c/0/0)"), QJsonValue(QJsonValue::Undefined));
    addJsonItem(m_keyEncoding, tr("default, separator / (c/0/0)"), keyEncoding("default", "/"));
    addJsonItem(m_keyEncoding, tr("default, separator . (c.0.0)"), keyEncoding("default", "."));
    addJsonItem(m_keyEncoding, tr("v2, separator . (0.0)"), keyEncoding("v2", "."));
    addJsonItem(m_keyEncoding, tr("v2, separator / (0/0)"), keyEncoding("v2", "/"));
    m_rows.add(QStringLiteral("chunk_key_encoding"), tr("Chunk keys"), m_keyEncoding,
               tr("How a chunk's file is named, as zarr.json's chunk_key_encoding"));
    connect(m_keyEncoding, &QComboBox::activated, this,
            [this] { emit edited(QStringLiteral("chunk_key_encoding"), currentJson(m_keyEncoding)); });

    m_dimensionNames = new QLineEdit(m_form);
    m_dimensionNames->setClearButtonEnabled(true);
    m_dimensionNames->setPlaceholderText(tr("none"));
    m_rows.add(QStringLiteral("dimension_names"), tr("Dimension names"), m_dimensionNames,
               tr("One name per dimension, e.g. time, y, x (null for an unnamed one)"));
    connect(m_dimensionNames, &QLineEdit::editingFinished, this,
            [this] { emit edited(QStringLiteral("dimension_names"), parseNames(m_dimensionNames->text())); });

    m_attributes = new QLineEdit(m_form);
    m_attributes->setClearButtonEnabled(true);
    m_attributes->setPlaceholderText(tr("none"));
    m_rows.add(QStringLiteral("attributes"), tr("Attributes"), m_attributes,
               tr("zarr.json's attributes as a JSON object, e.g. {\"units\": \"m\"}"));
    connect(m_attributes, &QLineEdit::editingFinished, this, [this] {
        const QString text = m_attributes->text().trimmed();
        const QJsonDocument doc = QJsonDocument::fromJson(text.toUtf8());
        emit edited(QStringLiteral("attributes"),
                    text.isEmpty()       ? QJsonValue(QJsonValue::Undefined)
                        : doc.isObject() ? QJsonValue(doc.object())
                                         : QJsonValue(text));
    });
}

void ZarrV3Rows::load(const QJsonObject &given, const std::vector<int64_t> &chunks, int rank, int itemsize)
{
    const QScopedValueRollback guard(m_loading, true);
    m_chunks = chunks;
    m_codecs->setRank(std::max(rank, 1));
    m_codecs->setItemSize(itemsize);
    selectJson(m_format, given.value(QStringLiteral("zarr_format")));
    m_given = given.value(QStringLiteral("codecs"));
    showCodecs();
    selectJson(m_keyEncoding, given.value(QStringLiteral("chunk_key_encoding")));
    m_dimensionNames->setText(namesText(given.value(QStringLiteral("dimension_names"))));
    const QJsonValue attributes = given.value(QStringLiteral("attributes"));
    m_attributes->setText(attributes.isObject()
                              ? QString::fromUtf8(QJsonDocument(attributes.toObject()).toJson(QJsonDocument::Compact))
                              : scalarText(attributes));
}

void ZarrV3Rows::showCodecs()
{
    const QScopedValueRollback guard(m_loading, true);
    const bool sharded = isShardedZarrV3(m_given);
    m_shard->setChecked(sharded);
    m_codecs->setDefaultAllowed(!sharded);
    m_rows.setLabel(QStringLiteral("codecs"), sharded ? tr("Inner codecs") : tr("Codecs"));
    m_rows.setLabel(QStringLiteral("chunks"), sharded ? tr("Shard shape") : tr("Chunks"));
    // Short, so that it shows whole in a narrow dock; the row's tooltip says the rest.
    m_inner->setPlaceholderText(m_chunks.empty() ? tr("inner chunk shape")
                                                 : tr("e.g. %1").arg(intListText(intArray(m_chunks))));
    if (sharded) {
        const QJsonObject config = shardConfig(m_given);
        m_inner->setText(intListText(config.value(QLatin1String("chunk_shape"))));
        m_codecs->setCodecs(config.value(QLatin1String("codecs")).toArray());
        selectJson(m_indexCodecs, config.value(QLatin1String("index_codecs")));
        selectJson(m_indexLocation, config.value(QLatin1String("index_location")));
    } else {
        m_inner->clear();
        m_codecs->setCodecs(m_given.isUndefined() ? zarrV3DefaultCodecs() : m_given.toArray(), m_given.isUndefined());
    }
}

void ZarrV3Rows::setCodecs(const QJsonValue &codecs)
{
    if (m_loading)
        return;
    m_given = codecs;
    showCodecs();
    emit edited(QStringLiteral("codecs"), codecs);
}

void ZarrV3Rows::setShardConfig(const QString &key, const QJsonValue &value)
{
    if (m_loading || !isShardedZarrV3(m_given))
        return;
    QJsonObject entry = m_given.toArray().at(0).toObject();
    QJsonObject config = shardConfig(m_given);
    if (!setOrRemove(config, key, value))
        return;
    entry.insert(QStringLiteral("configuration"), config);
    setCodecs(QJsonArray{entry});
}

void ZarrV3Rows::toggleSharding(bool on)
{
    if (m_loading)
        return;
    if (!on) {
        // The inner codecs become the array's own: what each chunk was encoded with stays.
        setCodecs(shardConfig(m_given).value(QLatin1String("codecs")));
        return;
    }
    // The codecs so far encode each inner chunk; the index is zarr-python's, a checksummed one at the end.
    const QJsonValue typed = parseIntList(m_inner->text());
    const QJsonObject config{
        {QStringLiteral("chunk_shape"), typed.isUndefined() ? QJsonValue(intArray(m_chunks)) : typed},
        {QStringLiteral("codecs"), m_codecs->codecs()},
        {QStringLiteral("index_codecs"), indexCodecs("little", true)},
        {QStringLiteral("index_location"), QStringLiteral("end")},
    };
    setCodecs(QJsonArray{QJsonObject{{QStringLiteral("name"), kSharding}, {QStringLiteral("configuration"), config}}});
}

void switchZarrFormat(QJsonObject &given, QJsonObject &aside, const QJsonValue &format)
{
    const bool v3 = format == QJsonValue(3);
    const StoreKind *zarr = findStoreKind(QStringLiteral("zarr"));
    for (const KindKey &key : zarr ? zarr->keys() : QList<KindKey>()) {
        if (v3 ? isZarrV2Key(key.name) : isZarrV3Key(key.name)) {
            if (given.contains(key.name))
                aside.insert(key.name, given.take(key.name));
        } else if (aside.contains(key.name)) {
            given.insert(key.name, aside.take(key.name));
        }
    }
    setOrRemove(given, QStringLiteral("zarr_format"), format);
}

} // namespace cs
