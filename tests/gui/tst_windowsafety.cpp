// What the window must never do with what a user types or picks: save a file it then refuses to
// open, block for good on a file it lists, grow past the screen, or read a name as markup.
#include "charts/scalingchart.h"
#include "cli/summarytable.h"
#include "modalanswer.h"
#include "results/sweepsummary.h"
#include "results/verdict.h"
#include "runner/arrayset.h"
#include "runner/runexecutor.h"
#include "scenario/scenarioparser.h"
#include "testfiles.h"
#include "windows/arrayform.h"
#include "windows/exportdialog.h"
#include "windows/formfields.h"
#include "windows/mainwindow.h"
#include "windows/runform.h"
#include "windows/runstablemodel.h"
#include "windows/scalingpanel.h"
#include "windows/scenariodocument.h"
#include "windows/scenariopanel.h"
#include "windowtests.h"

#include <QAction>
#include <QFileDialog>
#include <QJsonObject>
#include <QLabel>
#include <QLineEdit>
#include <QMessageBox>
#include <QPushButton>
#include <QScreen>
#include <QSettings>
#include <QStandardPaths>
#include <QStatusBar>
#include <QTableView>
#include <QTemporaryDir>
#include <QtTest>

using namespace cs;
using testing::EventLoopWatchdog;
using testing::ModalAnswerer;

namespace {

const char *const kSmallScenario = R"({
  "chunkscope": 1,
  "name": "small copy",
  "arrays": {
    "src": {"store": "memory", "dtype": "<i4", "shape": [1000], "chunks": [256], "fill": "arange"},
    "dst": {"store": "memory", "like": "src", "fill": "empty"}
  },
  "runs": [
    {"name": "copy", "source": "src", "target": "dst", "workers": 2, "sample_ms": 2}
  ]
})";

void typeInto(QLineEdit *edit, const QString &text)
{
    // Long values are pasted: ten thousand key events would only make the test slow.
    edit->selectAll();
    if (text.size() > 100)
        edit->insert(text);
    else
        QTest::keyClicks(edit, text);
    QTest::keyClick(edit, Qt::Key_Return);
    QApplication::processEvents();
}

QAbstractButton *buttonNamed(QMessageBox *box, const QString &text)
{
    for (QAbstractButton *b : box->buttons())
        if (b->text() == text)
            return b;
    return nullptr;
}

} // namespace

class TestWindowSafety : public QObject {
    Q_OBJECT

private slots:
    void initTestCase()
    {
        startFromEmptySettings();
        QVERIFY(m_dir.isValid());
    }

    // Ctrl+S on a scenario with an error asks first; "Cancel" leaves the file as it was, "Save
    // anyway" writes the draft, which opens again as that draft, its error under its field.
    void savesAnInvalidScenarioOnlyWhenAskedAndReopensIt()
    {
        const QString path = writeFileIn(m_dir, QStringLiteral("invalid.json"), kSmallScenario);
        MainWindow w;
        w.show();
        QString error;
        QVERIFY2(w.openScenario(path, &error), qPrintable(error));
        w.scenarioPanel()->selectRun(0);
        auto *workers
            = qobject_cast<QLineEdit *>(w.scenarioPanel()->runForm()->rows().editor(QStringLiteral("workers")));
        QVERIFY(workers);
        typeInto(workers, QStringLiteral("abc"));
        QVERIFY(!w.document()->isValid());
        QCOMPARE(w.document()->errorPointer(), QStringLiteral("/runs/0/workers"));

        QStringList asked;
        QString answer = QStringLiteral("Cancel");
        ModalAnswerer answerer([&](QWidget *modal) {
            auto *box = qobject_cast<QMessageBox *>(modal);
            if (!box)
                return false;
            asked.append(box->text());
            if (QAbstractButton *b = buttonNamed(box, answer))
                b->click();
            else
                box->reject();
            return true;
        });
        QVERIFY(QTest::qWaitForWindowActive(&w));
        QTest::keySequence(&w, QKeySequence::Save);
        QCOMPARE(asked.size(), 1);
        QCOMPARE(asked.first(),
                 QStringLiteral("The scenario is not valid:\n/runs/0/workers: ") + w.document()->errorMessage());
        QCOMPARE(readAll(path), QByteArray(kSmallScenario));
        QVERIFY(w.isWindowModified());

        answer = QStringLiteral("Save anyway");
        w.activateWindow();
        QVERIFY(QTest::qWaitForWindowActive(&w));
        QTest::keySequence(&w, QKeySequence::Save);
        QCOMPARE(asked.size(), 2);
        const QByteArray saved = readAll(path);
        QVERIFY2(saved.contains("\"workers\": \"abc\""), saved.constData());
        QVERIFY(!w.isWindowModified());
        QVERIFY(!parseScenario(saved, path, &error));
        QCOMPARE(error, path + QStringLiteral(": /runs/0/workers: ") + w.document()->errorMessage());

        // A new window opens the file as the same draft, not the built-in scenario.
        MainWindow again;
        again.show();
        QVERIFY2(again.openScenario(path, &error), qPrintable(error));
        QCOMPARE(again.document()->scenario().name, QStringLiteral("small copy"));
        QCOMPARE(again.document()->filePath(), QFileInfo(path).absoluteFilePath());
        QVERIFY(!again.document()->isValid());
        QVERIFY(!again.document()->isModified());
        QCOMPARE(again.document()->error(), w.document()->error());
        QCOMPARE(again.scenarioPanel()->selectedRunIndex(), 0);
        QCOMPARE(again.scenarioPanel()->runForm()->rows().errorText(QStringLiteral("workers")),
                 again.document()->error());
        QVERIFY(!again.action(QStringLiteral("runAll"))->isEnabled());
        // Saved from there, it is the same file byte for byte.
        QVERIFY(again.saveScenario(path, &error));
        QCOMPARE(readAll(path), saved);
        QCOMPARE(asked.size(), 2);

        // Fixed in the draft window, it validates and saves without a question.
        auto *fixWorkers
            = qobject_cast<QLineEdit *>(again.scenarioPanel()->runForm()->rows().editor(QStringLiteral("workers")));
        typeInto(fixWorkers, QStringLiteral("2"));
        QVERIFY2(again.document()->isValid(), qPrintable(again.document()->error()));
        again.activateWindow();
        QVERIFY(QTest::qWaitForWindowActive(&again));
        QTest::keySequence(&again, QKeySequence::Save);
        QCOMPARE(asked.size(), 2);
        QVERIFY(parseScenario(readAll(path), path, &error));

        // What is not even a scenario's outline still fails to open, and leaves the window as it was.
        const QString broken = writeFileIn(m_dir, QStringLiteral("broken.json"), "{\"chunkscope\": 1, \"arrays\": [");
        QVERIFY(!again.openScenario(broken, &error));
        QVERIFY2(error.startsWith(broken + QStringLiteral(": invalid JSON at offset ")), qPrintable(error));
        QCOMPARE(again.document()->filePath(), QFileInfo(path).absoluteFilePath());
        QVERIFY(again.document()->isValid());
    }

    // A scenario named on the command line that does not open leaves an empty scenario, not the
    // built-in one with its 1.6 GB of arrays ready to run in its place.
    void opensNoBuiltInScenarioInPlaceOfAFileThatFails()
    {
        const QString broken = writeFileIn(m_dir, QStringLiteral("notjson.json"), "not a scenario");
        MainWindow w;
        QVERIFY(!w.document()->scenario().arrays.isEmpty()); // the built-in scenario
        QString error;
        QVERIFY(!w.openScenario(broken, &error));
        QCOMPARE(error, broken + QStringLiteral(": invalid JSON at offset 1: illegal value"));
        QCOMPARE(w.document()->scenario().name, QStringLiteral("Untitled"));
        QVERIFY(w.document()->scenario().arrays.isEmpty());
        QVERIFY(w.document()->scenario().givenRuns.isEmpty());
        QVERIFY(!w.action(QStringLiteral("runAll"))->isEnabled() || w.document()->validScenario()->runs.isEmpty());
    }

    // A 10,000-character value in a field: the window and the scenario dock keep their width, the
    // error under the field shows a few lines with the whole text in its tooltip, and all is as
    // before once the value is fixed.
    void longValuesNeitherWidenTheWindowNorStay_data()
    {
        QTest::addColumn<QString>("key");
        QTest::newRow("id") << QStringLiteral("id");
        QTest::newRow("dtype") << QStringLiteral("dtype");
        QTest::newRow("shape") << QStringLiteral("shape");
        QTest::newRow("chunks") << QStringLiteral("chunks");
    }
    void longValuesNeitherWidenTheWindowNorStay()
    {
        QFETCH(QString, key);
        const QString path = writeFileIn(m_dir, QStringLiteral("long.json"), kSmallScenario);
        MainWindow w;
        const QRect screen = w.screen()->availableGeometry();
        w.resize(screen.size() - QSize(60, 60));
        w.show();
        QVERIFY(QTest::qWaitForWindowExposed(&w));
        QString error;
        QVERIFY(w.openScenario(path, &error));
        w.scenarioPanel()->selectArray(QStringLiteral("src"));
        QApplication::processEvents();
        const int windowWidth = w.width();
        const int panelWidth = w.scenarioPanel()->width();
        QVERIFY(windowWidth <= screen.width());

        ArrayForm *form = w.scenarioPanel()->arrayForm();
        QWidget *editor = form->rows().editor(key);
        auto *edit = qobject_cast<QLineEdit *>(editor);
        if (!edit)
            edit = editor->findChild<QLineEdit *>();
        QVERIFY(edit);
        const QString before = edit->text();
        const QString longText = QString(10000, QLatin1Char('x'));
        typeInto(edit, longText);
        QTest::qWait(50);
        if (key != QLatin1String("id")) {
            QVERIFY(!w.document()->isValid());
            // Shown in full where an error says it, and in a few lines under the field.
            const QString shown = form->rows().errorText(key);
            QCOMPARE(shown, w.document()->error());
            for (QLabel *label : form->findChildren<QLabel *>()) {
                if (!label->isVisible() || !label->toolTip().contains(longText.left(200)))
                    continue;
                QVERIFY(label->text().size() < 300);
                QVERIFY(label->height() < 8 * label->fontMetrics().height());
            }
        } else {
            QCOMPARE(w.document()->scenario().arrays.first().id, longText);
        }
        // With the array's form, and with a run's, whose lists name the arrays and whose banner
        // names the array's error.
        for (int view = 0; view < 2; ++view) {
            if (view == 1)
                w.scenarioPanel()->selectRun(0);
            QTest::qWait(100);
            QWidget *shown = view == 0 ? static_cast<QWidget *>(form) : w.scenarioPanel()->runForm();
            QVERIFY2(shown->minimumSizeHint().width() <= panelWidth,
                     qPrintable(QString::number(shown->minimumSizeHint().width())));
            QVERIFY2(w.scenarioPanel()->minimumSizeHint().width() <= panelWidth,
                     qPrintable(QString::number(w.scenarioPanel()->minimumSizeHint().width())));
            QVERIFY2(w.minimumSizeHint().width() <= screen.width(),
                     qPrintable(QString::number(w.minimumSizeHint().width())));
            QCOMPARE(w.width(), windowWidth);
            QCOMPARE(w.scenarioPanel()->width(), panelWidth);
        }
        if (key != QLatin1String("id")) {
            const QString banner = w.scenarioPanel()->bannerText();
            QVERIFY(banner.size() < 400);
            QVERIFY(banner.contains(QStringLiteral("xxxxxxxx")) || !w.document()->error().contains(longText));
        }
        w.scenarioPanel()->selectArray(w.document()->scenario().arrays.first().id);

        typeInto(edit, before);
        QTest::qWait(100);
        QVERIFY2(w.document()->isValid(), qPrintable(w.document()->error()));
        QCOMPARE(w.width(), windowWidth);
        QCOMPARE(w.scenarioPanel()->width(), panelWidth);
        w.document()->load(path, &error); // closes without the unsaved-changes question
    }

    // Geometry saved by a window wider than the screen reopens within the screen.
    void restoredGeometryFitsTheScreen()
    {
        QByteArray wide;
        {
            MainWindow big;
            big.show();
            QVERIFY(QTest::qWaitForWindowExposed(&big));
            big.setGeometry(QRect(-200, 20, big.screen()->availableGeometry().width() * 2 + 22, 900));
            QApplication::processEvents();
            QVERIFY(big.width() > big.screen()->availableGeometry().width());
            wide = big.saveGeometry();
        }
        QSettings settings(QStringLiteral("Chunkscope"), QStringLiteral("Chunkscope"));
        settings.setValue(QStringLiteral("geometry"), wide);
        settings.sync();
        MainWindow w;
        w.show();
        QVERIFY(QTest::qWaitForWindowExposed(&w));
        const QRect screen = w.screen()->availableGeometry();
        const QRect frame = w.frameGeometry();
        QVERIFY2(screen.contains(frame),
                 qPrintable(QStringLiteral("%1,%2 %3x%4 on %5x%6")
                                .arg(frame.x())
                                .arg(frame.y())
                                .arg(frame.width())
                                .arg(frame.height())
                                .arg(screen.width())
                                .arg(screen.height())));
        settings.remove(QStringLiteral("geometry"));
    }

    // Typed "-1" is the dtype "-1": text in the file, quoted as text by the error.
    void keepsATypedDtypeAsText()
    {
        const QString path = writeFileIn(m_dir, QStringLiteral("dtype.json"), kSmallScenario);
        MainWindow w;
        QString error;
        QVERIFY(w.openScenario(path, &error));
        w.scenarioPanel()->selectArray(QStringLiteral("src"));
        auto *dtype = w.scenarioPanel()->arrayForm()->rows().editor(QStringLiteral("dtype"))->findChild<QLineEdit *>();
        QVERIFY(dtype);
        typeInto(dtype, QStringLiteral("-1"));
        QCOMPARE(w.document()->scenario().arrays.first().given.value(QStringLiteral("dtype")),
                 QJsonValue(QStringLiteral("-1")));
        QCOMPARE(w.document()->errorPointer(), QStringLiteral("/arrays/src/dtype"));
        QVERIFY2(!w.document()->errorMessage().contains(QStringLiteral("must be a non-empty string")),
                 qPrintable(w.document()->errorMessage()));
        w.document()->load(path, &error);
    }

    // A run named "<b>x</b>" is shown as typed in the status bar, not in bold.
    void showsARunNameAsPlainTextInTheStatusBar()
    {
        const QString path
            = writeFileIn(m_dir, QStringLiteral("markup.json"),
                          QByteArray(kSmallScenario).replace("\"name\": \"copy\"", "\"name\": \"<b>x</b>\""));
        MainWindow w;
        w.show();
        QString error;
        QVERIFY2(w.openScenario(path, &error), qPrintable(error));
        QVERIFY(runSelectedToTheEnd(w, 60000));
        QLabel *status = nullptr;
        for (QLabel *l : w.statusBar()->findChildren<QLabel *>())
            if (l->text().startsWith(QStringLiteral("<b>x</b>: ok, ")))
                status = l;
        QVERIFY(status);
        QCOMPARE(status->textFormat(), Qt::PlainText);
    }

    // One tick of CPU time over a millisecond reads as 878 %: no figure for a run that short.
    void showsNoCpuFigureForARunTooShortToSample()
    {
        RunsTableModel model;
        auto run = [](int64_t spanNs) {
            auto r = std::make_shared<RunResult>();
            r->name = QStringLiteral("span %1").arg(spanNs);
            r->wallSeconds = double(spanNs) / 1e9;
            r->cpuMeanPercent = 878;
            r->samples = {ResourceSample{0, 0, 0, 0, 0}, ResourceSample{spanNs, 878, 0, 0, 0}};
            return std::shared_ptr<const RunResult>(r);
        };
        model.append({run(1'000'000), run(200'000'000)});
        QCOMPARE(model.data(model.index(0, RunsTableModel::CpuColumn)).toString(), QStringLiteral("—"));
        QCOMPARE(model.data(model.index(1, RunsTableModel::CpuColumn)).toString(), QStringLiteral("878"));
        // The command line's summary table by the same rule: the CPU column of each row.
        const QStringList lines = summaryTable({*model.run(0), *model.run(1)}).split(QLatin1Char('\n'));
        const qsizetype cpuColumn = lines.at(0).indexOf(QLatin1String("CPU %"));
        QVERIFY(cpuColumn > 0);
        QCOMPARE(lines.at(2).mid(cpuColumn, 5).trimmed(), QStringLiteral("—"));
        QCOMPARE(lines.at(3).mid(cpuColumn, 5).trimmed(), QStringLiteral("878"));
    }

    // A first repeat is "#1" in the window as on the command line, once there is a second.
    void namesRepeatsAsTheCommandLineDoes()
    {
        RunsTableModel model;
        auto run = [](int repeat) {
            auto r = std::make_shared<RunResult>();
            r->name = QStringLiteral("copy");
            r->repeatIndex = repeat;
            return std::shared_ptr<const RunResult>(r);
        };
        model.append(run(0));
        QCOMPARE(model.data(model.index(0, RunsTableModel::NameColumn)).toString(), QStringLiteral("copy"));
        model.append(run(1));
        QCOMPARE(model.data(model.index(0, RunsTableModel::NameColumn)).toString(), QStringLiteral("copy #1"));
        QCOMPARE(model.data(model.index(1, RunsTableModel::NameColumn)).toString(), QStringLiteral("copy #2"));
        const QString table = summaryTable({*model.run(0), *model.run(1)});
        QVERIFY2(table.contains(QStringLiteral("\ncopy #1 ")) && table.contains(QStringLiteral("\ncopy #2 ")),
                 qPrintable(table));
    }

    // Runs of one sweep made while its target was memory, then zarr, then carray: the chart's
    // point is the selected definition's alone.
    void keepsSweepRunsOfOtherArraysOutOfTheScalingChart()
    {
        MainWindow w;
        QList<std::shared_ptr<const RunResult>> runs;
        for (const char *store : {"memory", "zarr", "carray"}) {
            auto r = std::make_shared<RunResult>();
            r->name = QStringLiteral("sweep [workers=1]");
            r->sweep = SweepInfo{QStringLiteral("sweep"), QJsonObject{{QStringLiteral("workers"), 1}}};
            r->workers = 1;
            r->bytes = 4000;
            r->tasks = 1;
            r->wallSeconds = 0.001;
            r->source.id = QStringLiteral("src");
            r->source.store = QStringLiteral("memory");
            r->target.id = QStringLiteral("dst");
            r->target.store = QString::fromLatin1(store);
            runs.append(r);
        }
        w.runsModel()->append(runs);
        w.runsView()->selectRow(2);
        QApplication::processEvents();
        const SweepSummary &shown = w.scalingPanel()->chart()->summary();
        QCOMPARE(shown.name, QStringLiteral("sweep"));
        QCOMPARE(shown.lines.size(), 1);
        QCOMPARE(shown.lines.first().points.size(), 1);
        QCOMPARE(shown.lines.first().points.first().repeats, 1);
    }

    // 16384x16384 at pixel ratio 4 would need 16 GiB: refused before anything is drawn or written.
    void refusesAPictureTooLargeToAllocate()
    {
        SweepSummary summary;
        summary.name = QStringLiteral("s");
        const QString path = m_dir.filePath(QStringLiteral("huge.png"));
        QString error;
        QVERIFY(!exportScalingPicture(summary, path, QSize(16384, 16384), 4, &error));
        QCOMPARE(error,
                 path
                     + QStringLiteral(": a 65536x65536 pixel image needs 16.0 GiB of memory, more than the 1.0 GiB a "
                                      "picture may take; lower the size or the pixel ratio"));
        QVERIFY(!QFile::exists(path));
    }

    // A copy of zero bytes is not "bound by memory bandwidth at 0.0 GB/s".
    void givesACopyOfNothingNoBound()
    {
        RunResult r;
        r.workers = 1;
        r.tasks = 1;
        r.bytes = 0;
        r.wallSeconds = 0.002;
        TaskEvent e;
        e.task = 0;
        e.worker = 0;
        e.startNs = 1;
        e.endNs = 1'000'001;
        e.phaseNs[size_t(Phase::Read)] = 900'000;
        r.events = {e};
        const Verdict v = verdictFor(r);
        QCOMPARE(v.headline, QStringLiteral("nothing was copied: no verdict"));
        QCOMPARE(v.bound, Verdict::Bound::Unknown);
    }

    // An "existing" array that cannot be opened fails the run once, not once per repeat. (A missing
    // path is refused by the scenario check already; a directory without .zarray is found only when
    // the store opens it.)
    void failsARunOverAMissingArrayOnce()
    {
        QVERIFY(QDir(m_dir.path()).mkpath(QStringLiteral("broken.zarr")));
        const QByteArray json = R"({"chunkscope": 1, "arrays": {
            "src": {"store": "zarr", "path": "broken.zarr", "fill": "existing"},
            "dst": {"store": "memory", "dtype": "<i4", "shape": [10], "chunks": [5], "fill": "empty"}},
            "runs": [{"name": "copy", "source": "src", "target": "dst", "repeat": 3}]})";
        QString error;
        const std::optional<Scenario> s = parseScenario(json, QStringLiteral("missing.json"), &error, m_dir.path());
        QVERIFY2(s, qPrintable(error));
        ArraySet arrays(*s);
        const QList<RunResult> results = executeRun(s->runs.first(), arrays);
        QCOMPARE(results.size(), 1);
        QCOMPARE(results.first().status, RunResult::Status::Failed);
        QVERIFY2(results.first().error.contains(QStringLiteral("broken.zarr")), qPrintable(results.first().error));
    }

    // Every file dialog of the window, with "/proc/" typed into its name field: the dialog lists
    // /proc, and root reading /proc/kmsg to tell its type would block the window for good.
    void fileDialogsKeepTheEventLoopTurningInProc()
    {
        const QString path = writeFileIn(m_dir, QStringLiteral("dialogs.json"), kSmallScenario);
        MainWindow w;
        w.resize(1200, 800);
        w.show();
        QString error;
        QVERIFY2(w.openScenario(path, &error), qPrintable(error));
        QVERIFY(runSelectedToTheEnd(w, 60000));
        QCOMPARE(w.selectedRuns().size(), 1);

        EventLoopWatchdog watchdog(std::chrono::seconds(10));
        QStringList typedInto;
        QList<QWidget *> browsed;
        ModalAnswerer answerer([&](QWidget *modal) {
            if (auto *dialog = qobject_cast<QFileDialog *>(modal)) {
                auto *name = dialog->findChild<QLineEdit *>(QStringLiteral("fileNameEdit"));
                if (name) {
                    QTest::keyClicks(name, QStringLiteral("/proc/"));
                    QTest::qWait(700); // the listing of /proc and its completions
                    QTest::keyClicks(name, QStringLiteral("t.trace.json"));
                    QTest::qWait(300);
                    typedInto.append(dialog->windowTitle());
                }
                dialog->reject();
                return true;
            }
            if (auto *picture = qobject_cast<ExportDialog *>(modal)) {
                // Its "Browse…" opens the file dialog; once that is answered, the picture is not saved.
                if (browsed.contains(picture)) {
                    picture->reject();
                    return true;
                }
                browsed.append(picture);
                for (QPushButton *b : picture->findChildren<QPushButton *>())
                    if (b->text() == QStringLiteral("Browse…"))
                        QTimer::singleShot(0, b, &QPushButton::click);
                return true;
            }
            modal->close();
            return true;
        });
        for (const char *name :
             {"open", "saveAs", "openResults", "exportResults", "exportTrace", "exportCsv", "exportPng"}) {
            QAction *action = w.action(QString::fromLatin1(name));
            QVERIFY2(action->isEnabled(), name);
            action->trigger();
            QTRY_VERIFY(!QApplication::activeModalWidget());
        }
        QCOMPARE(typedInto,
                 (QStringList{QStringLiteral("Open scenario"), QStringLiteral("Save scenario"),
                              QStringLiteral("Open results"), QStringLiteral("Export results"),
                              QStringLiteral("Export Chrome trace"), QStringLiteral("Export CSV into"),
                              QStringLiteral("Export picture")}));
        QVERIFY2(watchdog.longestGapMs() < 3000, qPrintable(QString::number(watchdog.longestGapMs())));
        QCOMPARE(w.document()->filePath(), QFileInfo(path).absoluteFilePath());
    }

private:
    QTemporaryDir m_dir;
};

QTEST_MAIN(TestWindowSafety)
#include "tst_windowsafety.moc"
