// `mpirun -np N chunkscope run` into a bcolz rootdir: every rank writes its own chunk files, the rank
// that copies the leftover rows writes them, and rank 0 completes meta/sizes once all have written.
// The rootdir must be byte for byte the one a single process writes, read back equal by Chunkscope's
// carray reader and by a reader of the format in Python, and readable by a later run on every rank.

#include "engine/distribution.h"
#include "interopsupport.h"
#include "mpijob.h"
#include "runner/arrayset.h"
#include "scenario/scenarioparser.h"
#include "task/taskcontext.h"
#include "testfiles.h"

#include <QDir>
#include <QDirIterator>
#include <QMap>
#include <QTemporaryDir>
#include <QTest>

#include <numeric>
#include <vector>

using namespace cs;
using namespace cs::testing;

namespace {

constexpr int64_t kRows = 250; // 12 chunks of 20 rows and 10 leftover rows
constexpr int64_t kCols = 36;

const char *kZarrSource = R"({"store": "zarr", "path": "src.zarr", "dtype": "<i4", "shape": [250, 36],
    "chunks": [25, 36], "fill": "arange", "overwrite": true, "compressor": {"id": "zlib", "level": 1}})";
const char *kMemorySource = R"({"store": "memory", "dtype": "<i4", "shape": [250, 36], "chunks": [50, 36],
    "fill": "arange"})";

// "copy" writes the carray in copy chunks of two carray chunks each (7 tasks, the last one the leftover
// rows); "back" reads it in other chunks and the other distribution, so that ranks read chunks and
// leftover rows that other ranks wrote.
QByteArray carrayScenario(const QString &source, const QString &distribution)
{
    const QString other = distribution == QLatin1String("block") ? QStringLiteral("cyclic") : QStringLiteral("block");
    return QStringLiteral(R"({"chunkscope": 1, "name": "carray ranks", "arrays": {"src": %1,
        "dst": {"store": "carray", "rootdir": "dst.bcolz", "dtype": "<i4", "shape": [250, 36], "chunklen": 20,
                "cparams": {"cname": "lz4", "clevel": 5, "shuffle": 1}, "fill": "empty", "overwrite": true},
        "back": {"store": "zarr", "path": "back.zarr", "dtype": "<i4", "shape": [250, 36], "chunks": [50, 36],
                 "compressor": null, "fill": "empty", "overwrite": true}},
      "runs": [{"name": "copy", "source": "src", "target": "dst", "workers": 2, "chunks": [40, 36],
                "distribution": "%2"},
               {"name": "back", "source": "dst", "target": "back", "workers": 2, "chunks": [50, 36],
                "distribution": "%3"}]})")
        .arg(source, distribution, other)
        .toUtf8();
}

// Every file under `root`, by its path relative to it, with its bytes.
QMap<QString, QByteArray> filesUnder(const QString &root)
{
    QMap<QString, QByteArray> files;
    QDirIterator it(root, QDir::Files | QDir::Hidden, QDirIterator::Subdirectories);
    while (it.hasNext()) {
        const QString path = it.next();
        files.insert(QDir(root).relativeFilePath(path), readAll(path));
    }
    return files;
}

// The rootdir as Chunkscope's carray store reads it, opened as existing data.
std::vector<int32_t> readCarray(const QString &rootdir, QString *error)
{
    const QByteArray json = QStringLiteral(R"({"chunkscope": 1, "arrays": {
        "d": {"store": "carray", "rootdir": "%1", "fill": "existing"}}, "runs": []})")
                                .arg(rootdir)
                                .toUtf8();
    const std::optional<Scenario> s = parseScenario(json, QStringLiteral("read.json"), error, QDir::tempPath());
    if (!s)
        return {};
    ArraySet arrays(*s);
    try {
        Store &d = arrays.get(QStringLiteral("d"));
        std::vector<int32_t> values(size_t(d.shape().product()), -1);
        TaskContext ctx;
        d.read(Region::whole(d.shape()), values.data(), ctx);
        return values;
    } catch (const StoreError &e) {
        *error = e.message();
        return {};
    }
}

} // namespace

class TestMpiCarray : public QObject {
    Q_OBJECT

private slots:
    void initTestCase()
    {
        QString output;
        QVERIFY2(runPython({QStringLiteral("-c"), QStringLiteral("import zarr, numcodecs.blosc")}, &output),
                 qPrintable(output));
    }

    void carrayTargetWrittenByEveryRank_data()
    {
        QTest::addColumn<int>("ranks");
        QTest::addColumn<QString>("source");
        QTest::addColumn<QString>("distribution");
        QTest::addColumn<int>("leftoverRank"); // the rank of task 6, which copies the leftover rows
        QTest::newRow("zarr -> carray, 2 ranks, block")
            << 2 << QString::fromUtf8(kZarrSource) << QStringLiteral("block") << 1;
        QTest::newRow("zarr -> carray, 3 ranks, cyclic")
            << 3 << QString::fromUtf8(kZarrSource) << QStringLiteral("cyclic") << 0;
        QTest::newRow("memory -> carray, 2 ranks, cyclic")
            << 2 << QString::fromUtf8(kMemorySource) << QStringLiteral("cyclic") << 0;
        QTest::newRow("memory -> carray, 3 ranks, block")
            << 3 << QString::fromUtf8(kMemorySource) << QStringLiteral("block") << 2;
    }

    void carrayTargetWrittenByEveryRank()
    {
        QFETCH(int, ranks);
        QFETCH(QString, source);
        QFETCH(QString, distribution);
        QFETCH(int, leftoverRank);
        const QByteArray scenario = carrayScenario(source, distribution);

        // The same scenario in one process, for the files it writes.
        QTemporaryDir one;
        writeFileIn(one, QStringLiteral("s.json"), scenario);
        const JobOutcome single
            = runProgram(QStringLiteral(CHUNKSCOPE_BINARY),
                         {QStringLiteral("run"), QStringLiteral("s.json"), QStringLiteral("--quiet")}, one.path());
        QVERIFY2(single.finished && single.exitCode == 0, qPrintable(single.err + single.out));

        QTemporaryDir dir;
        const JobOutcome job = runScenarioJob(ranks, dir, scenario);
        QVERIFY2(job.finished && job.exitCode == 0, qPrintable(job.err + job.out));

        const QJsonArray runs
            = readJson(dir.filePath(QStringLiteral("out.json"))).value(QStringLiteral("runs")).toArray();
        QCOMPARE(runs.size(), qsizetype(2));
        for (const QJsonValue &v : runs) {
            const QJsonObject run = v.toObject();
            QVERIFY2(run.value(QStringLiteral("status")).toString() == QLatin1String("ok"),
                     qPrintable(run.value(QStringLiteral("error")).toString()));
            QCOMPARE(run.value(QStringLiteral("verified")).toBool(), true);
        }
        const QJsonObject copy = runs.at(0).toObject();
        QCOMPARE(copy.value(QStringLiteral("tasks")).toInteger(), int64_t(7));
        for (const QJsonValue &e : copy.value(QStringLiteral("task_events")).toArray())
            if (e.toObject().value(QStringLiteral("task")).toInteger() == 6)
                QCOMPARE(e.toObject().value(QStringLiteral("rank")).toInt(), leftoverRank);

        // Byte for byte what one process writes: every chunk file, the leftover file, meta and attrs.
        const QString rootdir = dir.filePath(QStringLiteral("dst.bcolz"));
        const QMap<QString, QByteArray> written = filesUnder(rootdir);
        const QMap<QString, QByteArray> expected = filesUnder(one.filePath(QStringLiteral("dst.bcolz")));
        QCOMPARE(written.keys(), expected.keys());
        QCOMPARE(written.size(), qsizetype(13 + 3)); // __0.blp .. __12.blp, meta/storage, meta/sizes, __attrs__
        for (auto it = expected.cbegin(); it != expected.cend(); ++it)
            QVERIFY2(written.value(it.key()) == it.value(), qPrintable(it.key()));

        // The job's document gives the target as the job left it: bcolz's cbytes, every chunk.
        const QJsonObject target = copy.value(QStringLiteral("target")).toObject();
        const QByteArray sizes = written.value(QStringLiteral("meta/sizes"));
        const QByteArray cbytes
            = ", \"cbytes\": " + QByteArray::number(target.value(QStringLiteral("nbytes_stored")).toInteger()) + "}";
        QVERIFY2(sizes.contains(cbytes), sizes.constData());
        QCOMPARE(target.value(QStringLiteral("chunks_initialized")).toInteger(), int64_t(13));

        QString error;
        const std::vector<int32_t> values = readCarray(rootdir, &error);
        QVERIFY2(!values.empty(), qPrintable(error));
        std::vector<int32_t> arange(size_t(kRows * kCols));
        std::iota(arange.begin(), arange.end(), 0);
        QVERIFY(values == arange);

        QString output;
        QVERIFY2(runPython({mpiScript(QStringLiteral("mpi_arrays.py")), QStringLiteral("equal-bcolz-arange"), rootdir},
                           &output),
                 qPrintable(output));
        QCOMPARE(output, QStringLiteral("equal"));
        // Read back on every rank by the second run, chunks and leftover rows that other ranks wrote.
        QVERIFY2(runPython({mpiScript(QStringLiteral("mpi_arrays.py")), QStringLiteral("equal-arange"),
                            dir.filePath(QStringLiteral("back.zarr"))},
                           &output),
                 qPrintable(output));
        QCOMPARE(output, QStringLiteral("equal"));
    }
};

QTEST_GUILESS_MAIN(TestMpiCarray)
#include "tst_mpicarray.moc"
