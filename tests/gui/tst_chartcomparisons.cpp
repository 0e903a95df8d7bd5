// Runs compared in the profile view, stacked and compact; the scaling chart's intervals; the ratio
// sentence; and PNG export, on the synthetic runs of chartfixtures.h.
#include "chartfixtures.h"

using namespace cs;
using namespace cs::testing;

class TestChartComparisons : public QObject {
    Q_OBJECT

private slots:
    void init()
    {
        m_run = std::make_shared<RunResult>(syntheticRun());
        m_view = shownProfileView(m_run);
        QVERIFY(QTest::qWaitForWindowExposed(m_view.get()));
    }
    void cleanup() { m_view.reset(); }
    void comparedRunsKeepReadableChartsAndWholeLabels()
    {
        // Four runs compared in a small view: every chart keeps its readable height (the view grows
        // and would scroll in the window), and no axis label is cut to "...".
        QList<std::shared_ptr<const RunResult>> runs;
        for (int i = 0; i < 4; ++i) {
            RunResult r = syntheticRun();
            for (ResourceSample &s : r.samples)
                s.minorFaultsPerSec *= 1000; // labels of several digits: "k faults/s"
            runs.append(std::make_shared<const RunResult>(r));
        }
        m_view->resize(1024, 500);
        m_view->showRuns(runs);
        QApplication::processEvents();
        for (int i = 0; i < m_view->paneCount(); ++i) {
            ProfilePane *pane = m_view->pane(i);
            const GanttChart *g = pane->gantt();
            for (int w = 0; w < g->data().workers(); ++w) {
                const QRect band = g->rowRect(w);
                // The bar band plus its padding: the row's share of the plot.
                QVERIFY2(g->plotRect().height() / g->data().workers() >= 14,
                         qPrintable(QStringLiteral("pane %1: rows of %2 px").arg(i).arg(band.height())));
            }
            for (ResourceChart *c : {pane->resources(), pane->faults()}) {
                QVERIFY2(c->height() >= c->minimumSizeHint().height(), qPrintable(QString::number(c->height())));
                QVERIFY(c->minimumSizeHint().height() >= 140);
                const QStringList labels = visibleLabels(c);
                for (const QString &text : labels)
                    QVERIFY2(!text.contains(QChar(0x2026)),
                             qPrintable(QStringLiteral("pane %1: label \"%2\"").arg(i).arg(text)));
                QVERIFY(labels.size() >= 4); // the check saw the axis labels
            }
        }
    }

    void compactComparisonSharesCharts_data()
    {
        QTest::addColumn<int>("runs");
        QTest::newRow("2 runs") << 2;
        QTest::newRow("4 runs") << 4;
    }
    void compactComparisonSharesCharts()
    {
        // Runs compared compactly: a Gantt row group per run under one legend, headed by the run and
        // its colour, and the CPU and RSS of every run in one chart, coloured by run.
        QFETCH(int, runs);
        QList<std::shared_ptr<const RunResult>> list;
        for (int i = 0; i < runs; ++i) {
            RunResult r = syntheticRun(40 - 8 * i);
            r.name = QStringLiteral("run %1").arg(i);
            for (ResourceSample &s : r.samples)
                s.cpuPercent = 50.0 * (i + 1);
            list.append(std::make_shared<const RunResult>(r));
        }
        m_view->resize(1024, 700);
        m_view->showRuns(list);
        QVERIFY(!m_view->isCompact());
        const auto buttons = m_view->findChildren<QToolButton *>();
        QVERIFY(std::any_of(buttons.begin(), buttons.end(), [&](const QToolButton *b) {
            return b->defaultAction() == m_view->compactAction() && b->isVisible();
        }));
        m_view->compactAction()->trigger();
        QApplication::processEvents();
        QVERIFY(m_view->isCompact());

        ResourceChart *overlay = m_view->overlayChart();
        QVERIFY(overlay->isVisible());
        QVERIFY(overlay->height() >= 140);
        QCOMPARE(overlay->series().size(), 2 * runs);
        for (const QString &text : visibleLabels(overlay))
            QVERIFY2(!text.contains(QChar(0x2026)), qPrintable(text));
        const double t = 0.05;
        for (int i = 0; i < runs; ++i) {
            QLineSeries *cpu = overlay->series().at(2 * i);
            QLineSeries *rss = overlay->series().at(2 * i + 1);
            QCOMPARE(cpu->name(), list[i]->name);
            QCOMPARE(cpu->pen().color(), ProfileView::runColor(i));
            QCOMPARE(rss->pen().color(), ProfileView::runColor(i));
            QCOMPARE(rss->pen().style(), Qt::DashLine);
            QCOMPARE(cpu->count(), int(list[i]->samples.size()));
            QCOMPARE(cpu->at(10), QPointF(0.05, 50.0 * (i + 1)));

            ProfilePane *pane = m_view->pane(i);
            GanttChart *g = pane->gantt();
            QVERIFY(g->isVisible());
            QVERIFY(!pane->resources()->isVisible());
            QVERIFY(!pane->faults()->isVisible());
            QVERIFY2(g->heading().startsWith(list[i]->name), qPrintable(g->heading()));
            QVERIFY(g->plotRect().height() / g->data().workers() >= 14);
            QCOMPARE(g->data().barCount(), list[i]->tasks);
            // The heading's swatch is the run's colour; only the first group carries the legend.
            const QImage image = g->grab().toImage();
            const qreal dpr = image.devicePixelRatio();
            QCOMPARE(QColor(image.pixel(int((g->plotRect().left() + 5) * dpr), int(10 * dpr))),
                     ProfileView::runColor(i));
            if (i > 0)
                QVERIFY(g->plotRect().top() < m_view->pane(0)->gantt()->plotRect().top());
            // Time t on the same column in each group and in the overlaid chart.
            const double gx = g->mapTo(m_view.get(), QPointF(g->xForTime(t), 0)).x();
            const double ox = overlay->mapTo(m_view.get(), QPointF(overlay->positionFor(t, 0).x(), 0)).x();
            QVERIFY2(std::abs(gx - ox) <= 1.0, qPrintable(QStringLiteral("%1 against %2").arg(gx).arg(ox)));
        }
        // The tooltip names every run's sample.
        const QString tip = overlay->toolTipFor(t);
        for (const auto &r : list)
            QVERIFY2(tip.contains(r->name + QStringLiteral(": CPU ")), qPrintable(tip));

        // Back to stacked: each pane its own charts, no overlay.
        m_view->setCompact(false);
        QApplication::processEvents();
        QVERIFY(!overlay->isVisible());
        QVERIFY(m_view->pane(1)->resources()->isVisible());
        QVERIFY(m_view->pane(1)->gantt()->heading().isEmpty());
        // A single run is never compact.
        m_view->setCompact(true);
        m_view->showRuns({list.first()});
        QVERIFY(!overlay->isVisible());
        QVERIFY(m_view->pane(0)->resources()->isVisible());
    }

    void aReusedPaneDropsTheScalesOfAComparison()
    {
        // Two compared runs share their memory scale; the pane kept for one run alone has its own.
        RunResult big = syntheticRun();
        for (ResourceSample &s : big.samples)
            s.rssBytes *= 8;
        const auto bigRun = std::make_shared<const RunResult>(big);
        m_view->showRuns({m_run, bigRun});
        ResourceChart *chart = m_view->pane(0)->resources();
        const auto memoryAxisMax = [&] { // in bytes
            const auto *axis = qobject_cast<QValueAxis *>(chart->chart()->axes(Qt::Vertical).last());
            return axis->max() * double(int64_t(1) << (axis->titleText().contains(QLatin1String("GiB")) ? 30 : 20));
        };
        const double shared = memoryAxisMax();
        m_view->showRuns({m_run});
        QCOMPARE(m_view->pane(0)->resources(), chart);
        QVERIFY2(memoryAxisMax() < shared, qPrintable(QStringLiteral("%1 >= %2").arg(memoryAxisMax()).arg(shared)));
    }

    void comparedRunsShareOneTimeScale()
    {
        auto shorterRun = syntheticRun(20);
        for (ResourceSample &s : shorterRun.samples)
            s.cpuPercent /= 2; // its own scale alone would be lower
        auto shorter = std::make_shared<RunResult>(shorterRun);
        m_view->showRuns({m_run, shorter});
        QCOMPARE(m_view->paneCount(), 2);
        QCOMPARE(m_view->axis()->t1(), m_run->wallSeconds);
        QApplication::processEvents();
        const double t = 0.05;
        QVERIFY(std::abs(m_view->pane(0)->gantt()->xForTime(t) - m_view->pane(1)->gantt()->xForTime(t)) < 1e-9);
        QVERIFY(std::abs(m_view->pane(1)->resources()->positionFor(t, 0).x() - m_view->pane(0)->gantt()->xForTime(t))
                <= 1);
        // "% busy" belongs to each run: 8 ms of every 10, over its own 0.1 s and over the other's 0.2 s,
        // and zooming does not change it.
        for (int pane : {0, 1})
            for (int worker : {0, 1})
                QCOMPARE(m_view->pane(pane)->gantt()->busyPercent(worker), 80.0);
        m_view->axis()->setRange(0.0, 0.01);
        QCOMPARE(m_view->pane(1)->gantt()->busyPercent(0), 80.0);
    }

    // The throughput axis says "median" only where a point is the median of several runs.
    void scalingAxisSaysMedianOnlyOfSeveralRuns()
    {
        SweepSummary summary = twoPointSweep();
        ScalingChart chart;
        chart.setSummary(summary);
        QCOMPARE(chart.throughputAxisTitle(), QStringLiteral("GB/s"));
        for (ScalingPoint &p : summary.lines[0].points)
            p.repeats = 5;
        chart.setSummary(summary);
        QCOMPARE(chart.throughputAxisTitle(), QStringLiteral("GB/s (median of 5)"));
        summary.lines[0].points[0].repeats = 3;
        chart.setSummary(summary);
        QCOMPARE(chart.throughputAxisTitle(), QStringLiteral("GB/s (median of up to 5)"));
    }

    void scalingPointsCarryTheirIntervalAsErrorBars()
    {
        // Two points; the one at 2 workers has 5 runs and a 95 % interval of 1.5-3 GB/s around 2 GB/s.
        SweepSummary summary = twoPointSweep();
        summary.lines[0].points[1].repeats = 5;
        summary.lines[0].points[1].gbpsCi = Interval{1.5, 3.0};
        ScalingChart chart;
        chart.resize(1000, 560);
        chart.setSummary(summary);
        chart.show();
        QVERIFY(QTest::qWaitForWindowExposed(&chart));
        QCOMPARE(chart.throughputAxisTitle(), QStringLiteral("GB/s (median of up to 5; bars: 95 % CI)"));
        QVERIFY(chart.throughputAxis()->max() >= 3.0); // the whole bar is on the chart
        const QImage image = chart.chartView()->grab().toImage();
        const qreal dpr = image.devicePixelRatio();
        const auto colourAt = [&](double workers, double gbps, int dx = 0) {
            const QPoint at = chart.chartView()->mapFromScene(
                chart.chart()->mapToPosition(QPointF(workers, gbps), chart.series().first()));
            return QColor(image.pixel(int((at.x() + dx) * dpr), int(at.y() * dpr)));
        };
        const QColor line0 = ScalingChart::lineColor(0);
        QCOMPARE(colourAt(2, 2.8), line0); // the bar above the point
        QCOMPARE(colourAt(2, 1.6), line0); // and below it
        QCOMPARE(colourAt(2, 3.0, 4), line0); // the cap at its top
        QVERIFY(colourAt(2, 3.3) != line0); // nothing past the interval
        QVERIFY(colourAt(1, 1.5) != line0); // a point of one run has no bar
    }

    void comparedRepeatsStateTheirRatioWithItsInterval()
    {
        const auto repeats = [](const QString &name, const std::vector<double> &walls) {
            QList<std::shared_ptr<const RunResult>> runs;
            for (double wall : walls) {
                RunResult r = syntheticRun(4);
                r.name = name;
                r.wallSeconds = wall;
                runs.append(std::make_shared<const RunResult>(r));
            }
            return runs;
        };
        const QString none = QStringLiteral("lock none");
        const QString target = QStringLiteral("lock target");
        QLabel *label = m_view->comparisonLabel();
        m_view->setRunOrder(RunOrder::Interleaved);

        // Target takes twice as long: the sentence the command line prints, interval included.
        m_view->showRuns(repeats(target, {0.20, 0.21, 0.19, 0.20, 0.20})
                         + repeats(none, {0.10, 0.11, 0.09, 0.10, 0.10}));
        QVERIFY(label->isVisible());
        const QString text = label->text();
        const QRegularExpression faster(QStringLiteral("^lock none is 2\\.00× faster than lock target \\(95 % CI "
                                                       "(\\d\\.\\d\\d)–(\\d\\.\\d\\d), n = 5, interleaved\\)$"));
        const QRegularExpressionMatch m = faster.match(text);
        QVERIFY2(m.hasMatch(), qPrintable(text));
        QVERIFY(m.captured(1).toDouble() > 1.5 && m.captured(1).toDouble() <= 2.0);
        QVERIFY(m.captured(2).toDouble() >= 2.0 && m.captured(2).toDouble() < 2.5);

        // Overlapping times: no clear difference.
        m_view->setRunOrder(RunOrder::Sequential);
        m_view->showRuns(repeats(none, {0.10, 0.12, 0.08, 0.11, 0.09})
                         + repeats(target, {0.11, 0.09, 0.10, 0.08, 0.12}));
        QVERIFY2(label->text().startsWith(QStringLiteral("no clear difference between lock none and lock target (lock "
                                                         "none is 1.00× as fast, 95 % CI ")),
                 qPrintable(label->text()));
        QVERIFY(label->text().endsWith(QStringLiteral(", n = 5, sequential)")));

        // One run each: what an interval needs.
        m_view->showRuns(repeats(none, {0.1}) + repeats(target, {0.2}));
        QCOMPARE(label->text(),
                 QStringLiteral("lock none against lock target: select at least 3 finished runs of each "
                                "(now 1 and 1) to compare them with an interval"));
        // Repeats of one run, or three runs: nothing to say.
        m_view->showRuns(repeats(none, {0.1, 0.1, 0.1}));
        QVERIFY(!label->isVisible());
    }

    void exportsAPngOfTheRequestedSize()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("profile.png"));
        QString error;
        QVERIFY2(exportProfilePng(*m_run, path, QSize(1000, 700), &error), qPrintable(error));
        const QImage image(path);
        QCOMPARE(image.size(), QSize(1000, 700));
        QVERIFY(distinctColours(image) > 20);
        // The Gantt's write colour and the CPU line are both in the picture.
        bool write = false;
        for (int y = 0; y < image.height() && !write; ++y)
            for (int x = 0; x < image.width() && !write; ++x)
                write = QColor(image.pixel(x, y)) == segmentColor(int(Phase::Write));
        QVERIFY(write);

        ProfileImageSpec spec;
        spec.runs = {m_run};
        spec.size = QSize(600, 400);
        spec.devicePixelRatio = 2;
        const QImage hidpi = renderProfileImage(spec);
        QCOMPARE(hidpi.size(), QSize(1200, 800));
        QVERIFY(distinctColours(hidpi) > 20);

        // A size nobody asked for grows as tall as the view's charts need at their readable minimum, so
        // that the lowest chart and its time axis are in the picture; a size asked for stays as it is.
        ProfileView reference(nullptr, ProfilePane::All);
        reference.showRuns({m_run});
        const int needed = reference.minimumSizeHint().height();
        QVERIFY(needed > 300);
        spec.size = QSize(800, 300);
        spec.devicePixelRatio = 1;
        QCOMPARE(renderProfileImage(spec).size(), QSize(800, 300));
        spec.growToFit = true;
        QCOMPARE(renderProfileImage(spec).size(), QSize(800, needed));
        spec.size = QSize(800, needed + 100);
        QCOMPARE(renderProfileImage(spec).size(), QSize(800, needed + 100));

        QVERIFY(!exportProfilePng(*m_run, dir.filePath(QStringLiteral("no/such/dir/x.png")), QSize(800, 600), &error));
        QVERIFY(error.contains(QStringLiteral("no/such/dir/x.png")));
        QVERIFY(!exportProfilePng(*m_run, path, QSize(10, 10), &error));
    }

private:
    std::shared_ptr<RunResult> m_run;
    std::unique_ptr<ProfileView> m_view;
};

QTEST_MAIN(TestChartComparisons)
#include "tst_chartcomparisons.moc"
