#include "clusterplan.h"

#include "stores/memory/memorykind.h"
#include "stores/store.h"

#include <QCryptographicHash>

namespace cs {

namespace {

struct Partitioning {
    QHash<QString, ArrayPartition> parts; // rank and ranks left at 0 and 1
    QString refusal;
};

QString partitionText(const ArrayPartition &p)
{
    return QStringLiteral("copy chunks %1, %2").arg(p.chunks.toString(), distributionName(p.distribution));
}

// Every memory array that a run reads is held by the grid of that run's copy; the runs that read one
// array must agree on it, and a fill that copies such an array must be held by the same grid, since
// no rank holds the whole array to copy from.
Partitioning partitionMemorySources(const Scenario &scenario)
{
    Partitioning p;
    QHash<QString, QString> firstReader;
    for (const RunSpec &run : scenario.runs) {
        const ArraySpec *source = scenario.array(run.source);
        if (!source || source->kind() != &memoryKind())
            continue;
        ArrayPartition part;
        part.chunks = Coords::fromVector(run.chunks.empty() ? source->chunks : run.chunks);
        part.distribution = run.distribution;
        const auto known = p.parts.constFind(source->id);
        if (known == p.parts.constEnd()) {
            p.parts.insert(source->id, part);
            firstReader.insert(source->id, run.name);
        } else if (!(*known == part) && p.refusal.isEmpty()) {
            p.refusal = QStringLiteral("memory array %1 cannot be shared among MPI ranks: each rank holds only the "
                                       "chunks it copies, but runs \"%2\" (%3) and \"%4\" (%5) split it differently")
                            .arg(source->id, firstReader.value(source->id), partitionText(*known), run.name,
                                 partitionText(part));
        }
    }
    for (const ArraySpec &a : scenario.arrays) {
        if (a.fill.kind != FillSpec::Kind::Copy || !p.parts.contains(a.fill.copyOf) || !p.refusal.isEmpty())
            continue;
        if (!p.parts.contains(a.id) || !(p.parts.value(a.id) == p.parts.value(a.fill.copyOf)))
            p.refusal = QStringLiteral("memory array %1 cannot be shared among MPI ranks: each rank holds only the "
                                       "chunks of it that runs copy, but the fill of array %2 copies it whole")
                            .arg(a.fill.copyOf, a.id);
    }
    return p;
}

} // namespace

QHash<QString, ArrayPartition> memoryPartitions(const Scenario &scenario, int rank, int ranks)
{
    QHash<QString, ArrayPartition> parts = partitionMemorySources(scenario).parts;
    for (ArrayPartition &p : parts) {
        p.rank = rank;
        p.ranks = ranks;
    }
    return parts;
}

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
    return partitionMemorySources(scenario).refusal;
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

QByteArray scenarioFingerprint(const ScenarioBytes &file, const QStringList &onlyRuns)
{
    QCryptographicHash hash(QCryptographicHash::Sha256);
    if (file.data)
        hash.addData(*file.data);
    else
        hash.addData(QByteArray("unreadable: " + file.error.toUtf8()));
    // Separated by a byte no file name or run name holds, so that the runs ["a", "b"] differ from ["ab"].
    for (const QString &run : onlyRuns)
        hash.addData(QByteArray('\0' + run.toUtf8()));
    return hash.result();
}

} // namespace cs
