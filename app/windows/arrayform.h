#pragma once

#include "formfields.h"
#include "scenario/scenario.h"

#include <QJsonObject>
#include <QWidget>

class QCheckBox;
class QComboBox;
class QLineEdit;
class QSpinBox;

namespace cs {

class AllocationBar;
class S3Rows;
class ZarrV3Rows;

// The form of one array of the scenario. It edits the keys the file gives for the array
// (ArraySpec::given): a field left empty leaves its key out, and shows in grey the value the array
// gets anyway (from `like` or a default). Every edit changes only its own key and is sent at once,
// so the scenario is validated again and errors appear under the field they concern.
class ArrayForm : public QWidget {
    Q_OBJECT
public:
    explicit ArrayForm(QWidget *parent = nullptr);

    // edited: the array as the document holds it; resolved: the same array of the last valid
    // scenario (nullptr when it has none), for the grey defaults; ids: every array of the scenario.
    void setArray(const ArraySpec &edited, const ArraySpec *resolved, const QStringList &ids);
    QString arrayId() const { return m_id; }
    const QJsonObject &given() const { return m_given; }

    FormRows &rows() { return m_rows; }
    AllocationBar *allocation() const { return m_allocation; }

signals:
    void givenEdited(const QString &id, const QJsonObject &given);
    void renameRequested(const QString &oldId, const QString &newId);

private:
    void build();
    void load();
    void apply(const QString &key, const QJsonValue &value);
    void applyFill();
    void applyCompressor();
    void applyCparams();
    void applyStore();
    void applyZarrFormat(const QJsonValue &format);
    void updateVisibility();
    void showExistingSizes();
    QString browse(const QString &caption, const QString &filter, bool directory);

    QString m_id;
    QJsonObject m_given;
    ArraySpec m_resolved;
    bool m_hasResolved = false;
    QStringList m_ids;
    // Keys of the Zarr format the array left, kept while it is shown, so that going back restores them.
    QJsonObject m_otherFormat;
    QJsonValue m_likeCustom; // a `like` the file gave that names no array, shown after the ids
    IdChoices *m_likeChoices = nullptr;
    bool m_loading = false;

    FormRows m_rows;
    QLineEdit *m_idEdit = nullptr;
    QComboBox *m_store = nullptr;
    QComboBox *m_like = nullptr;
    QComboBox *m_dtype = nullptr;
    QLineEdit *m_shape = nullptr;
    QLineEdit *m_chunks = nullptr;
    QComboBox *m_fill = nullptr;
    QLineEdit *m_fillArg = nullptr;
    QCheckBox *m_overwrite = nullptr;
    // zarr
    QLineEdit *m_path = nullptr;
    QComboBox *m_compressor = nullptr;
    QComboBox *m_cname = nullptr;
    QSpinBox *m_clevel = nullptr;
    QComboBox *m_shuffle = nullptr;
    QSpinBox *m_blocksize = nullptr;
    QLineEdit *m_filters = nullptr;
    QLineEdit *m_fillValue = nullptr;
    QComboBox *m_order = nullptr;
    QComboBox *m_separator = nullptr;
    ZarrV3Rows *m_v3 = nullptr;
    S3Rows *m_s3 = nullptr;
    // hdf5
    QLineEdit *m_file = nullptr;
    QLineEdit *m_dataset = nullptr;
    QComboBox *m_compression = nullptr;
    QSpinBox *m_compressionOpts = nullptr;
    QCheckBox *m_hdf5Shuffle = nullptr;
    // carray
    QLineEdit *m_chunklen = nullptr;
    QComboBox *m_cpCname = nullptr;
    QSpinBox *m_cpClevel = nullptr;
    QComboBox *m_cpShuffle = nullptr;
    QLineEdit *m_rootdir = nullptr;

    AllocationBar *m_allocation = nullptr;
};

} // namespace cs
