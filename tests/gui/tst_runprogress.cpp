// What the window and the command line say while a run fills its arrays, copies and verifies: the
// stage in words, a determinate bar, and the copy's own time and GB/s, which stop when the copy ends.
#include "charts/profileview.h"
#include "charts/units.h"
#include "cli/progressline.h"
#include "engine/copyrun.h"
#include "testfiles.h"
#include "windows/runcontroller.h"
#include "windows/runstablemodel.h"
#include "windows/runstatus.h"
#include "windows/scenariopanel.h"
#include "windowtests.h"

#include <QProgressBar>
#include <QTemporaryDir>
#include <QtTest>

using namespace cs;

namespace {

// 4 million int32 through in-memory Zarr arrays: the source is filled chunk by chunk, the copy is
// verified chunk by chunk, each long enough to take some time.
const QByteArray kZarrScenario = R"({
  "chunkscope": 1,
  "name": "zarr copy",
  "arrays": {
    "a1": {"store": "zarr", "dtype": "<i4", "shape": [4000000], "chunks": [65536], "fill": {"random": {"seed": 3}}},
    "a2": {"store": "zarr", "like": "a1", "fill": "empty"}
  },
  "runs": [{"name": "copy", "source": "a1", "target": "a2", "workers": 2, "sample_ms": 10}]
})";

RunSnapshot counters(int64_t done, int64_t total)
{
    RunSnapshot s;
    s.tasksDone = done;
    s.tasksTotal = total;
    return s;
}

// A copy of 382 tasks that ended after 23 s, 153 of its chunks verified.
RunSnapshot verifying()
{
    RunSnapshot s = counters(382, 382);
    s.bytesDone = 1600000000;
    s.elapsedNs = 23'000'000'000;
    s.copyEnded = true;
    s.verifyTotal = 382;
    s.verifyDone = 153;
    return s;
}

} // namespace

class TestRunProgress : public QObject {
    Q_OBJECT

private slots:
    void initTestCase()
    {
        startFromEmptySettings();
        QVERIFY(m_dir.isValid());
    }

    void statusBarCountsFillingAndVerifying()
    {
        MainWindow w;
        w.show();
        RunStatus *status = w.runStatus();
        QProgressBar *bar = w.progressBar();
        status->batchStarted();

        emit w.controller()->fillUpdated(QStringLiteral("a1"), counters(120, 382));
        QCOMPARE(status->text(), QStringLiteral("filling a1: 120 of 382 chunks"));
        QVERIFY(bar->isVisible());
        QCOMPARE(bar->value(), 120);
        QCOMPARE(bar->maximum(), 382);
        QCOMPARE(bar->text(), QStringLiteral("120 / 382 chunks"));

        emit w.controller()->copyStarted(QStringLiteral("copy"));
        emit w.controller()->progressUpdated(counters(100, 382));
        QCOMPARE(status->text(), QStringLiteral("Running copy"));
        QCOMPARE(bar->value(), 100);
        QCOMPARE(bar->maximum(), 382);
        QCOMPARE(bar->text(), QStringLiteral("100 / 382 tasks"));

        emit w.controller()->progressUpdated(verifying());
        QCOMPARE(status->text(), QStringLiteral("verifying: 40 %"));
        QCOMPARE(bar->value(), 40);
        QCOMPARE(bar->maximum(), 100);
        QCOMPARE(bar->text(), QStringLiteral("40 %"));
        // The copy's figures: 1.6 GB in 23 s, whatever the verification's time.
        QCOMPARE(status->figures(), QStringLiteral("23.00 s  ·  69.6 MB/s"));

        status->batchFinished();
        QVERIFY(!bar->isVisible());
        QCOMPARE(status->figures(), QString());
    }

    // While the workers copy, the status bar changes a few times a second, not at every refresh;
    // the end of the copy shows at once.
    void statusBarFollowsTheCopyAFewTimesASecond()
    {
        MainWindow w;
        w.show();
        QProgressBar *bar = w.progressBar();
        w.runStatus()->batchStarted();
        emit w.controller()->copyStarted(QStringLiteral("copy"));
        emit w.controller()->progressUpdated(counters(10, 382));
        QCOMPARE(bar->value(), 10);
        emit w.controller()->progressUpdated(counters(20, 382));
        QCOMPARE(bar->value(), 10); // within a quarter second of the last change
        QTest::qWait(260);
        emit w.controller()->progressUpdated(counters(30, 382));
        QCOMPARE(bar->value(), 30);
        emit w.controller()->progressUpdated(counters(382, 382));
        QCOMPARE(bar->value(), 382);
        // The next copy's first counters show at once.
        emit w.controller()->copyStarted(QStringLiteral("copy"));
        emit w.controller()->progressUpdated(counters(5, 382));
        QCOMPARE(bar->value(), 5);
    }

    void liveHeaderShowsVerifying()
    {
        ProfileView view;
        view.resize(1200, 700);
        view.show();
        LiveRunInfo info;
        info.name = QStringLiteral("copy");
        info.workers = 2;
        info.shape = Coords::fromVector({382 * 1000});
        info.chunks = Coords::fromVector({1000});
        info.profile = false;
        view.beginLive(info);
        view.updateLive(counters(100, 382));
        QVERIFY(view.pane(0)->titleText().contains(QStringLiteral("running: 100 of 382 tasks")));
        view.updateLive(verifying());
        const QString title = view.pane(0)->titleText();
        QVERIFY2(title.contains(QStringLiteral("verifying: 40 %")), qPrintable(title));
        QVERIFY2(title.contains(QStringLiteral("23.00 s")), qPrintable(title));
        QVERIFY2(!title.contains(QStringLiteral("running:")), qPrintable(title));
    }

    void copyFiguresAfterTheRunAreTheResults()
    {
        const QString path = writeFileIn(m_dir, QStringLiteral("zarr.json"), kZarrScenario);
        MainWindow w;
        w.resize(1400, 900);
        w.show();
        QString error;
        QVERIFY2(w.openScenario(path, &error), qPrintable(error));
        w.scenarioPanel()->selectRun(0);
        RunSnapshot last;
        QString lastFigures;
        connect(w.controller(), &RunController::progressUpdated, this, [&](const RunSnapshot &s) {
            last.finished = s.finished;
            last.elapsedNs = s.elapsedNs;
            lastFigures = w.runStatus()->figures();
        });
        QVERIFY(runSelectedToTheEnd(w, 120000));
        QCOMPARE(w.runsModel()->rowCount(), 1);
        const auto run = w.runsModel()->run(0);
        QCOMPARE(run->status, RunResult::Status::Ok);
        QCOMPARE(run->verified, std::optional<bool>(true));
        // The last figures the status bar showed are those of the result: the copy's seconds, not
        // the time until verification ended.
        QVERIFY(last.finished);
        QCOMPARE(double(last.elapsedNs) / 1e9, run->wallSeconds);
        QCOMPARE(lastFigures,
                 formatSeconds(run->wallSeconds, 2) + QStringLiteral("  ·  ") + formatRate(run->throughputGbps()));
        QCOMPARE(w.runStatus()->text(),
                 QStringLiteral("copy: ok, %1 s, %2")
                     .arg(run->wallSeconds, 0, 'f', 3)
                     .arg(formatRate(run->throughputGbps())));
    }

    void progressLineSaysTheStages()
    {
        QCOMPARE(ProgressLine::fillText(QStringLiteral("a1"), counters(120, 382)),
                 QStringLiteral("[#########.....................] filling a1: 120 of 382 chunks"));
        RunSnapshot copying = counters(191, 382);
        copying.bytesDone = 800000000;
        copying.elapsedNs = 10'000'000'000;
        QCOMPARE(
            ProgressLine::progressText(QStringLiteral("copy"), copying),
            QStringLiteral("[###############...............] running: 191 of 382 tasks  10.00 s  80.0 MB/s  copy"));
        QCOMPARE(ProgressLine::progressText(QStringLiteral("copy"), verifying()),
                 QStringLiteral("[############..................] verifying: 40 %  23.00 s  69.6 MB/s  copy"));
    }

private:
    QTemporaryDir m_dir;
};

QTEST_MAIN(TestRunProgress)
#include "tst_runprogress.moc"
