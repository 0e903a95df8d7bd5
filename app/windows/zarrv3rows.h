#pragma once

#include "formfields.h"

#include <QJsonObject>
#include <QObject>

#include <vector>

class QCheckBox;
class QComboBox;
class QLineEdit;
class QWidget;

namespace cs {

class CodecListEditor;

// The array form's rows for a Zarr v3 array's own keys, which zarr.json spells: the format, the codecs
// as an ordered list, sharding (the codecs list's one sharding_indexed entry, with its inner chunk shape,
// inner codecs, index codecs and index location), the chunk key encoding, dimension names and attributes. Each edit
// gives one key's new value; a sharded array's settings all live in "codecs".
class ZarrV3Rows : public QObject {
    Q_OBJECT
public:
    ZarrV3Rows(QWidget *form, FormRows &rows);

    // The format's row, placed first among the zarr rows; then the rest, placed where they go.
    void addFormatRow();
    void addRows();
    // Shows what `given` says; `chunks` and `rank`/`itemsize` are the array's as last resolved (empty,
    // 0: unknown), for a new shard's inner chunk shape, transpose and blosc.
    void load(const QJsonObject &given, const std::vector<int64_t> &chunks, int rank, int itemsize);

    CodecListEditor *codecs() const { return m_codecs; }

signals:
    void edited(const QString &key, const QJsonValue &value);

private:
    void showCodecs();
    void setCodecs(const QJsonValue &codecs);
    void setShardConfig(const QString &key, const QJsonValue &value);
    void toggleSharding(bool on);

    QWidget *m_form;
    FormRows &m_rows;
    QJsonValue m_given; // the array's codecs as given, undefined when left out
    std::vector<int64_t> m_chunks;
    bool m_loading = false;

    QComboBox *m_format = nullptr;
    QCheckBox *m_shard = nullptr;
    QLineEdit *m_inner = nullptr;
    CodecListEditor *m_codecs = nullptr;
    QComboBox *m_indexCodecs = nullptr;
    QComboBox *m_indexLocation = nullptr;
    QComboBox *m_keyEncoding = nullptr;
    QLineEdit *m_dimensionNames = nullptr;
    QLineEdit *m_attributes = nullptr;
};

// Sets a zarr array's "zarr_format" in `given`. The keys of the format left would be errors in the
// other, so they move to `aside`; those of the format chosen come back from it.
void switchZarrFormat(QJsonObject &given, QJsonObject &aside, const QJsonValue &format);

} // namespace cs
