#include "verdict.h"

#include "runranks.h"

#include "profiler/cpusplit.h"

#include <QThread>

#include <algorithm>

namespace cs {

QString Verdict::boundKey(Bound b)
{
    switch (b) {
    case Bound::MemoryBandwidth:
        return QStringLiteral("memory_bandwidth");
    case Bound::PageFaults:
        return QStringLiteral("page_faults");
    case Bound::Lock:
        return QStringLiteral("lock");
    case Bound::Codec:
        return QStringLiteral("codec");
    case Bound::StoreLock:
        return QStringLiteral("store_lock");
    case Bound::ChunkLock:
        return QStringLiteral("chunk_lock");
    case Bound::Idle:
        return QStringLiteral("idle");
    case Bound::CpuStarved:
        return QStringLiteral("cpu_starved");
    case Bound::Blocked:
        return QStringLiteral("blocked");
    case Bound::Unknown:
        return QStringLiteral("unknown");
    }
    return {};
}

namespace {

// Splits each task's time into on CPU, waiting for a CPU and blocked (cpusplit.h), and counts a phase
// toward the codec or the memory bus only for its on-CPU part.
void addCpuAccounting(const RunResult &run, TimeBreakdown &b)
{
    if (run.events.empty())
        return;
    double cpu = 0, runq = 0, blocked = 0, codec = 0, memory = 0;
    for (const TaskEvent &e : run.events) {
        if (e.isRunning())
            continue;
        CpuSplit split;
        if (!cpuSplit(e, &split))
            return;
        const auto phase = [&](Phase p) { return double(e.phaseNs[size_t(p)]); };
        const double share = split.onCpuShare();
        cpu += double(split.onCpuNs);
        runq += double(split.runqNs);
        blocked += double(split.blockedNs);
        codec += share * (phase(Phase::Decode) + phase(Phase::Encode) + phase(Phase::ShardIndex));
        memory += share * (phase(Phase::Read) + phase(Phase::Write) + phase(Phase::ShardAssembly));
    }
    b.cpuMeasured = true;
    b.cpuSeconds = cpu / 1e9;
    b.runqSeconds = runq / 1e9;
    b.blockedSeconds = blocked / 1e9;
    b.codecOnCpuSeconds = codec / 1e9;
    b.memoryOnCpuSeconds = memory / 1e9;
    // The machine beside the process, weighted by each sample's interval.
    double other = 0, span = 0;
    for (size_t i = 1; i < run.samples.size(); ++i) {
        const ResourceSample &s = run.samples[i];
        if (s.machineCpuPercent < 0)
            continue;
        const double dt = double(s.tNs - run.samples[i - 1].tNs);
        other += std::max(0.0, s.machineCpuPercent - s.cpuPercent) * dt;
        span += dt;
    }
    if (span > 0)
        b.otherCpuPercent = other / span;
}

// "10.7 MB", "1.6 GB".
QString sizeText(double bytes)
{
    return bytes >= 1e9 ? QStringLiteral("%1 GB").arg(bytes / 1e9, 0, 'f', 1)
                        : QStringLiteral("%1 MB").arg(bytes / 1e6, 0, 'f', 1);
}

QString passthroughText(const RunResult &run)
{
    return QStringLiteral("the source and target share chunks and codecs: passing encoded chunks through would "
                          "move %1 instead of decoding %2 (\"passthrough\": \"auto\")")
        .arg(sizeText(double(run.sourceBefore.nbytesStored)), sizeText(double(run.bytes)));
}

} // namespace

TimeBreakdown breakdownOf(const RunResult &run)
{
    TimeBreakdown b;
    b.wallSeconds = run.wallSeconds;
    // An MPI job's pool is every rank's workers, whose tasks the run's events hold.
    b.workers = run.workers * (run.ranks ? std::max(1, run.ranks->count()) : 1);
    b.poolSeconds = run.wallSeconds * b.workers;
    int64_t taskNs = 0;
    int64_t phaseTotal = 0;
    for (const TaskEvent &e : run.events) {
        if (e.isRunning())
            continue;
        taskNs += e.durationNs();
        for (int p = 0; p < kPhaseCount; ++p) {
            b.phaseNs[size_t(p)] += e.phaseNs[size_t(p)];
            phaseTotal += e.phaseNs[size_t(p)];
        }
    }
    b.taskSeconds = double(taskNs) / 1e9;
    addCpuAccounting(run, b);
    b.otherSeconds = double(std::max<int64_t>(0, taskNs - phaseTotal)) / 1e9;
    b.idleSeconds = std::max(0.0, b.poolSeconds - b.taskSeconds);
    b.minorFaults = run.sampledMinorFaults();
    return b;
}

std::optional<WindowShare> windowShareOf(const RunResult &run, const TimeBreakdown &b)
{
    double weighted = 0;
    double span = 0;
    for (size_t i = 1; i < run.samples.size(); ++i) {
        if (run.samples[i].uiCpuPercent < 0)
            return std::nullopt; // headless, or the window did not watch
        const double dt = double(run.samples[i].tNs - run.samples[i - 1].tNs);
        weighted += run.samples[i].uiCpuPercent * dt;
        span += dt;
    }
    if (span <= 0)
        return std::nullopt;
    WindowShare share;
    share.uiCpuPercent = weighted / span;
    share.workers = run.workers;
    share.cores = QThread::idealThreadCount();
    share.freeCores = std::max(0.0, share.cores - std::max(0.0, b.otherCpuPercent) / 100);
    // With a core free for it, the window's drawing took nothing from a worker; below a percent of a
    // core its share is within the profiler's own noise.
    if (share.workers < share.freeCores || share.uiCpuPercent < 1)
        return std::nullopt;
    return share;
}

QString windowShareText(const WindowShare &share)
{
    // Other work on the machine counts when it took at least a tenth of a core.
    const QString cores = share.freeCores > share.cores - 0.1
        ? QStringLiteral("had all %1 cores").arg(share.cores)
        : QStringLiteral("competed for the %1 of %2 cores that other work left free")
              .arg(share.freeCores, 0, 'f', 1)
              .arg(share.cores);
    const QString workers
        = share.workers == 1 ? QStringLiteral("1 worker") : QStringLiteral("%1 workers").arg(share.workers);
    return QStringLiteral("the window took %1% of a core while %2 %3: leave one core for the window to keep it from "
                          "slowing the copy")
        .arg(share.uiCpuPercent, 0, 'f', 0)
        .arg(workers, cores);
}

Verdict verdictFor(const RunResult &run)
{
    Verdict v;
    v.breakdown = breakdownOf(run);
    const TimeBreakdown &b = v.breakdown;
    auto pct
        = [&](double seconds) -> QString { return QString::number(100 * b.share(seconds), 'f', 0) + QLatin1Char('%'); };
    for (int p = 0; p < kPhaseCount; ++p) {
        const double s = b.phaseSeconds(Phase(p));
        if (s > 0)
            v.details += QStringLiteral("%1: %2 s (%3)\n")
                             .arg(QLatin1String(phaseLabel(Phase(p))))
                             .arg(s, 0, 'f', 3)
                             .arg(pct(s));
    }
    v.details += QStringLiteral("idle: %1 s (%2)\n").arg(b.idleSeconds, 0, 'f', 3).arg(pct(b.idleSeconds));
    if (b.cpuMeasured) {
        for (const auto &[label, seconds] :
             {std::pair("on CPU", b.cpuSeconds), std::pair("waiting for a CPU", b.runqSeconds),
              std::pair("blocked", b.blockedSeconds)})
            v.details += QStringLiteral("%1: %2 s (%3)\n")
                             .arg(QLatin1String(label))
                             .arg(seconds, 0, 'f', 3)
                             .arg(pct(seconds));
    }
    // A copy that moved no bytes spent its time on bookkeeping alone: there is no bound to name, and
    // a rate of 0.0 GB/s would blame the memory bus for nothing.
    if (run.bytes <= 0) {
        v.headline = QStringLiteral("nothing was copied: no verdict");
        return v;
    }
    if (run.events.empty() || b.poolSeconds <= 0) {
        v.headline = QStringLiteral("not profiled: no verdict");
        return v;
    }

    const double lockWait = b.phaseSeconds(Phase::LockWait);
    const double storeLock = b.phaseSeconds(Phase::StoreLock);
    const double chunkLock = b.phaseSeconds(Phase::ChunkLock);
    // With the workers' CPU accounting, a phase counts only for the time its thread was on a CPU: a
    // thread that waits for one, or sleeps in the kernel, is neither encoding nor moving bytes.
    const double codec = b.cpuMeasured
        ? b.codecOnCpuSeconds
        : b.phaseSeconds(Phase::Decode) + b.phaseSeconds(Phase::Encode) + b.phaseSeconds(Phase::ShardIndex);
    const double memory = b.cpuMeasured
        ? b.memoryOnCpuSeconds
        : b.phaseSeconds(Phase::Read) + b.phaseSeconds(Phase::Write) + b.phaseSeconds(Phase::ShardAssembly);
    // The largest consumer of the pool's time decides; waiting for a lock is judged first because it
    // is time no worker spent working.
    struct Candidate {
        Verdict::Bound bound;
        double seconds;
    };
    const Candidate candidates[]
        = {{Verdict::Bound::StoreLock, storeLock},      {Verdict::Bound::Lock, lockWait},
           {Verdict::Bound::ChunkLock, chunkLock},      {Verdict::Bound::Codec, codec},
           {Verdict::Bound::MemoryBandwidth, memory},   {Verdict::Bound::CpuStarved, b.runqSeconds},
           {Verdict::Bound::Blocked, b.blockedSeconds}, {Verdict::Bound::Idle, b.idleSeconds}};
    const Candidate *top
        = std::max_element(std::begin(candidates), std::end(candidates),
                           [](const Candidate &a, const Candidate &c) { return a.seconds < c.seconds; });
    v.bound = top->bound;
    // A lock that holds workers back a third of the time decides, even when the work it guards is as
    // long: adding workers would only lengthen the queue.
    const Candidate *longestWait
        = std::max_element(std::begin(candidates), std::begin(candidates) + 3,
                           [](const Candidate &a, const Candidate &c) { return a.seconds < c.seconds; });
    if (v.bound != Verdict::Bound::StoreLock && b.share(longestWait->seconds) > 0.3)
        v.bound = longestWait->bound;
    // On HDF5's library path the codec runs inside H5Dread / H5Dwrite, under HDF5's global lock: any
    // real wait for that lock means the store serialises the copy, whatever the phases add up to.
    if (run.codecUnderStoreLock && b.share(storeLock) > 0.1)
        v.bound = Verdict::Bound::StoreLock;
    // Moving bytes that mostly land on pages the kernel must first map (a fresh target) or copy (after
    // a fork) is bound by the page faults, not by the memory bus.
    const double faultedBytes = b.minorFaults * 4096;
    if (v.bound == Verdict::Bound::MemoryBandwidth && run.bytes > 0 && faultedBytes > 0.25 * double(run.bytes))
        v.bound = Verdict::Bound::PageFaults;
    switch (v.bound) {
    case Verdict::Bound::StoreLock:
        v.headline = QStringLiteral("bound by the store's own lock: workers waited %1 of the pool's time for HDF5's "
                                    "global lock; the direct chunk path moves the codec outside it")
                         .arg(pct(storeLock));
        break;
    case Verdict::Bound::ChunkLock:
        v.headline = QStringLiteral("bound by shared storage chunks: workers waited %1 of the pool's time for another "
                                    "task's read-modify-write of a chunk both write part of; copy chunks that are "
                                    "whole storage chunks (%2) write without reading")
                         .arg(pct(chunkLock), run.target.chunks.toString());
        break;
    case Verdict::Bound::Lock:
        v.headline = QStringLiteral("bound by the lock: workers waited %1 of the pool's time for it; lock \"io\" or "
                                    "\"none\" lets them work in parallel")
                         .arg(pct(lockWait));
        // What the lock guarded: a copy that faults on every page holds the lock through the faults.
        if (b.minorFaults * 4096 > 0.25 * double(run.bytes))
            v.headline
                += QStringLiteral(", and the writes it guards take %1 minor page faults").arg(b.minorFaults, 0, 'f', 0);
        break;
    case Verdict::Bound::PageFaults:
        v.headline = QStringLiteral("bound by page faults: %1 minor faults (%2 MB of pages) while moving %3 MB; the "
                                    "kernel maps or copies a page on first write to a fresh target or after a fork; "
                                    "\"prefault\" moves first touch out of the copy")
                         .arg(b.minorFaults, 0, 'f', 0)
                         .arg(faultedBytes / 1e6, 0, 'f', 0)
                         .arg(double(run.bytes) / 1e6, 0, 'f', 0);
        break;
    case Verdict::Bound::Codec:
        v.headline = QStringLiteral("bound by the codec: decoding and encoding took %1 of the pool's time; more "
                                    "workers or a faster codec would help")
                         .arg(pct(codec));
        break;
    case Verdict::Bound::MemoryBandwidth:
        v.headline = QStringLiteral("bound by memory bandwidth: reading and writing bytes took %1 of the pool's "
                                    "time at %2 GB/s; more threads share the same memory bus")
                         .arg(pct(memory))
                         .arg(run.throughputGbps(), 0, 'f', 1);
        break;
    case Verdict::Bound::Idle:
        v.headline = QStringLiteral("mostly idle: the pool sat idle %1 of the time; the copy has too few or too "
                                    "uneven tasks for its workers")
                         .arg(pct(b.idleSeconds));
        break;
    case Verdict::Bound::CpuStarved: {
        const double inTasks = b.taskSeconds > 0 ? 100 * b.runqSeconds / b.taskSeconds : 0;
        v.headline = QStringLiteral(
                         "bound by CPU starvation (cpu_starved): workers waited %1% of their time in tasks for a CPU")
                         .arg(inTasks, 0, 'f', 0);
        if (b.otherCpuPercent >= 0)
            v.headline += QStringLiteral("; other work on the machine used %1% CPU (100% per core) meanwhile")
                              .arg(b.otherCpuPercent, 0, 'f', 0);
        v.headline += QStringLiteral("; more workers or a faster codec would not help, fewer busy threads would");
        break;
    }
    case Verdict::Bound::Blocked:
        v.headline = QStringLiteral("bound by blocking (blocked): workers were off CPU, and not waiting for one, %1 of "
                                    "the pool's time, in the kernel or in I/O")
                         .arg(pct(b.blockedSeconds));
        break;
    case Verdict::Bound::Unknown:
        break;
    }
    v.coldTarget = coldTargetOf(run);
    v.windowShare = windowShareOf(run, b);
    v.requestLatency = requestLatencyOf(run, b.poolSeconds);
    v.throttling = throttlingOf(run);
    v.partialChunkWrites = partialChunkWritesOf(run);
    QStringList facts;
    if (v.coldTarget)
        facts.append(coldTargetText(*v.coldTarget));
    if (v.windowShare)
        facts.append(windowShareText(*v.windowShare));
    if (v.requestLatency)
        facts.append(requestLatencyText(*v.requestLatency));
    if (v.throttling)
        facts.append(throttlingText(*v.throttling));
    if (v.partialChunkWrites)
        facts.append(partialChunkWritesText(run, *v.partialChunkWrites));
    if (run.passthroughPossible)
        facts.append(passthroughText(run));
    if (!facts.isEmpty())
        v.headline += (v.headline.isEmpty() ? QString() : QStringLiteral("; ")) + facts.join(QStringLiteral("; "));
    return v;
}

} // namespace cs
