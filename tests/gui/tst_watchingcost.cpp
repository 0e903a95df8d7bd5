// What watching a run costs the window: the Gantt chart keeps its bars in an image and adds only the
// new ones, pixel for pixel what a full repaint gives; a live view out of sight takes no snapshot
// work and paints nothing until it is shown; the live time axis moves rarely; the refresh interval
// follows the run's length and the view's visibility.
#include "charts/ganttchart.h"
#include "charts/profilepane.h"
#include "charts/profileview.h"
#include "charts/resourcechart.h"
#include "charts/timeaxis.h"
#include "cli/commandline.h"
#include "engine/copyrun.h"
#include "profiler/observerthread.h"
#include "profiler/phase.h"
#include "profiler/threadcounters.h"
#include "windows/mainwindow.h"
#include "windows/runcontroller.h"
#include "windows/scalingpanel.h"
#include "windows/windowautomation.h"

#include <QLineSeries>
#include <QPainter>
#include <QSemaphore>
#include <QSignalSpy>
#include <QTabWidget>
#include <QTemporaryDir>
#include <QThread>
#include <QThreadPool>
#include <QValueAxis>
#include <QtTest>

#include "testfiles.h"
#include "tinyscenario.h"
#include "windowtests.h"

#include <atomic>
#include <memory>
#include <random>

using namespace cs;

namespace {

constexpr int64_t kMs = 1000000;

QImage render(GanttChart &chart, bool cached)
{
    QImage image(chart.size(), QImage::Format_ARGB32_Premultiplied);
    image.fill(Qt::white);
    QPainter p(&image);
    if (cached)
        chart.paintCached(p);
    else
        chart.paint(p);
    return image;
}

// Tasks of three workers as a copy finishes them: runs of tasks far narrower than a pixel column
// (folded), bars a few columns wide, and long ones, with and without gaps, in finishing order.
std::vector<TaskEvent> mixedTasks(int count, unsigned seed)
{
    std::mt19937 rng(seed);
    std::vector<TaskEvent> events;
    int64_t now[3] = {0, 0, 0};
    for (int k = 0; k < count; ++k) {
        const int w = int(rng() % 3);
        const int kind = int(rng() % 10);
        const int64_t length = kind < 6 ? int64_t(20'000 + rng() % 400'000) // sub-pixel
            : kind < 9                  ? int64_t(2 * kMs + rng() % (4 * kMs))
                                        : int64_t(10 * kMs + rng() % (30 * kMs));
        const int64_t gap = rng() % 3 == 0 ? int64_t(rng() % (2 * kMs)) : 0;
        TaskEvent e;
        e.task = k;
        e.worker = w;
        e.startNs = now[w] + gap;
        e.endNs = e.startNs + length;
        e.phaseNs[size_t(Phase::Read)] = length * int64_t(rng() % 60) / 100;
        e.phaseNs[size_t(Phase::Write)] = (length - e.phaseNs[size_t(Phase::Read)]) * int64_t(rng() % 100) / 100;
        now[w] = e.endNs;
        events.push_back(e);
    }
    return events;
}

RunSnapshot snapshotOf(const std::vector<TaskEvent> &events, size_t done, size_t samples)
{
    RunSnapshot s;
    s.tasksTotal = int64_t(events.size());
    s.tasksDone = int64_t(done);
    s.done.assign(events.begin(), events.begin() + ptrdiff_t(done));
    for (size_t i = 0; i < samples; ++i) {
        ResourceSample r;
        r.tNs = int64_t(i) * 10 * kMs;
        r.cpuPercent = 150;
        r.uiCpuPercent = 3;
        s.samples.push_back(r);
    }
    s.elapsedNs = done ? s.done.back().endNs : 0;
    return s;
}

// A view of 1000 × 700 on screen, showing a live run of 3 workers expected to last `expectedSeconds`.
bool showLive(ProfileView &view, double expectedSeconds)
{
    view.resize(1000, 700);
    view.show();
    if (!QTest::qWaitForWindowExposed(&view))
        return false;
    LiveRunInfo info;
    info.name = QStringLiteral("live");
    info.workers = 3;
    info.expectedSeconds = expectedSeconds;
    view.beginLive(info);
    return true;
}

// Spins on a thread of `pool` until that thread has used `cpuNs` of CPU; returns the CPU it used. It
// waits for the task, not for the pool: QThreadPool::waitForDone ends the pool's threads.
int64_t spinOn(QThreadPool *pool, int64_t cpuNs)
{
    auto used = std::make_shared<std::atomic<int64_t>>(0);
    auto done = std::make_shared<QSemaphore>();
    pool->start([used, done, cpuNs] {
        const int64_t start = ThreadCounters::cpuNsNow();
        int64_t now = start;
        while (now - start < cpuNs)
            now = ThreadCounters::cpuNsNow();
        used->store(now - start);
        done->release();
    });
    done->acquire();
    return used->load();
}

} // namespace

class TestWatchingCost : public QObject {
    Q_OBJECT

private slots:
    void cachedBarsMatchAFullRepaint_data()
    {
        QTest::addColumn<unsigned>("seed");
        QTest::addColumn<double>("seconds"); // the axis's span: how many tasks share a pixel column
        QTest::newRow("folded runs and wide bars") << 1u << 2.0;
        QTest::newRow("mostly wide bars") << 2u << 0.25;
        QTest::newRow("mostly folded") << 3u << 20.0;
    }
    void cachedBarsMatchAFullRepaint()
    {
        QFETCH(unsigned, seed);
        QFETCH(double, seconds);
        TimeAxis axis;
        axis.setPlotGeometry(TimeAxis::kLeftMargin, 700);
        axis.setDataEnd(seconds);
        GanttChart chart(&axis);
        chart.resize(700 + TimeAxis::kLeftMargin + TimeAxis::kRightMargin, 160);
        chart.data().setWorkers(3);
        const std::vector<TaskEvent> events = mixedTasks(3000, seed);
        std::mt19937 rng(seed);
        size_t added = 0;
        int batches = 0;
        while (added < events.size()) {
            const size_t n = std::min(events.size() - added, size_t(1 + rng() % 60));
            chart.data().append(events.data() + added, n);
            added += n;
            const QImage cached = render(chart, true);
            const int64_t drawnCached = chart.barsDrawnLastPaint();
            const QImage full = render(chart, false);
            const int64_t drawnFull = chart.barsDrawnLastPaint();
            if (cached != full) {
                for (int y = 0; y < full.height(); ++y)
                    for (int x = 0; x < full.width(); ++x)
                        if (cached.pixel(x, y) != full.pixel(x, y))
                            QFAIL(qPrintable(
                                QStringLiteral("after %1 tasks: pixel (%2, %3) is %4 drawn from the image "
                                               "of bars, %5 in a full repaint")
                                    .arg(added)
                                    .arg(x)
                                    .arg(y)
                                    .arg(QColor(cached.pixel(x, y)).name(), QColor(full.pixel(x, y)).name())));
            }
            // After the first paint, a refresh draws the new tasks and at most the last two groups of
            // each row again, not every bar in view.
            if (++batches > 1)
                QVERIFY2(drawnCached <= int64_t(n) + 2 * 3,
                         qPrintable(QStringLiteral("%1 groups drawn for %2 new tasks (a full repaint draws %3)")
                                        .arg(drawnCached)
                                        .arg(n)
                                        .arg(drawnFull)));
        }
        QVERIFY(chart.barsDrawnLastPaint() > 100); // the full repaint: the bars were really in view
        // A new time scale draws everything again, and still matches.
        axis.zoomAt(TimeAxis::kLeftMargin + 200, 3);
        QCOMPARE(render(chart, true), render(chart, false));
    }

    void aHiddenLiveViewDoesNoWorkUntilShown()
    {
        ProfileView view;
        QVERIFY(showLive(view, 0));
        GanttChart *gantt = view.pane(0)->gantt();
        ResourceChart *cpu = view.pane(0)->resources();
        QApplication::processEvents();
        const QString title = view.pane(0)->titleText();

        view.hide();
        const int64_t paints = gantt->paintCount();
        const std::vector<TaskEvent> events = mixedTasks(400, 4);
        RunSnapshot s;
        for (size_t done = 100; done <= 400; done += 100) {
            s = snapshotOf(events, done, done / 10);
            view.updateLive(s);
            QApplication::processEvents();
        }
        QCOMPARE(gantt->data().barCount(), int64_t(0));
        QCOMPARE(cpu->samples().size(), size_t(0));
        QCOMPARE(view.pane(0)->titleText(), title);
        QCOMPARE(gantt->paintCount(), paints);

        // Shown again, it catches up from the last snapshot at once.
        view.show();
        QCOMPARE(gantt->data().barCount(), int64_t(400));
        QCOMPARE(cpu->samples().size(), size_t(40));
        QVERIFY(view.pane(0)->titleText().contains(QStringLiteral("running: 400 of 400 tasks")));
        QTRY_VERIFY(gantt->paintCount() > paints);
    }

    // A live refresh that adds bars repaints the rows, not the legend above them; one that changes
    // the legend's entries (the first running task brings "running") repaints it too.
    void aLiveRefreshLeavesTheLegendAlone()
    {
        ProfileView view;
        QVERIFY(showLive(view, 100)); // the time axis stays put: no full repaint for a new horizon
        GanttChart *gantt = view.pane(0)->gantt();
        const std::vector<TaskEvent> events = mixedTasks(400, 4);
        view.updateLive(snapshotOf(events, 100, 10));
        QTRY_VERIFY(gantt->paintCount() > 0);
        QApplication::processEvents();
        const int64_t legends = gantt->legendPaintCount();
        QVERIFY(legends > 0);
        for (size_t done = 200; done <= 400; done += 100) {
            const int64_t paints = gantt->paintCount();
            view.updateLive(snapshotOf(events, done, done / 10));
            QTRY_VERIFY(gantt->paintCount() > paints);
        }
        QCOMPARE(gantt->data().barCount(), int64_t(400));
        QCOMPARE(gantt->legendPaintCount(), legends);
        // Shown whole (a resize, an exposure), it draws the legend again.
        gantt->update();
        QTRY_COMPARE(gantt->legendPaintCount(), legends + 1);
    }

    // `--run-all --tab scaling`: the batch runs with the Scaling tab in view, so the live profile takes
    // the run's counters only, never its tasks, and paints nothing until it is shown.
    void automationCanKeepTheLiveProfileHidden()
    {
        QTemporaryDir dir;
        QFile f(dir.filePath(QStringLiteral("slow.json")));
        QVERIFY(f.open(QIODevice::WriteOnly));
        // zlib at level 9 on one worker: long enough (a second or more in a debug build) to be shown live.
        f.write(R"({"chunkscope": 1, "name": "hidden",
            "arrays": {"a1": {"store": "memory", "dtype": "<i4", "shape": [6000000], "chunks": [250000],
                              "fill": {"random": {"seed": 3}}},
                       "a2": {"store": "zarr", "like": "a1", "fill": "empty",
                              "compressor": {"id": "zlib", "level": 9}}},
            "runs": [{"name": "copy", "source": "a1", "target": "a2", "workers": 1}]})");
        f.close();
        MainWindow w;
        w.resize(1200, 800);
        w.show();
        QVERIFY(QTest::qWaitForWindowExposed(&w));
        QString error;
        QVERIFY2(w.openScenario(f.fileName(), &error), qPrintable(error));
        CommandLine cl;
        cl.command = CommandLine::Command::Gui;
        cl.runAll = true;
        cl.liveProfileHidden = true;
        QSignalSpy finished(&w, &MainWindow::runsFinished);
        QSignalSpy started(w.controller(), &RunController::runStarted);
        int64_t tasksSeen = 0;
        int64_t counted = 0;
        connect(w.controller(), &RunController::liveUpdated, this, [&](const RunSnapshot &s) {
            tasksSeen += int64_t(s.done.size());
            counted = std::max(counted, s.tasksDone);
        });
        automateWindow(&w, cl);
        QVERIFY(finished.wait(120000));
        QCOMPARE(w.tabs()->currentWidget(), static_cast<QWidget *>(w.scalingPanel()));
        QVERIFY(!w.controller()->isLiveViewVisible());
        QCOMPARE(started.size(), 1); // shown live, out of sight
        QVERIFY(counted > 0); // the counters came,
        QCOMPARE(tasksSeen, int64_t(0)); // the tasks did not
    }

    // What the window does as a copy starts (the last copy's result, a live view built) happens before
    // the copy's clock starts, not beside its workers: a GUI thread held up 200 ms at each start holds
    // up the copy, whose clock starts after that.
    void aCopyStartsOnceTheWindowHasSettled()
    {
        QTemporaryDir dir;
        QByteArray json = kTinyScenario;
        json.replace(R"("workers": 1})", R"("workers": 1, "repeat": 3})");
        MainWindow w;
        w.show();
        QVERIFY(QTest::qWaitForWindowExposed(&w));
        QList<int64_t> settledAt;
        QList<int64_t> origins;
        connect(w.controller(), &RunController::copyStarted, this, [&] {
            QThread::msleep(200);
            settledAt.append(monotonicNs());
        });
        connect(w.controller(), &RunController::resultReady, this,
                [&](const std::shared_ptr<const RunResult> &r) { origins.append(r->originNs); });
        QVERIFY(openAndRunAll(w, writeFileIn(dir, QStringLiteral("repeats.json"), json), 60000));
        QCOMPARE(origins.size(), 3);
        QCOMPARE(settledAt.size(), 3);
        for (int i = 0; i < 3; ++i)
            QVERIFY2(origins[i] > settledAt[i],
                     qPrintable(QStringLiteral("copy %1 started %2 ms before the window settled")
                                    .arg(i)
                                    .arg(double(settledAt[i] - origins[i]) / 1e6)));
    }

    // A repeat whose run's last repeat was shown live is shown live from its start, built before its
    // clock starts, on a time axis as long as that repeat.
    void aRepeatIsShownLiveBeforeItsClockStarts()
    {
        QTemporaryDir dir;
        // zlib at level 9 on one worker: long enough (a second or more in a debug build) to be shown live.
        const QByteArray json = R"({"chunkscope": 1, "name": "repeats",
            "arrays": {"a1": {"store": "memory", "dtype": "<i4", "shape": [6000000], "chunks": [250000],
                              "fill": {"random": {"seed": 3}}},
                       "a2": {"store": "zarr", "like": "a1", "fill": "empty",
                              "compressor": {"id": "zlib", "level": 9}}},
            "runs": [{"name": "copy", "source": "a1", "target": "a2", "workers": 1, "repeat": 2}]})";
        MainWindow w;
        w.resize(1200, 800);
        w.show();
        QVERIFY(QTest::qWaitForWindowExposed(&w));
        QList<LiveRunInfo> shown;
        QList<int64_t> shownAt;
        QList<double> axisEnds;
        QList<std::shared_ptr<const RunResult>> results;
        connect(w.controller(), &RunController::runStarted, this, [&](const LiveRunInfo &info) {
            shown.append(info);
            shownAt.append(monotonicNs());
            axisEnds.append(w.profileView()->axis()->dataEnd()); // the window's own slot came first
        });
        connect(w.controller(), &RunController::resultReady, this,
                [&](const std::shared_ptr<const RunResult> &r) { results.append(r); });
        QVERIFY(openAndRunAll(w, writeFileIn(dir, QStringLiteral("repeats.json"), json), 120000));
        QCOMPARE(results.size(), 2);
        QCOMPARE(shown.size(), 2);
        // The first, of unknown length, is shown a quarter second in; the second before it starts.
        QCOMPARE(shown[0].expectedSeconds, 0.0);
        QVERIFY(shownAt[0] > results[0]->originNs + 200'000'000);
        QCOMPARE(shown[1].expectedSeconds, results[0]->wallSeconds);
        QVERIFY(shownAt[1] < results[1]->originNs);
        QCOMPARE(axisEnds[0], 0.5); // the first live axis, before any copy's length was known
        QCOMPARE(axisEnds[1], 1.1 * results[0]->wallSeconds);
        // The second's value axes start at the first's peaks; the first had nothing to expect.
        QVERIFY(!shown[0].expectedPeaks);
        QVERIFY(shown[1].expectedPeaks);
        int64_t rssPeak = 0;
        for (const ResourceSample &s : results[0]->samples)
            rssPeak = std::max(rssPeak, s.rssBytes);
        QVERIFY(rssPeak > 0);
        QCOMPARE(shown[1].expectedPeaks->rssBytes, rssPeak);
    }

    void liveAxesStartAtTheLastRepeatsPeaks()
    {
        TimeAxis axis;
        ResourceChart chart(&axis, ResourceChart::Kind::CpuMemory);
        QValueAxis *cpu = nullptr;
        QValueAxis *memory = nullptr;
        for (QAbstractAxis *a : chart.chart()->axes(Qt::Vertical))
            (a->alignment() == Qt::AlignRight ? memory : cpu) = qobject_cast<QValueAxis *>(a);
        QVERIFY(cpu && memory);
        chart.reset(200); // two workers
        ResourceSample peaks;
        peaks.cpuPercent = 190;
        peaks.machineCpuPercent = 200;
        peaks.rssBytes = int64_t(3) << 30;
        peaks.uiCpuPercent = 12; // the window watched it
        QLineSeries *window = chart.series().at(ResourceChart::kWindowSeries);
        QVERIFY(!window->isVisible());
        chart.expectPeaks(peaks);
        QVERIFY(window->isVisible()); // before any sample: its legend entry does not come mid-copy
        QCOMPARE(cpu->max(), 250.0); // 1.05 × 200, rounded up to a nice figure
        QCOMPARE(memory->max(), 5.0); // GiB: 1.05 × 3, rounded up
        QCOMPARE(memory->titleText(), QStringLiteral("memory (GiB)"));
        // A live copy's samples, up to 1 GiB and 160 %, lay neither axis out again.
        QSignalSpy cpuMoves(cpu, &QValueAxis::rangeChanged);
        QSignalSpy memoryMoves(memory, &QValueAxis::rangeChanged);
        for (int i = 0; i < 10; ++i) {
            ResourceSample s;
            s.tNs = int64_t(i) * 100 * kMs;
            s.cpuPercent = 16.0 * i;
            s.machineCpuPercent = 16.0 * (i + 1);
            s.rssBytes = (int64_t(1) << 30) * (i + 1) / 10;
            chart.appendSamples(&s, 1);
        }
        QCOMPARE(cpuMoves.size(), 0);
        QCOMPARE(memoryMoves.size(), 0);
        // Finished, the chart fits its own samples: 200 % per two workers, 1.05 × 1 GiB rounded up.
        chart.fitToSamples();
        QCOMPARE(cpu->max(), 200.0);
        QCOMPARE(memory->max(), 2.0);
        QVERIFY(!window->isVisible()); // these samples did not measure the window
    }

    void theLiveAxisMovesRarely()
    {
        // A live run of 10 s refreshed 25 times a second moves its time scale a dozen times, not 250.
        double horizon = ProfileView::liveHorizon(0, 0);
        int moves = 0;
        for (int tick = 1; tick <= 250; ++tick) {
            const double now = tick * 0.04;
            const double next = ProfileView::liveHorizon(now, horizon);
            QVERIFY(next >= now);
            moves += next != horizon;
            horizon = next;
        }
        // One move per factor of 1.5 up to 10 s, from a first horizon of 0.1 s or more.
        QVERIFY2(moves <= 1 + int(std::ceil(std::log(10 / 0.1) / std::log(1.5))), qPrintable(QString::number(moves)));
        QVERIFY(horizon < 10 * 1.5 + 1e-9); // never more than half again past the end
    }

    void theRefreshIntervalFollowsTheRunAndTheView()
    {
        QCOMPARE(RunController::refreshIntervalFor(0, true), 100);
        QCOMPARE(RunController::refreshIntervalFor(500 * kMs, true), 100);
        QCOMPARE(RunController::refreshIntervalFor(2000 * kMs, true), 200);
        QCOMPARE(RunController::refreshIntervalFor(60'000 * kMs, true), 250);
        QCOMPARE(RunController::refreshIntervalFor(0, false), 250);
    }

    // Qt's raster engine hands parts of large paints to the global pool, and the window frees finished
    // runs there: that CPU is the window's. A copy's workers run on a pool of their own and are not.
    void theWindowsPoolThreadsCountAsTheWindow()
    {
        MainWindow w;
        QVERIFY(hasObserverThread());
        int64_t before = observerThreadCpuNs();
        const int64_t helper = spinOn(QThreadPool::globalInstance(), 60 * kMs);
        int64_t counted = observerThreadCpuNs() - before;
        // The GUI thread slept while the helper spun, so the count is the helper's, and a little of its own.
        QVERIFY2(counted >= helper && counted < helper + 20 * kMs,
                 qPrintable(QStringLiteral("counted %1 ns for a helper's %2 ns").arg(counted).arg(helper)));

        QThreadPool workers;
        before = observerThreadCpuNs();
        const int64_t worker = spinOn(&workers, 60 * kMs);
        counted = observerThreadCpuNs() - before;
        QVERIFY(worker >= 60 * kMs);
        QVERIFY2(counted < 20 * kMs, qPrintable(QStringLiteral("counted %1 ns of a worker's").arg(counted)));
    }

    void theWindowSeriesShowsOnlyWhenMeasured()
    {
        TimeAxis axis;
        ResourceChart chart(&axis, ResourceChart::Kind::CpuMemory);
        QCOMPARE(chart.series().size(), 5);
        QLineSeries *window = chart.series().at(ResourceChart::kWindowSeries);
        QCOMPARE(window->name(), QStringLiteral("Chunkscope window"));
        std::vector<ResourceSample> samples(3);
        for (size_t i = 0; i < samples.size(); ++i) {
            samples[i].tNs = int64_t(i) * 100 * kMs;
            samples[i].cpuPercent = 180;
        }
        chart.setSamples(samples);
        QVERIFY(!window->isVisible()); // headless: not measured
        for (size_t i = 0; i < samples.size(); ++i)
            samples[i].uiCpuPercent = double(i) * 2;
        axis.setDataEnd(0.2);
        chart.setSamples(samples);
        QVERIFY(window->isVisible());
        QCOMPARE(window->count(), 3);
        QCOMPARE(window->at(2), QPointF(0.2, 4.0));
        QVERIFY(chart.toolTipFor(0.2).contains(QStringLiteral("Chunkscope window 4 %")));
    }
};

QTEST_MAIN(TestWatchingCost)
#include "tst_watchingcost.moc"
