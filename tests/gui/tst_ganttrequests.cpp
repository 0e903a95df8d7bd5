// The requests of a run on object storage inside its Gantt bars: each attempt's connect, wait for the
// first byte and transfer at the pixel columns its times land on, failed attempts in their own colour,
// nothing where a bar is too narrow or a run made no requests, the legend and the tooltip; and a results
// document with requests opened in the window.
#include "chartfixtures.h"
#include "charts/requestmarks.h"
#include "results/resultsjson.h"
#include "windows/mainwindow.h"
#include "windowtests.h"

#include <QTextDocument>

#include <climits>

using namespace cs;
using namespace cs::testing;

namespace {

RequestTiming attempt(RequestTiming::Method method, int status, int attemptNo, int64_t startNs, int64_t connectUs,
                      int64_t firstByteUs, int64_t totalUs, int64_t bytes)
{
    RequestTiming t;
    t.method = method;
    t.status = int16_t(status);
    t.attempt = uint8_t(attemptNo);
    t.startNs = startNs;
    t.lookupUs = connectUs / 2;
    t.connectUs = connectUs;
    t.firstByteUs = firstByteUs;
    t.totalUs = totalUs;
    (method == RequestTiming::Method::Put ? t.bytesSent : t.bytesReceived) = bytes;
    return t;
}

// syntheticRun() with the requests of task 4 (worker 0, 20-28 ms: read to 22 ms, then write): a GET
// answered 503 at 20.2 ms, its retry at 20.8 ms, and a PUT on a reused connection from 22.5 ms whose
// first byte comes at 25.5 ms and which ends at 27.5 ms.
RunResult runWithRequests(int tasks = 40)
{
    RunResult r = syntheticRun(tasks);
    r.name = QStringLiteral("synthetic, s3");
    const auto add = [&](const RequestTiming &t) { r.requests.push_back(TaskRequest{4, 0, t}); };
    add(attempt(RequestTiming::Method::Get, 503, 0, 20200 * 1000, 100, 300, 400, 0));
    add(attempt(RequestTiming::Method::Get, 200, 1, 20800 * 1000, 0, 600, 1000, 4000));
    add(attempt(RequestTiming::Method::Put, 200, 0, 22500 * 1000, 0, 3000, 5000, 4000));
    // Its samples count the wire: sample s has s % 3 requests in flight and (s % 4) MB/s on the wire.
    for (size_t s = 0; s < r.samples.size(); ++s) {
        r.samples[s].requestsInFlight = int32_t(s % 3);
        r.samples[s].wireBytesPerSec = 1e6 * double(s % 4);
    }
    return r;
}

// Whether any pixel of `image` above logical row `height` (all of it by default) is `c`.
bool hasColour(const QImage &image, const QColor &c, int height = INT_MAX)
{
    const int rows = int(std::min<qreal>(image.height(), height * image.devicePixelRatio()));
    for (int y = 0; y < rows; ++y)
        for (int x = 0; x < image.width(); ++x)
            if (QColor(image.pixel(x, y)) == c)
                return true;
    return false;
}

// A tooltip as the user reads it: one line per paragraph or table cell.
QStringList toolTipLines(const QString &html)
{
    QTextDocument doc;
    doc.setHtml(html);
    return doc.toPlainText().split(QLatin1Char('\n'));
}

} // namespace

class TestGanttRequests : public QObject {
    Q_OBJECT

private slots:
    void init()
    {
        m_run = std::make_shared<RunResult>(runWithRequests());
        m_view = shownProfileView(m_run);
        QVERIFY(QTest::qWaitForWindowExposed(m_view.get()));
    }
    void cleanup() { m_view.reset(); }

    void requestsLandWhereTheirTimesDo()
    {
        GanttChart *g = m_view->pane(0)->gantt();
        QVERIFY(g->data().hasRequests());
        QCOMPARE(g->data().requestsOf(4).size(), 3);
        QCOMPARE(g->data().requestsOf(5).size(), 0);
        const QImage image = g->grab().toImage();
        const qreal dpr = image.devicePixelRatio();
        const QRect band = g->rowRect(0);
        const auto colourAt = [&](int x, int y) { return QColor(image.pixel(int(x * dpr), int(y * dpr))); };
        const auto column = [&](double seconds) { return int(std::lround(g->xForTime(seconds))); };
        const int strip = band.bottom() - 1; // inside the strip along the bar's bottom edge
        // The PUT's first byte at 25.5 ms: transfer from its column on, the wait for it just before.
        const int firstByte = column(0.0255);
        QCOMPARE(colourAt(firstByte, strip), requestPartColor(RequestPart::Transfer));
        QCOMPARE(colourAt(firstByte - 1, strip), requestPartColor(RequestPart::FirstByte));
        QCOMPARE(colourAt(column(0.0275), strip), segmentColor(int(Phase::Write))); // ended at 27.5 ms
        // Above the strip the bar keeps its phase's colour.
        QCOMPARE(colourAt(firstByte, band.top() + 1), segmentColor(int(Phase::Write)));
        // The 503 at 20.2 ms: the failed colour in the strip and a line through the whole bar.
        QCOMPARE(colourAt(column(0.0202), strip), requestPartColor(RequestPart::Failed));
        QCOMPARE(colourAt(column(0.0202), band.top() + 1), requestPartColor(RequestPart::Failed));
        QCOMPARE(colourAt(column(0.0202) + 1, band.top() + 1), segmentColor(int(Phase::Read)));
        // Task 6 made no requests: its bar has no strip.
        QCOMPARE(colourAt(column(0.0355), strip), segmentColor(int(Phase::Write)));
    }

    void aNarrowBarLeavesItsRequestsOut()
    {
        // Ten times as long a run in the same width: task 4's 8 ms bar is under 12 pixels.
        m_view->showRuns({std::make_shared<RunResult>(runWithRequests(400))});
        QApplication::processEvents();
        GanttChart *g = m_view->pane(0)->gantt();
        QVERIFY(g->xForTime(0.028) - g->xForTime(0.020) < 12);
        QVERIFY(g->xForTime(0.028) - g->xForTime(0.020) >= 3);
        const QImage image = g->grab().toImage();
        const qreal dpr = image.devicePixelRatio();
        const QRect band = g->rowRect(0);
        const int x = int(std::floor(g->xForTime(0.0255)));
        QCOMPARE(QColor(image.pixel(int(x * dpr), int((band.bottom() - 1) * dpr))), segmentColor(int(Phase::Write)));
    }

    void aRunWithoutRequestsKeepsItsDrawnBars()
    {
        // A live run ends by handing over its requests; none must not make the image of a million
        // bars be drawn again. Some must.
        GanttData d;
        d.setWorkers(2);
        d.append(syntheticRun().events);
        const uint64_t drawn = d.layoutVersion();
        d.setRequests({});
        QCOMPARE(d.layoutVersion(), drawn);
        d.setRequests(runWithRequests().requests);
        QVERIFY(d.layoutVersion() != drawn);
        QCOMPARE(d.requestsOf(4).size(), 3);
    }

    void cachedAndDirectPaintingAgree()
    {
        // The image of bars kept between refreshes holds the requests as paint() draws them.
        GanttChart *g = m_view->pane(0)->gantt();
        QImage cached(g->size(), QImage::Format_ARGB32_Premultiplied);
        QImage direct(g->size(), QImage::Format_ARGB32_Premultiplied);
        {
            QPainter p(&cached);
            g->paintCached(p);
        }
        {
            QPainter p(&direct);
            g->paint(p);
        }
        QCOMPARE(cached, direct);
    }

    void legendNamesTheMarksOnlyWhenTheRunHasRequests()
    {
        GanttChart *g = m_view->pane(0)->gantt();
        const int withRequests = g->plotRect().top(); // below the legend
        const QImage with = g->grab().toImage();
        m_view->showRuns({std::make_shared<RunResult>(syntheticRun())});
        QApplication::processEvents();
        QVERIFY(!g->data().hasRequests());
        QVERIFY(g->plotRect().top() <= withRequests);
        // The failed colour is in the legend's swatch with requests, nowhere without them.
        QVERIFY(hasColour(with, requestPartColor(RequestPart::Failed), withRequests));
        QVERIFY(!hasColour(g->grab().toImage(), requestPartColor(RequestPart::Failed)));
    }

    void aComparisonsOneLegendNamesTheMarksOfAnyGroup()
    {
        // Compact, the first group's legend serves both: it names the marks the second group's run has.
        m_view->showRuns({std::make_shared<RunResult>(syntheticRun()), m_run});
        m_view->setCompact(true);
        QApplication::processEvents();
        GanttChart *first = m_view->pane(0)->gantt();
        QVERIFY(!first->data().hasRequests());
        QVERIFY(hasColour(first->grab().toImage(), requestPartColor(RequestPart::Failed)));
        // Side by side, each run's own legend: the first run's says nothing of requests.
        m_view->setCompact(false);
        QApplication::processEvents();
        QVERIFY(!hasColour(first->grab().toImage(), requestPartColor(RequestPart::Failed)));
    }

    void hoverListsTheTasksRequests()
    {
        GanttChart *g = m_view->pane(0)->gantt();
        const QString tip = g->toolTipAt(QPoint(int(g->xForTime(0.024)), g->rowRect(0).center().y()));
        const QStringList lines = toolTipLines(tip);
        const qsizetype at = lines.indexOf(QStringLiteral("requests 3, 1 failed"));
        QVERIFY2(at >= 0, qPrintable(lines.join(QLatin1Char('|'))));
        // A row of cells per attempt: method, status, connect, first byte, transfer, bytes, retry.
        // Seven cells a row: method, status, connect ("reused" for a connection kept alive), first byte,
        // transfer, bytes, and which retry the attempt was.
        const QStringList expected{QString(),
                                   QStringLiteral("status"),
                                   QStringLiteral("connect"),
                                   QStringLiteral("first byte"),
                                   QStringLiteral("transfer"),
                                   QStringLiteral("bytes"),
                                   QString(),
                                   QStringLiteral("GET"),
                                   QStringLiteral("503"),
                                   QStringLiteral("100.0 µs"),
                                   QStringLiteral("200.0 µs"),
                                   QStringLiteral("100.0 µs"),
                                   QStringLiteral("0 B"),
                                   QString(),
                                   QStringLiteral("GET"),
                                   QStringLiteral("200"),
                                   QStringLiteral("reused"),
                                   QStringLiteral("600.0 µs"),
                                   QStringLiteral("400.0 µs"),
                                   QStringLiteral("3.9 KiB"),
                                   QStringLiteral("retry 1"),
                                   QStringLiteral("PUT"),
                                   QStringLiteral("200"),
                                   QStringLiteral("reused"),
                                   QStringLiteral("3.000 ms"),
                                   QStringLiteral("2.000 ms"),
                                   QStringLiteral("3.9 KiB"),
                                   QString()};
        QStringList cells;
        for (const QString &line : lines.mid(at + 1))
            cells.append(line.trimmed());
        QCOMPARE(cells.mid(0, expected.size()), expected);
        // The failed status in the failed colour.
        QVERIFY(tip.contains(
            QStringLiteral("<font color='%1'>503</font>").arg(requestPartColor(RequestPart::Failed).name())));
        // A task without requests says nothing of them.
        const QString other = g->toolTipAt(QPoint(int(g->xForTime(0.024)), g->rowRect(1).center().y()));
        QVERIFY(!other.isEmpty());
        QVERIFY(!other.contains(QStringLiteral("requests")));
    }

    // A run on object storage gets a chart of its requests in flight and the wire's rate under its
    // resources, on the shared time axis; a run without requests, finished or live, none.
    void wireChartShowsOnlyForRunsWithRequests()
    {
        ProfilePane *pane = m_view->pane(0);
        ResourceChart *wire = pane->wire();
        QVERIFY(wire->isVisibleTo(m_view.get()));
        QCOMPARE(wire->series().size(), 2);
        QCOMPARE(wire->series().at(0)->name(), QStringLiteral("requests in flight"));
        QCOMPARE(wire->series().at(1)->name(), QStringLiteral("on the wire"));
        QCOMPARE(wire->series().at(0)->count(), int(m_run->samples.size()));
        QCOMPARE(wire->series().at(0)->at(20), QPointF(0.1, 2.0)); // sample 20: 20 % 3 requests
        QCOMPARE(wire->series().at(1)->at(21), QPointF(0.105, 1.0)); // 21 % 4 MB/s, in MB/s
        const auto *rate = qobject_cast<QValueAxis *>(wire->series().at(1)->attachedAxes().at(1));
        QVERIFY(rate);
        QCOMPARE(rate->titleText(), QStringLiteral("wire (MB/s)"));
        // Time t on the same column as in the chart above.
        QCOMPARE(wire->positionFor(0.1, 0).x(), pane->resources()->positionFor(0.1, 0).x());
        const QString tip = wire->toolTipFor(0.1);
        QVERIFY2(tip.contains(QStringLiteral("requests in flight 2")), qPrintable(tip));
        QVERIFY2(tip.contains(QStringLiteral("on the wire 0.00 MB/s")), qPrintable(tip));
        QVERIFY2(wire->toolTipFor(0.105).contains(QStringLiteral("on the wire 1.00 MB/s")),
                 qPrintable(wire->toolTipFor(0.105)));

        // The same view showing a run in memory hides the chart.
        m_view->showRuns({std::make_shared<RunResult>(syntheticRun())});
        QApplication::processEvents();
        QVERIFY(!m_view->pane(0)->wire()->isVisibleTo(m_view.get()));

        // Live: shown once the snapshots' samples count the wire, hidden for the next run in memory.
        m_view->beginLive(syntheticLiveRun(QStringLiteral("live, s3")));
        QVERIFY(!m_view->pane(0)->wire()->isVisibleTo(m_view.get()));
        RunSnapshot live;
        live.tasksTotal = 40;
        live.samples.assign(m_run->samples.begin(), m_run->samples.begin() + 10);
        live.elapsedNs = live.samples.back().tNs;
        m_view->updateLive(live);
        QVERIFY(m_view->pane(0)->wire()->isVisibleTo(m_view.get()));
        // The points in view, as the CPU's above.
        QCOMPARE(m_view->pane(0)->wire()->series().at(0)->count(),
                 m_view->pane(0)->resources()->series().at(0)->count());
        QCOMPARE(m_view->pane(0)->wire()->samples().size(), size_t(10));
        m_view->beginLive(syntheticLiveRun(QStringLiteral("live, memory")));
        RunSnapshot local;
        local.tasksTotal = 40;
        const RunResult inMemory = syntheticRun();
        local.samples.assign(inMemory.samples.begin(), inMemory.samples.begin() + 10);
        m_view->updateLive(local);
        QVERIFY(!m_view->pane(0)->wire()->isVisibleTo(m_view.get()));
    }

    // Compared runs on object storage share the wire chart's scales, as they share the CPU's: the
    // slower run's rate reads against the faster one's.
    void comparedRunsShareTheWireScale()
    {
        RunResult fast = *m_run;
        fast.name = QStringLiteral("fast");
        for (ResourceSample &s : fast.samples) {
            s.wireBytesPerSec *= 10; // up to 30 MB/s
            s.requestsInFlight *= 4; // up to 8
        }
        m_view->showRuns({m_run, std::make_shared<RunResult>(fast)});
        QApplication::processEvents();
        QList<double> rates, requests;
        for (int i = 0; i < 2; ++i) {
            const ResourceChart *wire = m_view->pane(i)->wire();
            requests.append(qobject_cast<QValueAxis *>(wire->series().at(0)->attachedAxes().at(1))->max());
            const auto *rate = qobject_cast<QValueAxis *>(wire->series().at(1)->attachedAxes().at(1));
            QCOMPARE(rate->titleText(), QStringLiteral("wire (MB/s)"));
            rates.append(rate->max());
        }
        QCOMPARE(rates, QList<double>({50.0, 50.0})); // 1.05 × 30 MB/s, rounded up
        QCOMPARE(requests, QList<double>({10.0, 10.0})); // 1.05 × 8, rounded up
        // Alone, the slower run's chart fits its own figures.
        m_view->showRuns({m_run});
        QApplication::processEvents();
        const ResourceChart *alone = m_view->pane(0)->wire();
        QCOMPARE(qobject_cast<QValueAxis *>(alone->series().at(1)->attachedAxes().at(1))->max(), 5.0);
    }

    // The requests travel through a results document into the window that opens it. With
    // CHUNKSCOPE_HOLD_WINDOW_MS set, the window stays up that long, to be looked at (under xvfb-run,
    // with a screenshot of the display).
    void windowShowsTheRequestsOfAResultsDocument()
    {
        startFromEmptySettings();
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        const QString path = dir.filePath(QStringLiteral("s3-results.json"));
        QString error;
        QVERIFY2(writeResultsFile(path, QStringLiteral("object storage"), HostInfo(), {objectStorageRun()}, &error),
                 qPrintable(error));
        MainWindow w;
        w.resize(1400, 900);
        w.show();
        QVERIFY(QTest::qWaitForWindowExposed(&w));
        QVERIFY2(w.openResults(path, &error), qPrintable(error));
        QApplication::processEvents();
        GanttChart *g = w.profileView()->pane(0)->gantt();
        QCOMPARE(int64_t(g->data().requestsOf(3).size()), 3);
        QCOMPARE(g->data().requestsOf(3).first->timing.status, int16_t(503));
        if (const int hold = qEnvironmentVariableIntValue("CHUNKSCOPE_HOLD_WINDOW_MS"); hold > 0) {
            const QRect band = g->rowRect(g->data().requestsOf(3).first->worker);
            const QPoint at(int(g->xForTime(double(g->data().requestsOf(3).first->timing.startNs) / 1e9)) + 3,
                            band.center().y());
            QTest::mouseMove(g, at);
            QTest::qWait(hold);
        }
    }

private:
    std::shared_ptr<RunResult> m_run;
    std::unique_ptr<ProfileView> m_view;
};

QTEST_MAIN(TestGanttRequests)
#include "tst_ganttrequests.moc"
