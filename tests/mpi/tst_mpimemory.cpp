// The memory a rank of an MPI job needs: a memory array held as a partition counts only the chunks
// that rank holds, in `check --ranks N` and in the memory check `run` makes on every rank.

#include "array/memorysize.h"
#include "cluster/clusterplan.h"
#include "cluster/rankallocation.h"
#include "mpijob.h"
#include "runner/arrayset.h"
#include "scenario/scenarioparser.h"
#include "stores/memory/memorypartition.h"

#include <QRegularExpression>
#include <QTemporaryDir>
#include <QTest>

using namespace cs;
using namespace cs::testing;

namespace {

// A memory source of 1 TiB copied in 1 GiB chunks into a Zarr directory: 512 GiB on each of 2 ranks.
const QByteArray kLargeScenario = R"({"chunkscope": 1, "name": "large", "arrays": {
    "src": {"store": "memory", "dtype": "|u1", "shape": [1099511627776], "chunks": [1073741824], "fill": "arange"},
    "dst": {"store": "zarr", "path": "dst.zarr", "like": "src", "fill": "empty", "compressor": null}},
  "runs": [{"name": "copy", "source": "src", "target": "dst", "workers": 2}]})";

// 250 x 36 int32 in copy chunks of 40 rows: six whole chunks and an edge chunk of 10 rows.
QByteArray smallScenario(const QString &distribution)
{
    return QStringLiteral(R"({"chunkscope": 1, "arrays": {
        "src": {"store": "memory", "dtype": "<i4", "shape": [250, 36], "chunks": [50, 36], "fill": "arange"},
        "dst": {"store": "zarr", "path": "dst.zarr", "like": "src", "fill": "empty"}},
      "runs": [{"name": "copy", "source": "src", "target": "dst", "chunks": [40, 36], "distribution": "%1"}]})")
        .arg(distribution)
        .toUtf8();
}

Scenario parsed(const QByteArray &json, const QString &dir)
{
    QString error;
    std::optional<Scenario> s = parseScenario(json, QStringLiteral("s.json"), &error, dir);
    if (!s)
        qFatal("%s", qPrintable(error));
    return *s;
}

int64_t bytesOfLine(const QList<AllocationLine> &lines, const QString &id)
{
    for (const AllocationLine &l : lines)
        if (l.id == id)
            return l.bytes;
    return -1;
}

} // namespace

class TestMpiMemory : public QObject {
    Q_OBJECT

private slots:
    // What a rank's estimate counts for a partition is what the partition it builds allocates,
    // edge chunk included, on every rank.
    void rankEstimateIsWhatThePartitionHolds_data()
    {
        QTest::addColumn<QString>("distribution");
        QTest::addColumn<int>("ranks");
        QTest::newRow("block, 2 ranks") << QStringLiteral("block") << 2;
        QTest::newRow("block, 3 ranks") << QStringLiteral("block") << 3;
        QTest::newRow("cyclic, 2 ranks") << QStringLiteral("cyclic") << 2;
        QTest::newRow("cyclic, 3 ranks") << QStringLiteral("cyclic") << 3;
    }

    void rankEstimateIsWhatThePartitionHolds()
    {
        QFETCH(QString, distribution);
        QFETCH(int, ranks);
        QTemporaryDir dir;
        const Scenario s = parsed(smallScenario(distribution), dir.path());
        int64_t sum = 0;
        for (int rank = 0; rank < ranks; ++rank) {
            ArraySet arrays(s);
            arrays.setPartitions(memoryPartitions(s, rank, ranks));
            const auto &part = dynamic_cast<const MemoryPartition &>(arrays.get(QStringLiteral("src")));
            const QList<AllocationLine> lines = rankAllocation(s, rank, ranks);
            QCOMPARE(bytesOfLine(lines, QStringLiteral("src")), part.heldBytes());
            sum += part.heldBytes();
        }
        QCOMPARE(sum, int64_t(250 * 36 * 4));
        // The whole array in one process.
        QCOMPARE(bytesOfLine(rankAllocation(s, 0, 1), QStringLiteral("src")), int64_t(250 * 36 * 4));
    }

    void checkReportsOneRanksShare()
    {
        QTemporaryDir dir;
        writeFileIn(dir, QStringLiteral("s.json"), kLargeScenario);
        const JobOutcome check = runProgram(
            QStringLiteral(CHUNKSCOPE_BINARY),
            {QStringLiteral("check"), QStringLiteral("--ranks"), QStringLiteral("2"), QStringLiteral("s.json")},
            dir.path());
        QVERIFY2(check.finished && check.exitCode == 0, qPrintable(check.err));
        const QStringList lines = check.out.split(QLatin1Char('\n'));
        QCOMPARE(lines.value(0), QStringLiteral("s.json: valid: 2 arrays, 1 runs; memory per rank of 2 MPI ranks"));
        QCOMPARE(lines.value(1),
                 QStringLiteral("  src       memory   512.0 GiB  (partition: rank 0 of 2 holds 512 of "
                                "1024 copy chunks [1073741824], block)"));
        QVERIFY2(lines.value(4).startsWith(QStringLiteral("  total 518.0 GiB on rank 0 of 2 of ")),
                 qPrintable(check.out));
    }

    // Every rank refuses to run what it cannot hold, counting only its own share of the partition:
    // half of 1 TiB, plus the run's scratch (2 workers x 3 x 1 GiB, the event log and the samples).
    void runChecksEachRanksShare()
    {
        QTemporaryDir dir;
        writeFileIn(dir, QStringLiteral("s.json"), kLargeScenario);
        const Scenario s = parsed(kLargeScenario, dir.path());
        const int64_t scratch = bytesOfLine(estimateAllocation(s), QStringLiteral("copy"));
        const QString needed = formatMemory((int64_t(1) << 39) + scratch);
        QCOMPARE(needed, QStringLiteral("518.0 GiB"));
        const JobOutcome job
            = runJob(mpirunArgs(2, runCommand({QStringLiteral("s.json"), QStringLiteral("--quiet")})), dir.path());
        QVERIFY(job.finished);
        QCOMPARE(job.exitCode, 2);
        const QRegularExpression available(QStringLiteral("but [0-9.]+ [KMGTPE]?i?B is available"));
        QStringList lines = errorLines(job.err).replaceInStrings(available, QStringLiteral("but N is available"));
        lines.sort();
        QStringList expected;
        for (int rank = 0; rank < 2; ++rank)
            expected << QStringLiteral(
                            "error: s.json: rank %1 of 2 needs about %2 of memory but N is available, holding "
                            "only its chunks of the memory arrays that are partitions (run `chunkscope check "
                            "--ranks 2` for the details, or pass --allow-large to run anyway)")
                            .arg(rank)
                            .arg(needed);
        QCOMPARE(lines, expected);
        QVERIFY(!QFile::exists(dir.filePath(QStringLiteral("dst.zarr"))));
    }
};

QTEST_GUILESS_MAIN(TestMpiMemory)
#include "tst_mpimemory.moc"
