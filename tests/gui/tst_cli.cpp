// The command line end to end, on the built `chunkscope` binary: a sweep of workers 1-2 x lock on/off
// over a small Zarr copy with every output at once. The trace is Chrome trace JSON with one named
// thread per worker, the CSV files hold every task, the summary ends with a verdict per run, the
// results document carries the sweep, and --png / --svg write each run's profile and the scaling chart.
#include <QDir>
#include <QImage>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>
#include <QtTest>

namespace {

// The sweep of workers 1-2 x lock on/off over a small Zarr copy, shared with the other GUI tests.
const QString kSweepScenario
    = qEnvironmentVariable("CHUNKSCOPE_TEST_DATA") + QStringLiteral("/data/scenarios/small-zarr-sweep.json");

QJsonObject readJson(const QString &path)
{
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        return {};
    return QJsonDocument::fromJson(f.readAll()).object();
}

} // namespace

class TestCli : public QObject {
    Q_OBJECT

private slots:
    void sweepWritesEveryOutput()
    {
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        const QString scenario = kSweepScenario;
        const QString trace = dir.filePath(QStringLiteral("out.trace.json"));
        const QString json = dir.filePath(QStringLiteral("out.json"));
        const QString csv = dir.filePath(QStringLiteral("csv"));
        const QString png = dir.filePath(QStringLiteral("png"));
        const QString svg = dir.filePath(QStringLiteral("svg"));
        QProcess p;
        p.start(QStringLiteral(CHUNKSCOPE_BINARY),
                {QStringLiteral("run"), scenario, QStringLiteral("--trace"), trace, QStringLiteral("--json"), json,
                 QStringLiteral("--csv"), csv, QStringLiteral("--png"), png, QStringLiteral("--svg"), svg,
                 QStringLiteral("--quiet")});
        QVERIFY(p.waitForFinished(120000));
        const QString out = QString::fromUtf8(p.readAllStandardOutput());
        const QString err = QString::fromUtf8(p.readAllStandardError());
        QVERIFY2(p.exitStatus() == QProcess::NormalExit && p.exitCode() == 0, qPrintable(out + err));
        QVERIFY2(err.isEmpty(), qPrintable(err));

        // The summary table, then one verdict line per run.
        const QStringList names
            = {QStringLiteral("zarr [workers=1 lock=target]"), QStringLiteral("zarr [workers=1 lock=none]"),
               QStringLiteral("zarr [workers=2 lock=target]"), QStringLiteral("zarr [workers=2 lock=none]")};
        const QStringList lines = out.split(QLatin1Char('\n'));
        const QJsonArray runs = readJson(json).value(QStringLiteral("runs")).toArray();
        QCOMPARE(runs.size(), 4);
        for (int i = 0; i < 4; ++i) {
            const QJsonObject run = runs.at(i).toObject();
            QCOMPARE(run.value(QStringLiteral("name")).toString(), names[i]);
            const QString headline
                = run.value(QStringLiteral("verdict")).toObject().value(QStringLiteral("summary")).toString();
            QVERIFY(headline.startsWith(QStringLiteral("bound by")) || headline.startsWith(QStringLiteral("mostly")));
            QVERIFY2(lines.contains(names[i] + QStringLiteral(": ") + headline), qPrintable(out));
        }

        // The results document's sweep: 2 lines of 2 points, each the run's own throughput.
        const QJsonArray sweeps = readJson(json).value(QStringLiteral("sweeps")).toArray();
        QCOMPARE(sweeps.size(), 1);
        const QJsonArray sweepLines = sweeps.first().toObject().value(QStringLiteral("lines")).toArray();
        QCOMPARE(sweepLines.size(), 2);
        const QJsonObject twoNoLock
            = sweepLines.at(1).toObject().value(QStringLiteral("points")).toArray().at(1).toObject();
        QCOMPARE(twoNoLock.value(QStringLiteral("workers")).toInt(), 2);
        QCOMPARE(twoNoLock.value(QStringLiteral("gbps")).toDouble(),
                 runs.at(3).toObject().value(QStringLiteral("throughput_gbps")).toDouble());

        // The trace: valid JSON, a process per run, a named thread per worker, every task a slice.
        const QJsonObject traceDoc = readJson(trace);
        const QJsonArray events = traceDoc.value(QStringLiteral("traceEvents")).toArray();
        QVERIFY(!events.isEmpty());
        QHash<int, QSet<int>> threads;
        QHash<int, int> tasks;
        for (const QJsonValue &v : events) {
            const QJsonObject e = v.toObject();
            const int pid = e.value(QStringLiteral("pid")).toInt();
            QVERIFY(e.contains(QStringLiteral("ph")));
            if (e.value(QStringLiteral("name")).toString() == QLatin1String("thread_name"))
                threads[pid].insert(e.value(QStringLiteral("tid")).toInt());
            else if (e.value(QStringLiteral("ph")).toString() == QLatin1String("X")
                     && e.value(QStringLiteral("name")).toString().startsWith(QLatin1String("task ")))
                ++tasks[pid];
        }
        QCOMPARE(threads.size(), 4);
        for (int i = 0; i < 4; ++i) {
            const QJsonObject run = runs.at(i).toObject();
            const int workers = run.value(QStringLiteral("workers")).toInt();
            QSet<int> expected;
            for (int t = 0; t < workers; ++t)
                expected.insert(t);
            QCOMPARE(threads.value(i + 1), expected);
            QCOMPARE(tasks.value(i + 1), run.value(QStringLiteral("tasks")).toInt());
        }

        // CSV: a tasks and a samples file per run, a line per task.
        QCOMPARE(QDir(csv).entryList(QDir::Files).size(), 8);
        QFile tasksCsv(QDir(csv).filePath(QStringLiteral("zarr__workers_1_lock_target_.tasks.csv")));
        QVERIFY(tasksCsv.open(QIODevice::ReadOnly));
        QCOMPARE(tasksCsv.readAll().count('\n'), 31 + 1); // ceil(2000000 / 65536) tasks and the header

        // Pictures: each run's profile and the sweep's scaling chart, as PNG and as SVG.
        for (const QString &d : {png, svg}) {
            const QString ext = d == png ? QStringLiteral(".png") : QStringLiteral(".svg");
            QVERIFY(QFileInfo::exists(QDir(d).filePath(QStringLiteral("zarr.scaling") + ext)));
            QCOMPARE(QDir(d).entryList(QDir::Files).size(), 5);
        }
        const QImage scaling(QDir(png).filePath(QStringLiteral("zarr.scaling.png")));
        QCOMPARE(scaling.size(), QSize(1600, 900));
        QFile svgFile(QDir(svg).filePath(QStringLiteral("zarr.scaling.svg")));
        QVERIFY(svgFile.open(QIODevice::ReadOnly));
        QVERIFY(svgFile.readAll().contains("<title>Scaling of zarr</title>"));
    }

    // Names that map to the same file name, and a repeat of "r" beside a run named "r_2": six
    // results, six pairs of CSV files and six pictures, named in run order.
    void everyRunGetsItsOwnFiles()
    {
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        const QString scenario = dir.filePath(QStringLiteral("names.json"));
        QFile f(scenario);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(R"({"chunkscope": 1, "arrays": {
            "a": {"store": "memory", "dtype": "<i4", "shape": [4096], "chunks": [1024], "fill": "arange"},
            "b": {"store": "memory", "like": "a", "fill": "empty"}},
            "runs": [{"name": "copy 1", "source": "a", "target": "b", "sample_ms": 5},
                     {"name": "copy/1", "source": "a", "target": "b", "sample_ms": 5},
                     {"name": "copy_1", "source": "a", "target": "b", "sample_ms": 5},
                     {"name": "r", "source": "a", "target": "b", "sample_ms": 5, "repeat": 2},
                     {"name": "r_2", "source": "a", "target": "b", "sample_ms": 5}]})");
        f.close();
        const QString csv = dir.filePath(QStringLiteral("csv"));
        const QString png = dir.filePath(QStringLiteral("png"));
        QProcess p;
        p.start(QStringLiteral(CHUNKSCOPE_BINARY),
                {QStringLiteral("run"), scenario, QStringLiteral("--csv"), csv, QStringLiteral("--png"), png,
                 QStringLiteral("--quiet")});
        QVERIFY(p.waitForFinished(120000));
        const QString err = QString::fromUtf8(p.readAllStandardError());
        QCOMPARE(err, QString());
        QCOMPARE(p.exitCode(), 0);
        const QStringList stems = {QStringLiteral("copy_1"), QStringLiteral("copy_1-2"), QStringLiteral("copy_1-3"),
                                   QStringLiteral("r"),      QStringLiteral("r_2"),      QStringLiteral("r_2-2")};
        QStringList csvFiles;
        QStringList pngFiles;
        for (const QString &stem : stems) {
            csvFiles << stem + QStringLiteral(".samples.csv") << stem + QStringLiteral(".tasks.csv");
            pngFiles << stem + QStringLiteral(".png");
        }
        csvFiles.sort();
        pngFiles.sort();
        QCOMPARE(QDir(csv).entryList(QDir::Files | QDir::Hidden, QDir::Name), csvFiles);
        QCOMPARE(QDir(png).entryList(QDir::Files | QDir::Hidden, QDir::Name), pngFiles);
        for (const QString &stem : stems)
            QCOMPARE(QImage(QDir(png).filePath(stem + QStringLiteral(".png"))).size(), QSize(1600, 900));
    }

    void svgFlagNeedsADirectory()
    {
        QProcess p;
        p.start(QStringLiteral(CHUNKSCOPE_BINARY),
                {QStringLiteral("run"), QStringLiteral("x.json"), QStringLiteral("--svg")});
        QVERIFY(p.waitForFinished(30000));
        QCOMPARE(p.exitCode(), 2);
        QVERIFY(QString::fromUtf8(p.readAllStandardError()).startsWith(QStringLiteral("error: ")));
        QProcess help;
        help.start(QStringLiteral(CHUNKSCOPE_BINARY), {QStringLiteral("--help")});
        QVERIFY(help.waitForFinished(30000));
        QVERIFY(QString::fromUtf8(help.readAllStandardOutput()).contains(QStringLiteral("--svg <DIR>")));
    }
};

QTEST_GUILESS_MAIN(TestCli)
#include "tst_cli.moc"
