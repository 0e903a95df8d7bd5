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

// Why the run's target cannot be shared among the ranks, now that its chunks are known.
QString sharingRefusal(ArraySet &arrays, const RunSpec &spec)
{
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
    if (job.isRoot())
        buildArrays(arrays, scenario);
    if (!job.barrier())
        return outcome;
    if (!job.isRoot())
        buildArrays(arrays, scenario);
    progress.clear();

    QHash<QPair<QString, int>, MergedRun> byRun;
    for (RunSpec spec : executionPlan(scenario.runs, scenario.order)) {
        spec.rank = job.rank();
        spec.ranks = job.ranks();
        QList<RunResult> results;
        QHash<int, int64_t> origins;
        const QString refusal = sharingRefusal(arrays, spec);
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
