// The main window as a user first sees it, at a small, a medium and a large screen size, in the states
// that used to break its layout: the default scenario, a comparison of 2 and of 4 runs, a failed run
// and a form with errors. Each state is checked for what makes it legible (no axis label cut to an
// ellipsis, every chart at least its readable height, a failure's whole error in sight, every field's
// error at once) and, when CHUNKSCOPE_SCREENSHOTS names a folder, saved there as a picture for the
// README (tests/gui/readme-pictures.sh).
#include "chartchecks.h"
#include "charts/figureline.h"
#include "charts/ganttchart.h"
#include "charts/overviewstrip.h"
#include "charts/profilepane.h"
#include "charts/profileview.h"
#include "charts/resourcechart.h"
#include "results/resultsjson.h"
#include "testfiles.h"
#include "windows/arrayform.h"
#include "windows/runstablemodel.h"
#include "windows/scenariodocument.h"
#include "windows/scenariopanel.h"
#include "windowtests.h"

#include <QItemSelectionModel>
#include <QJsonArray>
#include <QLabel>
#include <QSortFilterProxyModel>
#include <QTableView>
#include <QTemporaryDir>
#include <QTextDocument>
#include <QTreeWidget>
#include <QtTest>

using namespace cs;

namespace {

// The notebook's Zarr copy made small, with and without the lock on 1 and 2 workers: the comparisons
// show real profiles.
const QByteArray kSweep = R"({
  "chunkscope": 1,
  "name": "Zarr copies, with and without the lock",
  "arrays": {
    "a1": {"store": "memory", "dtype": "<i4", "shape": [20000000], "chunks": [1048576], "fill": "arange"},
    "z1": {"store": "zarr", "like": "a1", "fill": {"copy": "a1"},
           "compressor": {"id": "blosc", "cname": "blosclz", "clevel": 5, "shuffle": 1}},
    "z2": {"store": "zarr", "like": "z1", "fill": "empty"}
  },
  "runs": [{"name": "zarr", "source": "z1", "target": "z2", "workers": [1, 2], "lock": [true, false],
            "sample_ms": 5}]
})";

const QString kFailure = QStringLiteral(
    "array z, chunk [3]: cannot read /data/experiments/2026/a/path/long/enough/to/need/more/than/one/line/z.zarr/3: "
    "Input/output error (the disk returned a bad block); the run stopped after 3 of 40 chunks");

struct Size {
    const char *name;
    int width;
    int height;
};
const Size kSizes[] = {{"1024x700", 1024, 700}, {"1600x1000", 1600, 1000}, {"2560x1440", 2560, 1440}};

} // namespace

class TestWindowLayout : public QObject {
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    QString m_shots = qEnvironmentVariable("CHUNKSCOPE_SCREENSHOTS");
    QString m_sweepResults; // the results document of kSweep, run once

    void save(MainWindow &w, const QString &state, const char *size)
    {
        if (m_shots.isEmpty())
            return;
        QDir().mkpath(m_shots);
        const QString path = QDir(m_shots).filePath(QStringLiteral("%1-%2.png").arg(state, QLatin1String(size)));
        QVERIFY2(w.grab().save(path), qPrintable(path));
    }

    static void settle(MainWindow &w, const Size &size)
    {
        w.resize(size.width, size.height);
        // Layouts and the charts' own deferred layouts run from posted events.
        for (int i = 0; i < 5; ++i) {
            QApplication::processEvents();
            QTest::qWait(10);
        }
        QCOMPARE(w.size(), QSize(size.width, size.height));
    }

    // The title shows every figure, whole: the pane breaks it into lines that each fit its width.
    static void checkTitle(const FigureLine *title, const QString &at)
    {
        if (!title || !title->isVisible())
            return;
        const QStringList lines = title->text().split(QStringLiteral("<br>"));
        QCOMPARE(lines.size(), title->lineCount());
        QCOMPARE(lines.join(QStringLiteral(" &nbsp;·&nbsp; ")), FigureLine::join(title->figures()));
        for (const QString &line : lines) {
            QTextDocument doc;
            doc.setDefaultFont(title->font());
            doc.setDocumentMargin(0);
            doc.setHtml(line);
            QVERIFY2(doc.idealWidth() <= title->contentsRect().width(),
                     qPrintable(QStringLiteral("%1: title line of %2 px in %3 px: %4")
                                    .arg(at)
                                    .arg(doc.idealWidth())
                                    .arg(title->contentsRect().width())
                                    .arg(line)));
        }
        QVERIFY2(title->height() >= title->sizeHint().height(), qPrintable(at));
    }

    // Every chart of every pane shown at least its readable height, and no axis label elided.
    static void checkCharts(MainWindow &w, const QString &where)
    {
        ProfileView *view = w.profileView();
        for (int i = 0; i < view->paneCount(); ++i) {
            ProfilePane *pane = view->pane(i);
            if (!pane->isVisible())
                continue;
            const QString at = QStringLiteral("%1, pane %2").arg(where).arg(i);
            checkTitle(pane->titleLine(), at);
            GanttChart *g = pane->gantt();
            if (g->isVisible()) {
                QVERIFY2(g->height() >= g->minimumSizeHint().height(), qPrintable(at));
                QVERIFY2(g->plotRect().height() / std::max(1, g->data().workers()) >= 14, qPrintable(at));
            }
            for (ResourceChart *c : {pane->resources(), pane->faults()}) {
                if (!c->isVisible())
                    continue;
                QVERIFY2(c->height() >= 140, qPrintable(QStringLiteral("%1: chart of %2 px").arg(at).arg(c->height())));
                const QStringList labels = testing::visibleChartTexts(c);
                for (const QString &t : labels)
                    QVERIFY2(!t.contains(QChar(0x2026)) && !t.contains(QLatin1String("...")),
                             qPrintable(QStringLiteral("%1: label \"%2\"").arg(at, t)));
                QVERIFY2(labels.size() >= 4, qPrintable(at)); // the check saw the axis labels
                // The legend's entries all show, whole, above the plot: more rows rather than cut off.
                const QList<QRectF> entries = testing::legendLabelRects(c);
                QVERIFY2(!entries.isEmpty(), qPrintable(at));
                for (const QRectF &r : entries)
                    QVERIFY2(r.right() <= c->width() && r.bottom() <= c->chart()->plotArea().top() + 2,
                             qPrintable(QStringLiteral("%1: legend entry at x %2 to %3, y to %4, in a chart %5 px "
                                                       "wide whose plot starts at y %6")
                                            .arg(at)
                                            .arg(r.left())
                                            .arg(r.right())
                                            .arg(r.bottom())
                                            .arg(c->width())
                                            .arg(c->chart()->plotArea().top())));
            }
        }
    }

    static void selectRows(MainWindow &w, int first, int count)
    {
        auto *proxy = static_cast<QSortFilterProxyModel *>(w.runsView()->model());
        QItemSelection selection;
        for (int row = first; row < first + count; ++row) {
            const QModelIndex i = proxy->mapFromSource(w.runsModel()->index(row, 0));
            selection.select(i, i);
        }
        w.runsView()->selectionModel()->select(selection,
                                               QItemSelectionModel::ClearAndSelect | QItemSelectionModel::Rows);
    }

private slots:
    void initTestCase()
    {
        startFromEmptySettings();
        QVERIFY(m_dir.isValid());
        // The sweep run once, in the window, its results kept for every size's comparisons.
        const QString path = writeFileIn(m_dir, QStringLiteral("sweep.json"), kSweep);
        MainWindow w;
        w.show();
        QVERIFY(openAndRunAll(w, path, 120000));
        QCOMPARE(w.runsModel()->rowCount(), 4);
        m_sweepResults = m_dir.filePath(QStringLiteral("sweep-results.json"));
        QString error;
        QVERIFY2(w.exportResults(m_sweepResults, &error), qPrintable(error));
    }

    void defaultScenario_data()
    {
        QTest::addColumn<int>("size");
        for (int i = 0; i < 3; ++i)
            QTest::newRow(kSizes[i].name) << i;
    }
    void defaultScenario()
    {
        QFETCH(int, size);
        MainWindow w;
        w.show();
        settle(w, kSizes[size]);
        // The first screen: the scenario item selected and in sight, its summary shown first.
        QTreeWidget *tree = w.scenarioPanel()->findChild<QTreeWidget *>();
        QVERIFY(tree);
        QVERIFY(tree->currentItem());
        QCOMPARE(tree->currentItem()->text(0), QStringLiteral("Scenario"));
        QVERIFY(tree->visualItemRect(tree->currentItem()).top() >= 0);
        const QString summary = w.scenarioPanel()->summaryText();
        QVERIFY2(summary.contains(QStringLiteral("Memory needed:")), qPrintable(summary));
        QVERIFY2(summary.contains(QStringLiteral("numpy, lock")), qPrintable(summary));
        save(w, QStringLiteral("default"), kSizes[size].name);
    }

    void comparisons_data() { defaultScenario_data(); }
    void comparisons()
    {
        QFETCH(int, size);
        MainWindow w;
        w.show();
        settle(w, kSizes[size]);
        // The sweep's results, opened as File › Open opens them: all four runs, then two, compared.
        QString error;
        QVERIFY2(w.openScenario(m_sweepResults, &error), qPrintable(error));
        QCOMPARE(w.runsModel()->rowCount(), 4);
        for (const int n : {4, 2}) {
            selectRows(w, 0, n);
            settle(w, kSizes[size]);
            QCOMPARE(w.profileView()->paneCount(), n);
            checkCharts(w, QStringLiteral("%1 runs at %2").arg(n).arg(QLatin1String(kSizes[size].name)));
            save(w, QStringLiteral("compare%1").arg(n), kSizes[size].name);
        }
    }

    void failedRun_data() { defaultScenario_data(); }
    void failedRun()
    {
        QFETCH(int, size);
        RunResult failed;
        failed.name = QStringLiteral("zarr, no lock");
        failed.workers = 2;
        failed.status = RunResult::Status::Failed;
        failed.error = kFailure;
        failed.source.id = QStringLiteral("z1");
        failed.source.store = QStringLiteral("zarr");
        failed.target.id = QStringLiteral("z2");
        failed.target.store = QStringLiteral("zarr");
        const QString results = m_dir.filePath(QStringLiteral("failed.json"));
        QString error;
        QVERIFY2(writeResultsFile(results, QStringLiteral("failing"), HostInfo::current(), {failed}, &error),
                 qPrintable(error));
        MainWindow w;
        w.show();
        // File › Open takes a results document as results.
        QVERIFY2(w.openScenario(results, &error), qPrintable(error));
        QCOMPARE(w.runsModel()->rowCount(), 1);
        settle(w, kSizes[size]);
        ProfilePane *pane = w.profileView()->pane(0);
        QVERIFY(pane);
        QLabel *banner = pane->errorBanner();
        QVERIFY(banner->isVisible());
        QCOMPARE(banner->text(), QStringLiteral("failed: ") + kFailure);
        // The whole text in sight: wrapped within the window, as tall as its lines need.
        QVERIFY(banner->wordWrap());
        QVERIFY(banner->width() <= w.width());
        QVERIFY(banner->height() >= banner->heightForWidth(banner->width()));
        QVERIFY(!pane->gantt()->isVisible());
        // No chart, no overview of an empty run, and no figures a run that copied nothing cannot have;
        // the banner sits right under the title, however tall the view.
        QVERIFY(!w.profileView()->overview()->isVisible());
        QCOMPARE(pane->titleLine()->figures(),
                 (QStringList{QStringLiteral("<b>zarr, no lock</b>"), QStringLiteral("zarr → zarr"),
                              QStringLiteral("2 workers"), QStringLiteral("lock target"),
                              QStringLiteral("<span style='color:#c53030'>failed</span>")}));
        const QRect title = pane->titleLine()->geometry();
        QVERIFY2(banner->geometry().top() - title.bottom() <= 12,
                 qPrintable(QStringLiteral("title ends at %1, banner starts at %2")
                                .arg(title.bottom())
                                .arg(banner->geometry().top())));
        save(w, QStringLiteral("failed"), kSizes[size].name);
    }

    void formWithErrors_data() { defaultScenario_data(); }
    void formWithErrors()
    {
        QFETCH(int, size);
        MainWindow w;
        w.show();
        settle(w, kSizes[size]);
        ScenarioPanel *panel = w.scenarioPanel();
        panel->selectArray(QStringLiteral("a1"));
        QApplication::processEvents();
        ArrayForm *form = panel->arrayForm();
        const int formTop = form->mapTo(panel, QPoint(0, 0)).y();
        QJsonObject given = w.document()->scenario().array(QStringLiteral("a1"))->given;
        given.insert(QStringLiteral("dtype"), QStringLiteral("int33"));
        given.insert(QStringLiteral("chunks"), QJsonArray{0});
        w.document()->setArrayGiven(QStringLiteral("a1"), given);
        QTest::qWait(20);
        QVERIFY(!w.document()->isValid());
        // Every field's error at once, each under its own field, in the command line's words.
        QCOMPARE(w.document()->fieldErrors().size(), 2);
        for (const FieldError &e : w.document()->fieldErrors()) {
            const QString key = e.pointer.section(QLatin1Char('/'), 3, 3);
            QCOMPARE(form->rows().errorText(key), e.line);
        }
        QVERIFY(
            form->rows().errorText(QStringLiteral("dtype")).startsWith(QStringLiteral("scenario: /arrays/a1/dtype: ")));
        QVERIFY(form->rows()
                    .errorText(QStringLiteral("chunks"))
                    .startsWith(QStringLiteral("scenario: /arrays/a1/chunks/0: ")));
        // The banner did not push the form down under the pointer.
        QVERIFY(panel->bannerText().startsWith(QStringLiteral("The scenario is not valid")));
        QCOMPARE(form->mapTo(panel, QPoint(0, 0)).y(), formTop);
        save(w, QStringLiteral("form-errors"), kSizes[size].name);
        QString error;
        QVERIFY(w.document()->loadBytes(kSweep, QStringLiteral("layout"), &error)); // no unsaved changes
    }
};

QTEST_MAIN(TestWindowLayout)
#include "tst_windowlayout.moc"
