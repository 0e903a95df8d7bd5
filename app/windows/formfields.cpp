#include "formfields.h"

#include "longtext.h"

#include <QAbstractSpinBox>
#include <QComboBox>
#include <QEvent>
#include <QGridLayout>
#include <QHBoxLayout>
#include <QJsonArray>
#include <QJsonDocument>
#include <QLabel>
#include <QLineEdit>
#include <QListView>
#include <QPushButton>
#include <QRegularExpression>
#include <QStringListModel>
#include <QVBoxLayout>

#include <cmath>

namespace cs {

namespace {
constexpr const char *kInputProperty = "formInput";

class WheelGuard : public QObject {
public:
    using QObject::QObject;
    bool eventFilter(QObject *watched, QEvent *event) override
    {
        if (event->type() == QEvent::Wheel && !static_cast<QWidget *>(watched)->hasFocus()) {
            // Filtered but not accepted: Qt hands the wheel to the parents, so the form scrolls.
            event->ignore();
            return true;
        }
        return QObject::eventFilter(watched, event);
    }
};

QJsonValue parseNumberOrString(const QString &token)
{
    bool ok = false;
    const qlonglong v = token.toLongLong(&ok);
    if (ok)
        return QJsonValue(double(v));
    const double d = token.toDouble(&ok);
    if (ok && std::isfinite(d))
        return QJsonValue(d);
    return QJsonValue(token);
}

QString jsonText(const QJsonValue &value)
{
    // QJsonDocument holds only objects and arrays; wrap the value in a one-element array.
    const QByteArray text = QJsonDocument(QJsonArray{value}).toJson(QJsonDocument::Compact);
    return QString::fromUtf8(text.mid(1, text.size() - 2));
}

QJsonValue jsonFromText(const QString &text)
{
    const QJsonDocument doc = QJsonDocument::fromJson(QByteArray("[") + text.toUtf8() + QByteArray("]"));
    if (!doc.isArray() || doc.array().size() != 1)
        return QJsonValue(QJsonValue::Undefined);
    return doc.array().at(0);
}
} // namespace

QJsonValue parseIntList(const QString &text, bool scalarIfSingle)
{
    QString t = text.trimmed();
    if (t.isEmpty())
        return QJsonValue(QJsonValue::Undefined);
    const bool bracketed = t.startsWith(QLatin1Char('[')) && t.endsWith(QLatin1Char(']'));
    if (bracketed)
        t = t.mid(1, t.size() - 2);
    QJsonArray list;
    const QStringList tokens = t.split(QRegularExpression(QStringLiteral("[,\\s]+")), Qt::SkipEmptyParts);
    for (const QString &token : tokens)
        list.append(parseNumberOrString(token));
    if (scalarIfSingle && !bracketed && list.size() == 1)
        return list.at(0);
    return list;
}

QString intListText(const QJsonValue &value)
{
    if (value.isUndefined() || value.isNull())
        return {};
    if (!value.isArray())
        return scalarText(value);
    QStringList parts;
    for (const QJsonValue &v : value.toArray())
        parts.append(v.isArray() ? QLatin1Char('[') + intListText(v) + QLatin1Char(']') : scalarText(v));
    return parts.join(QStringLiteral(", "));
}

QJsonValue parseScalar(const QString &text)
{
    const QString t = text.trimmed();
    if (t.isEmpty())
        return QJsonValue(QJsonValue::Undefined);
    if (t == QLatin1String("null"))
        return QJsonValue(QJsonValue::Null);
    if (t == QLatin1String("true") || t == QLatin1String("false"))
        return QJsonValue(t == QLatin1String("true"));
    return parseNumberOrString(t);
}

QJsonValue parseText(const QString &text)
{
    const QString t = text.trimmed();
    return t.isEmpty() ? QJsonValue(QJsonValue::Undefined) : QJsonValue(t);
}

QString scalarText(const QJsonValue &value)
{
    if (value.isUndefined())
        return {};
    if (value.isString())
        return value.toString();
    if (value.isDouble()) {
        const double d = value.toDouble();
        if (std::abs(d) < 9.007199254740992e15 && d == std::floor(d))
            return QString::number(qint64(d));
        return QString::number(d, 'g', 17);
    }
    return jsonText(value);
}

void guardWheel(QWidget *form)
{
    auto *guard = new WheelGuard(form);
    const auto protect = [guard](QWidget *w) {
        // Wheel focus would give the field focus on the very turn that should scroll past it.
        w->setFocusPolicy(Qt::StrongFocus);
        w->installEventFilter(guard);
    };
    for (QComboBox *c : form->findChildren<QComboBox *>())
        protect(c);
    for (QAbstractSpinBox *b : form->findChildren<QAbstractSpinBox *>())
        protect(b);
}

QWidget *withBrowseButton(QLineEdit *edit, std::function<QString()> browse)
{
    auto *box = new QWidget(edit->parentWidget());
    auto *layout = new QHBoxLayout(box);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(4);
    auto *button = new QPushButton(QObject::tr("Browse…"), box);
    button->setObjectName(QStringLiteral("browse"));
    layout->addWidget(edit, 1);
    layout->addWidget(button);
    box->setProperty(kInputProperty, QVariant::fromValue<QWidget *>(edit));
    QObject::connect(button, &QPushButton::clicked, edit, [edit, browse = std::move(browse)] {
        const QString path = browse();
        if (path.isEmpty())
            return;
        edit->setText(path);
        emit edit->editingFinished();
    });
    return box;
}

bool setOrRemove(QJsonObject &object, const QString &key, const QJsonValue &value)
{
    if (value.isUndefined()) {
        if (!object.contains(key))
            return false;
        object.remove(key);
    } else {
        if (object.value(key) == value)
            return false;
        object.insert(key, value);
    }
    return true;
}

void addJsonItem(QComboBox *combo, const QString &text, const QJsonValue &value)
{
    combo->addItem(text, value.isUndefined() ? QString() : jsonText(value));
}

QJsonValue currentJson(const QComboBox *combo)
{
    const QString text = combo->currentData().toString();
    return text.isEmpty() ? QJsonValue(QJsonValue::Undefined) : jsonFromText(text);
}

void selectJson(QComboBox *combo, const QJsonValue &value)
{
    const QString key = value.isUndefined() ? QString() : jsonText(value);
    int index = combo->findData(key);
    if (index < 0) {
        combo->addItem(QStringLiteral("custom: %1").arg(key), key);
        index = combo->count() - 1;
    }
    combo->setCurrentIndex(index);
}

IdChoices::IdChoices(QObject *parent)
    : QObject(parent)
    , m_model(new QStringListModel(this))
{
}

void IdChoices::set(const QStringList &fixed, const QStringList &ids, const QStringList &extra)
{
    // A list shared with the last one compares equal at once, so an unchanged scenario costs nothing.
    if (fixed == m_fixed && ids == m_ids && extra == m_extra)
        return;
    m_fixed = fixed;
    m_ids = ids;
    m_extra = extra;
    m_entries = fixed + ids + extra;
    m_rows.clear();
    m_hidden = -1;
    m_model->setStringList(m_entries);
}

int IdChoices::row(const QString &text) const
{
    if (m_rows.isEmpty() && !m_entries.isEmpty()) {
        m_rows.reserve(m_entries.size());
        for (int i = int(m_entries.size()) - 1; i >= 0; --i)
            m_rows.insert(m_entries.at(i), i); // the first row of a text that repeats
    }
    return m_rows.value(text, -1);
}

void IdChoices::show(QComboBox *combo, int row, int hiddenRow)
{
    if (combo->model() != m_model)
        combo->setModel(m_model);
    auto *list = qobject_cast<QListView *>(combo->view());
    if (list && m_hidden != hiddenRow) {
        if (m_hidden >= 0)
            list->setRowHidden(m_hidden, false);
        if (hiddenRow >= 0)
            list->setRowHidden(hiddenRow, true);
        m_hidden = hiddenRow;
    }
    combo->setCurrentIndex(row);
}

FormRows::FormRows(QGridLayout *layout)
    : m_layout(layout)
{
}

void FormRows::add(const QString &key, const QString &label, QWidget *editor, const QString &toolTip)
{
    // A grid rather than a QFormLayout: in Qt 6.4 QFormLayout corrupts memory computing the height of
    // hidden rows next to word-wrapped labels (height-for-width), and error lines wrap.
    Row row;
    row.label = new QLabel(label);
    row.field = new QWidget;
    auto *box = new QVBoxLayout(row.field);
    box->setContentsMargins(0, 0, 0, 0);
    box->setSpacing(2);
    row.editor = editor;
    // A field with a button beside it (withBrowseButton) is found by its input, and enabled as a whole.
    row.input = editor->property(kInputProperty).value<QWidget *>();
    if (!row.input)
        row.input = editor;
    row.error = new QLabel(row.field);
    row.error->setWordWrap(true);
    row.error->setTextInteractionFlags(Qt::TextSelectableByMouse);
    row.error->setStyleSheet(QStringLiteral("color: #c53030;"));
    row.error->hide();
    // A combo box is as wide as its longest item, and items name arrays and values as typed.
    if (auto *combo = qobject_cast<QComboBox *>(editor)) {
        combo->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
        combo->setMinimumContentsLength(8);
    }
    box->addWidget(editor);
    box->addWidget(row.error);
    row.toolTip = toolTip;
    if (!toolTip.isEmpty()) {
        editor->setToolTip(toolTip);
        row.label->setToolTip(toolTip);
    }
    const int r = m_layout->rowCount();
    row.label->setAlignment(Qt::AlignLeft | Qt::AlignTop);
    row.label->setContentsMargins(0, 4, 0, 0);
    m_layout->addWidget(row.label, r, 0);
    m_layout->addWidget(row.field, r, 1);
    m_rows.insert(key, row);
}

void FormRows::setLabel(const QString &key, const QString &label)
{
    if (const auto it = m_rows.constFind(key); it != m_rows.constEnd())
        it->label->setText(label);
}

void FormRows::setVisible(const QString &key, bool visible)
{
    auto it = m_rows.find(key);
    if (it == m_rows.end())
        return;
    it->visible = visible;
    it->label->setVisible(visible);
    it->field->setVisible(visible);
}

void FormRows::setApplies(const QString &key, bool applies, const QString &why, bool editable)
{
    auto it = m_rows.find(key);
    if (it == m_rows.end())
        return;
    QString tip = it->toolTip;
    if (!applies && !why.isEmpty())
        tip = tip.isEmpty() ? why : tip + QStringLiteral("\n\n") + why;
    it->editor->setToolTip(tip);
    it->label->setToolTip(tip);
    it->label->setEnabled(applies);
    it->editor->setEnabled(applies || editable);
}

QWidget *FormRows::editor(const QString &key) const
{
    return m_rows.value(key).input;
}

void FormRows::alias(const QString &key, const QString &existing)
{
    m_aliases.insert(key, existing);
}

bool FormRows::showError(const QString &pointer, const QString &text)
{
    QStringList segments = pointer.split(QLatin1Char('/'), Qt::SkipEmptyParts);
    for (; !segments.isEmpty(); segments.removeLast()) {
        QString key = segments.join(QLatin1Char('/'));
        key = m_aliases.value(key, key);
        auto it = m_rows.find(key);
        if (it == m_rows.end() || !it->visible)
            continue;
        it->errorText = text;
        setLongText(it->error, text);
        it->error->show();
        return true;
    }
    return false;
}

QString FormRows::errorText(const QString &key) const
{
    const auto it = m_rows.constFind(key);
    return it == m_rows.constEnd() || it->error->isHidden() ? QString() : it->errorText;
}

void FormRows::clearErrors()
{
    for (const Row &row : std::as_const(m_rows))
        row.error->hide();
}

} // namespace cs
