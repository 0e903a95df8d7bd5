#include "runcontroller.h"

#include "profiler/resourcesampler.h"
#include "runner/arrayset.h"
#include "runner/runexecutor.h"
#include "runner/runstage.h"

#include <QCoreApplication>
#include <QDeadlineTimer>
#include <QElapsedTimer>
#include <QEvent>
#include <QSemaphore>
#include <QThread>
#include <QThreadPool>

#include <algorithm>

namespace cs {

namespace {
// The GUI thread's time for the new tasks of one refresh, snapshot and charts together: a fraction
// of the refresh interval, so that the window paints and answers between refreshes.
constexpr qint64 kRefreshBudgetNs = 12'000'000;
// Fewer new tasks than this say more about a refresh's fixed costs than about the cost per task.
constexpr int64_t kMinTasksPerRefresh = 4096;
constexpr int64_t kMaxReservedTasks = int64_t(1) << 23;
// A copy is shown live once it has run this long. A shorter one is over before a person could follow
// it, and building its live view would take the cores its workers need: it is shown when it ends.
constexpr int64_t kLiveAfterNs = 250'000'000;
// Refresh intervals: a run's start is shown smoothly; a long run's charts move by a pixel column only
// every elapsed/plot-width, so the interval grows with the run, up to what still reads as live.
constexpr int kFastestRefreshMs = 100;
constexpr int kSlowestRefreshMs = 250;
constexpr int64_t kElapsedPerRefreshMs = 10; // interval = elapsed / 10: 100 ms to 1 s, 250 ms from 2.5 s

// The longest a copy waits for the window to settle: a window held up longer (a modal dialog's own
// loop still handles events) should not hold up the copies.
constexpr int kSettleTimeoutMs = 1000;
// Handled after every event of normal priority, those posted while it waits included; handled again
// `hops` times, for what those events post in turn (a layout request's paint).
class SettleEvent : public QEvent {
public:
    SettleEvent(std::shared_ptr<QSemaphore> settled, int hops)
        : QEvent(type())
        , settled(std::move(settled))
        , hops(hops)
    {
    }
    static QEvent::Type type()
    {
        static const auto t = QEvent::Type(QEvent::registerEventType());
        return t;
    }
    std::shared_ptr<QSemaphore> settled;
    int hops;
};

// Drops the controller's reference to a run. The last one frees the run's event log, a slot per task,
// and joins its threads: a pool thread does that rather than the GUI thread.
void release(std::shared_ptr<CopyRun> &run)
{
    if (run && run.use_count() == 1)
        QThreadPool::globalInstance()->start([last = std::move(run)]() mutable { last.reset(); });
    run.reset();
}
} // namespace

RunController::RunController(QObject *parent)
    : QObject(parent)
    , m_tasksPerRefresh(8 * kMinTasksPerRefresh)
{
    m_timer.setInterval(kFastestRefreshMs);
    connect(&m_timer, &QTimer::timeout, this, &RunController::poll);
}

RunController::~RunController()
{
    if (m_thread) {
        m_cancel->store(true);
        m_thread->wait();
        delete m_thread;
    }
}

// Arrays are expensive to build (the notebook's are 1.6 GB each), so edits to runs keep them.
static bool sameArrays(const Scenario &a, const Scenario &b)
{
    if (a.filePath != b.filePath || a.arrays.size() != b.arrays.size())
        return false;
    for (qsizetype i = 0; i < a.arrays.size(); ++i)
        if (a.arrays[i].id != b.arrays[i].id || a.arrays[i].given != b.arrays[i].given)
            return false;
    return true;
}

void RunController::setScenario(const Scenario &scenario)
{
    if (!sameArrays(m_scenario, scenario))
        m_arrays.reset(); // built again, lazily, by the next batch
    m_scenario = scenario;
}

bool RunController::start(const QList<RunSpec> &runs)
{
    if (m_thread || runs.isEmpty())
        return false;
    if (!m_arrays)
        m_arrays = std::make_shared<ArraySet>(m_scenario);
    m_cancel = std::make_shared<std::atomic<bool>>(false);
    const quint64 generation = ++m_generation;
    QPointer<RunController> self(this);
    std::shared_ptr<ArraySet> arrays = m_arrays;
    std::shared_ptr<std::atomic<bool>> cancel = m_cancel;
    const QList<RunSpec> plan = executionPlan(runs, m_scenario.order);

    // Everything the thread reports goes through queued calls into this object's thread; the
    // generation drops reports of a batch that was abandoned.
    m_thread = QThread::create([self, arrays, cancel, plan, generation] {
        int liveRepeat = -1; // the repeat whose copy started last: the one the window may show live
        RunHooks hooks;
        hooks.shouldCancel = [cancel] { return cancel->load(); };
        hooks.status = [self](const QString &text) {
            QMetaObject::invokeMethod(
                self, [self, text] { emit self->statusChanged(text); }, Qt::QueuedConnection);
        };
        hooks.fillStarted = [self, generation](const QString &id, const std::shared_ptr<CopyRun> &fill) {
            QMetaObject::invokeMethod(
                self, [self, generation, id, fill] { self->onFillStarted(generation, id, fill); },
                Qt::QueuedConnection);
        };
        auto settled = std::make_shared<QSemaphore>();
        hooks.started = [self, generation, &liveRepeat, settled, cancel](const RunSpec &spec, int repeat,
                                                                         const std::shared_ptr<CopyRun> &run) {
            liveRepeat = repeat;
            settled->tryAcquire(settled->available()); // a release that came after its wait gave up
            QMetaObject::invokeMethod(
                self, [self, generation, spec, run, settled] { self->onRunStarted(generation, spec, run, settled); },
                Qt::QueuedConnection);
            const QDeadlineTimer deadline(kSettleTimeoutMs);
            while (!settled->tryAcquire(1, 20))
                if (cancel->load() || deadline.hasExpired())
                    break;
        };
        for (const RunSpec &spec : plan) {
            if (cancel->load())
                break;
            liveRepeat = -1;
            const QList<RunResult> results = executeRun(spec, *arrays, hooks);
            for (const RunResult &r : results) {
                auto shared = std::make_shared<const RunResult>(r);
                const bool live = r.repeatIndex == liveRepeat;
                // Summing a million tasks' phases would hold up the window: done here.
                Verdict verdict = live ? verdictFor(r) : Verdict();
                const LastRepeat last{r.wallSeconds,
                                      r.samples.empty() ? std::nullopt : std::optional(peaksOf(r.samples))};
                QMetaObject::invokeMethod(
                    self,
                    [self, generation, shared, live, last, verdict = std::move(verdict)] {
                        if (self->m_generation != generation)
                            return;
                        if (shared->status == RunResult::Status::Ok)
                            self->m_lastRepeat.insert(shared->name, last);
                        // The live view becomes the finished run's view, keeping the tasks it has
                        // instead of being built again from the result. A run that ended before it
                        // was shown is not shown at all.
                        if (live && self->m_live) {
                            // The last counters, whether shown live or not: the status bar ends on the
                            // copy's own time, not on whatever it read while the copy ran.
                            const bool shown = self->m_liveShown;
                            self->poll();
                            release(self->m_live);
                            if (shown)
                                emit self->liveRunFinished(shared, verdict);
                        }
                        emit self->resultReady(shared);
                    },
                    Qt::QueuedConnection);
            }
            if (!results.isEmpty() && results.last().status == RunResult::Status::Cancelled)
                break;
        }
    });
    connect(m_thread, &QThread::finished, this, [this, generation] {
        m_timer.stop();
        if (m_live)
            poll(); // the last tasks of the last run
        release(m_live);
        release(m_fill);
        m_thread->deleteLater();
        m_thread = nullptr;
        if (generation == m_generation)
            emit batchFinished();
    });
    emit batchStarted(int(runs.size()));
    m_thread->start();
    return true;
}

void RunController::cancel()
{
    if (m_cancel)
        m_cancel->store(true);
}

void RunController::abandon()
{
    cancel();
    ++m_generation;
    release(m_live);
    release(m_fill);
}

void RunController::onFillStarted(quint64 generation, const QString &arrayId, const std::shared_ptr<CopyRun> &fill)
{
    if (generation != m_generation)
        return;
    release(m_fill);
    m_fill = fill;
    m_fillId = arrayId;
    if (!m_timer.isActive()) {
        m_timer.setInterval(refreshIntervalFor(0, false)); // counters only
        m_timer.start();
    }
    poll();
}

void RunController::onRunStarted(quint64 generation, const RunSpec &spec, const std::shared_ptr<CopyRun> &run,
                                 const std::shared_ptr<QSemaphore> &settled)
{
    if (generation != m_generation) {
        settled->release();
        return;
    }
    release(m_fill); // the run's arrays are built
    release(m_live);
    m_live = run;
    m_snapshot = RunSnapshot();
    m_timer.setInterval(refreshIntervalFor(0, false)); // nothing live to show yet: counters only
    // Room for every task at once (up to a few hundred MB of address space, whose pages are touched
    // only as tasks arrive): growing by doubling would copy up to a whole run's events on the GUI
    // thread in one refresh.
    if (run->options().profile)
        m_snapshot.done.reserve(size_t(std::min(run->copyGrid().chunkCount(), kMaxReservedTasks)));
    LiveRunInfo &info = m_liveInfo;
    info = LiveRunInfo();
    info.name = spec.name;
    if (const ArraySpec *a = m_scenario.array(spec.source))
        info.sourceStore = a->store;
    if (const ArraySpec *a = m_scenario.array(spec.target))
        info.targetStore = a->store;
    info.workers = run->options().workers;
    info.lock = run->options().lock;
    info.shape = run->copyGrid().shape();
    info.chunks = run->copyGrid().chunks();
    info.profile = run->options().profile;
    if (const auto last = m_lastRepeat.constFind(spec.name); last != m_lastRepeat.cend()) {
        info.expectedSeconds = last->seconds;
        info.expectedPeaks = last->peaks;
    }
    m_liveShown = false;
    emit copyStarted(spec.name);
    if (info.expectedSeconds * 1e9 >= double(kLiveAfterNs))
        showLive();
    // The batch's first copy is polled at once, later ones at the next tick: ticks do not pile up
    // while the window is busy, so however fast copies start, the window takes at most one per tick.
    if (!m_timer.isActive()) {
        m_timer.start();
        poll();
    }
    releaseWhenSettled(settled);
}

void RunController::showLive()
{
    m_liveShown = true;
    emit statusChanged(QString());
    emit runStarted(m_liveInfo);
    m_timer.setInterval(refreshIntervalFor(m_snapshot.elapsedNs, m_viewVisible));
}

void RunController::releaseWhenSettled(const std::shared_ptr<QSemaphore> &settled)
{
    QCoreApplication::postEvent(this, new SettleEvent(settled, 2), Qt::LowEventPriority);
}

bool RunController::event(QEvent *event)
{
    if (event->type() != SettleEvent::type())
        return QObject::event(event);
    auto *settle = static_cast<SettleEvent *>(event);
    if (settle->hops > 0)
        QCoreApplication::postEvent(this, new SettleEvent(settle->settled, settle->hops - 1), Qt::LowEventPriority);
    else
        settle->settled->release();
    return true;
}

int RunController::refreshIntervalFor(int64_t elapsedNs, bool viewVisible)
{
    if (!viewVisible)
        return kSlowestRefreshMs;
    return int(std::clamp<int64_t>(elapsedNs / 1'000'000 / kElapsedPerRefreshMs, kFastestRefreshMs, kSlowestRefreshMs));
}

void RunController::setLiveViewVisible(bool visible)
{
    if (visible == m_viewVisible)
        return;
    m_viewVisible = visible;
    m_timer.setInterval(refreshIntervalFor(m_snapshot.elapsedNs, visible && m_liveShown));
    // Shown again: catch up at once rather than at the end of a slow tick.
    if (visible && m_live && m_timer.isActive())
        poll();
}

void RunController::poll()
{
    if (m_fill) {
        // A fill that ended is not shown again: what comes next (another array, the copy) has its own status.
        const RunSnapshot counters = countersOf(*m_fill);
        if (counters.finished)
            release(m_fill);
        else
            emit fillUpdated(m_fillId, counters);
    }
    if (!m_live)
        return;
    QElapsedTimer clock;
    clock.start();
    const size_t before = m_snapshot.done.size();
    // Tasks only for a view that shows them; the counters always, for the status bar.
    const bool takeTasks = m_liveShown && m_viewVisible;
    m_live->snapshot(m_snapshot, takeTasks ? m_tasksPerRefresh : 0);
    if (!m_liveShown && m_snapshot.elapsedNs >= kLiveAfterNs && !m_snapshot.finished) {
        showLive();
        if (m_viewVisible)
            m_live->snapshot(m_snapshot, m_tasksPerRefresh);
    }
    emit progressUpdated(m_snapshot);
    if (m_liveShown)
        emit liveUpdated(m_snapshot);
    int interval = refreshIntervalFor(m_snapshot.elapsedNs, m_viewVisible && m_liveShown);
    // A copy not shown yet gets a tick as it reaches a quarter second, not up to a whole interval
    // later: a copy of half a second would otherwise end before any tick found it old enough.
    if (!m_liveShown && !m_snapshot.finished && m_snapshot.elapsedNs > 0 && m_snapshot.elapsedNs < kLiveAfterNs)
        interval = std::min(interval, int((kLiveAfterNs - m_snapshot.elapsedNs) / 1'000'000) + 1);
    if (interval != m_timer.interval())
        m_timer.setInterval(interval);
    // What a task cost this time sets how many the next refresh takes.
    const auto taken = int64_t(m_snapshot.done.size() - before);
    if (taken >= kMinTasksPerRefresh)
        m_tasksPerRefresh = std::max(
            kMinTasksPerRefresh,
            int64_t(double(taken) * double(kRefreshBudgetNs) / double(std::max<qint64>(1, clock.nsecsElapsed()))));
}

} // namespace cs
