// The runs table: every finished run with its figures, checked by QAbstractItemModelTester; and how
// it and the command line's summary show a run that never reached its copy.
#include "cli/summarytable.h"
#include "windows/runstablemodel.h"

#include <QAbstractItemModelTester>
#include <QtTest>

using namespace cs;

namespace {
std::shared_ptr<const RunResult> makeRun(const QString &name, RunResult::Status status, double wall)
{
    RunResult r;
    r.name = name;
    r.status = status;
    r.workers = 2;
    r.lock = LockMode::None;
    r.tasks = 382;
    r.bytes = 1600000000;
    r.wallSeconds = wall;
    r.cpuMeanPercent = 181.4;
    r.peakRssBytes = int64_t(3) << 30;
    r.verified = status == RunResult::Status::Ok;
    r.error = status == RunResult::Status::Ok ? QString() : QStringLiteral("cancelled after 10 of 382 tasks");
    r.source.id = QStringLiteral("z1");
    r.source.store = QStringLiteral("zarr");
    r.source.nbytes = 1600000000;
    r.source.nbytesStored = 400000000;
    r.target.id = QStringLiteral("z2");
    r.target.store = QStringLiteral("zarr");
    return std::make_shared<const RunResult>(r);
}
} // namespace

class TestRunsModel : public QObject {
    Q_OBJECT

private slots:
    void modelIsConsistent()
    {
        RunsTableModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        model.append(makeRun(QStringLiteral("numpy, lock"), RunResult::Status::Ok, 0.152));
        model.append({makeRun(QStringLiteral("zarr, lock"), RunResult::Status::Ok, 1.6),
                      makeRun(QStringLiteral("zarr, no lock"), RunResult::Status::Cancelled, 0.01)});
        QCOMPARE(model.rowCount(), 3);
        QCOMPARE(model.columnCount(), int(RunsTableModel::ColumnCount));
        model.clear();
        QCOMPARE(model.rowCount(), 0);
        model.append(makeRun(QStringLiteral("again"), RunResult::Status::Ok, 1));
        QCOMPARE(model.rowCount(), 1);
    }

    void sizesAreInBinaryUnits()
    {
        // Memory in binary units that say so, as on the charts' axes: 97,832,140 bytes are 93.3 MiB
        // (zarr's "93.3M" said neither); throughput stays decimal, its header says GB/s.
        RunResult r = *makeRun(QStringLiteral("zarr"), RunResult::Status::Ok, 2);
        r.peakRssBytes = 97832140;
        RunsTableModel model;
        model.append(std::make_shared<const RunResult>(r));
        QCOMPARE(model.index(0, RunsTableModel::PeakRssColumn).data().toString(), QStringLiteral("93.3 MiB"));
        QCOMPARE(model.index(0, RunsTableModel::ThroughputColumn).data().toString(), QStringLiteral("0.80"));
        QCOMPARE(model.headerData(RunsTableModel::ThroughputColumn, Qt::Horizontal).toString(), QStringLiteral("GB/s"));
        QVERIFY(model.headerData(RunsTableModel::PeakRssColumn, Qt::Horizontal, Qt::ToolTipRole)
                    .toString()
                    .contains(QStringLiteral("1 MiB = 1024 × 1024 bytes")));
    }

    void rowsShowTheFigures()
    {
        RunsTableModel model;
        model.append(makeRun(QStringLiteral("numpy, lock"), RunResult::Status::Ok, 0.152));
        model.append(makeRun(QStringLiteral("zarr, no lock"), RunResult::Status::Cancelled, 0.01));
        auto text = [&](int row, int column) { return model.index(row, column).data().toString(); };
        QCOMPARE(text(0, RunsTableModel::NameColumn), QStringLiteral("numpy, lock"));
        QCOMPARE(text(0, RunsTableModel::StatusColumn), QStringLiteral("ok"));
        QCOMPARE(text(0, RunsTableModel::WallColumn), QStringLiteral("0.152"));
        QCOMPARE(text(0, RunsTableModel::ThroughputColumn), QStringLiteral("10.53"));
        QCOMPARE(text(0, RunsTableModel::CpuColumn), QStringLiteral("181"));
        QCOMPARE(text(0, RunsTableModel::PeakRssColumn), QStringLiteral("3.0 GiB"));
        QCOMPARE(text(0, RunsTableModel::TasksColumn), QStringLiteral("382"));
        QCOMPARE(text(0, RunsTableModel::LockColumn), QStringLiteral("none"));
        QCOMPARE(text(0, RunsTableModel::VerifiedColumn), QStringLiteral("yes"));
        QCOMPARE(text(0, RunsTableModel::SourceColumn), QStringLiteral("z1 (zarr, 4.00x)"));
        QCOMPARE(text(0, RunsTableModel::TargetColumn), QStringLiteral("z2 (zarr, empty)"));
        QCOMPARE(text(1, RunsTableModel::StatusColumn), QStringLiteral("cancelled"));
        QCOMPARE(model.index(1, RunsTableModel::StatusColumn).data(Qt::ToolTipRole).toString(),
                 QStringLiteral("cancelled after 10 of 382 tasks"));
        QCOMPARE(model.index(0, RunsTableModel::ThroughputColumn).data(RunsTableModel::SortRole).toDouble(),
                 1600000000 / 0.152 / 1e9);
        QCOMPARE(model.run(1)->name, QStringLiteral("zarr, no lock"));
        QVERIFY(!model.run(2));
        QCOMPARE(text(0, RunsTableModel::ErrorColumn), QString());
    }

    void aLongErrorShowsOneLineAndAllOfItAsTooltip()
    {
        RunResult r;
        r.name = QStringLiteral("copy");
        r.status = RunResult::Status::Failed;
        r.error = QStringLiteral("array z: cannot read /data/very/long/path/") + QString(100, QLatin1Char('x'))
            + QStringLiteral("/.zarray:\nnot a regular file");
        RunsTableModel model;
        model.append(std::make_shared<const RunResult>(r));
        const QString shown = model.index(0, RunsTableModel::ErrorColumn).data().toString();
        QCOMPARE(shown.size(), 80);
        QVERIFY(shown.startsWith(QStringLiteral("array z: cannot read /data/very/long/path/xxx")));
        QVERIFY(shown.endsWith(QChar(0x2026)));
        QCOMPARE(model.index(0, RunsTableModel::ErrorColumn).data(Qt::ToolTipRole).toString(), r.error);
    }

    void runCancelledWhileItsArraysFilled()
    {
        RunResult r;
        r.name = QStringLiteral("copy");
        r.status = RunResult::Status::Cancelled;
        r.workers = 2;
        r.lock = LockMode::Target;
        r.profiled = true;
        r.verified = false;
        r.error = QStringLiteral("cancelled while filling array a, after 3 of 4096 chunks");
        RunsTableModel model;
        model.append(std::make_shared<const RunResult>(r));
        auto text = [&](int column) { return model.index(0, column).data().toString(); };
        QCOMPARE(text(RunsTableModel::StatusColumn), QStringLiteral("cancelled"));
        QCOMPARE(model.index(0, RunsTableModel::StatusColumn).data(Qt::ToolTipRole).toString(), r.error);
        // It never copied: no figures rather than zeros.
        for (int column : {int(RunsTableModel::WallColumn), int(RunsTableModel::ThroughputColumn),
                           int(RunsTableModel::CpuColumn), int(RunsTableModel::PeakRssColumn)})
            QCOMPARE(text(column), QString());
        QCOMPARE(text(RunsTableModel::VerifiedColumn), QStringLiteral("NO"));
        QCOMPARE(text(RunsTableModel::ErrorColumn), r.error);
        QCOMPARE(model.index(0, RunsTableModel::ErrorColumn).data(Qt::ToolTipRole).toString(), r.error);
        QCOMPARE(model.headerData(RunsTableModel::ErrorColumn, Qt::Horizontal).toString(), QStringLiteral("Error"));

        const QStringList lines = summaryTable({r}).split(QLatin1Char('\n'));
        QVERIFY2(lines.size() >= 4, qPrintable(lines.join(QLatin1Char('\n'))));
        QVERIFY2(lines[2].startsWith(QStringLiteral("copy ")) && lines[2].endsWith(QStringLiteral(" cancelled")),
                 qPrintable(lines[2]));
        QCOMPARE(lines[3], QStringLiteral("copy: cancelled while filling array a, after 3 of 4096 chunks"));
    }
};

QTEST_MAIN(TestRunsModel)
#include "tst_runsmodel.moc"
