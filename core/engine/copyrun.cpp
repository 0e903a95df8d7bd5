#include "copyrun.h"

#include "array/stridedcopy.h"
#include "codecs/chunkcodec.h"
#include "profiler/eventlog.h"
#include "profiler/resourcesampler.h"
#include "profiler/threadcounters.h"
#include "stores/chunkedstore.h"
#include "task/taskcontext.h"

#include <QRunnable>
#include <QThreadPool>

#include <algorithm>
#include <csignal>
#include <cstring>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

namespace cs {

namespace {

// Workers wait here until every pool thread is up, so that thread start-up is not timed.
class StartGate {
public:
    explicit StartGate(int workers)
        : m_waiting(workers)
    {
    }
    void arriveAndWait()
    {
        std::unique_lock<std::mutex> lock(m_mutex);
        if (--m_waiting == 0)
            m_allArrived.notify_all();
        m_open.wait(lock, [this] { return m_isOpen; });
    }
    void waitForAll()
    {
        std::unique_lock<std::mutex> lock(m_mutex);
        m_allArrived.wait(lock, [this] { return m_waiting == 0; });
    }
    void open()
    {
        {
            std::lock_guard<std::mutex> lock(m_mutex);
            m_isOpen = true;
        }
        m_open.notify_all();
    }

private:
    std::mutex m_mutex;
    std::condition_variable m_allArrived;
    std::condition_variable m_open;
    int m_waiting;
    bool m_isOpen = false;
};

} // namespace

CopyRun::CopyRun(Store &source, Store &target, const CopyOptions &options)
    : m_source(source)
    , m_target(target)
    , m_options(options)
    , m_grid(source.shape(), options.chunks.rank > 0 ? options.chunks : source.chunks())
    , m_share(TaskShare::of(m_grid.chunkCount(), options.rank, options.ranks, options.distribution))
    , m_itemsize(source.dtype().itemsize())
{
    m_options.workers = std::max(1, m_options.workers);
    m_pool = std::make_unique<QThreadPool>();
    m_pool->setMaxThreadCount(m_options.workers);
    m_pool->setExpiryTimeout(-1);
    for (int w = 0; w < m_options.workers; ++w) {
        m_contexts.push_back(std::make_unique<TaskContext>());
        m_contexts.back()->worker = w;
        m_contexts.back()->ioLock = m_options.lock == LockMode::Io ? &m_runLock : nullptr;
    }
    m_events = std::make_unique<EventLog>(m_options.profile ? m_share.count : 0);
    m_requests = std::make_unique<RequestEvents>(m_options.profile ? int(m_contexts.size()) : 0);
    m_inflight = std::make_unique<InflightCounters>(m_options.workers);
    if (m_options.profile && m_options.remote)
        m_wire = std::make_unique<WireCounters>(m_options.workers);
    if (m_options.passthrough && m_grid.chunks() == (m_options.pack ? target.chunks() : source.chunks())) {
        m_passSource = dynamic_cast<ChunkedStore *>(&source);
        m_passTarget = dynamic_cast<ChunkedStore *>(&target);
        if (!m_passSource || !m_passTarget)
            m_passSource = m_passTarget = nullptr;
    }
}

CopyRun::~CopyRun()
{
    cancel();
    wait();
}

void CopyRun::start()
{
    // Size every worker's region buffer before timing, so the first tasks do not allocate it; before
    // the run counts as started, so that a failed allocation leaves nothing to wait for.
    int64_t maxChunkElements = 1;
    for (int i = 0; i < m_grid.rank(); ++i)
        maxChunkElements *= std::min(m_grid.chunks()[i], std::max<int64_t>(1, m_grid.shape()[i]));
    for (auto &ctx : m_contexts)
        ctx->scratch(Scratch::Region, size_t(maxChunkElements * m_itemsize));
    {
        std::lock_guard<std::mutex> lock(m_stateMutex);
        if (m_started)
            return;
        m_started = true;
    }

    if (m_options.prefault) {
        // First-touch faults of a fresh in-memory target happen here, outside the timed copy.
        if (char *p = m_target.contiguousMutable(Region::whole(m_target.shape())))
            std::memset(p, 0, size_t(m_target.nbytes()));
    }

    m_workersLeft = m_options.workers;
    auto gate = std::make_shared<StartGate>(m_options.workers);
    for (int w = 0; w < m_options.workers; ++w) {
        m_pool->start([this, w, gate] {
            // Opened on the worker's own thread, before the copy: the file names the thread that opens it.
            const ThreadCounters counters;
            gate->arriveAndWait();
            workerLoop(w, counters);
        });
    }
    gate->waitForAll();
    if (m_options.forkDuringCopy) {
        // The child only sleeps until it is killed: async-signal-safe calls only, as after any fork
        // of a threaded process. Its existence makes every page of this process copy-on-write.
        // It must not outlive this process when that is killed or crashes, holding a copy of its
        // memory: the kernel kills it when the forking thread ends (which outlives the copy), and
        // the parent may already be gone before that request was made, so look once afterwards.
        const pid_t parent = ::getpid();
        const pid_t child = ::fork();
        if (child == 0) {
            ::prctl(PR_SET_PDEATHSIG, SIGKILL);
            if (::getppid() != parent)
                ::_exit(0);
            // The parent's interrupt handlers would only set a flag in this copy of its memory.
            ::signal(SIGINT, SIG_DFL);
            ::signal(SIGTERM, SIG_DFL);
            for (;;)
                ::pause();
        }
        m_forkedChild = child;
    }
    m_originNs = monotonicNs();
    if (m_options.profile) {
        m_sampler = std::make_unique<ResourceSampler>(m_originNs, m_options.sampleMs, m_inflight.get());
        m_sampler->setWire(m_wire.get());
        m_sampler->start();
    }
    m_clockStarted.store(true, std::memory_order_release);
    gate->open();
}

void CopyRun::workerLoop(int worker, const ThreadCounters &counters)
{
    TaskContext &ctx = *m_contexts[size_t(worker)];
    const int64_t total = m_share.count;
    const bool profile = m_options.profile;
    // One reading per task, at its end: the previous task's end reading is this task's start.
    ThreadUsage last = profile ? counters.read() : ThreadUsage{};
    // Stores that make remote requests record them here; a key-value write has no context to pass.
    RequestLog::current() = profile ? &ctx.requests : nullptr;
    WireCounters::current() = m_wire ? m_wire->slot(worker) : nullptr;
    for (;;) {
        if (m_stop.load(std::memory_order_relaxed))
            break;
        const int64_t local = m_next.fetch_add(1, std::memory_order_relaxed);
        if (local >= total)
            break;
        const int64_t task = m_share.task(local);
        const Region region = m_grid.chunkRegion(task);
        const int64_t bytes = region.count() * m_itemsize;
        ctx.task = task;
        ctx.resetPhases();
        if (profile) {
            m_events->begin(local, worker, monotonicNs() - m_originNs);
            m_inflight->set(worker, bytes);
        }
        bool ok = true;
        bool passed = false;
        try {
            passed = copyTask(region, ctx);
        } catch (const StoreError &e) {
            fail(e.message());
            ok = false;
        } catch (const CodecError &e) {
            fail(QStringLiteral("task %1, region %2: %3").arg(task).arg(region.toString(), e.message()));
            ok = false;
        } catch (const std::bad_alloc &) {
            fail(QStringLiteral("task %1, region %2: out of memory").arg(task).arg(region.toString()));
            ok = false;
        } catch (const std::exception &e) {
            fail(
                QStringLiteral("task %1, region %2: %3").arg(task).arg(region.toString(), QString::fromUtf8(e.what())));
            ok = false;
        }
        if (profile) {
            // The counters first, then the clock. Reading them is a system call, where the scheduler
            // takes the CPU from a thread whose time slice has run out; a wait there belongs inside
            // the task whose counters hold it, not in a gap between tasks that reads as idle.
            const ThreadUsage now = counters.read();
            const int64_t endNs = monotonicNs() - m_originNs;
            m_events->end(local, endNs, ok ? bytes : 0, ctx.phaseNs, usageBetween(last, now), passed);
            // Requests name the grid's task, as events() does.
            if (ctx.requests.count() > 0 || ctx.requests.dropped() > 0)
                m_requests->add(worker, task, ctx.requests, m_originNs);
            last = now;
            m_inflight->set(worker, 0);
        }
        if (!ok)
            break;
        m_bytesDone.fetch_add(bytes, std::memory_order_relaxed);
        // Released after the bytes, so a snapshot that reads this count first never sees fewer bytes.
        m_done.fetch_add(1, std::memory_order_release);
    }
    RequestLog::current() = nullptr; // the pool's thread may next run something else
    WireCounters::current() = nullptr;
    if (m_workersLeft.fetch_sub(1) == 1)
        finish();
}

bool CopyRun::copyTask(const Region &region, TaskContext &ctx)
{
    std::mutex *wholeWriteLock = m_options.lock == LockMode::Target ? &m_runLock : nullptr;
    if (m_passTarget) {
        // One task is one chunk of both stores, or, packing, one chunk of the target, or, unpacking, one
        // chunk of the source.
        const Coords c = m_grid.chunkCoords(ctx.task);
        if (m_options.pack || m_options.passEdges || region == m_grid.fullChunkRegion(c)) {
            const PassedChunks passed = m_options.pack
                ? m_passTarget->packChunksFrom(*m_passSource, c, m_options.passEdges, ctx, wholeWriteLock)
                : m_options.unpack ? m_passSource->unpackChunkInto(*m_passTarget, c, ctx, wholeWriteLock)
                                   : m_passTarget->passChunkFrom(*m_passSource, c, ctx, wholeWriteLock);
            m_bytesPassed.fetch_add(passed.storedBytes, std::memory_order_relaxed);
            return !passed.reencoded;
        }
    }
    // A NumPy-like source hands out its memory, as dask's from_array hands out views: no read copy.
    if (const char *src = m_source.contiguous(region)) {
        TimedLock lock(ctx, wholeWriteLock);
        m_target.write(region, src, ctx);
        return false;
    }
    // Without a lock, decode straight into a NumPy-like target's memory.
    if (m_options.lock == LockMode::None) {
        if (char *dst = m_target.contiguousMutable(region)) {
            m_source.read(region, dst, ctx);
            return false;
        }
    }
    // A target that assembles its storage chunks from parts pulls the source a part at a time; under
    // lock mode "target" it holds the lock while it encodes and writes each part, not while it reads.
    if (m_target.writeStreamed(region, m_source, ctx, wholeWriteLock))
        return false;
    char *buffer = ctx.scratch(Scratch::Region, size_t(region.count() * m_itemsize));
    m_source.read(region, buffer, ctx);
    TimedLock lock(ctx, wholeWriteLock);
    m_target.write(region, buffer, ctx);
    return false;
}

void CopyRun::fail(const QString &message)
{
    {
        std::lock_guard<std::mutex> lock(m_stateMutex);
        if (m_error.isEmpty())
            m_error = message;
    }
    m_failed = true;
    m_stop = true;
}

void CopyRun::cancel()
{
    m_cancelled = true;
    m_stop = true;
}

void CopyRun::finish()
{
    m_wallNs = monotonicNs() - m_originNs;
    m_copyEnded.store(true, std::memory_order_release);
    if (m_forkedChild > 0) {
        ::kill(m_forkedChild, SIGKILL);
        ::waitpid(m_forkedChild, nullptr, 0);
        m_forkedChild = -1;
    }
    if (m_sampler)
        m_sampler->stop();
    if (!m_failed && !m_stop.load() && m_options.verify)
        verify();
    {
        std::lock_guard<std::mutex> lock(m_stateMutex);
        m_finished = true;
    }
    m_finishedCv.notify_all();
}

void CopyRun::verify()
{
    // Compares chunk by chunk over the copy grid, reading both arrays through their stores.
    TaskContext ctx;
    const ChunkGrid &g = m_grid;
    try {
        m_target.beforeVerifying();
        for (int64_t local = 0; local < m_share.count; ++local) {
            const int64_t t = m_share.task(local);
            if (m_cancelled.load(std::memory_order_relaxed))
                return;
            const Region r = g.chunkRegion(t);
            const size_t bytes = size_t(r.count() * m_itemsize);
            const char *a = m_source.contiguous(r);
            if (!a) {
                char *buf = ctx.scratch(Scratch::Region, bytes);
                m_source.read(r, buf, ctx);
                a = buf;
            }
            const char *b = m_target.contiguous(r);
            if (!b) {
                char *buf = ctx.scratch(Scratch::Compare, bytes);
                m_target.read(r, buf, ctx);
                b = buf;
            }
            const Coords shape = r.shape();
            const int64_t at = compareBox(a, shape, Coords::filled(shape.rank, 0), b, shape,
                                          Coords::filled(shape.rank, 0), shape, size_t(m_itemsize));
            if (at >= 0) {
                Coords index = r.start;
                int64_t rest = at;
                for (int i = shape.rank - 1; i >= 0; --i) {
                    index[i] += rest % shape[i];
                    rest /= shape[i];
                }
                m_verified = false;
                m_verifyMessage = QStringLiteral("target %1 differs from source %2 at index %3")
                                      .arg(m_target.id(), m_source.id(), index.toString());
                return;
            }
            m_verifyDone.store(local + 1, std::memory_order_relaxed);
        }
        m_verified = true;
    } catch (const StoreError &e) {
        m_verified = false;
        m_verifyMessage = QStringLiteral("verification could not read: ") + e.message();
    } catch (const CodecError &e) {
        m_verified = false;
        m_verifyMessage = QStringLiteral("verification could not decode: ") + e.message();
    } catch (const std::bad_alloc &) {
        // Thrown on the last worker's thread, where nothing else would catch it.
        m_verified = false;
        m_verifyMessage = QStringLiteral("verification ran out of memory");
        fail(QStringLiteral("out of memory while verifying the target"));
    } catch (const std::exception &e) {
        m_verified = false;
        m_verifyMessage = QStringLiteral("verification failed: ") + QString::fromUtf8(e.what());
    }
}

bool CopyRun::wait(int timeoutMs)
{
    std::unique_lock<std::mutex> lock(m_stateMutex);
    if (!m_started)
        return true;
    if (timeoutMs < 0) {
        m_finishedCv.wait(lock, [this] { return m_finished; });
    } else if (!m_finishedCv.wait_for(lock, std::chrono::milliseconds(timeoutMs), [this] { return m_finished; })) {
        return false;
    }
    lock.unlock();
    m_pool->waitForDone();
    return true;
}

bool CopyRun::isFinished() const
{
    std::lock_guard<std::mutex> lock(m_stateMutex);
    return m_finished;
}

QString CopyRun::error() const
{
    std::lock_guard<std::mutex> lock(m_stateMutex);
    return m_error;
}

int64_t CopyRun::bytesCopied() const
{
    return m_bytesDone.load();
}

void CopyRun::snapshot(RunSnapshot &into, int64_t maxNewTasks) const
{
    into.tasksTotal = m_share.count;
    into.finished = isFinished();
    into.tasksDone = m_done.load(std::memory_order_acquire);
    into.bytesDone = m_bytesDone.load(std::memory_order_relaxed);
    const bool clockStarted = m_clockStarted.load(std::memory_order_acquire);
    // Once the copy ended its time stays the copy's, however long verification then takes.
    into.copyEnded = m_copyEnded.load(std::memory_order_acquire);
    into.elapsedNs = into.copyEnded ? m_wallNs.load() : (clockStarted ? monotonicNs() - m_originNs : 0);
    into.verifyTotal = m_options.verify ? m_share.count : 0;
    into.verifyDone = m_verifyDone.load(std::memory_order_relaxed);
    if (m_options.profile) {
        int64_t limit = std::min(m_next.load(std::memory_order_relaxed), m_share.count);
        if (limit - into.eventCursor > maxNewTasks)
            limit = into.eventCursor + std::max<int64_t>(maxNewTasks, 0);
        const size_t known = into.done.size();
        m_events->collect(into.eventCursor, limit, into.done, into.pending);
        if (!m_share.isWhole()) {
            for (size_t i = known; i < into.done.size(); ++i)
                into.done[i].task = m_share.task(into.done[i].task);
            for (TaskEvent &e : into.pending)
                e.task = m_share.task(e.task);
        }
        if (clockStarted && m_sampler)
            m_sampler->collect(into.sampleCursor, into.samples);
    }
}

std::vector<TaskEvent> CopyRun::events() const
{
    if (!m_options.profile)
        return {};
    std::vector<TaskEvent> all = m_events->finished();
    // The log counts this process's tasks; the events name the grid's.
    if (!m_share.isWhole())
        for (TaskEvent &e : all)
            e.task = m_share.task(e.task);
    return all;
}

std::vector<TaskRequest> CopyRun::requests() const
{
    return m_requests->all();
}

int64_t CopyRun::requestsDropped() const
{
    return m_requests->dropped();
}

std::vector<ResourceSample> CopyRun::samples() const
{
    return m_sampler ? m_sampler->samples() : std::vector<ResourceSample>{};
}

double CopyRun::cpuMeanPercent() const
{
    // Weighted by each sample's interval, so the start sample (no interval) counts for nothing.
    const auto s = samples();
    double weighted = 0;
    int64_t span = 0;
    for (size_t i = 1; i < s.size(); ++i) {
        const int64_t dt = s[i].tNs - s[i - 1].tNs;
        weighted += s[i].cpuPercent * double(dt);
        span += dt;
    }
    return span > 0 ? weighted / double(span) : 0;
}

double CopyRun::samplerCpuSeconds() const
{
    return m_sampler ? double(m_sampler->ownCpuNs()) / 1e9 : 0;
}

int64_t CopyRun::peakRssBytes() const
{
    return m_sampler ? m_sampler->peakRssBytes() : 0;
}

} // namespace cs
