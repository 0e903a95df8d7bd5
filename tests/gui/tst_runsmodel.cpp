// The runs table: every finished run with its figures, checked by QAbstractItemModelTester.
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
        QCOMPARE(text(0, RunsTableModel::PeakRssColumn), QStringLiteral("3.0G"));
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
    }
};

QTEST_MAIN(TestRunsModel)
#include "tst_runsmodel.moc"
