#include "cliscenario.h"

#include "array/memorysize.h"
#include "errorline.h"

#include "cluster/clusterplan.h"
#include "cluster/rankallocation.h"
#include "results/runresult.h"
#include "runner/filesizes.h"
#include "runner/memorycheck.h"
#include "runner/passthroughcheck.h"
#include "scenario/allocation.h"
#include "scenario/scenarioparser.h"

#include <QSet>

#include <algorithm>
#include <cstdio>

namespace cs {

namespace {

// What each array and run allocates in one process, or on rank `rank` of an MPI job of `ranks`.
QList<AllocationLine> allocationLines(const Scenario &scenario, int rank, int ranks)
{
    return ranks > 1 ? rankAllocation(scenario, rank, ranks) : estimateAllocation(withSizesFromFiles(scenario));
}

} // namespace

std::optional<Scenario> loadScenarioForCommand(const ScenarioBytes &file, const QStringList &onlyRuns, bool allowLarge,
                                               int rank, int ranks)
{
    const QString &path = file.path;
    QString error;
    std::optional<Scenario> scenario = parseScenarioBytes(file, &error);
    if (!scenario) {
        printError(error);
        return std::nullopt;
    }
    if (!onlyRuns.isEmpty()) {
        QList<RunSpec> kept;
        QSet<QString> found;
        for (const RunSpec &run : scenario->runs) {
            const QString of = run.sweep ? run.sweep->of : QString();
            if (onlyRuns.contains(run.name) || (!of.isEmpty() && onlyRuns.contains(of))) {
                kept.append(run);
                found.insert(onlyRuns.contains(run.name) ? run.name : of);
            }
        }
        for (const QString &name : onlyRuns) {
            if (!found.contains(name)) {
                printError(QStringLiteral("%1: no run named \"%2\"").arg(path, name));
                return std::nullopt;
            }
        }
        scenario->runs = kept;
    }
    const MemoryCheck memory = checkMemory(allocationLines(*scenario, rank, ranks));
    if (!allowLarge && memory.exceedsAvailable()) {
        if (ranks > 1) {
            const bool partitions = !memoryPartitions(*scenario, rank, ranks).isEmpty();
            printError(QStringLiteral("%1: rank %2 of %3 %4%5 (run `chunkscope check --ranks %3` for the details, or "
                                      "pass --allow-large to run anyway)")
                           .arg(path)
                           .arg(rank)
                           .arg(ranks)
                           .arg(memory.text(),
                                partitions ? QStringLiteral(", holding only its chunks of the memory arrays that are "
                                                            "partitions")
                                           : QString()));
        } else {
            printError(QStringLiteral("%1: the scenario %2 (run `chunkscope check` for the details, or pass "
                                      "--allow-large to run anyway)")
                           .arg(path, memory.text()));
        }
        return std::nullopt;
    }
    for (const RunSpec &run : scenario->runs) {
        if (const QString why = passthroughRefusalBeforeRun(*scenario, run); !why.isEmpty()) {
            printError(QStringLiteral("%1: run \"%2\": %3").arg(path, run.name, why));
            return std::nullopt;
        }
    }
    return scenario;
}

QString allocationReport(const Scenario &scenario, int ranks)
{
    const QList<AllocationLine> lines = allocationLines(scenario, 0, ranks);
    int idWidth = 8;
    for (const AllocationLine &line : lines)
        idWidth = std::max(idWidth, int(line.id.size()));
    QString text;
    for (const AllocationLine &line : lines) {
        text += QStringLiteral("  %1  %2  %3%4\n")
                    .arg(line.id.leftJustified(idWidth), line.store.leftJustified(6),
                         formatMemory(line.bytes).rightJustified(10),
                         line.note.isEmpty() ? QString() : QStringLiteral("  (") + line.note + QLatin1Char(')'));
    }
    const HostInfo host = HostInfo::current();
    const QString of = ranks > 1 ? QStringLiteral(" on rank 0 of %1").arg(ranks) : QString();
    text += QStringLiteral("  total %1%2 of %3 available (%4 installed)\n")
                .arg(formatMemory(totalAllocation(lines)), of, formatMemory(host.availableMemoryBytes),
                     formatMemory(host.memoryBytes));
    return text;
}

} // namespace cs
