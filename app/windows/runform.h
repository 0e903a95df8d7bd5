#pragma once

#include "formfields.h"
#include "scenario/scenario.h"

#include <QHash>
#include <QJsonObject>
#include <QWidget>

class QCheckBox;
class QComboBox;
class QLabel;
class QLineEdit;
class QSpinBox;

namespace cs {

class AllocationBar;

// The form of one run as the file gives it (an entry of Scenario::givenRuns, sweeps unexpanded).
// Like ArrayForm it edits only the key of the field that changed and leaves out what is left empty.
class RunForm : public QWidget {
    Q_OBJECT
public:
    explicit RunForm(QWidget *parent = nullptr);

    // index: the run's place in givenRuns; arrays: those a run may copy between, as edited (their
    // store kinds decide which keys apply); expanded: how many runs it expands into (a sweep), for
    // the summary line.
    void setRun(int index, const QJsonObject &given, const QList<ArraySpec> &arrays, int expanded);
    int runIndex() const { return m_index; }
    const QJsonObject &given() const { return m_given; }

    FormRows &rows() { return m_rows; }
    AllocationBar *allocation() const { return m_allocation; }

signals:
    void givenEdited(int index, const QJsonObject &given);

private:
    void build();
    void apply(const QString &key, const QJsonValue &value);
    void updateApplies();
    QString storeOf(const QString &id) const; // "" when no array has that id

    int m_index = -1;
    QJsonObject m_given;
    QList<ArraySpec> m_arrays; // the arrays m_ids was taken from
    QStringList m_ids;
    bool m_loading = false;

    FormRows m_rows;
    QLabel *m_summary = nullptr;
    QLineEdit *m_name = nullptr;
    IdChoices *m_idChoices = nullptr;
    QComboBox *m_source = nullptr;
    QComboBox *m_target = nullptr;
    QLineEdit *m_chunks = nullptr;
    QLineEdit *m_workers = nullptr;
    QComboBox *m_lock = nullptr;
    QSpinBox *m_sampleMs = nullptr;
    QComboBox *m_profile = nullptr;
    QComboBox *m_verify = nullptr;
    QCheckBox *m_prefault = nullptr;
    QCheckBox *m_forkDuringCopy = nullptr;
    QCheckBox *m_leaveOneCore = nullptr;
    QComboBox *m_hdf5Path = nullptr;
    QComboBox *m_distribution = nullptr;
    QComboBox *m_passthrough = nullptr;
    QSpinBox *m_repeat = nullptr;
    QSpinBox *m_warmup = nullptr;
    AllocationBar *m_allocation = nullptr;
};

} // namespace cs
