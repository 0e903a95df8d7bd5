#include "storagecheck.h"

#include "jsoncheck.h"
#include "storagelocation.h"
#include "stores/storefactory.h"

#include <QFileInfo>
#include <QSet>

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

// The first clash in file order; with `only` set, the first that involves that array.
std::optional<Clash> findClash(const Scenario &scenario, qsizetype only)
{
    QSet<QString> targets;
    for (const RunSpec &run : scenario.runs)
        targets.insert(run.target);
    QList<StorageLocation> locations;
    QList<bool> written; // by the array's own fill or by a run
    for (const ArraySpec &spec : scenario.arrays) {
        locations.append(storageLocation(spec));
        written.append(spec.fill.kind != FillSpec::Kind::Existing || targets.contains(spec.id));
    }
    for (qsizetype j = 0; j < locations.size(); ++j) {
        for (qsizetype i = 0; i < j; ++i) {
            if (only >= 0 && i != only && j != only)
                continue;
            if (!written[i] && !written[j])
                continue;
            const Overlap o = overlap(locations[j], locations[i]);
            if (o == Overlap::None)
                continue;
            // Blame the array that writes; of two that both write, the later one.
            if (written[j])
                return Clash{j, i, o};
            return Clash{i, j, reversed(o)};
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

} // namespace

void checkScenarioStorage(const Scenario &scenario)
{
    if (const std::optional<Clash> clash = findClash(scenario, -1)) {
        const ArraySpec &blamed = scenario.arrays.at(clash->blamed);
        failAt(jsonPointer(arrayPointer(blamed.id), storageKey(blamed)),
               relationText(clash->relation, arrayPointer(scenario.arrays.at(clash->other).id), false));
    }
    for (const ArraySpec &spec : scenario.arrays) {
        const QString path = storagePath(spec);
        if (path.isEmpty())
            continue;
        const QString at = jsonPointer(arrayPointer(spec.id), storageKey(spec));
        if (spec.fill.kind == FillSpec::Kind::Existing) {
            if (!QFileInfo::exists(path))
                failAt(at, QStringLiteral("%1 does not exist").arg(path));
        } else if (const std::optional<QString> refusal = overwriteRefusal(spec)) {
            failAt(at, *refusal);
        }
    }
}

QString storageClash(const Scenario &scenario, const QString &id)
{
    qsizetype index = -1;
    for (qsizetype i = 0; i < scenario.arrays.size(); ++i)
        if (scenario.arrays.at(i).id == id)
            index = i;
    if (index < 0)
        return QString();
    const std::optional<Clash> clash = findClash(scenario, index);
    if (!clash)
        return QString();
    const ArraySpec &blamed = scenario.arrays.at(clash->blamed);
    const ArraySpec &other = scenario.arrays.at(clash->other);
    return QStringLiteral("array %1: its %2 %3 %4")
        .arg(blamed.id, storageKey(blamed), storagePath(blamed),
             relationText(clash->relation, QStringLiteral("array ") + other.id, true));
}

} // namespace cs
