// An MPI job's results document in the profile view: the Gantt's rows grouped by rank under headers
// that collapse, the resource charts per rank or summed, and a bar per rank of its wall time and bytes.
// The document is written by the code that writes it under mpirun, from two ranks' known reports.
#include "chartfixtures.h"
#include "charts/rankbarchart.h"
#include "cluster/clusterresults.h"
#include "results/resultsjson.h"
#include "results/runranks.h"

#include <QComboBox>

using namespace cs;
using namespace cs::testing;

namespace {

// Rank r ran tasks 20 r .. 20 r + 19 of a 40-task copy on its 2 workers, a task every 10 ms per
// worker on rank 0 and every 15 ms on rank 1, so rank 0 took 0.1 s and rank 1 0.15 s. Rank 0 samples
// 100 % CPU every 20 ms, rank 1 50 % every 20 ms from 10 ms.
RankReport rankReport(int rank)
{
    RunResult r = syntheticRun(20);
    r.shape = Coords::fromVector({40000});
    r.tasks = 40;
    const int64_t step = rank == 0 ? 10 * kMs : 15 * kMs;
    for (TaskEvent &e : r.events) {
        e.task += 20 * rank;
        e.startNs = (e.task % 20) / 2 * step;
        e.endNs = e.startNs + 8 * kMs;
    }
    r.wallSeconds = double(10 * step) / 1e9;
    r.samples.clear();
    for (int s = 0; s < 6; ++s) {
        ResourceSample sample;
        sample.tNs = s * 20 * kMs + rank * 10 * kMs;
        sample.cpuPercent = rank == 0 ? 100 : 50;
        sample.rssBytes = int64_t(rank + 1) << 20;
        r.samples.push_back(sample);
    }
    RankReport report;
    report.rank = rank;
    report.host = QStringLiteral("node%1").arg(rank);
    report.results = {r};
    report.originNs = {{0, 1'000'000'000}};
    report.tasks = 20;
    return report;
}

std::shared_ptr<RunResult> mpiRunFromDocument()
{
    const QList<MergedRun> merged = mergeRankReports({rankReport(0), rankReport(1)}, {ClockOffset(), ClockOffset()});
    JobClocks clocks;
    clocks.hosts = {QStringLiteral("node0"), QStringLiteral("node1")};
    clocks.offsets = {ClockOffset(), ClockOffset()};
    const QByteArray json
        = clusterResultsJson(QStringLiteral("ranks"), HostInfo(), merged, {Distribution::Block}, clocks);
    QString error;
    const std::optional<ResultsDocument> doc = parseResults(json, QStringLiteral("mpi.json"), &error);
    if (!doc || doc->runs.size() != 1)
        qFatal("the document did not read back: %s", qPrintable(error));
    return std::make_shared<RunResult>(doc->runs.first());
}

} // namespace

class TestRankView : public QObject {
    Q_OBJECT

private slots:
    void init()
    {
        m_run = mpiRunFromDocument();
        m_view = shownProfileView(m_run);
        QVERIFY(QTest::qWaitForWindowExposed(m_view.get()));
    }
    void cleanup() { m_view.reset(); }

    void documentReadsBackEveryRank()
    {
        QVERIFY(m_run->ranks);
        QCOMPARE(m_run->ranks->hosts, (QStringList{QStringLiteral("node0"), QStringLiteral("node1")}));
        QCOMPARE(m_run->events.size(), size_t(40));
        for (size_t i = 0; i < m_run->events.size(); ++i)
            QCOMPARE(m_run->ranks->eventRank(i), int(m_run->events[i].task / 20));
        QCOMPARE(m_run->ranks->figures.size(), qsizetype(2));
        QCOMPARE(m_run->ranks->figures.at(1).wallSeconds, 0.15);
        QCOMPARE(m_run->ranks->figures.at(1).tasks, int64_t(20));
        // Where the time went is shared over every rank's workers: the pool is 2 ranks x 2 workers.
        QCOMPARE(breakdownOf(*m_run).workers, 4);
        QCOMPARE(breakdownOf(*m_run).poolSeconds, 4 * m_run->wallSeconds);
    }

    void ganttRowsAreGroupedByRank()
    {
        GanttChart *g = m_view->pane(0)->gantt();
        QCOMPARE(g->data().workers(), 4);
        QCOMPARE(g->rankGroups().size(), qsizetype(2));
        QCOMPARE(g->rankGroups().at(1).label, QStringLiteral("rank 1 · node1 · 2 workers · 20 tasks · 0.1500 s"));
        const QRect header0 = g->rankHeaderRect(0);
        const QRect header1 = g->rankHeaderRect(1);
        QVERIFY(!header0.isEmpty() && !header1.isEmpty());
        // Rank 0's workers between the two headers, rank 1's below both.
        for (int row : {0, 1}) {
            QVERIFY2(g->rowRect(row).top() > header0.bottom(), qPrintable(QString::number(row)));
            QVERIFY2(g->rowRect(row).bottom() < header1.top(), qPrintable(QString::number(row)));
        }
        for (int row : {2, 3}) {
            QVERIFY2(g->rowRect(row).top() > header1.bottom(), qPrintable(QString::number(row)));
            QVERIFY(g->rowRect(row).bottom() <= g->plotRect().bottom());
        }
        // Each event drawn in its rank's rows: task 20 is rank 1's first, on its worker 0.
        QCOMPARE(g->data().event(2, 0).task, 20);
        QCOMPARE(g->data().event(0, 0).task, 0);
        const QImage image = g->grab().toImage();
        const QRect band = g->rowRect(2);
        const int x = int(g->xForTime(0.001));
        QCOMPARE(image.pixelColor(x, band.center().y()), segmentColor(int(Phase::Read)));
        QVERIFY(g->toolTipAt(QPoint(x, band.center().y())).contains(QStringLiteral("rank 1, worker 0")));
    }

    void collapsingARankHidesItsRows()
    {
        GanttChart *g = m_view->pane(0)->gantt();
        const QRect band = g->rowRect(2);
        const int x = int(g->xForTime(0.001));
        QTest::mouseClick(g, Qt::LeftButton, {}, g->rankHeaderRect(1).center());
        QVERIFY(g->isRankCollapsed(1));
        QVERIFY(!g->isRankCollapsed(0));
        QVERIFY(g->rowRect(2).isEmpty());
        QVERIFY(g->rowRect(3).isEmpty());
        for (int y = g->plotRect().top(); y <= g->plotRect().bottom(); ++y)
            QVERIFY2(g->rowAt(y) < 2, qPrintable(QString::number(y)));
        // Rank 0's rows take the room; no bar of rank 1 is drawn, and none answers the mouse.
        QVERIFY(g->rowRect(1).height() > band.height());
        QVERIFY(!g->toolTipAt(QPoint(x, band.center().y())).contains(QStringLiteral("rank 1")));
        const QImage image = g->grab().toImage();
        const QRect header1 = g->rankHeaderRect(1);
        for (int y = header1.bottom() + 1; y <= g->plotRect().bottom(); ++y)
            QVERIFY2(image.pixelColor(x, y) != segmentColor(int(Phase::Read)), qPrintable(QString::number(y)));
        QTest::mouseClick(g, Qt::LeftButton, {}, header1.center());
        QVERIFY(!g->isRankCollapsed(1));
        QCOMPARE(g->rowRect(2), band);
    }

    void barsMatchTheRanksWalls()
    {
        RankBarChart *bars = m_view->pane(0)->rankBars();
        QVERIFY(bars->isVisible());
        QCOMPARE(bars->ranks().size(), qsizetype(2));
        // Rank 1 is the slowest: its bar takes the whole span, rank 0's two thirds of it.
        QCOMPARE(bars->wallBarRect(1).width(), bars->barSpan());
        QVERIFY2(std::abs(bars->wallBarRect(0).width() - bars->barSpan() * 0.10 / 0.15) <= 1.0,
                 qPrintable(QString::number(bars->wallBarRect(0).width())));
        // Equal shares of bytes: equal bars.
        QCOMPARE(bars->bytesBarRect(0).width(), bars->barSpan());
        QCOMPARE(bars->bytesBarRect(1).width(), bars->barSpan());
        QVERIFY(bars->wallBarRect(1).top() > bars->wallBarRect(0).bottom());
        // 0.15 s over the mean of 0.125 s: the rank that holds the run back, as the verdict names it.
        QCOMPARE(bars->wallTitle(), QStringLiteral("wall time per rank · rank 1 1.20× the mean"));
        QVERIFY2(m_view->pane(0)->titleText().contains(QStringLiteral("2 ranks × 2 workers")),
                 qPrintable(m_view->pane(0)->titleText()));
    }

    void resourceChartsPerRankOrSummed()
    {
        ProfilePane *pane = m_view->pane(0);
        QComboBox *box = pane->rankSamplesBox();
        QVERIFY(box->isVisible());
        QCOMPARE(box->count(), 3);
        QCOMPARE(box->itemText(0), QStringLiteral("all 2 ranks, summed"));
        QCOMPARE(box->itemText(2), QStringLiteral("rank 1 (node1)"));
        // Summed: once both ranks sampled, 100 % + 50 %, 1 MiB + 2 MiB.
        const std::vector<ResourceSample> &summed = pane->resources()->samples();
        QCOMPARE(summed.size(), size_t(12));
        QCOMPARE(summed.back().cpuPercent, 150.0);
        QCOMPARE(summed.back().rssBytes, int64_t(3) << 20);
        box->setCurrentIndex(2);
        emit box->activated(2);
        const std::vector<ResourceSample> &own = pane->resources()->samples();
        QCOMPARE(own.size(), size_t(6));
        for (const ResourceSample &s : own)
            QCOMPARE(s.cpuPercent, 50.0);
        QCOMPARE(pane->faults()->samples().size(), size_t(6));
    }

    void oneProcessShowsNoRanks()
    {
        auto single = std::make_shared<RunResult>(syntheticRun());
        m_view->showRuns({single});
        ProfilePane *pane = m_view->pane(0);
        QVERIFY(pane->gantt()->rankGroups().isEmpty());
        QCOMPARE(pane->gantt()->data().workers(), 2);
        QVERIFY(!pane->rankBars()->isVisible());
        QVERIFY(!pane->rankSamplesBox()->isVisible());
        QCOMPARE(pane->resources()->samples().size(), single->samples.size());
    }

private:
    std::shared_ptr<RunResult> m_run;
    std::unique_ptr<ProfileView> m_view;
};

QTEST_MAIN(TestRankView)
#include "tst_rankview.moc"
