#pragma once

#include <QJsonArray>
#include <QJsonObject>
#include <QWidget>

class QCheckBox;
class QComboBox;
class QLabel;
class QLineEdit;
class QListWidget;
class QPushButton;
class QSpinBox;

namespace cs {

// A Zarr v3 codecs list as an ordered list a user edits without writing JSON: add a codec after the
// selected one, remove it, move it up or down, and set the selected codec's configuration in fields of
// its own. Entries are kept as zarr.json spells them, so a key the fields do not cover survives an edit
// of another. The editor does not judge the order: the scenario's check does, and the form shows its
// message under the row.
class CodecListEditor : public QWidget {
    Q_OBJECT
public:
    explicit CodecListEditor(QWidget *parent = nullptr);

    // Shows `codecs`; `isDefault` marks them as what the array gets without a list of its own, and
    // hides the button that returns to it. Keeps the selected row where it can.
    void setCodecs(const QJsonArray &codecs, bool isDefault = false);
    QJsonArray codecs() const { return m_codecs; }
    // Whether the list may be left to its default (the array's own list may, a shard's inner list not).
    void setDefaultAllowed(bool allowed);
    // The array's rank, for a new transpose's order.
    void setRank(int rank) { m_rank = rank; }
    // The item size in bytes (0: unknown), for a new blosc's typesize.
    void setItemSize(int itemsize) { m_itemsize = itemsize; }

    QListWidget *list() const { return m_list; }
    // The field of a codec's configuration key, by codec and key ("blosc/clevel", "zstd/level";
    // "json/configuration" for codecs without fields of their own).
    QWidget *field(const QString &name) const { return m_fields.value(name); }

signals:
    void edited(const QJsonArray &codecs);
    void defaultRequested();

private:
    void build();
    QWidget *page(const QList<QPair<QString, QWidget *>> &fields);
    void addCodec();
    void move(int by);
    void removeCodec();
    void showSelected();
    void setConfig(const QString &key, const QJsonValue &value);
    void refreshRows();
    void commit();

    QJsonArray m_codecs;
    bool m_isDefault = false;
    bool m_defaultAllowed = true;
    bool m_loading = false;
    int m_rank = 1;
    int m_itemsize = 0;

    QListWidget *m_list = nullptr;
    QLabel *m_defaultNote = nullptr;
    QComboBox *m_addChoice = nullptr;
    QPushButton *m_add = nullptr;
    QPushButton *m_remove = nullptr;
    QPushButton *m_up = nullptr;
    QPushButton *m_down = nullptr;
    QPushButton *m_default = nullptr;
    QLabel *m_pageTitle = nullptr;
    QWidget *m_pages = nullptr;
    QList<QWidget *> m_pageList;
    QHash<QString, QWidget *> m_pageOf; // codec name -> its page; others use the JSON page
    QHash<QString, QWidget *> m_fields;
    QWidget *m_nonePage = nullptr;
    QWidget *m_jsonPage = nullptr;
    QComboBox *m_endian = nullptr;
    QLineEdit *m_order = nullptr;
    QComboBox *m_cname = nullptr;
    QSpinBox *m_clevel = nullptr;
    QComboBox *m_shuffle = nullptr;
    QSpinBox *m_typesize = nullptr;
    QSpinBox *m_blocksize = nullptr;
    QSpinBox *m_gzipLevel = nullptr;
    QSpinBox *m_zstdLevel = nullptr;
    QCheckBox *m_checksum = nullptr;
    QLineEdit *m_json = nullptr;
};

// One entry as the list shows it: "blosc: cname zstd, clevel 5, shuffle shuffle".
QString codecSummary(const QJsonValue &codec);

} // namespace cs
