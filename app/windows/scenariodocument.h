#pragma once

#include "fielderrors.h"
#include "scenario/allocation.h"
#include "scenario/scenario.h"

#include <QHash>
#include <QObject>

#include <optional>

namespace cs {

// The scenario being edited. Edits change the keys as the file gives them (ArraySpec::given,
// Scenario::givenRuns) and validate the whole scenario again through rebuildScenario(), so the
// window reports exactly what the command line would. The last valid scenario is what runs.
class ScenarioDocument : public QObject {
    Q_OBJECT
public:
    explicit ScenarioDocument(QObject *parent = nullptr);

    // The scenario as edited: given keys are current; resolved fields are those of the last valid build.
    const Scenario &scenario() const { return m_doc; }
    bool isValid() const { return m_valid.has_value(); }
    // The last valid scenario (nullptr while the edits do not validate... and nothing validated yet).
    const Scenario *validScenario() const { return m_valid ? &*m_valid : nullptr; }

    // The scenario's error: the line the command line prints after "error: ", its JSON pointer
    // ("/arrays/a1/shape/0", empty when the error has none) and its message alone.
    QString error() const { return m_error; }
    QString errorPointer() const { return m_errorPointer; }
    QString errorMessage() const { return m_errorMessage; }
    // Every field's error that can be found (the first is error()); empty while the scenario is valid.
    const QList<FieldError> &fieldErrors() const { return m_errors; }
    // An array of the last valid scenario with the dtype, shape and chunks its existing file gives
    // (see withSizesFromFiles); nullptr while the scenario is invalid.
    const ArraySpec *sizedArray(const QString &id) const { return m_valid ? m_sized.array(id) : nullptr; }

    QString filePath() const { return m_doc.filePath; }
    bool isModified() const { return m_modified; }

    // A file that parses as a scenario's outline but does not validate (one saved with its errors)
    // loads as an invalid draft; anything else fails and leaves the document as it was.
    bool load(const QString &path, QString *error);
    // The built-in scenario (or any bytes): not tied to a file.
    bool loadBytes(const QByteArray &json, const QString &label, QString *error);
    bool save(const QString &path, QString *error);
    void newScenario();

    void setName(const QString &name);
    void setDescription(const QString &description);
    void setArrayGiven(const QString &id, const QJsonObject &given);
    // Renames an array and every reference to it (like, fill copy, run source and target).
    bool renameArray(const QString &oldId, const QString &newId, QString *error);
    QString addArray(); // a new memory array; returns its id
    void removeArray(const QString &id);
    void setRunGiven(int index, const QJsonObject &given);
    int addRun(); // a new run between the first two arrays; returns its index
    void removeRun(int index);

    // How many runs the given run expands into, and the expanded runs of it, from the valid scenario.
    QList<RunSpec> expandedRuns(int givenIndex) const;
    // The memory estimate for an array alone or a run (its arrays, the arrays they are filled
    // from, and its scratch), in bytes, with a line of detail as rich text.
    int64_t arrayEstimate(const QString &id, QString *detail) const;
    int64_t runEstimate(int givenIndex, QString *detail) const;
    // The estimate of every array and run together, as `check` prints it (0 while invalid).
    int64_t estimateTotal() const { return m_valid ? m_estimateTotal : 0; }

signals:
    // Something changed; `structure` when arrays or runs were added, removed or renamed.
    void changed(bool structure);
    void modifiedChanged(bool modified);

private:
    void revalidate(bool structure);
    void setModified(bool modified);
    void adopt(Scenario scenario);

    Scenario m_doc;
    std::optional<Scenario> m_valid;
    // The allocation estimate of m_valid, with the sizes its existing files announce: taken once per
    // validation rather than per query, since it opens those files.
    QList<AllocationLine> m_estimate;
    QHash<QString, qsizetype> m_estimateLine; // array id -> its line in m_estimate
    int64_t m_estimateTotal = 0;
    void setEstimate(QList<AllocationLine> lines);
    QString m_error;
    QString m_errorPointer;
    QString m_errorMessage;
    QList<FieldError> m_errors;
    Scenario m_sized; // m_valid with sizes read from existing files
    bool m_modified = false;
};

} // namespace cs
