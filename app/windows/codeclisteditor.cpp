#include "codeclisteditor.h"

#include "formfields.h"

#include "codecs/blosccodec.h"
#include "codecs/numcodecsfactory.h"

#include <QCheckBox>
#include <QComboBox>
#include <QGridLayout>
#include <QHBoxLayout>
#include <QJsonDocument>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QPushButton>
#include <QScopedValueRollback>
#include <QSpinBox>
#include <QVBoxLayout>

namespace cs {

namespace {

QString nameOf(const QJsonValue &codec)
{
    return codec.isString() ? codec.toString() : codec.toObject().value(QLatin1String("name")).toString();
}

QJsonObject configOf(const QJsonValue &codec)
{
    return codec.toObject().value(QLatin1String("configuration")).toObject();
}

QString compactJson(const QJsonValue &v)
{
    if (v.isObject())
        return QString::fromUtf8(QJsonDocument(v.toObject()).toJson(QJsonDocument::Compact));
    if (v.isArray())
        return QString::fromUtf8(QJsonDocument(v.toArray()).toJson(QJsonDocument::Compact));
    return scalarText(v);
}

// What a codec added from the list starts with: zarr-python 3's defaults, so that the new entry is
// valid as it stands (transpose reverses the axes, which is Fortran order).
QJsonObject newCodec(const QString &name, int rank, int itemsize)
{
    QJsonObject config;
    if (name == QLatin1String("bytes")) {
        config.insert(QStringLiteral("endian"), QStringLiteral("little"));
    } else if (name == QLatin1String("transpose")) {
        QJsonArray order;
        for (int d = rank - 1; d >= 0; --d)
            order.append(d);
        config.insert(QStringLiteral("order"), order);
    } else if (name == QLatin1String("blosc")) {
        config = QJsonObject{{QStringLiteral("cname"), QStringLiteral("zstd")},
                             {QStringLiteral("clevel"), 5},
                             {QStringLiteral("shuffle"), QStringLiteral("shuffle")},
                             {QStringLiteral("blocksize"), 0}};
        if (itemsize > 0)
            config.insert(QStringLiteral("typesize"), itemsize);
    } else if (name == QLatin1String("gzip")) {
        config.insert(QStringLiteral("level"), 5);
    } else if (name == QLatin1String("zstd")) {
        config = QJsonObject{{QStringLiteral("level"), 0}, {QStringLiteral("checksum"), false}};
    }
    QJsonObject codec{{QStringLiteral("name"), name}};
    if (!config.isEmpty())
        codec.insert(QStringLiteral("configuration"), config);
    return codec;
}

QSpinBox *spinBox(int min, int max, QWidget *parent)
{
    auto *s = new QSpinBox(parent);
    s->setRange(min, max);
    return s;
}

} // namespace

QString codecSummary(const QJsonValue &codec)
{
    const QJsonObject config = configOf(codec);
    QStringList parts;
    for (auto it = config.begin(); it != config.end(); ++it) {
        const QString value = it.value().isArray() && nameOf(codec) != QLatin1String("sharding_indexed")
            ? QLatin1Char('[') + intListText(it.value()) + QLatin1Char(']')
            : compactJson(it.value());
        parts.append(it.key() + QLatin1Char(' ') + (value.size() > 40 ? value.left(39) + QChar(0x2026) : value));
    }
    const QString name = nameOf(codec).isEmpty() ? compactJson(codec) : nameOf(codec);
    return parts.isEmpty() ? name : name + QStringLiteral(": ") + parts.join(QStringLiteral(", "));
}

CodecListEditor::CodecListEditor(QWidget *parent)
    : QWidget(parent)
{
    build();
}

QWidget *CodecListEditor::page(const QList<QPair<QString, QWidget *>> &fields)
{
    auto *p = new QWidget(m_pages);
    auto *grid = new QGridLayout(p);
    grid->setSizeConstraint(QLayout::SetMinimumSize);
    grid->setContentsMargins(12, 0, 0, 0);
    grid->setColumnStretch(1, 1);
    for (const auto &[key, field] : fields) {
        const int r = grid->rowCount();
        grid->addWidget(new QLabel(key.section(QLatin1Char('/'), -1), p), r, 0);
        grid->addWidget(field, r, 1);
        field->setParent(p);
        m_fields.insert(key, field);
    }
    m_pages->layout()->addWidget(p);
    m_pageList.append(p);
    return p;
}

void CodecListEditor::build()
{
    auto *outer = new QVBoxLayout(this);
    outer->setContentsMargins(0, 0, 0, 0);
    outer->setSpacing(4);

    m_list = new QListWidget(this);
    m_list->setObjectName(QStringLiteral("codecList"));
    m_list->setSelectionMode(QAbstractItemView::SingleSelection);
    m_list->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    m_list->setTextElideMode(Qt::ElideNone);
    m_list->setWordWrap(true);
    outer->addWidget(m_list);
    connect(m_list, &QListWidget::currentRowChanged, this, [this] { showSelected(); });

    m_defaultNote
        = new QLabel(tr("The default, as zarr-python 3 writes it; the scenario leaves \"codecs\" out."), this);
    m_defaultNote->setWordWrap(true);
    m_defaultNote->setStyleSheet(QStringLiteral("color: palette(placeholder-text);"));
    outer->addWidget(m_defaultNote);

    // Two rows of buttons rather than one, so that the list keeps its width in a narrow dock.
    auto *addRow = new QHBoxLayout;
    m_addChoice = new QComboBox(this);
    m_addChoice->setObjectName(QStringLiteral("codecChoice"));
    for (const char *name : {"bytes", "transpose", "blosc", "gzip", "zstd", "crc32c"})
        m_addChoice->addItem(QLatin1String(name));
    m_addChoice->insertSeparator(m_addChoice->count());
    for (const QString &id : numcodecsIds())
        m_addChoice->addItem(QStringLiteral("numcodecs.") + id);
    m_addChoice->setToolTip(tr("The codec to add after the selected one"));
    m_add = new QPushButton(tr("Add"), this);
    m_add->setObjectName(QStringLiteral("addCodec"));
    addRow->addWidget(m_addChoice, 1);
    addRow->addWidget(m_add);
    outer->addLayout(addRow);
    auto *editRow = new QHBoxLayout;
    m_up = new QPushButton(tr("Move up"), this);
    m_up->setObjectName(QStringLiteral("moveUp"));
    m_down = new QPushButton(tr("Move down"), this);
    m_down->setObjectName(QStringLiteral("moveDown"));
    m_remove = new QPushButton(tr("Remove"), this);
    m_remove->setObjectName(QStringLiteral("removeCodec"));
    m_default = new QPushButton(tr("Default"), this);
    m_default->setObjectName(QStringLiteral("defaultCodecs"));
    m_default->setToolTip(tr("Leave \"codecs\" out: bytes (little), then zstd at level 0"));
    for (QPushButton *b : {m_up, m_down, m_remove, m_default})
        editRow->addWidget(b);
    editRow->addStretch(1);
    outer->addLayout(editRow);
    connect(m_add, &QPushButton::clicked, this, [this] { addCodec(); });
    connect(m_up, &QPushButton::clicked, this, [this] { move(-1); });
    connect(m_down, &QPushButton::clicked, this, [this] { move(1); });
    connect(m_remove, &QPushButton::clicked, this, [this] { removeCodec(); });
    connect(m_default, &QPushButton::clicked, this, &CodecListEditor::defaultRequested);

    // The selected codec's configuration, one page of fields per codec the fields know.
    m_pageTitle = new QLabel(this);
    outer->addWidget(m_pageTitle);
    // Only the selected codec's page shows, so the box is as tall as that page (a stacked widget would
    // take the tallest page's height and spread a short page's rows apart).
    m_pages = new QWidget(this);
    auto *pagesLayout = new QVBoxLayout(m_pages);
    pagesLayout->setContentsMargins(0, 0, 0, 0);
    outer->addWidget(m_pages);
    m_nonePage = new QLabel(tr("No settings"), m_pages);
    m_nonePage->setContentsMargins(12, 0, 0, 0);
    pagesLayout->addWidget(m_nonePage);
    m_pageList.append(m_nonePage);

    m_endian = new QComboBox;
    addJsonItem(m_endian, QStringLiteral("little"), QStringLiteral("little"));
    addJsonItem(m_endian, QStringLiteral("big"), QStringLiteral("big"));
    addJsonItem(m_endian, tr("not given (one-byte items)"), QJsonValue(QJsonValue::Undefined));
    m_pageOf.insert(QStringLiteral("bytes"), page({{QStringLiteral("bytes/endian"), m_endian}}));
    connect(m_endian, &QComboBox::activated, this,
            [this] { setConfig(QStringLiteral("endian"), currentJson(m_endian)); });

    m_order = new QLineEdit;
    m_order->setPlaceholderText(tr("axes in their new order, e.g. 1, 0"));
    m_pageOf.insert(QStringLiteral("transpose"), page({{QStringLiteral("transpose/order"), m_order}}));
    connect(m_order, &QLineEdit::editingFinished, this,
            [this] { setConfig(QStringLiteral("order"), parseIntList(m_order->text())); });

    m_cname = new QComboBox;
    m_cname->addItems(BloscCodec::compressorNames());
    m_clevel = spinBox(0, 9, nullptr);
    m_shuffle = new QComboBox;
    m_shuffle->addItems({QStringLiteral("noshuffle"), QStringLiteral("shuffle"), QStringLiteral("bitshuffle")});
    m_typesize = spinBox(0, 255, nullptr);
    m_typesize->setSpecialValueText(tr("item size"));
    m_blocksize = spinBox(0, 1 << 30, nullptr);
    m_blocksize->setSpecialValueText(tr("0 (auto)"));
    m_pageOf.insert(QStringLiteral("blosc"),
                    page({{QStringLiteral("blosc/cname"), m_cname},
                          {QStringLiteral("blosc/clevel"), m_clevel},
                          {QStringLiteral("blosc/shuffle"), m_shuffle},
                          {QStringLiteral("blosc/typesize"), m_typesize},
                          {QStringLiteral("blosc/blocksize"), m_blocksize}}));
    connect(m_cname, &QComboBox::activated, this,
            [this] { setConfig(QStringLiteral("cname"), m_cname->currentText()); });
    connect(m_clevel, &QSpinBox::valueChanged, this, [this](int v) { setConfig(QStringLiteral("clevel"), v); });
    connect(m_shuffle, &QComboBox::activated, this,
            [this] { setConfig(QStringLiteral("shuffle"), m_shuffle->currentText()); });
    connect(m_typesize, &QSpinBox::valueChanged, this, [this](int v) {
        setConfig(QStringLiteral("typesize"), v > 0 ? QJsonValue(v) : QJsonValue(QJsonValue::Undefined));
    });
    connect(m_blocksize, &QSpinBox::valueChanged, this, [this](int v) { setConfig(QStringLiteral("blocksize"), v); });

    m_gzipLevel = spinBox(0, 9, nullptr);
    m_pageOf.insert(QStringLiteral("gzip"), page({{QStringLiteral("gzip/level"), m_gzipLevel}}));
    connect(m_gzipLevel, &QSpinBox::valueChanged, this, [this](int v) { setConfig(QStringLiteral("level"), v); });

    m_zstdLevel = spinBox(-131072, 22, nullptr);
    m_checksum = new QCheckBox(tr("store a checksum in each frame"));
    m_pageOf.insert(QStringLiteral("zstd"),
                    page({{QStringLiteral("zstd/level"), m_zstdLevel}, {QStringLiteral("zstd/checksum"), m_checksum}}));
    connect(m_zstdLevel, &QSpinBox::valueChanged, this, [this](int v) { setConfig(QStringLiteral("level"), v); });
    connect(m_checksum, &QCheckBox::toggled, this, [this](bool on) { setConfig(QStringLiteral("checksum"), on); });
    m_pageOf.insert(QStringLiteral("crc32c"), m_nonePage);

    // Any other codec (numcodecs.<id>, a nested sharding_indexed) takes its configuration as JSON.
    m_json = new QLineEdit;
    m_json->setClearButtonEnabled(true);
    m_json->setPlaceholderText(tr("configuration as JSON, e.g. {\"level\": 5}"));
    m_jsonPage = page({{QStringLiteral("json/configuration"), m_json}});
    connect(m_json, &QLineEdit::editingFinished, this, [this] {
        const QString text = m_json->text().trimmed();
        const QJsonDocument doc = QJsonDocument::fromJson(text.toUtf8());
        if (m_loading || m_list->currentRow() < 0 || (!text.isEmpty() && !doc.isObject()))
            return; // the field keeps the text, marked, and the list keeps what it had
        QJsonObject codec{{QStringLiteral("name"), nameOf(m_codecs.at(m_list->currentRow()))}};
        if (!doc.object().isEmpty())
            codec.insert(QStringLiteral("configuration"), doc.object());
        m_codecs.replace(m_list->currentRow(), codec);
        commit();
    });
    connect(m_json, &QLineEdit::textChanged, this, [this](const QString &text) {
        const bool valid = text.trimmed().isEmpty() || QJsonDocument::fromJson(text.toUtf8()).isObject();
        m_json->setStyleSheet(valid ? QString() : QStringLiteral("color: #c53030;"));
        m_json->setToolTip(valid ? QString() : tr("Not a JSON object: the codec keeps its configuration"));
    });
    for (QWidget *field : m_fields)
        field->setFocusPolicy(Qt::StrongFocus);
    setCodecs({});
}

void CodecListEditor::setDefaultAllowed(bool allowed)
{
    m_defaultAllowed = allowed;
    m_default->setVisible(allowed && !m_isDefault);
}

void CodecListEditor::setCodecs(const QJsonArray &codecs, bool isDefault)
{
    const int row = m_list->currentRow();
    m_codecs = codecs;
    m_isDefault = isDefault;
    refreshRows();
    m_loading = true;
    m_list->setCurrentRow(std::min(std::max(row, 0), int(m_codecs.size()) - 1));
    m_loading = false;
    showSelected();
}

void CodecListEditor::refreshRows()
{
    m_loading = true;
    const int row = m_list->currentRow();
    while (m_list->count() > m_codecs.size())
        delete m_list->takeItem(m_list->count() - 1);
    while (m_list->count() < m_codecs.size())
        m_list->addItem(QString());
    for (int i = 0; i < m_codecs.size(); ++i) {
        QListWidgetItem *item = m_list->item(i);
        item->setText(QStringLiteral("%1. %2").arg(i + 1).arg(codecSummary(m_codecs.at(i))));
        item->setToolTip(compactJson(m_codecs.at(i)));
    }
    m_list->setCurrentRow(std::min(row, int(m_list->count()) - 1));
    // As tall as its rows (at least two, at most eight), so the form, not the list, scrolls.
    const int rowHeight = std::max(m_list->sizeHintForRow(0), m_list->fontMetrics().height() + 4);
    const int rows = std::clamp(int(m_codecs.size()), 2, 8);
    m_list->setFixedHeight(rows * rowHeight + 2 * m_list->frameWidth() + 4);
    m_defaultNote->setVisible(m_isDefault);
    m_default->setVisible(m_defaultAllowed && !m_isDefault);
    m_loading = false;
}

void CodecListEditor::showSelected()
{
    const int row = m_list->currentRow();
    m_remove->setEnabled(row >= 0);
    m_up->setEnabled(row > 0);
    m_down->setEnabled(row >= 0 && row < m_codecs.size() - 1);
    m_pages->setVisible(row >= 0);
    m_pageTitle->setVisible(row >= 0);
    if (row < 0)
        return;
    const QScopedValueRollback guard(m_loading, true);
    const QJsonValue codec = m_codecs.at(row);
    const QString name = nameOf(codec);
    const QJsonObject c = configOf(codec);
    QWidget *p = m_pageOf.value(name, m_jsonPage);
    for (QWidget *each : m_pageList)
        each->setVisible(each == p);
    m_pageTitle->setText(tr("Settings of %1. %2:").arg(row + 1).arg(name));
    if (name == QLatin1String("bytes")) {
        selectJson(m_endian, c.value(QLatin1String("endian")));
    } else if (name == QLatin1String("transpose")) {
        m_order->setText(intListText(c.value(QLatin1String("order"))));
    } else if (name == QLatin1String("blosc")) {
        m_cname->setCurrentText(c.value(QLatin1String("cname")).toString(QStringLiteral("zstd")));
        m_clevel->setValue(c.value(QLatin1String("clevel")).toInt(5));
        m_shuffle->setCurrentText(c.value(QLatin1String("shuffle")).toString(QStringLiteral("noshuffle")));
        m_typesize->setValue(c.value(QLatin1String("typesize")).toInt(0));
        m_blocksize->setValue(c.value(QLatin1String("blocksize")).toInt(0));
    } else if (name == QLatin1String("gzip")) {
        m_gzipLevel->setValue(c.value(QLatin1String("level")).toInt(5));
    } else if (name == QLatin1String("zstd")) {
        m_zstdLevel->setValue(c.value(QLatin1String("level")).toInt(0));
        m_checksum->setChecked(c.value(QLatin1String("checksum")).toBool(false));
    } else if (p == m_jsonPage) {
        m_json->setText(c.isEmpty() ? QString() : compactJson(c));
    }
}

void CodecListEditor::setConfig(const QString &key, const QJsonValue &value)
{
    const int row = m_list->currentRow();
    if (m_loading || row < 0)
        return;
    // A bare name ("crc32c") becomes an object once it has settings; keys the fields do not show stay.
    const QJsonValue old = m_codecs.at(row);
    QJsonObject codec = old.isObject() ? old.toObject() : QJsonObject{{QStringLiteral("name"), nameOf(old)}};
    QJsonObject config = configOf(codec);
    if (!setOrRemove(config, key, value))
        return;
    if (config.isEmpty())
        codec.remove(QStringLiteral("configuration"));
    else
        codec.insert(QStringLiteral("configuration"), config);
    m_codecs.replace(row, codec);
    commit();
}

void CodecListEditor::addCodec()
{
    const int at = m_list->currentRow() < 0 ? int(m_codecs.size()) : m_list->currentRow() + 1;
    m_codecs.insert(at, newCodec(m_addChoice->currentText(), m_rank, m_itemsize));
    refreshRows();
    m_list->setCurrentRow(at);
    commit();
}

void CodecListEditor::move(int by)
{
    const int row = m_list->currentRow();
    const int to = row + by;
    if (row < 0 || to < 0 || to >= m_codecs.size())
        return;
    const QJsonValue moved = m_codecs.at(row);
    m_codecs.replace(row, m_codecs.at(to));
    m_codecs.replace(to, moved);
    refreshRows();
    m_list->setCurrentRow(to);
    commit();
}

void CodecListEditor::removeCodec()
{
    const int row = m_list->currentRow();
    if (row < 0)
        return;
    m_codecs.removeAt(row);
    refreshRows();
    m_list->setCurrentRow(std::min(row, int(m_codecs.size()) - 1));
    commit();
}

void CodecListEditor::commit()
{
    m_isDefault = false;
    refreshRows();
    showSelected();
    emit edited(m_codecs);
}

} // namespace cs
