#include "clusterplan.h"

#include "stores/store.h"

#include <QCryptographicHash>
#include <QFile>

namespace cs {

QString clusterRefusal(const Scenario &scenario)
{
    for (const RunSpec &run : scenario.runs) {
        const ArraySpec *target = scenario.array(run.target);
        const StoreKind *kind = target ? target->kind() : nullptr;
        if (!kind)
            continue;
        const QString why = kind->sharedWriteRefusal(target->options);
        if (!why.isEmpty())
            return QStringLiteral("run \"%1\" cannot run under MPI: its target %2 (%3): %4")
                .arg(run.name, target->id, target->store, why);
    }
    return {};
}

Scenario scenarioForFollower(Scenario scenario)
{
    for (ArraySpec &a : scenario.arrays) {
        const StoreKind *kind = a.kind();
        if (!kind || kind->location(a.options).isEmpty())
            continue;
        a.fill = FillSpec();
        a.fill.kind = FillSpec::Kind::Existing;
        a.overwrite = false;
    }
    return scenario;
}

QString chunkSharingRefusal(const RunSpec &spec, const Store &target, const Coords &copyChunks)
{
    const Coords &shape = target.shape();
    const Coords &stored = target.chunks();
    for (int i = 0; i < shape.rank && i < copyChunks.rank; ++i) {
        // A copy chunk that ends at the array's edge covers its last target chunk whole.
        if (copyChunks[i] % stored[i] != 0 && copyChunks[i] < shape[i])
            return QStringLiteral("run \"%1\" cannot share its target among MPI ranks: its copy chunks %2 do not "
                                  "cover whole chunks %3 of target %4, so two ranks would write one chunk")
                .arg(spec.name, copyChunks.toString(), stored.toString(), target.id());
    }
    return {};
}

QByteArray scenarioFingerprint(const QString &path, const QStringList &onlyRuns)
{
    QCryptographicHash hash(QCryptographicHash::Sha256);
    QFile file(path);
    if (file.open(QIODevice::ReadOnly))
        hash.addData(file.readAll());
    else
        hash.addData(QByteArray("unreadable: " + file.errorString().toUtf8()));
    // Separated by a byte no file name or run name holds, so that the runs ["a", "b"] differ from ["ab"].
    for (const QString &run : onlyRuns)
        hash.addData(QByteArray('\0' + run.toUtf8()));
    return hash.result();
}

} // namespace cs
