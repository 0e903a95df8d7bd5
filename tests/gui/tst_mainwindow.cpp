// The window end to end: open a scenario, run a copy from the window and read its profile, edit a
// field into an error, save and reopen the scenario unchanged, export, and cancel a long run.
#include "charts/ganttchart.h"
#include "charts/profileexport.h"
#include "charts/profileview.h"
#include "charts/resourcechart.h"
#include "imagechecks.h"
#include "modalanswer.h"
#include "results/runresult.h"
#include "scenario/allocation.h"
#include "scenario/scenarioparser.h"
#include "scenario/scenariowriter.h"
#include "testfiles.h"
#include "windows/allocationbar.h"
#include "windows/arrayform.h"
#include "windows/arrayinfopanel.h"
#include "windows/exportdialog.h"
#include "windows/mainwindow.h"
#include "windows/runcontroller.h"
#include "windows/runform.h"
#include "windows/runstablemodel.h"
#include "windows/scenariodocument.h"
#include "windows/scenariopanel.h"
#include "windowtests.h"

#include <QAction>
#include <QCheckBox>
#include <QComboBox>
#include <QDoubleSpinBox>
#include <QElapsedTimer>
#include <QJsonArray>
#include <QJsonDocument>
#include <QLineEdit>
#include <QMessageBox>
#include <QProgressBar>
#include <QPushButton>
#include <QRegularExpression>
#include <QSet>
#include <QSettings>
#include <QSpinBox>
#include <QStandardPaths>
#include <QTableView>
#include <QTemporaryDir>
#include <QtTest>

#include <cmath>

using namespace cs;
using testing::ModalAnswer;

namespace {

const char *const kSmallScenario = R"({
  "chunkscope": 1,
  "name": "small copy",
  "description": "a million int32 in chunks of 65536",
  "arrays": {
    "src": {"store": "memory", "dtype": "<i4", "shape": [1000000], "chunks": [65536], "fill": "arange"},
    "dst": {"store": "memory", "like": "src", "fill": "empty"}
  },
  "runs": [
    {"name": "copy, lock", "source": "src", "target": "dst", "workers": 2, "lock": true, "sample_ms": 2},
    {"name": "copy, no lock", "source": "src", "target": "dst", "workers": 2, "lock": false, "sample_ms": 2}
  ]
})";

// Copying into an in-memory Zarr array compressed with zlib at level 9, in small chunks: seconds of
// work that a cancel must cut short.
const char *const kLongScenario = R"({
  "chunkscope": 1,
  "name": "long copy",
  "arrays": {
    "src": {"store": "memory", "dtype": "<i4", "shape": [40000000], "chunks": [16384], "fill": {"random": {"seed": 1}}},
    "dst": {"store": "zarr", "like": "src", "compressor": {"id": "zlib", "level": 9}, "fill": "empty"}
  },
  "runs": [
    {"name": "slow", "source": "src", "target": "dst", "workers": 1, "sample_ms": 10}
  ]
})";

// One memory source and a target of each store kind, to see which run keys apply to which copy.
const char *const kStoresScenario = R"({
  "chunkscope": 1,
  "arrays": {
    "src": {"store": "memory", "dtype": "<i4", "shape": [100000], "chunks": [65536], "fill": "arange"},
    "dst": {"store": "memory", "like": "src", "fill": "empty"},
    "z": {"store": "zarr", "like": "src", "fill": "empty"},
    "h": {"store": "hdf5", "like": "src", "dataset": "h", "fill": "empty"}
  },
  "runs": [
    {"name": "to zarr", "source": "src", "target": "z"},
    {"name": "to hdf5", "source": "src", "target": "h"},
    {"name": "unprofiled", "source": "src", "target": "dst", "profile": false},
    {"name": "zarr, prefault", "source": "src", "target": "z", "prefault": true}
  ]
})";

// A small copy beside an array of a tebibyte that no run uses.
const QString kLargeScenario
    = qEnvironmentVariable("CHUNKSCOPE_TEST_DATA") + QStringLiteral("/data/scenarios/too-large.json");

// "21.3 GiB" as bytes.
double sizeFigure(const QString &text)
{
    static const QStringList units{QStringLiteral("B"), QStringLiteral("KiB"), QStringLiteral("MiB"),
                                   QStringLiteral("GiB"), QStringLiteral("TiB")};
    const QStringList parts = text.split(QLatin1Char(' '));
    const int unit = parts.size() == 2 ? int(units.indexOf(parts[1])) : -1;
    return unit < 0 ? -1 : parts[0].toDouble() * std::pow(1024.0, unit);
}

using testing::distinctColours;

QJsonObject savedRun(const QString &path, int index)
{
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        return {};
    return QJsonDocument::fromJson(f.readAll()).object().value(QStringLiteral("runs")).toArray().at(index).toObject();
}

bool runFlag(const RunSpec &run, const QString &key)
{
    return key == QLatin1String("prefault") ? run.prefault : run.forkDuringCopy;
}

} // namespace

class TestMainWindow : public QObject {
    Q_OBJECT

private slots:
    void initTestCase()
    {
        startFromEmptySettings();
        QVERIFY(m_dir.isValid());
    }

    void opensOnTheDefaultScenario()
    {
        MainWindow w;
        QCOMPARE(w.document()->scenario().name, QStringLiteral("Profile array copy via dask threaded scheduler"));
        QVERIFY(w.document()->isValid());
        QVERIFY(!w.document()->isModified());
        // The window holds exactly what the built-in file says.
        QFile resource(QStringLiteral(":/default-scenario.json"));
        QVERIFY(resource.open(QIODevice::ReadOnly));
        QString error;
        const std::optional<Scenario> builtIn = parseScenario(resource.readAll(), QStringLiteral("default"), &error);
        QVERIFY2(builtIn, qPrintable(error));
        QCOMPARE(w.document()->scenario().givenRuns, builtIn->givenRuns);
        QCOMPARE(w.document()->scenario().arrays.size(), builtIn->arrays.size());
        QVERIFY(w.document()->scenario().givenRuns.size() >= 4);
        // The scenario item first, with its summary; no run selected.
        QCOMPARE(w.scenarioPanel()->selectedRunIndex(), -1);
        QVERIFY(w.action(QStringLiteral("runAll"))->isEnabled());
        QVERIFY(!w.action(QStringLiteral("cancel"))->isEnabled());
        QCOMPARE(w.action(QStringLiteral("runSelected"))->shortcut(), QKeySequence(Qt::Key_F5));
        QCOMPARE(w.action(QStringLiteral("cancel"))->shortcut(), QKeySequence(Qt::Key_Escape));
        QVERIFY(w.action(QStringLiteral("runAll"))->shortcuts().contains(QKeySequence(Qt::CTRL | Qt::Key_F5)));
    }

    void runsACopyAndShowsItsProfile()
    {
        const QString path = writeFileIn(m_dir, QStringLiteral("small.json"), kSmallScenario);
        MainWindow w;
        w.resize(1400, 900);
        w.show();
        QString error;
        QVERIFY2(w.openScenario(path, &error), qPrintable(error));
        w.scenarioPanel()->selectRun(0);
        QVERIFY(w.action(QStringLiteral("runSelected"))->isEnabled());

        // A copy this short is over before its live view would start: the window shows its progress.
        int progressUpdates = 0;
        connect(w.controller(), &RunController::progressUpdated, this, [&progressUpdates] { ++progressUpdates; });
        QSignalSpy finished(&w, &MainWindow::runsFinished);
        QVERIFY(w.runSelected());
        QVERIFY(w.isRunning());
        QVERIFY(!w.action(QStringLiteral("runAll"))->isEnabled());
        QVERIFY(w.action(QStringLiteral("cancel"))->isEnabled());
        QVERIFY(finished.wait(60000));
        QVERIFY(progressUpdates >= 1);

        QCOMPARE(w.runsModel()->rowCount(), 1);
        const auto run = w.runsModel()->run(0);
        QCOMPARE(run->name, QStringLiteral("copy, lock"));
        QCOMPARE(run->status, RunResult::Status::Ok);
        QCOMPARE(run->verified, std::optional<bool>(true));
        QCOMPARE(run->tasks, int64_t(16)); // ceil(1000000 / 65536)
        QCOMPARE(run->bytes, int64_t(4000000));

        // The finished run is selected and shown complete: one bar per task, every sample charted.
        ProfileView *view = w.profileView();
        QCOMPARE(view->paneCount(), 1);
        QCOMPARE(view->pane(0)->gantt()->data().barCount(), run->tasks);
        QCOMPARE(view->pane(0)->gantt()->data().workers(), 2);
        QVERIFY(!run->samples.empty());
        QCOMPARE(view->pane(0)->resources()->samples().size(), run->samples.size());
        QVERIFY(view->pane(0)->titleText().contains(QStringLiteral("copy, lock")));
        QVERIFY(w.arrayInfo()->text().contains(QStringLiteral("target after:")));
        QVERIFY(w.arrayInfo()->text().contains(QStringLiteral("dst (memory store")));
        QVERIFY(w.action(QStringLiteral("exportPng"))->isEnabled());

        // The time of the first task's middle lands on one pixel column in both charts, and is painted.
        const TaskEvent first = run->events.front();
        const double t = double(first.startNs + first.endNs) / 2e9;
        GanttChart *g = view->pane(0)->gantt();
        ResourceChart *c = view->pane(0)->resources();
        QVERIFY(std::abs(g->mapTo(view, QPointF(g->xForTime(t), 0)).x()
                         - c->mapTo(view, QPointF(c->positionFor(t, 0).x(), 0)).x())
                <= 1.0);
        const QImage shot = g->grab().toImage();
        const QColor background = shot.pixelColor(int(g->xForTime(t) * shot.devicePixelRatio()),
                                                  int((g->plotRect().top() + 1) * shot.devicePixelRatio()));
        const QColor bar = shot.pixelColor(int(g->xForTime(t) * shot.devicePixelRatio()),
                                           int(g->rowRect(first.worker).center().y() * shot.devicePixelRatio()));
        QVERIFY(bar != background);

        // Run all: both runs, and selecting both stacks them on one time scale.
        QVERIFY(w.runAll());
        QVERIFY(finished.wait(60000));
        QCOMPARE(w.runsModel()->rowCount(), 3);
        QCOMPARE(w.runsModel()->run(2)->name, QStringLiteral("copy, no lock"));
        QCOMPARE(w.runsModel()->run(2)->lock, LockMode::None);
        w.runsView()->selectAll();
        QCOMPARE(view->paneCount(), 3);
        QCOMPARE(view->pane(1)->gantt()->axis(), view->pane(2)->gantt()->axis());

        // Export: results JSON, re-opened as past runs; a PNG of a run.
        const QString results = m_dir.filePath(QStringLiteral("results.json"));
        QVERIFY2(w.exportResults(results, &error), qPrintable(error));
        QVERIFY2(w.openResults(results, &error), qPrintable(error));
        QCOMPARE(w.runsModel()->rowCount(), 6);
        QCOMPARE(w.runsModel()->run(5)->events.size(), w.runsModel()->run(2)->events.size());
        QCOMPARE(view->paneCount(), 3);
        // The export dialog: the Gantt chart of the three selected runs at a chosen size, twice as sharp.
        const QString ganttPng = m_dir.filePath(QStringLiteral("gantt.png"));
        ModalAnswer<ExportDialog> exportAnswer([ganttPng](ExportDialog *dialog) {
            dialog->findChild<QComboBox *>()->setCurrentIndex(1);
            const QList<QSpinBox *> size = dialog->findChildren<QSpinBox *>();
            size.at(0)->setValue(900);
            size.at(1)->setValue(300);
            dialog->findChild<QDoubleSpinBox *>()->setValue(2);
            dialog->findChild<QLineEdit *>()->setText(ganttPng);
            dialog->accept();
        });
        w.action(QStringLiteral("exportPng"))->trigger();
        QVERIFY2(exportAnswer.answered(), "the export dialog did not appear");
        const QImage gantt(ganttPng);
        QCOMPARE(gantt.size(), QSize(1800, 600));
        QVERIFY(distinctColours(gantt) > 8);

        const QString png = m_dir.filePath(QStringLiteral("run.png"));
        QVERIFY2(exportProfilePng(*run, png, QSize(1280, 720), &error), qPrintable(error));
        const QImage image(png);
        QCOMPARE(image.size(), QSize(1280, 720));
        QVERIFY(distinctColours(image) > 20);
    }

    void invalidInputIsShownNextToItsField()
    {
        const QString path = writeFileIn(m_dir, QStringLiteral("edit.json"), kSmallScenario);
        MainWindow w;
        w.show();
        QString error;
        QVERIFY(w.openScenario(path, &error));
        w.scenarioPanel()->selectArray(QStringLiteral("src"));
        ArrayForm *form = w.scenarioPanel()->arrayForm();
        auto *shape = qobject_cast<QLineEdit *>(form->rows().editor(QStringLiteral("shape")));
        QVERIFY(shape);
        QCOMPARE(shape->text(), QStringLiteral("1000000"));
        shape->setText(QStringLiteral("-5"));
        emit shape->editingFinished();
        QApplication::processEvents();
        QVERIFY(!w.document()->isValid());
        QVERIFY(w.document()->isModified());
        QVERIFY(w.isWindowModified());
        QCOMPARE(w.document()->errorPointer(), QStringLiteral("/arrays/src/shape/0"));
        QCOMPARE(form->rows().errorText(QStringLiteral("shape")), w.document()->error());
        QVERIFY(w.document()->error().startsWith(path + QStringLiteral(": /arrays/src/shape/0: ")));
        QVERIFY(!w.action(QStringLiteral("runAll"))->isEnabled());
        QVERIFY(!w.action(QStringLiteral("runSelected"))->isEnabled());

        shape->setText(QStringLiteral("2000000"));
        emit shape->editingFinished();
        QApplication::processEvents();
        QVERIFY2(w.document()->isValid(), qPrintable(w.document()->error()));
        QVERIFY(form->rows().errorText(QStringLiteral("shape")).isEmpty());
        QVERIFY(w.action(QStringLiteral("runAll"))->isEnabled());
        QCOMPARE(w.document()->validScenario()->array(QStringLiteral("dst"))->shape, std::vector<int64_t>{2000000});

        // A run's field: workers out of range.
        w.scenarioPanel()->selectRun(1);
        RunForm *runForm = w.scenarioPanel()->runForm();
        auto *workers = qobject_cast<QLineEdit *>(runForm->rows().editor(QStringLiteral("workers")));
        workers->setText(QStringLiteral("5000"));
        emit workers->editingFinished();
        QApplication::processEvents();
        QCOMPARE(w.document()->errorPointer(), QStringLiteral("/runs/1/workers"));
        QCOMPARE(runForm->rows().errorText(QStringLiteral("workers")), w.document()->error());
        workers->setText(QStringLiteral("1, 2"));
        emit workers->editingFinished();
        QApplication::processEvents();
        QVERIFY2(w.document()->isValid(), qPrintable(w.document()->error()));
        QCOMPARE(w.document()->expandedRuns(1).size(), 2);
        QVERIFY(runForm->allocation()->bytes() >= 2 * 8000000);
        w.document()->load(path, &error); // leave without the unsaved-changes prompt
    }

    void everyRunKeyHasAnEditor()
    {
        MainWindow w;
        w.scenarioPanel()->selectRun(0);
        RunForm *form = w.scenarioPanel()->runForm();
        QCOMPARE(form->runIndex(), 0);
        for (const QString &key : scenarioRunKeys()) {
            QWidget *editor = form->rows().editor(key);
            QVERIFY2(editor, qPrintable(key));
            QVERIFY2(!editor->toolTip().isEmpty() || key == QLatin1String("source") || key == QLatin1String("target"),
                     qPrintable(key));
        }
    }

    // The array form shows the rows of the chosen store kind, as its key table names them, and no
    // other kind's. The expected rows are spelled out, so that a table and the form cannot drift
    // apart unnoticed.
    void arrayFormShowsTheRowsOfItsStoreKind_data()
    {
        QTest::addColumn<QString>("given");
        QTest::addColumn<QStringList>("rows");
        const QStringList blosc = {QStringLiteral("path"),
                                   QStringLiteral("compressor"),
                                   QStringLiteral("compressor/cname"),
                                   QStringLiteral("compressor/clevel"),
                                   QStringLiteral("compressor/shuffle"),
                                   QStringLiteral("compressor/blocksize"),
                                   QStringLiteral("filters"),
                                   QStringLiteral("fill_value"),
                                   QStringLiteral("order"),
                                   QStringLiteral("dimension_separator"),
                                   QStringLiteral("zarr_format")};
        QTest::newRow("memory") << QStringLiteral("{\"store\": \"memory\"}") << QStringList();
        QTest::newRow("zarr") << QStringLiteral("{\"store\": \"zarr\"}") << blosc;
        QTest::newRow("zarr zlib") << QStringLiteral("{\"store\": \"zarr\", \"compressor\": {\"id\": \"zlib\"}}")
                                   << QStringList{QStringLiteral("path"),
                                                  QStringLiteral("compressor"),
                                                  QStringLiteral("compressor/clevel"),
                                                  QStringLiteral("filters"),
                                                  QStringLiteral("fill_value"),
                                                  QStringLiteral("order"),
                                                  QStringLiteral("dimension_separator"),
                                                  QStringLiteral("zarr_format")};
        QTest::newRow("zarr bz2") << QStringLiteral("{\"store\": \"zarr\", \"compressor\": {\"id\": \"bz2\"}}")
                                  << QStringList{QStringLiteral("path"),
                                                 QStringLiteral("compressor"),
                                                 QStringLiteral("compressor/clevel"),
                                                 QStringLiteral("filters"),
                                                 QStringLiteral("fill_value"),
                                                 QStringLiteral("order"),
                                                 QStringLiteral("dimension_separator"),
                                                 QStringLiteral("zarr_format")};
        QTest::newRow("zarr lz4") << QStringLiteral("{\"store\": \"zarr\", \"compressor\": {\"id\": \"lz4\"}}")
                                  << QStringList{QStringLiteral("path"),       QStringLiteral("compressor"),
                                                 QStringLiteral("filters"),    QStringLiteral("fill_value"),
                                                 QStringLiteral("order"),      QStringLiteral("dimension_separator"),
                                                 QStringLiteral("zarr_format")};
        QTest::newRow("zarr none") << QStringLiteral("{\"store\": \"zarr\", \"compressor\": null}")
                                   << QStringList{QStringLiteral("path"),       QStringLiteral("compressor"),
                                                  QStringLiteral("filters"),    QStringLiteral("fill_value"),
                                                  QStringLiteral("order"),      QStringLiteral("dimension_separator"),
                                                  QStringLiteral("zarr_format")};
        QTest::newRow("zarr v3") << QStringLiteral("{\"store\": \"zarr\", \"zarr_format\": 3}")
                                 << QStringList{QStringLiteral("path"),
                                                QStringLiteral("fill_value"),
                                                QStringLiteral("codecs/sharding"),
                                                QStringLiteral("codecs"),
                                                QStringLiteral("chunk_key_encoding"),
                                                QStringLiteral("dimension_names"),
                                                QStringLiteral("attributes"),
                                                QStringLiteral("zarr_format")};
        QTest::newRow("hdf5") << QStringLiteral("{\"store\": \"hdf5\", \"dataset\": \"/x\"}")
                              << QStringList{QStringLiteral("file"), QStringLiteral("dataset"),
                                             QStringLiteral("compression"), QStringLiteral("shuffle")};
        QTest::newRow("hdf5 gzip") << QStringLiteral("{\"store\": \"hdf5\", \"compression\": \"gzip\"}")
                                   << QStringList{QStringLiteral("file"), QStringLiteral("dataset"),
                                                  QStringLiteral("compression"), QStringLiteral("compression_opts"),
                                                  QStringLiteral("shuffle")};
        QTest::newRow("carray") << QStringLiteral("{\"store\": \"carray\"}")
                                << QStringList{QStringLiteral("chunklen"), QStringLiteral("cparams/cname"),
                                               QStringLiteral("cparams/clevel"), QStringLiteral("cparams/shuffle"),
                                               QStringLiteral("rootdir")};
    }

    void arrayFormShowsTheRowsOfItsStoreKind()
    {
        QFETCH(QString, given);
        QFETCH(QStringList, rows);
        ArrayForm form;
        ArraySpec a;
        a.id = QStringLiteral("x");
        a.given = QJsonDocument::fromJson(given.toUtf8()).object();
        a.store = a.given.value(QStringLiteral("store")).toString();
        form.setArray(a, nullptr, {a.id});
        QStringList shown;
        for (const StoreKind *kind : storeKinds())
            for (const KindKey &key : kind->keys())
                for (const QString &field : key.formFields) {
                    QWidget *editor = form.rows().editor(field);
                    QVERIFY2(editor, qPrintable(field));
                    if (editor->isVisibleTo(&form))
                        shown.append(field);
                }
        QCOMPARE(shown, rows);
    }

    // The Filters row takes numcodecs configs as JSON and gives them to the scenario as a list; text that
    // is not a JSON list goes as it is, for the scenario's check to name the field.
    void arrayFormEditsFilters()
    {
        ArrayForm form;
        ArraySpec a;
        a.id = QStringLiteral("z");
        a.given = QJsonObject{{QStringLiteral("store"), QStringLiteral("zarr")}};
        a.store = QStringLiteral("zarr");
        form.setArray(a, nullptr, {a.id});
        QJsonObject edited;
        connect(&form, &ArrayForm::givenEdited, this, [&](const QString &, const QJsonObject &g) { edited = g; });
        auto *filters = qobject_cast<QLineEdit *>(form.rows().editor(QStringLiteral("filters")));
        QVERIFY(filters);
        filters->setText(QStringLiteral(R"([{"id": "delta", "dtype": "<i4"}])"));
        emit filters->editingFinished();
        QCOMPARE(edited.value(QLatin1String("filters")),
                 QJsonValue(QJsonArray{QJsonObject{{QStringLiteral("id"), QStringLiteral("delta")},
                                                   {QStringLiteral("dtype"), QStringLiteral("<i4")}}}));
        filters->setText(QStringLiteral("delta"));
        emit filters->editingFinished();
        QCOMPARE(edited.value(QLatin1String("filters")), QJsonValue(QStringLiteral("delta")));
        filters->clear();
        emit filters->editingFinished();
        QVERIFY(!edited.contains(QLatin1String("filters")));
    }

    void editsARunFlagAndSavesIt_data()
    {
        QTest::addColumn<QString>("key");
        QTest::addColumn<QString>("text");
        QTest::newRow("prefault") << QStringLiteral("prefault") << QStringLiteral("Pre-fault the target");
        QTest::newRow("fork_during_copy") << QStringLiteral("fork_during_copy") << QStringLiteral("Fork during copy");
    }

    void editsARunFlagAndSavesIt()
    {
        QFETCH(QString, key);
        QFETCH(QString, text);
        const QString path = writeFileIn(m_dir, key + QStringLiteral(".json"), kSmallScenario);
        const QString saved = m_dir.filePath(key + QStringLiteral("-saved.json"));
        QString error;
        {
            MainWindow w;
            QVERIFY2(w.openScenario(path, &error), qPrintable(error));
            w.scenarioPanel()->selectRun(0);
            auto *box = qobject_cast<QCheckBox *>(w.scenarioPanel()->runForm()->rows().editor(key));
            QVERIFY(box);
            QCOMPARE(box->text(), text);
            QVERIFY(box->isEnabled());
            QVERIFY(!box->isChecked());

            box->click();
            QApplication::processEvents();
            QVERIFY2(w.document()->isValid(), qPrintable(w.document()->error()));
            QVERIFY(w.document()->isModified());
            QCOMPARE(w.document()->scenario().givenRuns.at(0).toObject().value(key), QJsonValue(true));
            QVERIFY(!w.document()->scenario().givenRuns.at(1).toObject().contains(key));
            QVERIFY(runFlag(w.document()->validScenario()->runs.at(0), key));
            QVERIFY(!runFlag(w.document()->validScenario()->runs.at(1), key));
            QVERIFY2(w.saveScenario(saved, &error), qPrintable(error));
        }
        QCOMPARE(savedRun(saved, 0).value(key), QJsonValue(true));
        QVERIFY(!savedRun(saved, 1).contains(key));
        {
            MainWindow w;
            QVERIFY2(w.openScenario(saved, &error), qPrintable(error));
            QVERIFY(runFlag(w.document()->validScenario()->runs.at(0), key));
            w.scenarioPanel()->selectRun(0);
            auto *box = qobject_cast<QCheckBox *>(w.scenarioPanel()->runForm()->rows().editor(key));
            QVERIFY(box->isChecked());

            // Unchecked leaves the key out of the run, as for a run that never set it.
            box->click();
            QApplication::processEvents();
            QVERIFY2(w.document()->isValid(), qPrintable(w.document()->error()));
            QVERIFY(!w.document()->scenario().givenRuns.at(0).toObject().contains(key));
            QVERIFY(!runFlag(w.document()->validScenario()->runs.at(0), key));
            QVERIFY2(w.saveScenario(saved, &error), qPrintable(error));
        }
        QVERIFY(!savedRun(saved, 0).contains(key));
        QCOMPARE(savedRun(saved, 0).value(QStringLiteral("name")), QJsonValue(QStringLiteral("copy, lock")));
        {
            MainWindow w;
            QVERIFY2(w.openScenario(saved, &error), qPrintable(error));
            w.scenarioPanel()->selectRun(0);
            auto *box = qobject_cast<QCheckBox *>(w.scenarioPanel()->runForm()->rows().editor(key));
            QVERIFY(!box->isChecked());
            QVERIFY(!runFlag(w.document()->validScenario()->runs.at(0), key));
        }
    }

    void greysOutRunKeysThatDoNotApply()
    {
        const QString path = writeFileIn(m_dir, QStringLiteral("stores.json"), kStoresScenario);
        MainWindow w;
        QString error;
        QVERIFY2(w.openScenario(path, &error), qPrintable(error));
        RunForm *form = w.scenarioPanel()->runForm();
        const auto editor = [form](const char *key) { return form->rows().editor(QLatin1String(key)); };

        // Into Zarr: nothing to pre-fault, no HDF5 path; a fork applies to any copy.
        w.scenarioPanel()->selectRun(0);
        QVERIFY(!editor("prefault")->isEnabled());
        QVERIFY(
            editor("prefault")->toolTip().contains(QStringLiteral("the target z (store: zarr) is not an in-memory")));
        QVERIFY(!editor("hdf5_path")->isEnabled());
        QVERIFY(editor("hdf5_path")->toolTip().contains(QStringLiteral("is an HDF5 store")));
        QVERIFY(editor("fork_during_copy")->isEnabled());
        QVERIFY(editor("sample_ms")->isEnabled());

        // Retargeting the run at a memory array makes pre-faulting apply.
        auto *target = qobject_cast<QComboBox *>(editor("target"));
        target->setCurrentIndex(target->findText(QStringLiteral("dst")));
        emit target->activated(target->currentIndex());
        QApplication::processEvents();
        QVERIFY(editor("prefault")->isEnabled());
        QVERIFY(!editor("prefault")->toolTip().contains(QStringLiteral("Not used")));

        w.scenarioPanel()->selectRun(1);
        QVERIFY(editor("hdf5_path")->isEnabled());
        QVERIFY(!editor("prefault")->isEnabled());

        w.scenarioPanel()->selectRun(2);
        QVERIFY(editor("prefault")->isEnabled());
        QVERIFY(!editor("sample_ms")->isEnabled());
        QVERIFY(editor("sample_ms")->toolTip().contains(QStringLiteral("not profiled")));

        // A flag the file sets where it has no effect stays checked and can still be cleared.
        w.scenarioPanel()->selectRun(3);
        auto *prefault = qobject_cast<QCheckBox *>(editor("prefault"));
        QVERIFY(prefault->isChecked());
        QVERIFY(prefault->isEnabled());
        QVERIFY(prefault->toolTip().contains(QStringLiteral("Not used")));
        prefault->click();
        QApplication::processEvents();
        QVERIFY(!w.document()->scenario().givenRuns.at(3).toObject().contains(QStringLiteral("prefault")));
        QVERIFY(!prefault->isEnabled());
        w.document()->load(path, &error); // leave without the unsaved-changes prompt
    }

    void buildsAScenarioFromScratch()
    {
        ScenarioDocument doc;
        QVERIFY(doc.isValid());
        QCOMPARE(doc.scenario().arrays.size(), 0);
        const QString a = doc.addArray();
        const QString b = doc.addArray();
        QCOMPARE(a, QStringLiteral("a1"));
        QCOMPARE(b, QStringLiteral("a2"));
        QVERIFY2(doc.isValid(), qPrintable(doc.error()));
        QCOMPARE(doc.addRun(), 0);
        QVERIFY2(doc.isValid(), qPrintable(doc.error()));
        QCOMPARE(doc.validScenario()->runs.size(), 1);
        QCOMPARE(doc.validScenario()->runs.first().source, a);
        QCOMPARE(doc.validScenario()->runs.first().target, b);

        // Renaming an array renames every reference to it.
        QString error;
        QVERIFY(doc.renameArray(a, QStringLiteral("source"), &error));
        QVERIFY2(doc.isValid(), qPrintable(doc.error()));
        QCOMPARE(doc.validScenario()->runs.first().source, QStringLiteral("source"));
        QVERIFY(!doc.renameArray(b, QStringLiteral("source"), &error));

        // Removing the target leaves a run that names a missing array: an error at its path.
        doc.removeArray(b);
        QVERIFY(!doc.isValid());
        QCOMPARE(doc.errorPointer(), QStringLiteral("/runs/0/target"));
        QCOMPARE(doc.error(), QStringLiteral("scenario: /runs/0/target: unknown array \"a2\""));
        doc.removeRun(0);
        QVERIFY2(doc.isValid(), qPrintable(doc.error()));

        const QString path = m_dir.filePath(QStringLiteral("scratch.json"));
        QVERIFY2(doc.save(path, &error), qPrintable(error));
        ScenarioDocument again;
        QVERIFY2(again.load(path, &error), qPrintable(error));
        QCOMPARE(again.scenario().arrays.size(), 1);
        QCOMPARE(again.scenario().arrays.first().id, QStringLiteral("source"));
        QCOMPARE(again.scenario().arrays.first().given, doc.scenario().arrays.first().given);
    }

    void savesAndReopensTheScenarioUnchanged()
    {
        const QString path = writeFileIn(m_dir, QStringLiteral("round.json"), kSmallScenario);
        MainWindow w;
        QString error;
        QVERIFY(w.openScenario(path, &error));
        const Scenario before = w.document()->scenario();
        const QString saved = m_dir.filePath(QStringLiteral("saved.json"));
        QVERIFY2(w.saveScenario(saved, &error), qPrintable(error));
        QVERIFY(!w.document()->isModified());
        QCOMPARE(w.document()->filePath(), QFileInfo(saved).absoluteFilePath());

        MainWindow other;
        QVERIFY2(other.openScenario(saved, &error), qPrintable(error));
        const Scenario after = other.document()->scenario();
        QCOMPARE(after.name, before.name);
        QCOMPARE(after.description, before.description);
        QCOMPARE(after.givenRuns, before.givenRuns);
        QCOMPARE(after.arrays.size(), before.arrays.size());
        for (qsizetype i = 0; i < after.arrays.size(); ++i) {
            QCOMPARE(after.arrays[i].id, before.arrays[i].id);
            QCOMPARE(after.arrays[i].given, before.arrays[i].given);
            QCOMPARE(after.arrays[i].shape, before.arrays[i].shape);
            QCOMPARE(after.arrays[i].dtype, before.arrays[i].dtype);
        }
        QCOMPARE(after.runs.size(), before.runs.size());
        QCOMPARE(scenarioToJson(after), scenarioToJson(before));
        QVERIFY(QSettings(QStringLiteral("Chunkscope"), QStringLiteral("Chunkscope"))
                    .value(QStringLiteral("recentFiles"))
                    .toStringList()
                    .contains(QFileInfo(saved).absoluteFilePath()));

        // An unknown file is an error, reported, not a crash.
        QVERIFY(!other.openScenario(m_dir.filePath(QStringLiteral("missing.json")), &error));
        QVERIFY(error.contains(QStringLiteral("missing.json")));
    }

    // Run selected and Run all ask before a scenario that needs more memory than is available, with
    // both figures, and do not run it unless told to.
    void asksBeforeALargeRun_data()
    {
        QTest::addColumn<bool>("all");
        QTest::addColumn<bool>("runAnyway");
        QTest::newRow("run selected, declined") << false << false;
        QTest::newRow("run all, declined") << true << false;
        QTest::newRow("run all, run anyway") << true << true;
    }

    void asksBeforeALargeRun()
    {
        QFETCH(bool, all);
        QFETCH(bool, runAnyway);
        MainWindow w;
        w.show();
        QString error;
        QVERIFY2(w.openScenario(kLargeScenario, &error), qPrintable(error));
        w.scenarioPanel()->selectRun(0);
        const int64_t available = HostInfo::current().availableMemoryBytes;
        QVERIFY(available > 0);
        QVERIFY(totalAllocation(*w.document()->validScenario()) > int64_t(1) << 40);

        QString text;
        QString defaultButton;
        QStringList buttons;
        ModalAnswer<QMessageBox> answer([&](QMessageBox *box) {
            text = box->text();
            defaultButton = box->defaultButton() ? box->defaultButton()->text() : QString();
            for (QAbstractButton *b : box->buttons())
                buttons.append(b->text());
            for (QAbstractButton *b : box->buttons()) {
                if (b->text() == (runAnyway ? QStringLiteral("Run anyway") : QStringLiteral("Don't run")))
                    b->click();
            }
        });
        QSignalSpy finished(&w, &MainWindow::runsFinished);
        const bool started = all ? w.runAll() : w.runSelected();
        QVERIFY2(answer.answered(), "no question before a run larger than the available memory");

        const QRegularExpression figures(
            QStringLiteral("^The scenario needs about 1\\.0 TiB of memory but ([0-9.]+ [KMGT]?i?B) is available\\.$"));
        const QRegularExpressionMatch match = figures.match(text);
        QVERIFY2(match.hasMatch(), qPrintable(text));
        QVERIFY(std::abs(sizeFigure(match.captured(1)) - double(available)) < 0.1 * double(available));
        QCOMPARE(defaultButton, QStringLiteral("Don't run"));
        buttons.sort();
        QCOMPARE(buttons, (QStringList{QStringLiteral("Don't run"), QStringLiteral("Run anyway")}));

        QCOMPARE(started, runAnyway);
        QCOMPARE(w.isRunning(), runAnyway);
        if (runAnyway)
            QVERIFY(finished.wait(60000));
        else
            QTest::qWait(100);
        QCOMPARE(w.runsModel()->rowCount(), runAnyway ? 1 : 0);
    }

    void cancelsALongRun()
    {
        const QString path = writeFileIn(m_dir, QStringLiteral("long.json"), kLongScenario);
        MainWindow w;
        w.show();
        QString error;
        QVERIFY2(w.openScenario(path, &error), qPrintable(error));
        QSignalSpy finished(&w, &MainWindow::runsFinished);
        QVERIFY(w.runAll());
        // Wait until the copy itself runs (the source is built first), then cancel.
        QTRY_VERIFY_WITH_TIMEOUT(w.controller()->snapshot().tasksDone > 0, 60000);
        QTRY_VERIFY(w.profileView()->isLive()); // once it has run a quarter second
        QVERIFY(w.progressBar()->isVisible());
        QVERIFY(w.progressBar()->maximum() == 2442); // ceil(40000000 / 16384) tasks
        QElapsedTimer clock;
        clock.start();
        w.cancelRun();
        QVERIFY(finished.wait(5000));
        QVERIFY2(clock.elapsed() < 1000, qPrintable(QString::number(clock.elapsed())));
        QCOMPARE(w.runsModel()->rowCount(), 1);
        const auto run = w.runsModel()->run(0);
        QCOMPARE(run->status, RunResult::Status::Cancelled);
        QVERIFY(run->error.startsWith(QStringLiteral("cancelled after")));
        QVERIFY(int64_t(run->events.size()) < run->tasks / 2); // it stopped early, not at the end
        QVERIFY(!w.isRunning());
        QVERIFY(w.action(QStringLiteral("runAll"))->isEnabled());
    }

    void sameLocationIsShownUnderThePathField()
    {
        QTemporaryDir dir;
        QVERIFY(QDir(dir.path()).mkpath(QStringLiteral("src.zarr")));
        QVERIFY(QDir(dir.path()).mkpath(QStringLiteral("x")));
        const QString path = writeFileIn(dir, QStringLiteral("onto.json"), R"({"chunkscope": 1, "arrays": {
            "src": {"store": "zarr", "dtype": "<i4", "shape": [100], "chunks": [10], "path": "src.zarr",
                    "fill": "existing"},
            "dst": {"store": "zarr", "like": "src", "path": "dst.zarr", "overwrite": true, "fill": "empty"}},
            "runs": [{"name": "copy", "source": "src", "target": "dst"}]})");
        MainWindow w;
        w.show();
        QString error;
        QVERIFY2(w.openScenario(path, &error), qPrintable(error));
        QVERIFY(w.action(QStringLiteral("runAll"))->isEnabled());
        w.scenarioPanel()->selectArray(QStringLiteral("dst"));
        ArrayForm *form = w.scenarioPanel()->arrayForm();
        auto *pathEdit = qobject_cast<QLineEdit *>(form->rows().editor(QStringLiteral("path")));
        QVERIFY(pathEdit);
        pathEdit->setText(QStringLiteral("./x/../src.zarr"));
        emit pathEdit->editingFinished();
        QApplication::processEvents();
        QVERIFY(!w.document()->isValid());
        QCOMPARE(w.document()->error(), path + QStringLiteral(": /arrays/dst/path: the same location as /arrays/src"));
        QCOMPARE(w.document()->errorPointer(), QStringLiteral("/arrays/dst/path"));
        QCOMPARE(form->rows().errorText(QStringLiteral("path")), w.document()->error());
        QVERIFY(!w.action(QStringLiteral("runAll"))->isEnabled());
        w.document()->load(path, &error); // leave without the unsaved-changes prompt
    }

private:
    QTemporaryDir m_dir;
};

QTEST_MAIN(TestMainWindow)
#include "tst_mainwindow.moc"
