// What the window asks and offers around its forms, files and quitting: the quit questions, results
// opened by File › Open and exported per scenario, new arrays that inherit, fields that take the
// wheel only when focused, existing data shown read-only, compressor entries, Browse buttons, the
// "leave one core" option, the Help menu and the examples.
#include "modalanswer.h"
#include "results/resultsjson.h"
#include "testfiles.h"
#include "tinyscenario.h"
#include "windows/arrayform.h"
#include "windows/exportdialog.h"
#include "windows/formfields.h"
#include "windows/recentfiles.h"
#include "windows/runform.h"
#include "windows/runstablemodel.h"
#include "windows/scenariodocument.h"
#include "windows/scenariopanel.h"
#include "windowtests.h"

#include <QAction>
#include <QCheckBox>
#include <QComboBox>
#include <QFileDialog>
#include <QJsonArray>
#include <QJsonDocument>
#include <QLabel>
#include <QLineEdit>
#include <QMenu>
#include <QMenuBar>
#include <QMessageBox>
#include <QPushButton>
#include <QRegularExpression>
#include <QScrollArea>
#include <QScrollBar>
#include <QSpinBox>
#include <QTemporaryDir>
#include <QThread>
#include <QWheelEvent>
#include <QtTest>

using namespace cs;
using testing::ModalAnswer;

namespace {

// A copy long enough to be caught running: a zlib-9 Zarr in small chunks.
const QByteArray kSlow = R"({
  "chunkscope": 1,
  "name": "slow",
  "arrays": {
    "a1": {"store": "memory", "dtype": "<i4", "shape": [20000000], "chunks": [4096], "fill": "arange"},
    "z1": {"store": "zarr", "like": "a1", "fill": "empty", "compressor": {"id": "zlib", "level": 9}}
  },
  "runs": [{"name": "slow", "source": "a1", "target": "z1", "workers": 1}]
})";

QPushButton *buttonOf(QMessageBox *box, const QString &text)
{
    for (QAbstractButton *b : box->buttons())
        if (b->text() == text)
            return qobject_cast<QPushButton *>(b);
    return nullptr;
}

// Sends a wheel turn to `target`, as the mouse over it would; returns whether it was accepted.
bool turnWheel(QWidget *target)
{
    const QPointF at(target->width() / 2.0, target->height() / 2.0);
    QWheelEvent wheel(at, target->mapToGlobal(at), QPoint(), QPoint(0, -120), Qt::NoButton, Qt::NoModifier,
                      Qt::NoScrollPhase, false);
    QApplication::sendEvent(target, &wheel);
    return wheel.isAccepted();
}

} // namespace

class TestWindowQuestions : public QObject {
    Q_OBJECT

private:
    QTemporaryDir m_dir;

    // The small scenario, run to its end in `w`.
    bool runSmall(MainWindow &w)
    {
        return openAndRunAll(w, writeFileIn(m_dir, QStringLiteral("small.json"), kTinyScenario), 60000);
    }

private slots:
    void initTestCase()
    {
        startFromEmptySettings();
        QVERIFY(m_dir.isValid());
    }

    void quittingWithUnexportedResultsAsks()
    {
        MainWindow w;
        w.show();
        QVERIFY(runSmall(w));
        QCOMPARE(w.unexportedRuns(), 1);
        QString error;

        // Cancel keeps the window open.
        QString text;
        {
            ModalAnswer<QMessageBox> answer([&](QMessageBox *box) {
                text = box->text();
                QCOMPARE(box->objectName(), QStringLiteral("quitUnexported"));
                QCOMPARE(box->defaultButton()->text(), QStringLiteral("Export…"));
                box->button(QMessageBox::Cancel)->click();
            });
            QVERIFY(!w.close());
            QVERIFY(answer.answered());
        }
        QCOMPARE(text, QStringLiteral("The results of 1 run have not been exported. Export them first?"));
        QVERIFY(w.isVisible());

        // Export… writes the results document, then the window closes.
        const QString out = m_dir.filePath(QStringLiteral("quit-export.json"));
        bool saved = false;
        testing::ModalAnswerer answerer([&](QWidget *modal) {
            if (auto *box = qobject_cast<QMessageBox *>(modal)) {
                buttonOf(box, QStringLiteral("Export…"))->click();
                return true;
            }
            if (auto *dialog = qobject_cast<QFileDialog *>(modal)) {
                // Typed, as a user would: the name field takes a whole path.
                dialog->findChild<QLineEdit *>(QStringLiteral("fileNameEdit"))->setText(out);
                QMetaObject::invokeMethod(dialog, "accept");
                saved = true;
                return true;
            }
            return false;
        });
        QVERIFY(w.close());
        QVERIFY(saved);
        QCOMPARE(w.unexportedRuns(), 0);
        const std::optional<ResultsDocument> doc = readResultsFile(out, &error);
        QVERIFY2(doc, qPrintable(error));
        QCOMPARE(doc->runs.size(), 1);
        QCOMPARE(doc->runs.first().name, QStringLiteral("copy"));
        QCOMPARE(doc->scenario, QStringLiteral("small"));
    }

    void quittingWithoutExportingCloses()
    {
        MainWindow w;
        w.show();
        QVERIFY(runSmall(w));
        ModalAnswer<QMessageBox> answer(
            [](QMessageBox *box) { buttonOf(box, QStringLiteral("Quit without exporting"))->click(); });
        QVERIFY(w.close());
        QVERIFY(answer.answered());
        QVERIFY(!w.isVisible());
    }

    void quittingDuringARunAsks()
    {
        const QString path = writeFileIn(m_dir, QStringLiteral("slow.json"), kSlow);
        MainWindow w;
        w.show();
        QString error;
        QVERIFY2(w.openScenario(path, &error), qPrintable(error));
        QVERIFY(w.runAll());
        QVERIFY(w.isRunning());
        {
            QString defaultButton;
            ModalAnswer<QMessageBox> answer([&](QMessageBox *box) {
                QCOMPARE(box->objectName(), QStringLiteral("quitWhileRunning"));
                defaultButton = box->defaultButton()->text();
                buttonOf(box, QStringLiteral("Keep running"))->click();
            });
            QVERIFY(!w.close());
            QVERIFY(answer.answered());
            QCOMPARE(defaultButton, QStringLiteral("Keep running"));
        }
        QVERIFY(w.isVisible());
        QVERIFY(w.isRunning());
        // Cancel the run and quit: the run stops, and there is nothing exported to ask about.
        ModalAnswer<QMessageBox> answer(
            [](QMessageBox *box) { buttonOf(box, QStringLiteral("Cancel the run and quit"))->click(); });
        QVERIFY(w.close());
        QVERIFY(answer.answered());
        QVERIFY(!w.isVisible());
    }

    void fileOpenTakesAResultsDocumentAndExportKeepsScenarios()
    {
        MainWindow w;
        QVERIFY(runSmall(w));
        QString error;
        RunResult other;
        other.name = QStringLiteral("from elsewhere");
        const QString results = m_dir.filePath(QStringLiteral("elsewhere.json"));
        QVERIFY2(writeResultsFile(results, QStringLiteral("another scenario"), HostInfo::current(), {other}, &error),
                 qPrintable(error));
        // Opened as results, beside the run already listed; the scenario stays.
        QVERIFY2(w.openScenario(results, &error), qPrintable(error));
        QCOMPARE(w.runsModel()->rowCount(), 2);
        QCOMPARE(w.document()->scenario().name, QStringLiteral("small"));
        QCOMPARE(w.unexportedRuns(), 1); // the opened run is in a file already

        // A results document names one scenario: the export holds the current scenario's runs only.
        const QString out = m_dir.filePath(QStringLiteral("mixed.json"));
        QVERIFY2(w.exportResults(out, &error), qPrintable(error));
        const std::optional<ResultsDocument> doc = readResultsFile(out, &error);
        QVERIFY2(doc, qPrintable(error));
        QCOMPARE(doc->scenario, QStringLiteral("small"));
        QCOMPARE(doc->runs.size(), 1);
        QCOMPARE(doc->runs.first().name, QStringLiteral("copy"));
        QCOMPARE(w.unexportedRuns(), 0);

        // With no run of the current scenario left, the runs of the latest one go out under its name.
        MainWindow fresh;
        QVERIFY2(fresh.openScenario(results, &error), qPrintable(error));
        QVERIFY2(fresh.exportResults(out, &error), qPrintable(error));
        const std::optional<ResultsDocument> again = readResultsFile(out, &error);
        QVERIFY2(again, qPrintable(error));
        QCOMPARE(again->scenario, QStringLiteral("another scenario"));
        QCOMPARE(again->runs.size(), 1);
        QCOMPARE(again->runs.first().name, QStringLiteral("from elsewhere"));
    }

    void aNewArrayInheritsFromLike()
    {
        MainWindow w;
        ScenarioDocument *doc = w.document();
        QString error;
        QVERIFY(doc->loadBytes(R"({"chunkscope": 1, "arrays": {
            "a1": {"store": "memory", "dtype": "<i4", "shape": [100], "chunks": [10], "fill": "arange"},
            "b": {"store": "memory", "dtype": "<u2", "shape": [60, 5], "chunks": [20, 5], "fill": "zeros"}},
            "runs": []})",
                               QStringLiteral("like"), &error));
        const QString id = doc->addArray();
        QVERIFY2(doc->isValid(), qPrintable(doc->error()));
        const QJsonObject given = doc->scenario().array(id)->given;
        QCOMPARE(given.value(QStringLiteral("like")).toString(), QStringLiteral("a1"));
        QVERIFY(!given.contains(QStringLiteral("dtype")));
        QVERIFY(!given.contains(QStringLiteral("shape")));
        QVERIFY(!given.contains(QStringLiteral("chunks")));
        w.scenarioPanel()->selectArray(id);
        QApplication::processEvents();
        ArrayForm *form = w.scenarioPanel()->arrayForm();
        auto *shape = qobject_cast<QLineEdit *>(form->rows().editor(QStringLiteral("shape")));
        QVERIFY(shape);
        QCOMPARE(shape->text(), QString());
        QCOMPARE(shape->placeholderText(), QStringLiteral("100"));

        // Choosing another array to be like takes its dtype, shape and chunks, shown as placeholders.
        QJsonObject edited = given;
        edited.insert(QStringLiteral("like"), QStringLiteral("b"));
        doc->setArrayGiven(id, edited);
        QVERIFY2(doc->isValid(), qPrintable(doc->error()));
        QCOMPARE(doc->validScenario()->array(id)->shape, (std::vector<int64_t>{60, 5}));
        QCOMPARE(doc->validScenario()->array(id)->chunks, (std::vector<int64_t>{20, 5}));
        QCOMPARE(doc->validScenario()->array(id)->dtype.typestr(), QStringLiteral("<u2"));
        QTest::qWait(10);
        QCOMPARE(shape->placeholderText(), QStringLiteral("60, 5"));
        QCOMPARE(shape->text(), QString());
    }

    void onlyAFocusedFieldTakesTheWheel()
    {
        MainWindow w;
        w.resize(1024, 700);
        w.show();
        QVERIFY(QTest::qWaitForWindowExposed(&w));
        w.scenarioPanel()->selectRun(0);
        QApplication::processEvents();
        RunForm *form = w.scenarioPanel()->runForm();
        auto *lock = qobject_cast<QComboBox *>(form->rows().editor(QStringLiteral("lock")));
        QVERIFY(lock);
        const int before = lock->currentIndex();
        QVERIFY(!lock->hasFocus());
        QVERIFY(!turnWheel(lock)); // passed on to the form, which scrolls
        QCOMPARE(lock->currentIndex(), before);
        QCOMPARE(lock->focusPolicy(), Qt::StrongFocus);
        lock->setFocus();
        QTRY_VERIFY(lock->hasFocus());
        turnWheel(lock);
        QVERIFY(lock->currentIndex() != before);
        QString error;
        QVERIFY(w.document()->loadBytes(kTinyScenario, QStringLiteral("small"), &error)); // no unsaved changes
    }

    void existingDataShowsItsSizesReadOnly()
    {
        // An array written by a first scenario, opened as existing data by a second.
        const QString zarr = m_dir.filePath(QStringLiteral("existing.zarr"));
        const QByteArray writer = QStringLiteral(R"({"chunkscope": 1, "arrays": {
            "a1": {"store": "memory", "dtype": "<u2", "shape": [300, 20], "chunks": [100, 10], "fill": "arange"},
            "z1": {"store": "zarr", "like": "a1", "path": "%1", "fill": {"copy": "a1"}}},
            "runs": [{"name": "w", "source": "a1", "target": "z1"}]})")
                                      .arg(zarr)
                                      .toUtf8();
        MainWindow w;
        QString error;
        QVERIFY(w.document()->loadBytes(writer, QStringLiteral("writer"), &error));
        QSignalSpy finished(&w, &MainWindow::runsFinished);
        QVERIFY(w.runAll() && finished.wait(60000));
        const QByteArray reader = QStringLiteral(R"({"chunkscope": 1, "arrays": {
            "e": {"store": "zarr", "path": "%1", "fill": "existing"}}, "runs": []})")
                                      .arg(zarr)
                                      .toUtf8();
        QVERIFY2(w.document()->loadBytes(reader, QStringLiteral("reader"), &error), qPrintable(error));
        w.scenarioPanel()->selectArray(QStringLiteral("e"));
        QApplication::processEvents();
        ArrayForm *form = w.scenarioPanel()->arrayForm();
        auto *shape = qobject_cast<QLineEdit *>(form->rows().editor(QStringLiteral("shape")));
        auto *chunks = qobject_cast<QLineEdit *>(form->rows().editor(QStringLiteral("chunks")));
        auto *dtype = qobject_cast<QComboBox *>(form->rows().editor(QStringLiteral("dtype")));
        QCOMPARE(shape->text(), QStringLiteral("300, 20"));
        QCOMPARE(chunks->text(), QStringLiteral("100, 10"));
        QCOMPARE(dtype->currentText(), QStringLiteral("<u2"));
        QVERIFY(!shape->isEnabled());
        QVERIFY(!chunks->isEnabled());
        QVERIFY(!dtype->isEnabled());
        QVERIFY(shape->toolTip().contains(QStringLiteral("Read from the existing data")));
        // The path has a Browse button beside it.
        QWidget *path = form->rows().editor(QStringLiteral("path"));
        QVERIFY(qobject_cast<QLineEdit *>(path));
        QVERIFY(path->parentWidget()->findChild<QPushButton *>(QStringLiteral("browse")));
        QVERIFY(w.exportResults(m_dir.filePath(QStringLiteral("existing-results.json")), &error));
    }

    void compressorEntriesSayWhatTheyMean()
    {
        MainWindow w;
        ScenarioDocument *doc = w.document();
        QString error;
        QVERIFY(doc->loadBytes(R"({"chunkscope": 1, "arrays": {
            "a1": {"store": "memory", "dtype": "<i4", "shape": [100], "chunks": [10], "fill": "arange"},
            "z": {"store": "zarr", "like": "a1", "fill": "empty", "compressor": {"id": "zlib", "level": 3}},
            "y": {"store": "zarr", "like": "z", "fill": "empty"},
            "h": {"store": "hdf5", "like": "a1", "fill": "empty", "compression": null}}, "runs": []})",
                               QStringLiteral("c"), &error));
        w.scenarioPanel()->selectArray(QStringLiteral("y"));
        QApplication::processEvents();
        ArrayForm *form = w.scenarioPanel()->arrayForm();
        auto *compressor = qobject_cast<QComboBox *>(form->rows().editor(QStringLiteral("compressor")));
        QCOMPARE(compressor->itemText(0), QStringLiteral("default (zlib, level 3)"));
        w.scenarioPanel()->selectArray(QStringLiteral("h"));
        QApplication::processEvents();
        auto *compression = qobject_cast<QComboBox *>(form->rows().editor(QStringLiteral("compression")));
        QStringList texts;
        for (int i = 0; i < compression->count(); ++i)
            texts.append(compression->itemText(i));
        QCOMPARE(texts, (QStringList{QStringLiteral("none"), QStringLiteral("lzf"), QStringLiteral("gzip")}));
        QCOMPARE(compression->currentText(), QStringLiteral("none")); // the file's null
        // An HDF5 array without "dataset" is valid: it is "/data".
        QVERIFY2(doc->isValid(), qPrintable(doc->error()));
        auto *file = form->rows().editor(QStringLiteral("file"));
        QVERIFY(qobject_cast<QLineEdit *>(file));
        QVERIFY(file->parentWidget()->findChild<QPushButton *>(QStringLiteral("browse")));
    }

    void leaveOneCoreIsARunOption()
    {
        MainWindow w;
        QString error;
        QVERIFY(w.document()->loadBytes(kTinyScenario, QStringLiteral("small"), &error));
        QJsonObject run = w.document()->scenario().givenRuns.at(0).toObject();
        run.remove(QStringLiteral("workers"));
        w.document()->setRunGiven(0, run);
        w.scenarioPanel()->selectRun(0);
        QApplication::processEvents();
        auto *box
            = qobject_cast<QCheckBox *>(w.scenarioPanel()->runForm()->rows().editor(QStringLiteral("leave_one_core")));
        QVERIFY(box);
        QVERIFY(box->isEnabled());
        const int spare = std::max(1, QThread::idealThreadCount() - 1);
        QVERIFY2(
            box->toolTip().contains(QStringLiteral("run %1 instead of %2").arg(spare).arg(QThread::idealThreadCount())),
            qPrintable(box->toolTip()));
        box->click();
        QApplication::processEvents();
        QVERIFY(w.document()->scenario().givenRuns.at(0).toObject().value(QStringLiteral("leave_one_core")).toBool());
        QCOMPARE(w.document()->validScenario()->runs.at(0).workers, spare);
        // A count given stands, and the option says it is not used.
        run = w.document()->scenario().givenRuns.at(0).toObject();
        run.insert(QStringLiteral("workers"), 3);
        w.document()->setRunGiven(0, run);
        QTest::qWait(10);
        QCOMPARE(w.document()->validScenario()->runs.at(0).workers, 3);
        QVERIFY(box->toolTip().contains(QStringLiteral("Not used: the run sets its workers (3).")));
    }

    void helpMenuAndExamples()
    {
        MainWindow w;
        QStringList menus;
        for (QAction *a : w.menuBar()->actions())
            menus.append(a->text());
        QVERIFY2(menus.contains(QStringLiteral("&Help")), qPrintable(menus.join(QLatin1Char(','))));
        const QString shortcuts = w.shortcutsText();
        QVERIFY(shortcuts.contains(QStringLiteral("<b>F5</b></td><td>Run selected</td>")));
        QVERIFY(shortcuts.contains(QStringLiteral("<b>Esc</b></td><td>Cancel</td>")));

        // Help › Keyboard shortcuts shows that text in a dialog.
        QString shown;
        ModalAnswer<QDialog> answer([&](QDialog *dialog) {
            if (QLabel *label = dialog->findChild<QLabel *>())
                shown = label->text();
            if (const QString shots = qEnvironmentVariable("CHUNKSCOPE_SCREENSHOTS"); !shots.isEmpty())
                dialog->grab().save(QDir(shots).filePath(QStringLiteral("shortcuts.png")));
        });
        w.action(QStringLiteral("shortcuts"))->trigger();
        QVERIFY(answer.answered());
        QCOMPARE(shown, shortcuts);

        // The built-in scenario and every file of resources/examples.
        const QStringList examples = MainWindow::examples();
        QStringList expected{QStringLiteral(":/default-scenario.json")};
        for (const QString &name :
             QDir(QStringLiteral(CHUNKSCOPE_EXAMPLES)).entryList({QStringLiteral("*.json")}, QDir::Files, QDir::Name))
            expected.append(QStringLiteral(":/examples/") + name);
        QCOMPARE(examples, expected);
        for (const QString &example : examples) {
            QString error;
            QVERIFY2(w.openExample(example, &error), qPrintable(example + QStringLiteral(": ") + error));
            QVERIFY(w.document()->isValid());
            QVERIFY(w.document()->filePath().isEmpty());
            QCOMPARE(w.scenarioPanel()->selectedRunIndex(), -1);
            const QString summary = w.scenarioPanel()->summaryText();
            QVERIFY(summary.contains(QStringLiteral("Memory needed:")));
            // Every size in binary units that say so ("1.5 GiB"), none in zarr's unlabelled style ("1.5G").
            QVERIFY2(summary.contains(QRegularExpression(QStringLiteral("[0-9] (KiB|MiB|GiB|TiB)"))),
                     qPrintable(summary));
            QVERIFY2(!summary.contains(QRegularExpression(QStringLiteral("[0-9][KMGT]\\b"))), qPrintable(summary));
        }
        auto *menu = w.menuBar()->findChild<QMenu *>(QStringLiteral("examplesMenu"));
        QVERIFY(menu);
        QCOMPARE(menu->actions().size(), examples.size());
    }

    void recentFilesShowTheirFolder()
    {
        QMenu menu;
        RecentFiles recent(&menu);
        const QString path = m_dir.filePath(QStringLiteral("sub/recent.json"));
        recent.add(path);
        QCOMPARE(
            menu.actions().first()->text(),
            QStringLiteral("recent.json — %1").arg(QDir::toNativeSeparators(m_dir.filePath(QStringLiteral("sub")))));
        QCOMPARE(menu.actions().first()->toolTip(), path);
        QVERIFY(menu.toolTipsVisible());
    }

    void picturesDefaultToPixelRatioTwo()
    {
        QWidget parent;
        QCOMPARE(ExportDialog::defaultPixelRatio(&parent), std::max<qreal>(2, parent.devicePixelRatioF()));
    }
};

QTEST_MAIN(TestWindowQuestions)
#include "tst_windowquestions.moc"
