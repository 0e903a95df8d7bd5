// A sweep run from the window: workers 1-2 x lock on/off over a small Zarr copy. The scaling chart
// shows 2 lines of 2 points whose values and whose table's speed-ups and efficiencies are the
// results' own; the verdict under the profile is verdictFor's; the charts export as valid SVG; and
// the selected runs export as a Chrome trace and as CSV from the app.
#include "charts/profileexport.h"
#include "charts/profilepane.h"
#include "charts/profileview.h"
#include "charts/scalingchart.h"
#include "charts/scalingtablemodel.h"
#include "charts/verdictlabel.h"
#include "modalanswer.h"
#include "results/sweepsummary.h"
#include "results/verdict.h"
#include "windows/exportdialog.h"
#include "windows/mainwindow.h"
#include "windows/runstablemodel.h"
#include "windows/scalingpanel.h"
#include "windows/scenariopanel.h"
#include "windowtests.h"

#include <QAction>
#include <QComboBox>
#include <QDoubleSpinBox>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLineEdit>
#include <QLineSeries>
#include <QSettings>
#include <QStandardPaths>
#include <QTabWidget>
#include <QTableView>
#include <QTemporaryDir>
#include <QValueAxis>
#include <QXmlStreamReader>
#include <QtTest>

using namespace cs;
using testing::ModalAnswer;

namespace {

// The sweep of workers 1-2 x lock on/off over a small Zarr copy, shared with the other GUI tests.
const QString kSweepScenario
    = qEnvironmentVariable("CHUNKSCOPE_TEST_DATA") + QStringLiteral("/data/scenarios/small-zarr-sweep.json");

// The elements of an SVG file by name, or an empty map when it is not well-formed XML with an <svg> root.
QMap<QString, int> svgElements(const QString &path)
{
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        return {};
    QXmlStreamReader xml(&f);
    QMap<QString, int> count;
    bool root = true;
    while (!xml.atEnd()) {
        if (xml.readNext() != QXmlStreamReader::StartElement)
            continue;
        if (root && xml.name() != QLatin1String("svg"))
            return {};
        root = false;
        ++count[xml.name().toString()];
    }
    if (xml.hasError())
        return {};
    return count;
}

} // namespace

class TestSweepWindow : public QObject {
    Q_OBJECT

private slots:
    void initTestCase()
    {
        startFromEmptySettings();
        QVERIFY(m_dir.isValid());
    }

    void sweepShowsScalingVerdictsAndExports()
    {
        const QString scenario = kSweepScenario;
        MainWindow w;
        w.resize(1400, 900);
        w.show();
        QString error;
        QVERIFY2(w.openScenario(scenario, &error), qPrintable(error));
        w.scenarioPanel()->selectRun(0);
        QVERIFY(runSelectedToTheEnd(w, 120000));

        // Four runs, workers outermost, then lock.
        QCOMPARE(w.runsModel()->rowCount(), 4);
        QMap<QPair<int, LockMode>, double> gbps;
        for (const auto &r : w.runsModel()->runs()) {
            QCOMPARE(r->status, RunResult::Status::Ok);
            QCOMPARE(r->verified, std::optional<bool>(true));
            QVERIFY(r->sweep.has_value());
            QCOMPARE(r->sweep->of, QStringLiteral("zarr"));
            gbps.insert({r->workers, r->lock}, r->throughputGbps());
        }
        QCOMPARE(gbps.size(), 4);

        // The window turned to the scaling chart: one line per lock mode, a point per worker count,
        // each at the run's own throughput.
        QCOMPARE(w.tabs()->currentWidget(), static_cast<QWidget *>(w.scalingPanel()));
        ScalingChart *chart = w.scalingPanel()->chart();
        QVERIFY(chart->hasSummary());
        QCOMPARE(chart->summary().name, QStringLiteral("zarr"));
        QCOMPARE(chart->series().size(), 2);
        const LockMode locks[] = {LockMode::Target, LockMode::None};
        for (int l = 0; l < 2; ++l) {
            QLineSeries *s = chart->series()[l];
            QCOMPARE(s->name(), QStringLiteral("lock=") + lockModeName(locks[l]));
            QCOMPARE(s->count(), 2);
            for (int i = 0; i < 2; ++i) {
                QCOMPARE(s->at(i).x(), double(i + 1));
                QCOMPARE(s->at(i).y(), gbps.value({i + 1, locks[l]}));
            }
        }
        QVERIFY(chart->titleText().contains(QStringLiteral("4 finished runs")));
        QVERIFY(chart->noteText().isEmpty()); // every line has its 1-worker run

        // The table: speed-up and efficiency against the same lock mode's 1-worker run.
        const ScalingTableModel *model = chart->model();
        QCOMPARE(model->rowCount(), 4);
        for (int row = 0; row < 4; ++row) {
            auto value = [&](int column) { return model->index(row, column).data(ScalingTableModel::ValueRole); };
            const int workers = value(ScalingTableModel::WorkersColumn).toInt();
            const LockMode lock = *lockModeFromName(value(ScalingTableModel::LockColumn).toString());
            const double expected = gbps.value({workers, lock}) / gbps.value({1, lock});
            QCOMPARE(value(ScalingTableModel::ThroughputColumn).toDouble(), gbps.value({workers, lock}));
            QVERIFY(qFuzzyCompare(value(ScalingTableModel::SpeedupColumn).toDouble(), expected));
            QVERIFY(qFuzzyCompare(value(ScalingTableModel::EfficiencyColumn).toDouble(), expected / workers));
            QCOMPARE(model->index(row, ScalingTableModel::SpeedupColumn).data().toString(),
                     QString::number(expected, 'f', 2) + QStringLiteral("×"));
            QCOMPARE(model->index(row, ScalingTableModel::EfficiencyColumn).data().toString(),
                     QString::number(100 * expected / workers, 'f', 0) + QStringLiteral(" %"));
        }

        // The verdict under the selected run's title is verdictFor's, on screen.
        const auto last = w.runsModel()->run(3);
        QCOMPARE(w.selectedRuns(), QList<std::shared_ptr<const RunResult>>{last});
        VerdictLabel *verdict = w.profileView()->pane(0)->verdict();
        QVERIFY(verdict);
        const Verdict expected = verdictFor(*last);
        QVERIFY(!expected.headline.isEmpty());
        QCOMPARE(verdict->verdict().headline, expected.headline);
        QCOMPARE(verdict->headlineText(), QStringLiteral("verdict: ") + expected.headline);
        QVERIFY(verdict->breakdownText().startsWith(QStringLiteral("where the time went (2 workers × ")));
        QVERIFY(verdict->breakdownText().contains(QStringLiteral("decode ")));
        w.tabs()->setCurrentIndex(0);
        QTRY_VERIFY(verdict->isVisible());
        QVERIFY(verdict->height() >= 2 * verdict->fontMetrics().lineSpacing());

        // Every run selected: still the one sweep.
        w.runsView()->selectAll();
        QCOMPARE(w.selectedRuns().size(), 4);
        QVERIFY(chart->hasSummary());
        QCOMPARE(w.scalingPanel()->sweeps().size(), 1);

        // SVG: the scaling chart from the export dialog (by the file's extension), and a profile.
        w.tabs()->setCurrentWidget(w.scalingPanel());
        QVERIFY(w.action(QStringLiteral("exportPng"))->isEnabled());
        const QString scalingSvg = m_dir.filePath(QStringLiteral("zarr.scaling.svg"));
        bool ratioEnabled = true;
        ModalAnswer<ExportDialog> exportAnswer([scalingSvg, &ratioEnabled](ExportDialog *dialog) {
            dialog->findChild<QLineEdit *>()->setText(scalingSvg);
            ratioEnabled = dialog->findChild<QDoubleSpinBox *>()->isEnabled();
            dialog->accept();
        });
        w.action(QStringLiteral("exportPng"))->trigger();
        QVERIFY2(exportAnswer.answered(), "the export dialog did not appear");
        QVERIFY(!ratioEnabled); // an SVG has no pixel ratio
        QMap<QString, int> elements = svgElements(scalingSvg);
        QVERIFY2(!elements.isEmpty(), "the scaling SVG is not an <svg> document");
        QVERIFY(elements.value(QStringLiteral("polyline")) >= 2); // the two lines
        QVERIFY(elements.value(QStringLiteral("text")) >= 20); // axes, legend and table as text
        QVERIFY(!elements.contains(QStringLiteral("image"))); // no bitmaps: a drawing throughout

        const QString profileSvg = m_dir.filePath(QStringLiteral("profile.svg"));
        QVERIFY2(exportProfilePicture(*last, profileSvg, QSize(1200, 800), &error), qPrintable(error));
        elements = svgElements(profileSvg);
        QVERIFY2(!elements.isEmpty(), "the profile SVG is not an <svg> document");
        QVERIFY(elements.value(QStringLiteral("path")) >= 1);
        QVERIFY(elements.value(QStringLiteral("rect"))
                >= int(last->events.size())); // a rect per Gantt segment at least
        QFile svgText(profileSvg);
        QVERIFY(svgText.open(QIODevice::ReadOnly));
        const QByteArray svg = svgText.readAll();
        QVERIFY(svg.contains("viewBox=\"0 0 1200 800\""));
        QVERIFY(svg.contains(expected.headline.left(20).toUtf8())); // the verdict is text in the drawing

        // Chrome trace and CSV of the selected runs, from the app.
        const QString trace = m_dir.filePath(QStringLiteral("runs.trace.json"));
        QVERIFY(w.action(QStringLiteral("exportTrace"))->isEnabled());
        QVERIFY2(w.exportTrace(trace, &error), qPrintable(error));
        QFile traceFile(trace);
        QVERIFY(traceFile.open(QIODevice::ReadOnly));
        const QJsonArray events
            = QJsonDocument::fromJson(traceFile.readAll()).object().value(QStringLiteral("traceEvents")).toArray();
        QHash<int, QSet<int>> threads; // pid -> tids named
        int tasks = 0;
        for (const QJsonValue &v : events) {
            const QJsonObject e = v.toObject();
            if (e.value(QStringLiteral("name")).toString() == QLatin1String("thread_name"))
                threads[e.value(QStringLiteral("pid")).toInt()].insert(e.value(QStringLiteral("tid")).toInt());
            if (e.value(QStringLiteral("name")).toString().startsWith(QLatin1String("task ")))
                ++tasks;
        }
        QCOMPARE(threads.size(), 4);
        int64_t expectedTasks = 0;
        for (const auto &r : w.runsModel()->runs())
            expectedTasks += r->tasks;
        QCOMPARE(tasks, int(expectedTasks));
        for (auto it = threads.cbegin(); it != threads.cend(); ++it)
            QCOMPARE(it.value().size(), w.runsModel()->run(it.key() - 1)->workers);

        const QString csv = m_dir.filePath(QStringLiteral("csv"));
        QVERIFY2(w.exportCsv(csv, &error), qPrintable(error));
        const QStringList files = QDir(csv).entryList(QDir::Files);
        QCOMPARE(files.size(), 8);
        QFile tasksCsv(QDir(csv).filePath(QStringLiteral("zarr__workers_2_lock_none_.tasks.csv")));
        QVERIFY(tasksCsv.open(QIODevice::ReadOnly));
        QCOMPARE(tasksCsv.readAll().count('\n'), int(last->tasks) + 1); // a header and a line per task

        // Nothing selected: nothing to export, and the app says so rather than writing an empty file.
        w.runsView()->clearSelection();
        QVERIFY(!w.action(QStringLiteral("exportTrace"))->isEnabled());
        QVERIFY(!w.exportTrace(m_dir.filePath(QStringLiteral("none.json")), &error));
        QCOMPARE(error, QStringLiteral("no runs are selected"));
        QVERIFY(chart->hasSummary()); // the chart keeps its sweep while nothing is selected
    }

    void aRunOfNoSweepSaysSo()
    {
        ScalingPanel panel;
        panel.showSweeps({});
        QVERIFY(!panel.chart()->hasSummary());
        QCOMPARE(panel.chart()->series().size(), 0);

        SweepSummary one;
        one.name = QStringLiteral("first");
        ScalingLine line;
        line.label = QStringLiteral("lock=target");
        line.baselineWorkers = 2;
        line.points = {ScalingPoint{2, 1.0, 1.0, 1, 1.0, 1.0, QStringLiteral("lock")},
                       ScalingPoint{4, 1.5, 0.5, 1, 1.5, 0.75, QStringLiteral("codec")}};
        one.lines = {line};
        one.note = QStringLiteral("speed-up and efficiency of lock=target are against 2 workers");
        SweepSummary two = one;
        two.name = QStringLiteral("second");
        panel.showSweeps({one, two});
        QVERIFY(panel.sweepChooser()->isVisibleTo(&panel));
        QCOMPARE(panel.currentSweep(), QStringLiteral("first"));
        panel.sweepChooser()->setCurrentIndex(1);
        QCOMPARE(panel.currentSweep(), QStringLiteral("second"));
        QCOMPARE(panel.chart()->noteText(), one.note);
        // Refreshed with the same sweeps (a run finished), the one shown stays, and its series too.
        QLineSeries *series = panel.chart()->series().value(0);
        two.lines[0].points.append(ScalingPoint{8, 2.0, 0.25, 1, 2.0, 0.5, QStringLiteral("codec")});
        panel.showSweeps({one, two});
        QCOMPARE(panel.currentSweep(), QStringLiteral("second"));
        QCOMPARE(panel.chart()->series().value(0), series);
        QCOMPARE(series->count(), 3);
        QCOMPARE(panel.chart()->model()->rowCount(), 3);
        QCOMPARE(panel.chart()->model()->index(2, ScalingTableModel::BoundColumn).data().toString(),
                 QStringLiteral("codec"));
        QCOMPARE(panel.chart()->workersAxis()->max() > 8, true);
    }

private:
    QTemporaryDir m_dir;
};

QTEST_MAIN(TestSweepWindow)
#include "tst_sweepwindow.moc"
