#include "runexecutor.h"

#include "array/memorysize.h"
#include "arrayset.h"
#include "codecs/chunkcodec.h"
#include "engine/copyrun.h"
#include "profiler/processstats.h"
#include "runstage.h"
#include "scenario/allocation.h"
#include "scenario/storagelocation.h"

#include <QThread>

#include <algorithm>
#include <new>

namespace cs {

namespace {

RunResult baseResult(const RunSpec &spec, int repeatIndex)
{
    RunResult r;
    r.name = spec.name;
    r.repeatIndex = repeatIndex;
    r.workers = spec.workers > 0 ? spec.workers : QThread::idealThreadCount();
    r.lock = spec.lock;
    r.profiled = spec.profile;
    r.sweep = spec.sweep;
    r.forkDuringCopy = spec.forkDuringCopy;
    r.passthrough = spec.passthrough;
    return r;
}

// A run that ended before a whole copy, failed or cancelled, with its message.
RunResult unfinishedResult(const RunSpec &spec, int repeatIndex, RunResult::Status status, const QString &message)
{
    RunResult r = baseResult(spec, repeatIndex);
    r.status = status;
    r.error = message;
    // The target was not (fully) written: never leave it looking verified-by-omission.
    if (spec.verify)
        r.verified = false;
    return r;
}

// A run that asked for "direct" fails rather than quietly timing the library path instead.
void refuseLibraryPath(const Store &store, const QString &taken, const ChunkGrid &grid)
{
    if (taken != QLatin1String("library"))
        return;
    const QString why = grid.chunks() != store.chunks()
        ? QStringLiteral("the copy's chunks %1 are not the dataset's chunks %2")
              .arg(grid.chunks().toString(), store.chunks().toString())
        : QStringLiteral("its dataset is not chunked or has a filter only HDF5 can run");
    throw StoreError(QStringLiteral("array %1: hdf5_path \"direct\" cannot be honoured: %2").arg(store.id(), why));
}

RunResult failedResult(const RunSpec &spec, int repeatIndex, const QString &error)
{
    return unfinishedResult(spec, repeatIndex, RunResult::Status::Failed, error);
}

// The run's chunks against the arrays as opened: a scenario whose arrays come from files cannot
// check their rank before the files are read.
QString checkCopyChunks(const RunSpec &spec, const Store &source)
{
    if (spec.chunks.empty())
        return {};
    const Coords chunks = Coords::fromVector(spec.chunks);
    if (int(spec.chunks.size()) != source.shape().rank)
        return QStringLiteral("chunks %1 have rank %2, but array %3 has shape %4 (rank %5)")
            .arg(chunks.toString())
            .arg(spec.chunks.size())
            .arg(source.id(), source.shape().toString())
            .arg(source.shape().rank);
    return {};
}

QString describeArray(const StoreInfo &info)
{
    return QStringLiteral("%1 (%2, shape %3, chunks %4)")
        .arg(info.id, info.location, info.shape.toString(), info.chunks.toString());
}

// What the copy will allocate, from the sizes the files announced, against the memory available now:
// refused before anything is allocated, rather than the allocation failing part-way or the system
// swapping.
QString checkRunMemory(const RunResult &r, const RunSpec &spec, const Store &source, const Store &target)
{
    const int64_t itemsize = source.dtype().itemsize();
    const int64_t largest = std::max(
        {chunkBytes(r.chunks, itemsize), chunkBytes(source.chunks(), itemsize), chunkBytes(target.chunks(), itemsize)});
    const RunMemory need = runMemory(r.workers, largest, r.tasks, spec.profile,
                                     source.scratchBytesPerWorker(false) + target.scratchBytesPerWorker(true));
    const int64_t available = HostInfo::current().availableMemoryBytes;
    if (available <= 0 || need.total() <= available)
        return {};
    return QStringLiteral("not enough memory: copying %1 into %2 in chunks %3 needs about %4 (%5) but %6 is available")
        .arg(describeArray(r.sourceBefore), describeArray(r.targetBefore), r.chunks.toString(),
             formatMemory(need.total()), need.describe(), formatMemory(available));
}

// One repeat, from opening the arrays to the result. *again is cleared when the arrays cannot be
// built or do not fit the run: every further repeat would fail the same way, so the run fails once.
RunResult executeRepeat(const RunSpec &spec, int repeat, ArraySet &arrays, const RunHooks &hooks, bool *again)
{
    const auto fails = [&](const QString &message) {
        *again = false;
        return failedResult(spec, repeat, message);
    };
    Store *source = nullptr;
    Store *target = nullptr;
    try {
        source = &arrays.get(spec.source);
        target = &arrays.get(spec.target);
    } catch (const FillCancelled &e) {
        // The user asked for it while an array was being filled: nothing failed.
        return unfinishedResult(spec, repeat, RunResult::Status::Cancelled, e.message());
    } catch (const StoreError &e) {
        return fails(e.message());
    } catch (const CodecError &e) {
        return fails(e.message());
    }
    if (source->shape() != target->shape() || source->dtype() != target->dtype()) {
        return fails(QStringLiteral("target %1 (%2 %3) does not match source %4 (%5 %6)")
                         .arg(target->id(), target->dtype().typestr(), target->shape().toString(), source->id(),
                              source->dtype().typestr(), source->shape().toString()));
    }
    if (const QString problem = checkCopyChunks(spec, *source); !problem.isEmpty())
        return fails(problem);

    RunResult r = baseResult(spec, repeat);
    CopyOptions options;
    options.chunks = spec.chunks.empty() ? source->chunks() : Coords::fromVector(spec.chunks);
    options.workers = r.workers;
    options.lock = spec.lock;
    options.profile = spec.profile;
    options.sampleMs = spec.sampleMs;
    options.verify = spec.verify;
    options.prefault = spec.prefault;
    options.forkDuringCopy = spec.forkDuringCopy;
    options.rank = spec.rank;
    options.ranks = spec.ranks;
    options.distribution = spec.distribution;
    const Scenario &scenario = arrays.scenario();
    for (const QString &id : {spec.source, spec.target})
        if (const ArraySpec *array = scenario.array(id))
            options.remote = options.remote || isRemote(*array);
    const ChunkGrid grid(source->shape(), options.chunks);

    r.sourceBefore = source->info();
    r.targetBefore = target->info();
    r.chunks = options.chunks;
    r.shape = source->shape();
    r.tasks = grid.chunkCount();
    if (const QString problem = checkRunMemory(r, spec, *source, *target); !problem.isEmpty())
        return fails(problem);
    QString path;
    try {
        QString sp;
        QString tp;
        // Each store is prepared on the chunks the copy moves it in: when a sharded array packs or unpacks
        // the other's chunks, the other's own, so that an HDF5 dataset can take its direct path.
        const auto prepare = [&](const PassthroughGrids &grids) {
            const ChunkGrid sourceGrid(source->shape(), grids.source);
            const ChunkGrid targetGrid(source->shape(), grids.target);
            sp = source->prepareCopy(sourceGrid, spec.hdf5Path);
            tp = target->prepareCopy(targetGrid, spec.hdf5Path);
            if (spec.hdf5Path == Hdf5Path::Direct) {
                refuseLibraryPath(*source, sp, sourceGrid);
                refuseLibraryPath(*target, tp, targetGrid);
            }
        };
        const PassthroughGrids copyGrids{options.chunks, options.chunks};
        const PassthroughGrids grids = spec.passthrough == PassthroughMode::Never
            ? copyGrids
            : passthroughGrids(*source, *target, options.chunks);
        prepare(grids);
        // Planned on the paths just chosen (an HDF5 dataset passes chunks only on its direct path),
        // before anything is written.
        PassthroughPlan plan = planPassthrough(*source, *target, options.chunks);
        r.passthroughPossible = spec.passthrough == PassthroughMode::Never && plan.passes();
        if (spec.passthrough != PassthroughMode::Never) {
            if (spec.passthrough == PassthroughMode::Require && (plan.refusal || !plan.edgeRefusal.isEmpty()))
                return fails(requireRefusalMessage(plan.refusal ? *plan.refusal : plan.edgeRefusal));
            if (!plan.passes() && !(grids.source == copyGrids.source && grids.target == copyGrids.target)) {
                // Nothing passes: both stores take the paths a copy that decodes takes.
                prepare(copyGrids);
                plan = planPassthrough(*source, *target, options.chunks);
            }
            options.passthrough = plan.passes();
            options.passEdges = plan.passesEdges();
            options.pack = plan.packs;
            options.unpack = plan.unpacks;
        }
        path = tp.isEmpty() ? sp : sp.isEmpty() || sp == tp ? tp : sp + QLatin1Char('/') + tp;
        r.codecUnderStoreLock = source->codecUnderStoreLock() || target->codecUnderStoreLock();
        target->beginWriting();
    } catch (const StoreError &e) {
        return failedResult(spec, repeat, e.message());
    }
    r.hdf5Path = path;

    std::shared_ptr<CopyRun> run;
    try {
        run = std::make_shared<CopyRun>(*source, *target, options);
        if (hooks.started)
            hooks.started(spec, repeat, run);
        run->start();
    } catch (const std::bad_alloc &) {
        // Nothing was copied; the target still gets its end of writing, as after any run.
        run.reset();
        try {
            target->endWriting();
        } catch (const StoreError &) {
        }
        throw;
    }
    while (!run->wait(100)) {
        if (hooks.tick)
            hooks.tick(*run);
        if (hooks.shouldCancel && hooks.shouldCancel())
            run->cancel();
    }
    if (hooks.tick)
        hooks.tick(*run);
    try {
        target->endWriting();
    } catch (const StoreError &e) {
        if (!run->failed())
            r.error = e.message();
    }

    r.wallSeconds = run->wallSeconds();
    r.originNs = run->originNs();
    r.bytes = run->bytesCopied();
    r.bytesPassedThrough = run->bytesPassedThrough();
    r.events = run->events();
    r.samples = run->samples();
    r.requests = run->requests();
    r.requestsDropped = run->requestsDropped();
    r.cpuMeanPercent = run->cpuMeanPercent();
    r.peakRssBytes = spec.profile ? run->peakRssBytes() : ProcessStats::read().rssBytes;
    r.verified = run->verified();
    r.verifyMessage = run->verifyMessage();
    if (run->failed()) {
        r.status = RunResult::Status::Failed;
        r.error = run->error();
    } else if (run->cancelled()) {
        r.status = RunResult::Status::Cancelled;
        r.error = QStringLiteral("cancelled after %1 of %2 tasks").arg(countersOf(*run).tasksDone).arg(r.tasks);
    } else if (!r.error.isEmpty()) {
        r.status = RunResult::Status::Failed;
    }
    if (r.status != RunResult::Status::Ok && spec.verify)
        r.verified = false;
    r.source = source->info();
    r.target = target->info();
    return r;
}

} // namespace

QList<RunResult> executeRun(const RunSpec &spec, ArraySet &arrays, const RunHooks &hooks)
{
    QList<RunResult> results;
    arrays.onStatus = hooks.status;
    arrays.shouldCancel = hooks.shouldCancel;
    arrays.onFillStarted = hooks.fillStarted;
    arrays.onFillTick = hooks.fillTick;
    // Untimed copies first: no events, no verification, nothing shown; a failure or a cancellation
    // ends the run as it would end a timed copy.
    for (int w = 0; w < spec.warmup; ++w) {
        RunSpec quiet = spec;
        quiet.profile = false;
        quiet.verify = false;
        RunHooks warmHooks;
        warmHooks.shouldCancel = hooks.shouldCancel;
        warmHooks.status = hooks.status;
        bool again = true;
        RunResult r;
        try {
            r = executeRepeat(quiet, 0, arrays, warmHooks, &again);
        } catch (const std::bad_alloc &) {
            r = failedResult(spec, 0, QStringLiteral("out of memory: the run could not allocate what its copy needs"));
        }
        if (r.status != RunResult::Status::Ok) {
            RunResult failed = unfinishedResult(spec, 0, r.status, QStringLiteral("warm-up copy: ") + r.error);
            results.append(std::move(failed));
            return results;
        }
    }
    for (int repeat = spec.repeatFrom; repeat < spec.repeatFrom + std::max(1, spec.repeat); ++repeat) {
        RunResult r;
        bool again = true;
        try {
            r = executeRepeat(spec, repeat, arrays, hooks, &again);
        } catch (const std::bad_alloc &) {
            // Whatever was allocated for this repeat is freed by now: the next run starts afresh.
            r = failedResult(spec, repeat,
                             QStringLiteral("out of memory: the run could not allocate what its copy needs"));
        }
        const bool cancelled = r.status == RunResult::Status::Cancelled;
        recordCopy(r, arrays.copyHistory(copyKey(r)));
        results.append(std::move(r));
        if (cancelled || !again)
            break;
    }
    return results;
}

QList<RunSpec> executionPlan(const QList<RunSpec> &runs, RunOrder order)
{
    if (order == RunOrder::Sequential)
        return runs;
    int rounds = 0;
    for (const RunSpec &r : runs)
        rounds = std::max(rounds, r.repeat);
    QList<RunSpec> plan;
    for (int round = 0; round < rounds; ++round) {
        for (const RunSpec &r : runs) {
            if (round >= std::max(1, r.repeat))
                continue;
            RunSpec one = r;
            one.repeat = 1;
            one.repeatFrom = r.repeatFrom + round;
            if (round > 0)
                one.warmup = 0; // a run warms up once, before its first timed copy
            plan.append(one);
        }
    }
    return plan;
}

void sortIntoRunOrder(QList<RunResult> &results, const QList<RunSpec> &runs)
{
    QHash<QString, qsizetype> position;
    for (qsizetype i = 0; i < runs.size(); ++i)
        position.insert(runs[i].name, i);
    std::stable_sort(results.begin(), results.end(), [&](const RunResult &a, const RunResult &b) {
        const qsizetype pa = position.value(a.name, runs.size());
        const qsizetype pb = position.value(b.name, runs.size());
        return pa != pb ? pa < pb : a.repeatIndex < b.repeatIndex;
    });
}

} // namespace cs
