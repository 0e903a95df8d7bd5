// The profile view's charts on a synthetic run whose every time is known: one bar per task, the
// samples in the resource chart, time t on the same pixel column in every chart, the colour of a
// bar where its time lands, off-CPU shading, the legend, zoom, selection, find, tooltips and live updates.
#include "chartfixtures.h"

#include <QVBoxLayout>

using namespace cs;
using namespace cs::testing;

class TestCharts : public QObject {
    Q_OBJECT

private slots:
    void init()
    {
        m_run = std::make_shared<RunResult>(syntheticRun());
        m_view = shownProfileView(m_run);
        QVERIFY(QTest::qWaitForWindowExposed(m_view.get()));
    }
    void cleanup() { m_view.reset(); }

    void ganttHoldsOneBarPerTask()
    {
        GanttChart *g = m_view->pane(0)->gantt();
        QCOMPARE(g->data().barCount(), m_run->tasks);
        QCOMPARE(g->data().workers(), 2);
        QCOMPARE(int64_t(g->data().row(0).size() + g->data().row(1).size()), m_run->tasks);
        QCOMPARE(g->data().event(1, 3).task, 7);
        QCOMPARE(g->data().event(1, 3).phaseNs[size_t(Phase::LockWait)], 3 * kMs);
    }

    void damagedEventsAreSkipped()
    {
        // A results file may carry anything: no row per worker number up to a billion, no bar that
        // ends before it starts, no crash.
        RunResult r = syntheticRun(4);
        r.events[1].worker = 1000000000;
        r.events[2].endNs = r.events[2].startNs - 1;
        r.events[3].startNs = -5 * kMs;
        r.shape = Coords();
        r.chunks = Coords();
        m_view->showRuns({std::make_shared<RunResult>(r)});
        GanttChart *g = m_view->pane(0)->gantt();
        QCOMPARE(g->data().barCount(), int64_t(2));
        QCOMPARE(g->data().workers(), 2);
        g->grab();
        QVERIFY(!g->toolTipAt(QPoint(int(g->xForTime(0.001)), g->rowRect(0).center().y())).isEmpty());
    }

    void resourceChartHoldsTheSamples()
    {
        ResourceChart *c = m_view->pane(0)->resources();
        QCOMPARE(c->samples().size(), m_run->samples.size());
        QCOMPARE(c->series().size(), 5); // CPU, RSS, in flight, the machine's CPU, and the window's own CPU
        QVERIFY(!c->series().at(ResourceChart::kWindowSeries)->isVisible()); // not measured: hidden
        QCOMPARE(c->series().at(0)->count(), int(m_run->samples.size()));
        QCOMPARE(c->series().at(0)->at(20), QPointF(0.1, 199.0));
        // The machine beside the process, on the same CPU axis, where it was measured (not at the start).
        QCOMPARE(c->series().at(0)->name(), QStringLiteral("Chunkscope CPU %"));
        QCOMPARE(c->series().at(ResourceChart::kMachineSeries)->name(), QStringLiteral("machine CPU %"));
        QCOMPARE(c->series().at(ResourceChart::kMachineSeries)->count(), int(m_run->samples.size()) - 1);
        QCOMPARE(c->series().at(ResourceChart::kMachineSeries)->at(19), QPointF(0.1, 200.0));
        QCOMPARE(c->series().at(ResourceChart::kMachineSeries)->attachedAxes(), c->series().at(0)->attachedAxes());
        QCOMPARE(m_view->pane(0)->faults()->series().at(0)->count(), int(m_run->samples.size()));
    }

    void valueAxesShowTheirZeroTick()
    {
        // The CPU and memory axes start at a labelled 0, also in a chart that prints no times.
        ResourceChart *c = m_view->pane(0)->resources();
        QApplication::processEvents();
        int zeros = 0;
        for (const QString &text : visibleLabels(c)) {
            bool ok = false;
            zeros += text.toDouble(&ok) == 0 && ok ? 1 : 0;
        }
        QCOMPARE(zeros, 2);
    }

    void timeLandsOnTheSameColumnInEveryChart()
    {
        ProfilePane *pane = m_view->pane(0);
        GanttChart *g = pane->gantt();
        ResourceChart *c = pane->resources();
        QCOMPARE(g->width(), c->width());
        for (double t : {0.0, 0.013, 0.05, 0.1234, 0.199}) {
            const double gx = g->mapTo(m_view.get(), QPointF(g->xForTime(t), 0)).x();
            const double cx = c->mapTo(m_view.get(), QPointF(c->positionFor(t, 0).x(), 0)).x();
            QVERIFY2(std::abs(gx - cx) <= 1.0,
                     qPrintable(QStringLiteral("t=%1: gantt %2, chart %3").arg(t).arg(gx).arg(cx)));
            const double fx = pane->faults()->positionFor(t, 0).x();
            QVERIFY(std::abs(fx - c->positionFor(t, 0).x()) <= 1.0);
        }
    }

    void barIsPaintedInItsPhaseColourWhereItsTimeLands()
    {
        GanttChart *g = m_view->pane(0)->gantt();
        const QImage image = g->grab().toImage();
        const qreal dpr = image.devicePixelRatio();
        auto colourAt = [&](double seconds, int worker) {
            const int x = int(std::floor(g->xForTime(seconds)));
            const int y = g->rowRect(worker).center().y();
            return QColor(image.pixel(int(x * dpr), int(y * dpr)));
        };
        // Task 4 (worker 0) runs 20-28 ms: read until 22 ms, then write.
        QCOMPARE(colourAt(0.021, 0), segmentColor(int(Phase::Read)));
        QCOMPARE(colourAt(0.025, 0), segmentColor(int(Phase::Write)));
        // Task 5 (worker 1), 20-28 ms: read, lock wait 22-25 ms, write.
        QCOMPARE(colourAt(0.0235, 1), segmentColor(int(Phase::LockWait)));
        QCOMPARE(colourAt(0.0265, 1), segmentColor(int(Phase::Write)));
        // Between tasks (28-30 ms) nothing is drawn on the row.
        QVERIFY(colourAt(0.029, 0) != segmentColor(int(Phase::Write)));
    }

    void passedThroughTasksAreMarked()
    {
        // Task 4 (worker 0, 20-28 ms, read then write) moved its chunk as stored; task 6 decoded.
        RunResult run = syntheticRun();
        run.events[4].passthrough = true;
        m_view->showRuns({std::make_shared<RunResult>(run)});
        QApplication::processEvents();
        GanttChart *g = m_view->pane(0)->gantt();
        QVERIFY(g->data().hasPassthrough());
        QVERIFY(g->data().event(0, 2).passthrough);
        QVERIFY(!g->data().event(0, 3).passthrough);
        const QImage image = g->grab().toImage();
        const qreal dpr = image.devicePixelRatio();
        auto colourAt = [&](double seconds, int y) {
            return QColor(image.pixel(int(std::floor(g->xForTime(seconds)) * dpr), int(y * dpr)));
        };
        const QRect band = g->rowRect(0);
        // A white line through the middle of the passed-through bar, its phase colours above and below.
        QCOMPARE(colourAt(0.021, band.center().y()), passthroughMarkColor());
        QCOMPARE(colourAt(0.025, band.center().y()), passthroughMarkColor());
        QCOMPARE(colourAt(0.021, band.top() + 1), segmentColor(int(Phase::Read)));
        QCOMPARE(colourAt(0.025, band.bottom() - 1), segmentColor(int(Phase::Write)));
        // Not through a task that decoded.
        QCOMPARE(colourAt(0.035, band.center().y()), segmentColor(int(Phase::Write)));
        const QString tip = g->toolTipAt(QPoint(int(g->xForTime(0.025)), band.center().y()));
        QVERIFY2(tip.contains(QStringLiteral("passed through: its chunk moved as stored, not decoded")),
                 qPrintable(tip));
        QVERIFY(!g->toolTipAt(QPoint(int(g->xForTime(0.035)), band.center().y())).contains(QStringLiteral("passed")));
    }

    void offCpuTimeIsDrawnInsideTheBar()
    {
        // Task 4 (worker 0, 20-28 ms: read 2 ms, write 6 ms) was on a CPU half its time, waited 2 ms
        // for one and was blocked 2 ms. Each phase shows that split in turn: the write phase (22-28 ms)
        // is on CPU 22-25 ms, waiting 25-26.5 ms (hatched), blocked 26.5-28 ms (pale).
        RunResult run = syntheticRun();
        TaskUsage &u = run.events[4].usage;
        u.cpuNs = 4 * kMs;
        u.runqNs = 2 * kMs;
        u.volCs = 3;
        u.involCs = 5;
        u.minflt = 7;
        m_view->showRuns({std::make_shared<const RunResult>(run)});
        GanttChart *g = m_view->pane(0)->gantt();
        QApplication::processEvents();
        const QImage image = g->grab().toImage();
        const qreal dpr = image.devicePixelRatio();
        const QRect band = g->rowRect(0);
        auto colourAt = [&](double seconds, int y) {
            const int x = int(std::floor(g->xForTime(seconds)));
            return QColor(image.pixel(int(x * dpr), int(y * dpr)));
        };
        const int write = int(Phase::Write);
        const int read = int(Phase::Read);
        QCOMPARE(colourAt(0.0205, band.center().y()), segmentColor(read));
        QCOMPARE(colourAt(0.0218, band.center().y()), blockedColor(read));
        QCOMPARE(colourAt(0.0235, band.center().y()), segmentColor(write));
        QCOMPARE(colourAt(0.0272, band.center().y()), blockedColor(write));
        // The hatching: the phase colour's lines over its tint, and nothing else, down the band.
        QSet<QRgb> hatch;
        for (int y = band.top(); y <= band.bottom(); ++y)
            hatch.insert(colourAt(0.0258, y).rgb());
        QCOMPARE(hatch, (QSet<QRgb>{segmentColor(write).rgb(), queuedTint(write).rgb()}));
        // Other tasks recorded no CPU accounting: drawn as before.
        QCOMPARE(colourAt(0.0272, g->rowRect(1).center().y()), segmentColor(write));

        const QString tip = g->toolTipAt(QPoint(int(g->xForTime(0.024)), band.center().y()));
        QVERIFY2(tip.contains(QStringLiteral("on CPU 4.000 ms, waiting for a CPU 2.000 ms, blocked 2.000 ms")),
                 qPrintable(tip));
        QVERIFY2(tip.contains(QStringLiteral("context switches 3 voluntary, 5 involuntary<br>page faults 7")),
                 qPrintable(tip));
        QVERIFY(!g->toolTipAt(QPoint(int(g->xForTime(0.044)), band.center().y())).contains(QStringLiteral("on CPU")));
    }

    void legendWrapsInANarrowChart()
    {
        // Too narrow for one line, the legend wraps: every entry stays inside the chart, the last ones
        // on a line of their own, and the rows start below the legend.
        m_view->showRuns({m_run});
        QApplication::processEvents();
        GanttChart *g = m_view->pane(0)->gantt();
        const int oneLine = g->rowRect(0).top();
        g->resize(420, g->height() + 200);
        g->grab(); // paints, which places the legend
        const QRect first = g->legendRect(0);
        const QRect last = g->legendRect(kSegmentCount - 1);
        for (int s = 0; s < kSegmentCount; ++s)
            QVERIFY2(g->rect().contains(g->legendRect(s)), qPrintable(segmentLabel(s)));
        QVERIFY(last.top() > first.top());
        QVERIFY(g->rowRect(0).top() > oneLine);
        QVERIFY(g->rowRect(0).top() >= last.bottom());
    }

    void verdictWrapsInANarrowPaneAndShowsItsWholeText()
    {
        const VerdictLabel *shown = m_view->pane(0)->verdict();
        QVERIFY(shown->hasVerdict());
        // The verdict in a pane 260 pixels wide: more lines, every word, no "…".
        QWidget pane;
        auto *layout = new QVBoxLayout(&pane);
        layout->setContentsMargins(0, 0, 0, 0);
        auto *label = new VerdictLabel;
        label->setVerdict(shown->verdict());
        layout->addWidget(label);
        layout->addStretch();
        pane.resize(260, 600);
        pane.show();
        QVERIFY(QTest::qWaitForWindowExposed(&pane));
        const QStringList lines = label->lines(label->width());
        QVERIFY2(lines.size() > 2, qPrintable(lines.join(QLatin1Char('|'))));
        const QString whole = label->headlineText() + QLatin1Char(' ') + label->breakdownText();
        QCOMPARE(lines.join(QLatin1Char(' ')).simplified(),
                 QString(whole).replace(QStringLiteral(" · "), QStringLiteral(" ")).simplified());
        for (const QString &line : lines)
            QVERIFY2(!line.contains(QChar(0x2026)), qPrintable(line));
        // The pane gives it the height its lines need, and the last line is painted.
        const int lineSpacing = label->fontMetrics().lineSpacing();
        QTRY_COMPARE(label->height(), label->heightForWidth(260));
        QVERIFY(label->height() >= int(lines.size()) * lineSpacing);
        const QImage image = label->grab().toImage();
        const int lastTop = label->height() - 6 - lineSpacing; // above the bottom padding
        bool inked = false;
        for (int y = lastTop; y < lastTop + lineSpacing && !inked; ++y)
            for (int x = 0; x < image.width() && !inked; ++x)
                inked = qGray(image.pixel(x, y)) < 128;
        QVERIFY(inked);
    }

    void legendEntriesHideAndShowTheirPhaseOrSeries()
    {
        // A click on "write" in the Gantt's legend leaves the write phase blank in every compared
        // run's bars; a second click brings it back.
        m_view->showRuns({m_run, std::make_shared<const RunResult>(syntheticRun())});
        QApplication::processEvents();
        GanttChart *g = m_view->pane(0)->gantt();
        GanttChart *other = m_view->pane(1)->gantt();
        const int write = int(Phase::Write);
        auto colourAt = [&](GanttChart *chart, double seconds) {
            const QImage image = chart->grab().toImage();
            const qreal dpr = image.devicePixelRatio();
            const int x = int(std::floor(chart->xForTime(seconds)));
            return QColor(image.pixel(int(x * dpr), int(chart->rowRect(0).center().y() * dpr)));
        };
        QCOMPARE(colourAt(g, 0.025), segmentColor(write));
        const QRect entry = g->legendRect(write);
        QVERIFY(!entry.isEmpty());
        QTest::mouseClick(g, Qt::LeftButton, Qt::NoModifier, entry.center());
        QVERIFY(!g->isSegmentShown(write));
        QVERIFY(colourAt(g, 0.025) != segmentColor(write));
        QVERIFY(colourAt(other, 0.025) != segmentColor(write));
        QCOMPARE(colourAt(g, 0.021), segmentColor(int(Phase::Read))); // the other phases stay
        QTest::mouseClick(g, Qt::LeftButton, Qt::NoModifier, g->legendRect(write).center());
        QCOMPARE(colourAt(g, 0.025), segmentColor(write));
        QCOMPARE(colourAt(other, 0.025), segmentColor(write));

        // A click on the CPU series' legend entry hides its line, which keeps its entry.
        ResourceChart *c = m_view->pane(0)->resources();
        QLineSeries *cpu = c->series().first();
        const QColor line = cpu->pen().color();
        auto linePixels = [&] {
            const QImage image = c->grab().toImage();
            int n = 0;
            for (int y = 0; y < image.height(); ++y)
                for (int x = 0; x < image.width(); ++x)
                    n += QColor(image.pixel(x, y)) == line;
            return n;
        };
        const int before = linePixels();
        QVERIFY(before > 100);
        QLegendMarker *marker = c->chart()->legend()->markers(cpu).first();
        emit marker->clicked();
        QVERIFY(!c->isSeriesShown(0));
        QVERIFY(marker->isVisible());
        QVERIFY2(linePixels() < before / 10, qPrintable(QString::number(linePixels())));
        emit marker->clicked();
        QCOMPARE(linePixels(), before);
    }

    void dragsZoomToARangeOrSelectOne()
    {
        GanttChart *g = m_view->pane(0)->gantt();
        TimeAxis *axis = m_view->axis();
        const int y = g->rowRect(0).center().y();
        const auto at = [&](double t) { return QPoint(int(std::lround(g->xForTime(t))), y); };
        const double pixel = 1 / axis->scale();
        QVERIFY(!m_view->readoutLabel()->isVisible()); // the whole run, nothing selected: no readout

        // A right-drag selects 20-40 ms: shaded in the chart, summarised under the header.
        QTest::mousePress(g, Qt::RightButton, Qt::NoModifier, at(0.02));
        QTest::mouseMove(g, at(0.04));
        QTest::mouseRelease(g, Qt::RightButton, Qt::NoModifier, at(0.04));
        QVERIFY(axis->hasSelection());
        QVERIFY(m_view->readoutLabel()->isVisible());
        QVERIFY2(m_view->readoutLabel()->text().startsWith(QStringLiteral("visible 0.000–0.200 s of 0.200 s")),
                 qPrintable(m_view->readoutLabel()->text()));
        QVERIFY(std::abs(axis->selectionStart() - 0.02) <= pixel);
        QVERIFY(std::abs(axis->selectionEnd() - 0.04) <= pixel);
        const QImage image = g->grab().toImage();
        const qreal dpr = image.devicePixelRatio();
        const QColor shaded(image.pixel(int(g->xForTime(0.029) * dpr), int(y * dpr))); // between two tasks
        const QColor plain(image.pixel(int(g->xForTime(0.049) * dpr), int(y * dpr)));
        QVERIFY(shaded != plain);

        // Tasks 4 to 7 (20-28 and 30-38 ms) lie inside 19-39 ms; task 4 and 5 are half inside 24-39 ms.
        axis->setSelection(0.019, 0.039);
        QVERIFY2(m_view->readoutLabel()->text().endsWith(QStringLiteral(
                     "selected 0.019–0.039 s (20.00 ms):\nsynthetic, lock: 4 tasks, 15.6 KiB, 0.80 MB/s; "
                     "read 8.000 ms, lock wait 6.000 ms, write 18.00 ms")),
                 qPrintable(m_view->readoutLabel()->text()));
        axis->setSelection(0.024, 0.039);
        QVERIFY2(m_view->readoutLabel()->text().endsWith(
                     QStringLiteral("4 tasks, 11.7 KiB, 0.80 MB/s; read 6.000 ms, lock wait 4.500 ms, write 13.50 ms")),
                 qPrintable(m_view->readoutLabel()->text()));
        // A right-click clears it.
        QTest::mouseClick(g, Qt::RightButton, Qt::NoModifier, at(0.05));
        QVERIFY(!axis->hasSelection());
        QVERIFY(!m_view->readoutLabel()->isVisible());

        // Shift+drag zooms every chart to the range dragged over; the readout follows.
        QTest::mousePress(g, Qt::LeftButton, Qt::ShiftModifier, at(0.05));
        QTest::mouseMove(g, at(0.1));
        QTest::mouseRelease(g, Qt::LeftButton, Qt::ShiftModifier, at(0.1));
        QVERIFY2(std::abs(axis->t0() - 0.05) <= pixel && std::abs(axis->t1() - 0.1) <= pixel,
                 qPrintable(QStringLiteral("%1-%2").arg(axis->t0()).arg(axis->t1())));
        QVERIFY(m_view->readoutLabel()->text().startsWith(QStringLiteral("visible 0.05")));
    }

    void findingATaskOutlinesItAndBringsItIntoView()
    {
        // Task 7 runs on worker 1 from 30 to 38 ms; the view is zoomed in far from it.
        TimeAxis *axis = m_view->axis();
        axis->setRange(0.15, 0.16);
        QVERIFY(m_view->findTask(7));
        GanttChart *g = m_view->pane(0)->gantt();
        QCOMPARE(g->highlightedTask(), int64_t(7));
        QVERIFY(axis->t0() <= 0.030 && axis->t1() >= 0.038);
        QVERIFY(std::abs((axis->t0() + axis->t1()) / 2 - 0.034) < 1e-9);
        const QImage image = g->grab().toImage();
        const qreal dpr = image.devicePixelRatio();
        const QRect band = g->rowRect(1);
        const auto darkAbove = [&](double t) {
            for (int y = band.top() - 3; y < band.top(); ++y)
                if (QColor(image.pixel(int(g->xForTime(t) * dpr), int(y * dpr))) == QColor(0x11, 0x11, 0x11))
                    return true;
            return false;
        };
        QVERIFY(darkAbove(0.034)); // the outline over the bar
        QVERIFY(!darkAbove(0.044)); // and not over the next one
        QVERIFY(!m_view->findTask(1000));
        QCOMPARE(g->highlightedTask(), int64_t(-1));
        QCOMPARE(m_view->findAction()->shortcut(), QKeySequence(QKeySequence::Find));
    }

    void overviewShowsTheWholeRunAndTheVisiblePart()
    {
        // Both workers busy 0-8 ms of every 10 ms, over 0.2 s in 1000 buckets of 0.2 ms.
        OverviewStrip *o = m_view->overview();
        QVERIFY(o->isVisible());
        QCOMPARE(o->busy().size(), size_t(1000));
        QCOMPARE(o->busy()[25], 1.0); // 5.0-5.2 ms
        QCOMPARE(o->busy()[45], 0.0); // 9.0-9.2 ms
        QVERIFY(std::abs(o->busy()[39] - 1.0) < 1e-9); // 7.8-8.0 ms
        const QImage image = o->grab().toImage();
        const qreal dpr = image.devicePixelRatio();
        const int y = o->frameRect().center().y();
        const QColor busy(image.pixel(int((o->xFor(0.005) + 0.5) * dpr), int(y * dpr)));
        const QColor idle(image.pixel(int((o->xFor(0.0091) + 0.5) * dpr), int(y * dpr)));
        QVERIFY2(busy.lightness() < idle.lightness() - 80,
                 qPrintable(QStringLiteral("%1 %2").arg(busy.name(), idle.name())));

        // Zoomed to 50-100 ms, the frame covers that quarter of the strip; a click centres the view.
        m_view->axis()->setRange(0.05, 0.1);
        QVERIFY(std::abs(o->frameRect().left() - o->xFor(0.05)) <= 1);
        QVERIFY(std::abs(o->frameRect().right() + 1 - o->xFor(0.1)) <= 1);
        QTest::mouseClick(o, Qt::LeftButton, Qt::NoModifier, QPoint(int(std::lround(o->xFor(0.15))), y));
        QVERIFY2(std::abs(m_view->axis()->t0() - 0.125) < 0.001 && std::abs(m_view->axis()->t1() - 0.175) < 0.001,
                 qPrintable(QStringLiteral("%1-%2").arg(m_view->axis()->t0()).arg(m_view->axis()->t1())));
    }

    void zoomInOneChartMovesAll()
    {
        ProfilePane *pane = m_view->pane(0);
        GanttChart *g = pane->gantt();
        const QPoint at(int(g->xForTime(0.1)), g->rowRect(0).center().y());
        QWheelEvent wheel(at, g->mapToGlobal(at), QPoint(), QPoint(0, 360), Qt::NoButton, Qt::NoModifier,
                          Qt::NoScrollPhase, false);
        QApplication::sendEvent(g, &wheel);
        TimeAxis *axis = m_view->axis();
        QVERIFY(axis->isZoomed());
        QVERIFY(axis->span() < 0.2 / 1.5);
        // The time under the mouse stays under it.
        QVERIFY(std::abs(g->xForTime(0.1) - at.x()) <= 1.0);
        auto *time = qobject_cast<QValueAxis *>(pane->resources()->chart()->axes(Qt::Horizontal).first());
        QCOMPARE(time->min(), axis->t0());
        QCOMPARE(time->max(), axis->t1());
        const double t = axis->t0() + axis->span() / 3;
        QVERIFY(std::abs(g->xForTime(t) - pane->resources()->positionFor(t, 0).x()) <= 1.0);

        // Dragging pans every chart.
        const double before = axis->t0();
        QTest::mousePress(pane->resources()->viewport(), Qt::LeftButton, {}, QPoint(600, 80));
        QMouseEvent move(QEvent::MouseMove, QPointF(500, 80),
                         pane->resources()->viewport()->mapToGlobal(QPointF(500, 80)), Qt::NoButton, Qt::LeftButton,
                         Qt::NoModifier);
        QApplication::sendEvent(pane->resources()->viewport(), &move);
        QTest::mouseRelease(pane->resources()->viewport(), Qt::LeftButton, {}, QPoint(500, 80));
        QVERIFY(axis->t0() > before);
        QCOMPARE(time->min(), axis->t0());
    }

    void axesStayCheapAcrossScales()
    {
        // Values far apart in scale and a zoom from a microsecond back out to the whole run must
        // not make the value or time axes create a tick per step of the old scale.
        ResourceChart *c = m_view->pane(0)->faults();
        std::vector<ResourceSample> samples = m_run->samples;
        for (ResourceSample &s : samples)
            s.minorFaultsPerSec *= 1000;
        QElapsedTimer clock;
        clock.start();
        c->setSamples({samples.begin(), samples.begin() + 3});
        c->setSamples(samples);
        TimeAxis *axis = m_view->axis();
        for (int i = 0; i < 12; ++i)
            axis->zoomAt(axis->x(0.1), 10);
        QVERIFY(axis->span() < 1e-5);
        axis->resetZoom();
        m_view->grab();
        QVERIFY2(clock.elapsed() < 3000, qPrintable(QString::number(clock.elapsed())));
        auto *left = qobject_cast<QValueAxis *>(c->chart()->axes(Qt::Vertical).first());
        // 40 * 1000 * 1000 faults/s, in thousands, rounded up.
        QCOMPARE(left->max(), 50000.0);
        // A round step of at most five to the chart (fewer when the chart is low).
        QVERIFY2(QList<double>({10000.0, 20000.0, 25000.0, 50000.0}).contains(left->tickInterval()),
                 qPrintable(QString::number(left->tickInterval())));
        QCOMPARE(left->titleText(), QStringLiteral("k faults/s"));
        QCOMPARE(c->series().at(0)->at(40).y(), 40000.0);
    }

    void tooltipsDescribeTheTaskAndTheSample()
    {
        GanttChart *g = m_view->pane(0)->gantt();
        const QString tip = g->toolTipAt(QPoint(int(g->xForTime(0.0235)), g->rowRect(1).center().y()));
        QVERIFY2(tip.contains(QStringLiteral("task 5")), qPrintable(tip));
        QVERIFY(tip.contains(QStringLiteral("region [[5000, 6000]]")));
        QVERIFY(tip.contains(QStringLiteral("worker 1")));
        QVERIFY(tip.contains(QStringLiteral("lock wait")));
        QVERIFY(tip.contains(QStringLiteral("3.000 ms")));
        QVERIFY(tip.contains(QStringLiteral("duration 8.000 ms")));
        QVERIFY2(tip.contains(QStringLiteral("bytes 3.9 KiB (4000)")), qPrintable(tip)); // binary units, named
        QVERIFY(g->toolTipAt(QPoint(int(g->xForTime(0.029)), g->rowRect(1).center().y())).isEmpty());
        const QString sample = m_view->pane(0)->resources()->toolTipFor(0.1);
        QVERIFY2(sample.contains(QStringLiteral("CPU 199 %")), qPrintable(sample));
        QVERIFY2(sample.contains(QStringLiteral("RSS 220.0 MiB")), qPrintable(sample));
        QVERIFY(m_view->pane(0)->titleText().contains(QStringLiteral("peak RSS 300.0 MiB")));
    }

    void aMillionTasksFoldIntoColumns()
    {
        RunResult big = syntheticRun(2);
        big.events.clear();
        const int64_t n = 1000000;
        for (int64_t k = 0; k < n; ++k) {
            TaskEvent e;
            e.task = k;
            e.worker = int(k % 2);
            e.startNs = (k / 2) * 1000;
            e.endNs = e.startNs + 900;
            e.phaseNs[size_t(Phase::Write)] = 900;
            big.events.push_back(e);
        }
        big.tasks = n;
        big.wallSeconds = double(n / 2 * 1000) / 1e9;
        m_view->showRuns({std::make_shared<RunResult>(big)});
        GanttChart *g = m_view->pane(0)->gantt();
        QCOMPARE(g->data().barCount(), n);
        const QImage image = g->grab().toImage();
        const qreal dpr = image.devicePixelRatio();
        // Every column of the busy rows is painted, in the write colour.
        const int y = g->rowRect(0).center().y();
        for (int x = g->plotRect().left() + 1; x < g->plotRect().right() - 1; x += 7)
            QCOMPARE(QColor(image.pixel(int(x * dpr), int(y * dpr))), segmentColor(int(Phase::Write)));
    }

    void liveSnapshotsGrowTheCharts()
    {
        // A live view in sight (one out of sight waits until it is shown: tst_watchingcost).
        ProfileView view;
        view.resize(1000, 700);
        view.show();
        QVERIFY(QTest::qWaitForWindowExposed(&view));
        view.beginLive(syntheticLiveRun(QStringLiteral("live")));
        const RunResult r = syntheticRun();
        RunSnapshot s;
        s.tasksTotal = 40;
        double horizon = view.axis()->t1();
        for (int step = 1; step <= 4; ++step) {
            s.done.assign(r.events.begin(), r.events.begin() + step * 10);
            s.pending.clear();
            TaskEvent running;
            running.task = step * 10;
            running.worker = 0;
            running.startNs = s.done.back().endNs;
            s.pending.push_back(running);
            s.samples.assign(r.samples.begin(), r.samples.begin() + step * 10);
            s.tasksDone = step * 10;
            s.elapsedNs = running.startNs + kMs;
            view.updateLive(s);
            QCOMPARE(view.pane(0)->gantt()->data().barCount(), step * 10);
            QCOMPARE(view.pane(0)->gantt()->data().runningCount(), 1);
            QCOMPARE(view.pane(0)->resources()->samples().size(), size_t(step * 10));
            // The axis runs ahead of the run's end, to a horizon that moves only when the run reaches it.
            horizon = ProfileView::liveHorizon(double(s.elapsedNs) / 1e9, horizon);
            QVERIFY(horizon >= double(s.elapsedNs) / 1e9);
            QCOMPARE(view.axis()->t1(), horizon);
        }
        QVERIFY(view.pane(0)->titleText().contains(QStringLiteral("running: 40 of 40 tasks")));
    }

    void aFinishedLiveRunKeepsItsBars()
    {
        // The live pane had the first 12 tasks when the run ended: it becomes the finished run's pane,
        // the same chart, and takes the other 28 from the result rather than laying out all 40 again.
        ProfileView view;
        view.resize(1000, 700);
        view.show();
        QVERIFY(QTest::qWaitForWindowExposed(&view));
        view.beginLive(syntheticLiveRun(QStringLiteral("synthetic, lock")));
        const auto run = std::make_shared<const RunResult>(syntheticRun());
        RunSnapshot s;
        s.tasksTotal = 40;
        s.done.assign(run->events.begin(), run->events.begin() + 12);
        s.samples.assign(run->samples.begin(), run->samples.begin() + 10);
        s.elapsedNs = s.done.back().endNs;
        view.updateLive(s);
        GanttChart *live = view.pane(0)->gantt();
        QCOMPARE(live->data().barCount(), int64_t(12));

        view.finishLive(run, verdictFor(*run));
        QVERIFY(!view.isLive());
        QCOMPARE(view.pane(0)->result(), run);
        QCOMPARE(view.pane(0)->gantt(), live);
        QTRY_VERIFY(!view.pane(0)->isCatchingUp());
        QCOMPARE(live->data().barCount(), int64_t(40));
        QVERIFY(live->data().inFlight().empty());
        for (int w = 0; w < 2; ++w)
            for (size_t i = 0; i < live->data().row(w).size(); ++i)
                QCOMPARE(live->data().row(w).task[i], int64_t(2 * i + size_t(w)));
        QCOMPARE(view.pane(0)->resources()->samples().size(), run->samples.size());
        QCOMPARE(view.pane(0)->verdict()->verdict().headline, verdictFor(*run).headline);
        QCOMPARE(view.axis()->t1(), run->wallSeconds);
        QCOMPARE(view.runs(), QList<std::shared_ptr<const RunResult>>{run});

        // Showing the run again keeps the pane and its zoom; a view no longer live ignores finishLive.
        view.axis()->zoomAt(view.axis()->plotLeft() + 50, 2);
        const double t1 = view.axis()->t1();
        view.showRuns({run});
        QCOMPARE(view.pane(0)->gantt(), live);
        QCOMPARE(view.axis()->t1(), t1);
        view.finishLive(std::make_shared<const RunResult>(syntheticRun(10)), Verdict());
        QCOMPARE(view.pane(0)->result(), run);
    }

    void aFailedRunShowsItsWholeErrorInsteadOfEmptyCharts()
    {
        RunResult failed = syntheticRun(2);
        failed.name = QStringLiteral("broken");
        failed.status = RunResult::Status::Failed;
        failed.events.clear();
        failed.samples.clear();
        failed.wallSeconds = 0;
        failed.error = QStringLiteral("array z: cannot open /data/a/path/long/enough/to/be/cut/off/in/the/header/"
                                      "of/a/window/of/ordinary/width/z.zarr/.zarray: is not a directory, and so on "
                                      "until the very last word");
        m_view->showRuns({std::make_shared<const RunResult>(failed)});
        ProfilePane *pane = m_view->pane(0);
        QApplication::processEvents();
        QVERIFY(pane->errorBanner()->isVisible());
        QCOMPARE(pane->errorBanner()->text(), QStringLiteral("failed: ") + failed.error);
        QVERIFY(pane->errorBanner()->wordWrap());
        // Wrapped inside the view, not cut: the banner is as wide as the view at most, and tall enough
        // for every line of the text.
        QVERIFY(pane->errorBanner()->width() <= m_view->width());
        QVERIFY(pane->errorBanner()->height() >= pane->errorBanner()->heightForWidth(pane->errorBanner()->width()));
        QVERIFY(!pane->gantt()->isVisible());
        QVERIFY(!pane->resources()->isVisible());
        QVERIFY(!pane->faults()->isVisible());
        QVERIFY(!pane->verdict()->isVisible());
        QVERIFY(!pane->titleText().contains(QStringLiteral("is not a directory")));

        // The next run shown in the same pane has its charts back and no banner.
        m_view->showRuns({m_run});
        QCOMPARE(m_view->pane(0), pane);
        QApplication::processEvents();
        QVERIFY(!pane->errorBanner()->isVisible());
        QVERIFY(pane->gantt()->isVisible());
        QVERIFY(pane->faults()->isVisible());
    }

private:
    std::shared_ptr<RunResult> m_run;
    std::unique_ptr<ProfileView> m_view;
};

QTEST_MAIN(TestCharts)
#include "tst_charts.moc"
