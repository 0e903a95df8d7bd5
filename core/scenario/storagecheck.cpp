#include "storagecheck.h"

#include "io/jsoncheck.h"
#include "storagelocation.h"

#include <QDir>
#include <QFileInfo>
#include <QSet>

#include <algorithm>
#include <optional>

namespace cs {

namespace {

struct Clash {
    qsizetype blamed; // the array that would write over the other's data
    qsizetype other;
    Overlap relation; // of blamed to other
};

Overlap reversed(Overlap o)
{
    return o == Overlap::Inside ? Overlap::Contains : o == Overlap::Contains ? Overlap::Inside : o;
}

// The first clash in file order; with `only` set, the first that involves that array. Arrays in
// memory have no location and never clash, so only those on disk are compared: a scenario of many
// arrays in memory is checked in linear time.
std::optional<Clash> findClash(const Scenario &scenario, qsizetype only)
{
    if (only >= 0 && storageLocation(scenario.arrays.at(only)).isEmpty())
        return std::nullopt;
    QList<qsizetype> onDisk; // indexes into scenario.arrays
    QList<StorageLocation> locations;
    for (qsizetype k = 0; k < scenario.arrays.size(); ++k) {
        StorageLocation location = storageLocation(scenario.arrays.at(k));
        if (location.isEmpty())
            continue;
        onDisk.append(k);
        locations.append(std::move(location));
    }
    if (onDisk.size() < 2)
        return std::nullopt;
    QSet<QString> targets;
    for (const RunSpec &run : scenario.runs)
        targets.insert(run.target);
    QList<bool> written; // by the array's own fill or by a run
    for (const qsizetype k : std::as_const(onDisk)) {
        const ArraySpec &spec = scenario.arrays.at(k);
        written.append(spec.fill.kind != FillSpec::Kind::Existing || targets.contains(spec.id));
    }
    for (qsizetype j = 0; j < locations.size(); ++j) {
        for (qsizetype i = 0; i < j; ++i) {
            if (only >= 0 && onDisk.at(i) != only && onDisk.at(j) != only)
                continue;
            if (!written.at(i) && !written.at(j))
                continue;
            const Overlap o = overlap(locations.at(j), locations.at(i));
            if (o == Overlap::None)
                continue;
            // Blame the array that writes; of two that both write, the later one.
            if (written.at(j))
                return Clash{onDisk.at(j), onDisk.at(i), o};
            return Clash{onDisk.at(i), onDisk.at(j), reversed(o)};
        }
    }
    return std::nullopt;
}

// As the tail of "/arrays/dst/path: ..." or, with asSentence, of "its path P ...".
QString relationText(Overlap o, const QString &other, bool asSentence)
{
    switch (o) {
    case Overlap::Same:
        return (asSentence ? QStringLiteral("is the same location as %1") : QStringLiteral("the same location as %1"))
            .arg(other);
    case Overlap::Inside:
        return (asSentence ? QStringLiteral("lies inside the location of %1")
                           : QStringLiteral("inside the location of %1"))
            .arg(other);
    case Overlap::Contains:
        return QStringLiteral("holds the location of %1").arg(other);
    case Overlap::None:
        break;
    }
    return QString();
}

QString arrayPointer(const QString &id)
{
    return jsonPointer(QStringLiteral("/arrays"), id);
}

// Why the existing object inside an array's file may not be written, as its kind says.
std::optional<std::pair<QString, QString>> objectRefusal(const ArraySpec &spec, bool runTarget)
{
    const StoreKind *kind = spec.kind();
    return kind ? kind->objectRefusal(spec.options, spec.storeArray(), runTarget) : std::nullopt;
}

} // namespace

void checkScenarioStorage(const Scenario &scenario)
{
    if (const std::optional<Clash> clash = findClash(scenario, -1)) {
        const ArraySpec &blamed = scenario.arrays.at(clash->blamed);
        failAt(jsonPointer(arrayPointer(blamed.id), storageKey(blamed)),
               relationText(clash->relation, arrayPointer(scenario.arrays.at(clash->other).id), false));
    }
    QSet<QString> targets;
    for (const RunSpec &run : scenario.runs)
        targets.insert(run.target);
    for (const ArraySpec &spec : scenario.arrays) {
        const QString path = storagePath(spec);
        if (path.isEmpty())
            continue;
        const QString at = jsonPointer(arrayPointer(spec.id), storageKey(spec));
        if (spec.fill.kind == FillSpec::Kind::Existing) {
            if (!isRemote(spec) && !QFileInfo::exists(path))
                failAt(at, QStringLiteral("%1 does not exist").arg(path));
        } else if (const std::optional<QString> refusal = overwriteRefusal(spec)) {
            failAt(at, *refusal);
        }
        if (const auto refusal = objectRefusal(spec, targets.contains(spec.id)))
            failAt(jsonPointer(arrayPointer(spec.id), refusal->first), refusal->second);
    }
}

QString storageClash(const Scenario &scenario, const QString &id)
{
    const ArraySpec *spec = scenario.array(id);
    if (!spec)
        return QString();
    const std::optional<Clash> clash = findClash(scenario, spec - scenario.arrays.constData());
    if (!clash) {
        // The scenario may have gained a run into a virtual dataset since it was checked.
        const bool runTarget = std::any_of(scenario.runs.cbegin(), scenario.runs.cend(),
                                           [&](const RunSpec &run) { return run.target == id; });
        const auto refusal = objectRefusal(*spec, runTarget);
        return refusal ? QStringLiteral("array %1: %2").arg(id, refusal->second) : QString();
    }
    const ArraySpec &blamed = scenario.arrays.at(clash->blamed);
    const ArraySpec &other = scenario.arrays.at(clash->other);
    return QStringLiteral("array %1: its %2 %3 %4")
        .arg(blamed.id, storageKey(blamed), storagePath(blamed),
             relationText(clash->relation, QStringLiteral("array ") + other.id, true));
}

} // namespace cs
