#pragma once

#include "charts/profilepane.h"
#include "engine/copyrun.h"
#include "results/runresult.h"
#include "results/verdict.h"
#include "scenario/scenario.h"

#include <QHash>
#include <QObject>
#include <QPointer>
#include <QTimer>

#include <atomic>
#include <memory>
#include <optional>

class QSemaphore;
class QThread;

namespace cs {

class ArraySet;

// Runs a scenario's copies on a background thread, one after the other, and hands the window what
// it needs at a pace the window sets: a live snapshot pulled by a timer from the running CopyRun (the
// workers never wait for the GUI and never signal per task), and each finished result through a
// queued call. A copy is shown live only once it has run a quarter second, so that copies shorter than
// that cost the window nothing but a status line while they run. The pace adapts: 10 times a second once it is shown,
// slower as the run grows long (each pixel column of its charts then holds more time, so frequent refreshes show
// nothing new), and 4 times a second, with counters only, while no live view is in sight. A refresh takes only as many
// new tasks as the GUI thread handles in a few milliseconds (judged by the last refresh), so a copy finishing millions
// of tasks a second makes the live view lag rather than the window stall. Runs are shown live at the same pace: after
// the batch's first, a copy waits for the next tick to be shown, so a batch of copies shorter than a tick costs the
// window one live view per tick rather than one per copy. The scenario's arrays are built on first use and reused by
// later runs until the scenario changes.
//
// The window settles before each copy's clock starts: the copy waits (a second at most) until the GUI thread has
// taken in everything it was sent, the last copy's result and profile included, and has painted it. Otherwise that
// work would run beside the next copy's workers and be timed as theirs. A repeat whose run's last repeat lasted long
// enough to be shown live is shown live from its start, on a time axis as long as that repeat: its view is built
// while the window settles, not while the copy runs.
class RunController : public QObject {
    Q_OBJECT
public:
    explicit RunController(QObject *parent = nullptr);
    ~RunController() override;

    // The scenario the next batch runs on. Arrays already built are dropped when it changes, and a
    // batch still running keeps its own until it ends.
    void setScenario(const Scenario &scenario);

    // Starts the runs in order; false if a batch is still running.
    bool start(const QList<RunSpec> &runs);
    // Asks the running copy to stop; its result comes back with status "cancelled".
    void cancel();
    // Cancels and drops whatever the running batch would still report (the scenario went away).
    void abandon();
    bool isRunning() const { return m_thread != nullptr; }

    // The live run's snapshot, valid while a copy runs (and until the next one starts). Its counters
    // are the run's; its tasks may lag behind them.
    const RunSnapshot &snapshot() const { return m_snapshot; }
    // The refresh interval now, in ms.
    int refreshInterval() const { return m_timer.interval(); }
    // Whether a live view is in sight. Out of sight, refreshes take the counters (for the status bar)
    // but no tasks, and come less often; the view catches up from the snapshot when shown again. The
    // same slow pace holds before a copy is shown live.
    void setLiveViewVisible(bool visible);
    bool isLiveViewVisible() const { return m_viewVisible; }
    // The interval for a run `elapsedNs` long whose live view is or is not in sight, in ms.
    static int refreshIntervalFor(int64_t elapsedNs, bool viewVisible);

signals:
    void batchStarted(int runs);
    // A copy started (its arrays are built); its progress follows.
    void copyStarted(const QString &name);
    // A copy has been running for a moment (a quarter second): show a live view of it. Not sent for
    // a copy that ended before that, which is shown only when it ends.
    void runStarted(const cs::LiveRunInfo &info);
    // While a copy runs, at the pace described above: its counters, for a status bar. The snapshot's
    // tasks are there only once the copy is shown live.
    void progressUpdated(const cs::RunSnapshot &snapshot);
    // While an array is filled, at the slow pace: the counters of the copy that fills it.
    void fillUpdated(const QString &arrayId, const cs::RunSnapshot &counters);
    // The same, for the live view, once runStarted was sent.
    void liveUpdated(const cs::RunSnapshot &snapshot);
    // The copy shown live ended with this result, and its resultReady follows. The live view may not
    // have all its tasks yet (the rest are in the result). The verdict was computed off the GUI thread.
    void liveRunFinished(const std::shared_ptr<const cs::RunResult> &result, const cs::Verdict &verdict);
    void resultReady(const std::shared_ptr<const cs::RunResult> &result);
    // Building arrays ("filling z1 with a copy of a1"); an empty text when a copy's live view starts.
    void statusChanged(const QString &text);
    void batchFinished();

protected:
    bool event(QEvent *event) override;

private:
    void poll();
    void onRunStarted(quint64 generation, const RunSpec &spec, const std::shared_ptr<CopyRun> &run,
                      const std::shared_ptr<QSemaphore> &settled);
    void showLive();
    // Releases `settled` once the events posted so far, and those they post, have been handled.
    void releaseWhenSettled(const std::shared_ptr<QSemaphore> &settled);
    void onFillStarted(quint64 generation, const QString &arrayId, const std::shared_ptr<CopyRun> &fill);

    Scenario m_scenario;
    std::shared_ptr<ArraySet> m_arrays;
    QThread *m_thread = nullptr;
    std::shared_ptr<std::atomic<bool>> m_cancel;
    quint64 m_generation = 0;
    std::shared_ptr<CopyRun> m_live;
    std::shared_ptr<CopyRun> m_fill; // the copy filling array m_fillId, polled for its counters alone
    QString m_fillId;
    LiveRunInfo m_liveInfo;
    bool m_liveShown = false; // runStarted was sent for m_live
    int64_t m_tasksPerRefresh;
    RunSnapshot m_snapshot;
    QTimer m_timer;
    bool m_viewVisible = true;
    // Each run's last finished repeat: its length and its samples' peaks, what the next repeat's
    // live view expects.
    struct LastRepeat {
        double seconds = 0;
        std::optional<ResourceSample> peaks; // none for a repeat without samples
    };
    QHash<QString, LastRepeat> m_lastRepeat;
};

} // namespace cs
