#include "runexecutor.h"

#include "arrayset.h"
#include "codecs/chunkcodec.h"
#include "engine/copyrun.h"
#include "profiler/processstats.h"

#include <QThread>

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

RunResult failedResult(const RunSpec &spec, int repeatIndex, const QString &error)
{
    return unfinishedResult(spec, repeatIndex, RunResult::Status::Failed, error);
}

} // namespace

QList<RunResult> executeRun(const RunSpec &spec, ArraySet &arrays, const RunHooks &hooks)
{
    QList<RunResult> results;
    arrays.onStatus = hooks.status;
    arrays.shouldCancel = hooks.shouldCancel;
    arrays.onFillStarted = hooks.fillStarted;
    for (int repeat = 0; repeat < std::max(1, spec.repeat); ++repeat) {
        Store *source = nullptr;
        Store *target = nullptr;
        try {
            source = &arrays.get(spec.source);
            target = &arrays.get(spec.target);
        } catch (const FillCancelled &e) {
            // The user asked for it while an array was being filled: nothing failed.
            results.append(unfinishedResult(spec, repeat, RunResult::Status::Cancelled, e.message()));
            break;
        } catch (const StoreError &e) {
            // An array that cannot be built (a missing "existing" path) fails every repeat the same
            // way: the run fails once.
            results.append(failedResult(spec, repeat, e.message()));
            break;
        } catch (const CodecError &e) {
            results.append(failedResult(spec, repeat, e.message()));
            break;
        }
        if (source->shape() != target->shape() || source->dtype() != target->dtype()) {
            results.append(failedResult(spec, repeat,
                                        QStringLiteral("target %1 (%2 %3) does not match source %4 (%5 %6)")
                                            .arg(target->id(), target->dtype().typestr(), target->shape().toString(),
                                                 source->id(), source->dtype().typestr(), source->shape().toString())));
            break;
        }

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
        const ChunkGrid grid(source->shape(), options.chunks);

        r.sourceBefore = source->info();
        r.targetBefore = target->info();
        r.chunks = options.chunks;
        r.shape = source->shape();
        r.tasks = grid.chunkCount();
        QString path;
        try {
            const QString sp = source->prepareCopy(grid, spec.hdf5Path);
            const QString tp = target->prepareCopy(grid, spec.hdf5Path);
            path = tp.isEmpty() ? sp : sp.isEmpty() || sp == tp ? tp : sp + QLatin1Char('/') + tp;
            target->beginWriting();
        } catch (const StoreError &e) {
            results.append(failedResult(spec, repeat, e.message()));
            continue;
        }
        r.hdf5Path = path;

        auto run = std::make_shared<CopyRun>(*source, *target, options);
        if (hooks.started)
            hooks.started(spec, repeat, run);
        run->start();
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
        r.bytes = run->bytesCopied();
        r.events = run->events();
        r.samples = run->samples();
        r.cpuMeanPercent = run->cpuMeanPercent();
        r.peakRssBytes = spec.profile ? run->peakRssBytes() : ProcessStats::read().rssBytes;
        r.verified = run->verified();
        r.verifyMessage = run->verifyMessage();
        if (run->failed()) {
            r.status = RunResult::Status::Failed;
            r.error = run->error();
        } else if (run->cancelled()) {
            r.status = RunResult::Status::Cancelled;
            RunSnapshot progress;
            run->snapshot(progress);
            r.error = QStringLiteral("cancelled after %1 of %2 tasks").arg(progress.tasksDone).arg(r.tasks);
        } else if (!r.error.isEmpty()) {
            r.status = RunResult::Status::Failed;
        }
        if (r.status != RunResult::Status::Ok && spec.verify)
            r.verified = false;
        r.source = source->info();
        r.target = target->info();
        results.append(r);
        if (r.status == RunResult::Status::Cancelled)
            break;
    }
    return results;
}

} // namespace cs
