#pragma once

#include <QHash>
#include <QJsonObject>
#include <QJsonValue>
#include <QObject>
#include <QString>
#include <QStringList>

#include <functional>

class QComboBox;
class QObject;
class QStringListModel;
class QGridLayout;
class QLabel;
class QLineEdit;
class QWidget;

namespace cs {

// Text a user types for a list of integers ("1000, 1000" or "[1000, 1000]") as the JSON the scenario
// file holds. An empty text is Undefined (the key is left out); a token that is not an integer stays
// a string so that the scenario parser, not the form, words the error. A single number is a list
// of one unless `scalarIfSingle` (a run's "workers": 4, or the sweep [1, 2, 4]).
QJsonValue parseIntList(const QString &text, bool scalarIfSingle = false);
// The inverse: [1000, 1000] -> "1000, 1000", 4 -> "4".
QString intListText(const QJsonValue &value);
// A scalar: "" -> Undefined, "null" -> null, a number -> number, anything else -> the string.
QJsonValue parseScalar(const QString &text);
QString scalarText(const QJsonValue &value);
// A key that only takes text (a dtype, a path): "" -> Undefined, anything else the string as typed, so
// that "-1" is read back as the "-1" the error then quotes, not as a number.
QJsonValue parseText(const QString &text);

// Sets or removes (when Undefined) one key of a form's given JSON. Returns whether that changed it, so
// a form tells the document only of real edits.
bool setOrRemove(QJsonObject &object, const QString &key, const QJsonValue &value);

// A combo box entry's JSON value is kept in its user data as a JSON document text.
void addJsonItem(QComboBox *combo, const QString &text, const QJsonValue &value);
QJsonValue currentJson(const QComboBox *combo);
// Selects the item holding `value`, adding one ("custom: ...") when none does.
void selectJson(QComboBox *combo, const QJsonValue &value);

// Combo and spin boxes inside `form` take the mouse wheel only when they have focus: a wheel turn that
// scrolls the form passes on to it instead of changing whatever field is under the pointer.
void guardWheel(QWidget *form);

// `edit` with a "Browse…" button after it, in one widget for a form row. The button calls `browse`,
// which returns the path chosen (empty when cancelled); the path then replaces the text and
// `edit` emits editingFinished, as if typed.
QWidget *withBrowseButton(QLineEdit *edit, std::function<QString()> browse);

// The array ids a combo box offers, as one model that combo boxes share: a scenario of many arrays
// fills its choices in one step, only when the ids changed, and finds an id's row without a scan.
// A QObject only so that the form that makes it owns it, as it owns its widgets.
class IdChoices : public QObject {
public:
    explicit IdChoices(QObject *parent);

    QStringListModel *model() const { return m_model; }
    // `fixed` first (a "none" entry), then `ids`, then `extra` (values the file names that are no id).
    void set(const QStringList &fixed, const QStringList &ids, const QStringList &extra = {});
    // The row of `text`, -1 if none holds it. The index behind it is built on the first call.
    int row(const QString &text) const;
    // Shows `combo` on this model at `row`, and hides `hiddenRow` (-1 for none) from its list.
    void show(QComboBox *combo, int row, int hiddenRow = -1);

private:
    QStringListModel *m_model;
    QStringList m_fixed;
    QStringList m_ids;
    QStringList m_extra;
    QStringList m_entries;
    mutable QHash<QString, int> m_rows; // empty until row() needs it
    int m_hidden = -1;
};

// The rows of a form and, below each, a red line for the scenario's error about that key. Keys are
// JSON pointer segments relative to the item the form edits ("shape", "compressor").
class FormRows {
public:
    explicit FormRows(QGridLayout *layout = nullptr);

    void add(const QString &key, const QString &label, QWidget *editor, const QString &toolTip = QString());
    // Errors at pointer `key` show under the row of `existing` too ("compressor/level" -> clevel's row).
    void alias(const QString &key, const QString &existing);
    void setVisible(const QString &key, bool visible);
    // A row whose meaning follows another field (a sharded array's chunks are its shards) says so.
    void setLabel(const QString &key, const QString &label);
    // A key that has no effect on the item as it stands keeps its row, greyed, with `why` added to
    // its tooltip: the form keeps its shape and says why the field is off. `editable` leaves the
    // editor usable even so, so that a value the file gives can still be cleared.
    void setApplies(const QString &key, bool applies, const QString &why = QString(), bool editable = false);
    // The input of a row (a field's line edit, not the widget that holds it beside its button).
    QWidget *editor(const QString &key) const;

    // Shows `text` under the row of the longest key the pointer starts with ("/compressor/clevel",
    // then "/compressor"); returns false when the form has no such row or it is hidden.
    bool showError(const QString &pointer, const QString &text);
    void clearErrors();
    // The error shown under a row, empty when none is.
    QString errorText(const QString &key) const;

private:
    struct Row {
        QLabel *label = nullptr;
        QWidget *field = nullptr; // the editor with its error line below it
        QWidget *editor = nullptr;
        QWidget *input = nullptr; // the editor, or the input inside it when it holds a button too
        QLabel *error = nullptr;
        QString errorText; // in full; the label may show it shortened
        QString toolTip; // the row's own tooltip, without a reason it does not apply
        bool visible = true;
    };
    QGridLayout *m_layout;
    QHash<QString, Row> m_rows;
    QHash<QString, QString> m_aliases;
};

} // namespace cs
