#include "clusterrun.h"

#include "cluster/clusterjob.h"
#include "cluster/clusterplan.h"
#include "codecs/chunkcodec.h"
#include "engine/copyrun.h"
#include "interruptwatch.h"
#include "progressline.h"
#include "runner/arrayset.h"
#include "runner/runexecutor.h"
#include "runner/runstage.h"

#include <QHash>
#include <QThread>

#include <algorithm>

namespace cs {

namespace {

// Builds the arrays the runs use, with what they are filled from. A failure is left for the run
// that needs the array to meet again and report, as in one process.
void buildArrays(ArraySet &arrays, const Scenario &scenario)
{
    for (const RunSpec &run : scenario.runs) {
        for (const QString &id : {run.source, run.target}) {
            try {
                arrays.get(id);
            } catch (const StoreError &) {
            } catch (const CodecError &) {
            } catch (const FillCancelled &) {
            }
        }
    }
}

// The targets of the runs that this rank's stores write in a shared way, each with why it cannot be
// shared when it cannot (empty when it can). Called on rank 0 before the other ranks open the arrays.
QHash<QString, QString> shareTargets(ArraySet &arrays, const Scenario &scenario)
{
    QHash<QString, QString> shared;
    for (const RunSpec &run : scenario.runs) {
        if (shared.contains(run.target) || !arrays.isBuilt(run.target))
            continue;
        try {
            if (arrays.get(run.target).shareWriting())
                shared.insert(run.target, QString());
        } catch (const StoreError &e) {
            shared.insert(run.target, e.message());
        }
    }
    return shared;
}

// Whether the ranks meet after each run into this target, for its store to end a shared write.
bool endsSharedWrite(const Scenario &scenario, const QString &target)
{
    const ArraySpec *spec = scenario.array(target);
    const StoreKind *kind = spec ? spec->kind() : nullptr;
    return kind && !kind->location(spec->options).isEmpty();
}

// Ends a shared write of the run's target: once every rank has written, rank 0 completes the target,
// then the other ranks take up what the others wrote. A failure fails the run on the rank it met.
void endSharedTarget(ClusterJob &job, ArraySet &arrays, const RunSpec &spec, const QHash<QString, QString> &shared,
                     QList<RunResult> &results)
{
    for (const bool completing : {true, false}) {
        if (!job.barrier())
            return;
        if (job.isRoot() != completing || !shared.contains(spec.target) || !shared.value(spec.target).isEmpty())
            continue;
        Store &target = arrays.get(spec.target);
        try {
            target.endSharedWriting(completing);
        } catch (const StoreError &e) {
            for (RunResult &r : results) {
                if (r.status != RunResult::Status::Ok)
                    continue;
                r.status = RunResult::Status::Failed;
                r.error = e.message();
                if (spec.verify)
                    r.verified = false;
            }
        }
        // The target as the job left it, not as this rank's share of it.
        if (completing)
            for (RunResult &r : results)
                if (!r.target.id.isEmpty())
                    r.target = target.info();
    }
}

// Why the run's target cannot be shared among the ranks, now that its chunks are known.
QString sharingRefusal(ArraySet &arrays, const RunSpec &spec, const QHash<QString, QString> &shared)
{
    if (const QString why = shared.value(spec.target); !why.isEmpty())
        return why;
    if (!arrays.isBuilt(spec.source) || !arrays.isBuilt(spec.target))
        return {};
    const Store &source = arrays.get(spec.source);
    const Store &target = arrays.get(spec.target);
    const Coords chunks = spec.chunks.empty() ? source.chunks() : Coords::fromVector(spec.chunks);
    if (chunks.rank != target.shape().rank)
        return {};
    return chunkSharingRefusal(spec, target, chunks);
}

} // namespace

ClusterOutcome runClusterShare(ClusterJob &job, const Scenario &scenario, ProgressLine &progress)
{
    ArraySet arrays(job.isRoot() ? scenario : scenarioForFollower(scenario));
    arrays.setPartitions(memoryPartitions(scenario, job.rank(), job.ranks()));
    arrays.onStatus = [&](const QString &text) { progress.status(text); };
    const auto fillTick = [&](const QString &id, const CopyRun &run) { progress.fill(id, countersOf(run)); };
    arrays.onFillTick = fillTick;
    // The launcher ends the job with SIGTERM when a rank dies: rank 0 then stops waiting for the
    // others, and writes what it has.
    job.setGiveUp([] { return InterruptWatch::signal() != 0; });
    ClusterOutcome outcome;
    // Rank 0 writes every array's metadata (and fills) before any other rank opens the arrays.
    QHash<QString, QString> shared;
    if (job.isRoot()) {
        buildArrays(arrays, scenario);
        shared = shareTargets(arrays, scenario);
    }
    if (!job.barrier())
        return outcome;
    if (!job.isRoot()) {
        buildArrays(arrays, scenario);
        shared = shareTargets(arrays, scenario);
    }
    progress.clear();

    QHash<QPair<QString, int>, MergedRun> byRun;
    for (RunSpec spec : executionPlan(scenario.runs, scenario.order)) {
        spec.rank = job.rank();
        spec.ranks = job.ranks();
        QList<RunResult> results;
        QHash<int, int64_t> origins;
        const QString refusal = sharingRefusal(arrays, spec, shared);
        if (!refusal.isEmpty()) {
            RunResult refused;
            refused.name = spec.name;
            refused.repeatIndex = spec.repeatFrom;
            refused.status = RunResult::Status::Failed;
            refused.error = refusal;
            refused.workers = spec.workers > 0 ? spec.workers : QThread::idealThreadCount();
            refused.lock = spec.lock;
            if (spec.verify)
                refused.verified = false;
            results.append(refused);
        }
        // Every rank starts the run together, so that the ranks' copies overlap as they would on
        // a machine of their own each.
        if (!job.barrier())
            break;
        if (refusal.isEmpty()) {
            int repeat = 0;
            RunHooks hooks;
            hooks.shouldCancel = [] { return InterruptWatch::signal() != 0; };
            hooks.status = [&](const QString &text) { progress.status(text); };
            hooks.fillTick = fillTick;
            hooks.started
                = [&](const RunSpec &, int repeatIndex, const std::shared_ptr<CopyRun> &) { repeat = repeatIndex; };
            hooks.tick = [&](const CopyRun &run) {
                origins.insert(repeat, run.originNs());
                progress.progress(spec.name, countersOf(run));
            };
            results = executeRun(spec, arrays, hooks);
            progress.clear();
        }
        if (endsSharedWrite(scenario, spec.target))
            endSharedTarget(job, arrays, spec, shared, results);
        const int64_t gridTasks = results.isEmpty() ? 0 : results.first().tasks;
        const int64_t share = TaskShare::of(gridTasks, spec.rank, spec.ranks, spec.distribution).count;
        for (MergedRun &m : job.gatherRun(results, origins, share)) {
            outcome.results.append(m.result);
            byRun.insert({m.result.name, m.result.repeatIndex}, std::move(m));
        }
        if (job.lost())
            break;
    }
    sortIntoRunOrder(outcome.results, scenario.runs);
    QHash<QString, Distribution> distributionOf;
    for (const RunSpec &spec : scenario.runs)
        distributionOf.insert(spec.name, spec.distribution);
    for (const RunResult &r : outcome.results) {
        outcome.merged.append(byRun.value({r.name, r.repeatIndex}));
        outcome.distributions.append(distributionOf.value(r.name));
    }
    return outcome;
}

} // namespace cs
