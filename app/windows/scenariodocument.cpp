#include "scenariodocument.h"

#include "charts/units.h"
#include "fielderrors.h"
#include "longtext.h"
#include "runner/filesizes.h"
#include "scenario/allocation.h"
#include "scenario/scenariodraft.h"
#include "scenario/scenarioparser.h"
#include "scenario/scenariowriter.h"

#include <QFileInfo>
#include <QJsonArray>
#include <QSet>

#include <algorithm>

namespace cs {

namespace {
// An array's id as typed, in rich text: markup shows as typed, and a long id wraps within a few lines.
QString richName(const QString &text)
{
    return shortenedText(text, 80).toHtmlEscaped();
}
} // namespace

ScenarioDocument::ScenarioDocument(QObject *parent)
    : QObject(parent)
{
    newScenario();
}

void ScenarioDocument::adopt(Scenario scenario)
{
    m_doc = std::move(scenario);
    // Every array and run keeps its keys as given, even those the parser filled in from `like`.
    for (ArraySpec &a : m_doc.arrays)
        if (a.given.isEmpty())
            a.given = arraySpecToJson(a);
    if (m_doc.givenRuns.isEmpty())
        for (const RunSpec &r : m_doc.runs)
            m_doc.givenRuns.append(runSpecToJson(r));
    m_valid = m_doc;
    m_sized = withSizesFromFiles(*m_valid);
    setEstimate(estimateAllocation(m_sized));
    m_error.clear();
    m_errorPointer.clear();
    m_errorMessage.clear();
    m_errors.clear();
    setModified(false);
    emit changed(true);
}

bool ScenarioDocument::load(const QString &path, QString *error)
{
    const std::optional<QByteArray> data = readScenarioFile(path, error);
    if (!data)
        return false;
    const QFileInfo info(path);
    if (std::optional<Scenario> s = parseScenario(*data, path, error, info.absolutePath())) {
        s->filePath = info.absoluteFilePath();
        adopt(std::move(*s));
        return true;
    }
    // A draft saved with its errors opens as that draft, its errors shown where they are.
    std::optional<Scenario> draft = parseScenarioDraft(*data);
    if (!draft)
        return false;
    draft->filePath = info.absoluteFilePath();
    m_doc = std::move(*draft);
    revalidate(true);
    setModified(false);
    return true;
}

bool ScenarioDocument::loadBytes(const QByteArray &json, const QString &label, QString *error)
{
    std::optional<Scenario> s = parseScenario(json, label, error);
    if (!s)
        return false;
    s->filePath.clear();
    adopt(std::move(*s));
    return true;
}

bool ScenarioDocument::save(const QString &path, QString *error)
{
    Scenario toSave = m_doc;
    const QString absolute = QFileInfo(path).absoluteFilePath();
    if (!saveScenarioFile(toSave, absolute, error))
        return false;
    m_doc.filePath = absolute;
    if (m_valid)
        m_valid->filePath = absolute;
    setModified(false);
    // Relative paths now resolve against the new file's directory.
    revalidate(false);
    setModified(false);
    return true;
}

void ScenarioDocument::newScenario()
{
    Scenario s;
    s.name = tr("Untitled");
    adopt(s);
}

void ScenarioDocument::setModified(bool modified)
{
    if (m_modified == modified)
        return;
    m_modified = modified;
    emit modifiedChanged(modified);
}

void ScenarioDocument::revalidate(bool structure)
{
    // The writer falls back to the resolved runs when no run is given; none given means none.
    if (m_doc.givenRuns.isEmpty())
        m_doc.runs.clear();
    QString error;
    std::optional<Scenario> s = rebuildScenario(m_doc, &error);
    if (s) {
        const QString path = m_doc.filePath;
        const QJsonArray givenRuns = m_doc.givenRuns;
        QList<ArraySpec> arrays = s->arrays;
        // Keep the keys exactly as edited: the parser may normalise what it resolves.
        for (int i = 0; i < arrays.size() && i < m_doc.arrays.size(); ++i)
            if (arrays[i].id == m_doc.arrays[i].id)
                arrays[i].given = m_doc.arrays[i].given;
        m_doc = *s;
        m_doc.arrays = arrays;
        m_doc.givenRuns = givenRuns;
        m_doc.filePath = path;
        m_valid = m_doc;
        m_sized = withSizesFromFiles(*m_valid);
        setEstimate(estimateAllocation(m_sized));
        m_error.clear();
        m_errorPointer.clear();
        m_errorMessage.clear();
        m_errors.clear();
    } else {
        m_valid.reset();
        m_sized = Scenario();
        setEstimate({});
        m_error = error;
        const FieldError first
            = splitScenarioError(error, m_doc.filePath.isEmpty() ? QStringLiteral("scenario") : m_doc.filePath);
        m_errorPointer = first.pointer;
        m_errorMessage = first.message;
        m_errors = collectFieldErrors(m_doc, first);
    }
    setModified(true);
    emit changed(structure);
}

void ScenarioDocument::setName(const QString &name)
{
    if (name == m_doc.name)
        return;
    m_doc.name = name;
    revalidate(false);
}

void ScenarioDocument::setDescription(const QString &description)
{
    if (description == m_doc.description)
        return;
    m_doc.description = description;
    revalidate(false);
}

void ScenarioDocument::setArrayGiven(const QString &id, const QJsonObject &given)
{
    for (ArraySpec &a : m_doc.arrays) {
        if (a.id == id) {
            a.given = given;
            revalidate(false);
            return;
        }
    }
}

bool ScenarioDocument::renameArray(const QString &oldId, const QString &newId, QString *error)
{
    if (m_doc.array(newId)) {
        if (error)
            *error = tr("an array \"%1\" exists already").arg(newId);
        return false;
    }
    auto renameIn = [&](QJsonObject &o, const QString &key) {
        if (o.value(key).toString() == oldId)
            o.insert(key, newId);
    };
    for (ArraySpec &a : m_doc.arrays) {
        if (a.id == oldId)
            a.id = newId;
        renameIn(a.given, QStringLiteral("like"));
        QJsonObject fill = a.given.value(QStringLiteral("fill")).toObject();
        if (fill.contains(QStringLiteral("copy"))) {
            renameIn(fill, QStringLiteral("copy"));
            a.given.insert(QStringLiteral("fill"), fill);
        }
    }
    for (qsizetype i = 0; i < m_doc.givenRuns.size(); ++i) {
        QJsonObject run = m_doc.givenRuns.at(i).toObject();
        renameIn(run, QStringLiteral("source"));
        renameIn(run, QStringLiteral("target"));
        m_doc.givenRuns.replace(i, run);
    }
    revalidate(true);
    return true;
}

QString ScenarioDocument::addArray()
{
    QString id;
    for (int n = int(m_doc.arrays.size()) + 1;; ++n) {
        id = QStringLiteral("a%1").arg(n);
        if (!m_doc.array(id))
            break;
    }
    ArraySpec a;
    a.id = id;
    a.store = QStringLiteral("memory");
    if (!m_doc.arrays.isEmpty()) {
        // Like the first array, with the keys it inherits left out: the form shows them as
        // placeholders, and choosing another "like" then takes that array's dtype, shape and chunks.
        a.given = QJsonObject{{QStringLiteral("store"), QStringLiteral("memory")},
                              {QStringLiteral("like"), m_doc.arrays.first().id},
                              {QStringLiteral("fill"), QStringLiteral("empty")}};
    } else {
        a.given = QJsonObject{{QStringLiteral("store"), QStringLiteral("memory")},
                              {QStringLiteral("dtype"), QStringLiteral("<i4")},
                              {QStringLiteral("shape"), QJsonArray{1000000}},
                              {QStringLiteral("chunks"), QJsonArray{65536}},
                              {QStringLiteral("fill"), QStringLiteral("arange")}};
    }
    m_doc.arrays.append(a);
    revalidate(true);
    return id;
}

void ScenarioDocument::removeArray(const QString &id)
{
    for (qsizetype i = 0; i < m_doc.arrays.size(); ++i) {
        if (m_doc.arrays[i].id == id) {
            m_doc.arrays.removeAt(i);
            revalidate(true);
            return;
        }
    }
}

void ScenarioDocument::setRunGiven(int index, const QJsonObject &given)
{
    if (index < 0 || index >= m_doc.givenRuns.size())
        return;
    m_doc.givenRuns.replace(index, given);
    revalidate(false);
}

int ScenarioDocument::addRun()
{
    QSet<QString> names;
    for (const QJsonValue &r : std::as_const(m_doc.givenRuns))
        names.insert(r.toObject().value(QStringLiteral("name")).toString());
    QString name;
    for (int n = int(m_doc.givenRuns.size()) + 1;; ++n) {
        name = tr("run %1").arg(n);
        if (!names.contains(name))
            break;
    }
    QJsonObject run{{QStringLiteral("name"), name}};
    run.insert(QStringLiteral("source"), m_doc.arrays.value(0).id);
    run.insert(QStringLiteral("target"), m_doc.arrays.value(1).id);
    m_doc.givenRuns.append(run);
    revalidate(true);
    return int(m_doc.givenRuns.size()) - 1;
}

void ScenarioDocument::removeRun(int index)
{
    if (index < 0 || index >= m_doc.givenRuns.size())
        return;
    m_doc.givenRuns.removeAt(index);
    revalidate(true);
}

QList<RunSpec> ScenarioDocument::expandedRuns(int givenIndex) const
{
    QList<RunSpec> out;
    if (!m_valid || givenIndex < 0 || givenIndex >= m_doc.givenRuns.size())
        return out;
    const QString name = m_doc.givenRuns.at(givenIndex).toObject().value(QStringLiteral("name")).toString();
    for (const RunSpec &r : m_valid->runs)
        if ((r.sweep && r.sweep->of == name) || (!r.sweep && r.name == name))
            out.append(r);
    return out;
}

void ScenarioDocument::setEstimate(QList<AllocationLine> lines)
{
    // Indexed by array, since a form asks on every selection, and a scenario may hold many arrays.
    m_estimate = std::move(lines);
    m_estimateTotal = totalAllocation(m_estimate);
    m_estimateLine.clear();
    m_estimateLine.reserve(m_estimate.size());
    for (qsizetype i = 0; i < m_estimate.size(); ++i)
        if (!m_estimate.at(i).scratch)
            m_estimateLine.insert(m_estimate.at(i).id, i);
}

int64_t ScenarioDocument::arrayEstimate(const QString &id, QString *detail) const
{
    if (!m_valid)
        return 0;
    const auto at = m_estimateLine.constFind(id);
    if (at == m_estimateLine.constEnd())
        return 0;
    const AllocationLine &l = m_estimate.at(*at);
    if (detail)
        *detail = l.note.isEmpty()
            ? tr("%1 holds %2 in memory.").arg(richName(id), formatMemory(l.bytes))
            : tr("%1 holds %2 in memory (%3).").arg(richName(id), formatMemory(l.bytes), richName(l.note));
    return l.bytes;
}

int64_t ScenarioDocument::runEstimate(int givenIndex, QString *detail) const
{
    const QList<RunSpec> runs = expandedRuns(givenIndex);
    if (!m_valid || runs.isEmpty())
        return 0;
    // The arrays a run builds: its source and target and whatever they are filled from.
    QSet<QString> needed;
    QStringList queue{runs.first().source, runs.first().target};
    while (!queue.isEmpty()) {
        const QString id = queue.takeFirst();
        if (needed.contains(id))
            continue;
        needed.insert(id);
        if (const ArraySpec *a = m_valid->array(id); a && a->fill.kind == FillSpec::Kind::Copy)
            queue.append(a->fill.copyOf);
    }
    QSet<QString> runNames;
    for (const RunSpec &r : runs)
        runNames.insert(r.name);
    int64_t arrays = 0;
    int64_t scratch = 0;
    QStringList parts;
    for (const AllocationLine &l : std::as_const(m_estimate))
        if (l.scratch && runNames.contains(l.id))
            scratch = std::max(scratch, l.bytes);
    // In the scenario's order, as the whole estimate lists them.
    QList<qsizetype> lineIndexes;
    for (const QString &id : std::as_const(needed))
        if (const auto at = m_estimateLine.constFind(id); at != m_estimateLine.constEnd())
            lineIndexes.append(*at);
    std::sort(lineIndexes.begin(), lineIndexes.end());
    for (const qsizetype i : std::as_const(lineIndexes)) {
        const AllocationLine &l = m_estimate.at(i);
        arrays += l.bytes;
        parts.append(QStringLiteral("%1 %2").arg(richName(l.id), formatMemory(l.bytes)));
    }
    if (detail)
        *detail = tr("Arrays %1, the run's scratch, event log and samples %2. All arrays of the scenario together: %3.")
                      .arg(parts.join(QStringLiteral(" + ")), formatMemory(scratch), formatMemory(m_estimateTotal));
    return arrays + scratch;
}

} // namespace cs
