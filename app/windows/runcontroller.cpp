#include "runcontroller.h"

#include "runner/arrayset.h"
#include "runner/runexecutor.h"

#include <QThread>

namespace cs {

RunController::RunController(QObject *parent)
    : QObject(parent)
{
    m_timer.setInterval(40);
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

    // Everything the thread reports goes through queued calls into this object's thread; the
    // generation drops reports of a batch that was abandoned.
    m_thread = QThread::create([self, arrays, cancel, runs, generation] {
        RunHooks hooks;
        hooks.shouldCancel = [cancel] { return cancel->load(); };
        hooks.status = [self](const QString &text) {
            QMetaObject::invokeMethod(
                self, [self, text] { emit self->statusChanged(text); }, Qt::QueuedConnection);
        };
        hooks.started = [self, generation](const RunSpec &spec, int, const std::shared_ptr<CopyRun> &run) {
            QMetaObject::invokeMethod(
                self, [self, generation, spec, run] { self->onRunStarted(generation, spec, run); },
                Qt::QueuedConnection);
        };
        for (const RunSpec &spec : runs) {
            if (cancel->load())
                break;
            const QList<RunResult> results = executeRun(spec, *arrays, hooks);
            for (const RunResult &r : results) {
                auto shared = std::make_shared<const RunResult>(r);
                QMetaObject::invokeMethod(
                    self,
                    [self, generation, shared] {
                        if (self->m_generation == generation)
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
        m_live.reset();
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
    m_live.reset();
}

void RunController::onRunStarted(quint64 generation, const RunSpec &spec, const std::shared_ptr<CopyRun> &run)
{
    if (generation != m_generation)
        return;
    m_live = run;
    m_snapshot = RunSnapshot();
    LiveRunInfo info;
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
    emit statusChanged(QString());
    emit runStarted(info);
    poll();
    m_timer.start();
}

void RunController::poll()
{
    if (!m_live)
        return;
    m_live->snapshot(m_snapshot);
    emit liveUpdated(m_snapshot);
}

} // namespace cs
