// The command line end to end, on the built `chunkscope` binary: a sweep of workers 1-2 x lock on/off
// over a small Zarr copy with every output at once. The trace is Chrome trace JSON with one named
// thread per worker, the CSV files hold every task, the summary ends with a verdict per run, the
// results document carries the sweep, and --png / --svg write each run's profile and the scaling chart.
#include <QDir>
#include <QDirIterator>
#include <QElapsedTimer>
#include <QFile>
#include <QImage>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QtTest>

#include <csignal>

namespace {

// The sweep of workers 1-2 x lock on/off over a small Zarr copy, shared with the other GUI tests.
const QString kSweepScenario
    = qEnvironmentVariable("CHUNKSCOPE_TEST_DATA") + QStringLiteral("/data/scenarios/small-zarr-sweep.json");

// A small copy beside an array of a tebibyte that no run uses.
const QString kLargeScenario
    = qEnvironmentVariable("CHUNKSCOPE_TEST_DATA") + QStringLiteral("/data/scenarios/too-large.json");

QJsonObject readJson(const QString &path)
{
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        return {};
    return QJsonDocument::fromJson(f.readAll()).object();
}

// A scenario of three runs whose middle one copies into a Zarr array on disk, zlib level 9, in
// 489 chunks: seconds of work, long enough to be interrupted part way. It forks an idle child while
// it copies when `fork` is set.
QString writeSlowScenario(const QTemporaryDir &dir, bool fork = false)
{
    const QString text
        = QStringLiteral(R"({
  "chunkscope": 1,
  "name": "interrupted",
  "arrays": {
    "a1": {"store": "memory", "dtype": "<i4", "shape": [8000000], "chunks": [16384], "fill": "arange"},
    "a2": {"store": "memory", "like": "a1", "fill": "empty"},
    "z": {"store": "zarr", "like": "a1", "path": "%1", "compressor": {"id": "zlib", "level": 9}, "fill": "empty"}
  },
  "runs": [
    {"name": "quick", "source": "a1", "target": "a2", "workers": 1},
    {"name": "slow", "source": "a1", "target": "z", "workers": 1, "fork_during_copy": %2},
    {"name": "after", "source": "a1", "target": "a2", "workers": 1}
  ]
})")
              .arg(dir.filePath(QStringLiteral("z.zarr")), fork ? QStringLiteral("true") : QStringLiteral("false"));
    const QString path = dir.filePath(QStringLiteral("slow.json"));
    QFile f(path);
    if (!f.open(QIODevice::WriteOnly) || f.write(text.toUtf8()) != text.toUtf8().size())
        return {};
    return path;
}

// Waits until the slow run has written its first chunk: the copy is under way.
bool waitForSlowCopy(const QTemporaryDir &dir, QProcess &p)
{
    const QDir zarr(dir.filePath(QStringLiteral("z.zarr")));
    if (!p.waitForStarted(10000))
        return false;
    return QTest::qWaitFor(
               [&] {
                   return p.state() != QProcess::Running
                       || !zarr.entryList(QDir::Files | QDir::NoDotAndDotDot).isEmpty();
               },
               20000)
        && p.state() == QProcess::Running;
}

// Every file under `root` whose name ends in ".partial" (chunk writes in progress), hidden ones included.
QStringList partialFiles(const QString &root)
{
    QStringList found;
    QDirIterator it(root, {QStringLiteral("*.partial")}, QDir::Files | QDir::Hidden | QDir::System,
                    QDirIterator::Subdirectories);
    while (it.hasNext())
        found.append(it.next());
    return found;
}

// The process's state letter from /proc/PID/stat ('S', 'R', 'Z', ...), or 0 when it is gone.
char processState(qint64 pid)
{
    QFile f(QStringLiteral("/proc/%1/stat").arg(pid));
    if (!f.open(QIODevice::ReadOnly))
        return 0;
    const QByteArray stat = f.readAll();
    const int close = stat.lastIndexOf(')');
    return close >= 0 && close + 2 < stat.size() ? stat.at(close + 2) : 0;
}

// The pids whose parent is `parent`, from /proc/*/stat.
QList<qint64> childrenOf(qint64 parent)
{
    QList<qint64> children;
    const QStringList entries = QDir(QStringLiteral("/proc")).entryList(QDir::Dirs | QDir::NoDotAndDotDot);
    for (const QString &entry : entries) {
        bool isPid = false;
        const qint64 pid = entry.toLongLong(&isPid);
        if (!isPid)
            continue;
        QFile f(QStringLiteral("/proc/%1/stat").arg(pid));
        if (!f.open(QIODevice::ReadOnly))
            continue;
        const QByteArray stat = f.readAll();
        const QList<QByteArray> fields = stat.mid(stat.lastIndexOf(')') + 2).split(' ');
        if (fields.size() > 1 && fields.at(1).toLongLong() == parent)
            children.append(pid);
    }
    return children;
}

// The environment of a machine without a display: no X11, no Wayland, no platform chosen.
QProcessEnvironment withoutDisplay()
{
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    for (const QString &name :
         {QStringLiteral("DISPLAY"), QStringLiteral("WAYLAND_DISPLAY"), QStringLiteral("QT_QPA_PLATFORM")})
        env.remove(name);
    return env;
}

} // namespace

class TestCli : public QObject {
    Q_OBJECT

private slots:
    void checkRefusesAPassthroughItCannotHonour()
    {
        // Nothing is built: the in-memory arrays' codecs alone say that the chunks cannot pass.
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("s.json"));
        QFile f(path);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(R"({"chunkscope": 1, "arrays": {
            "a": {"store": "zarr", "dtype": "<i4", "shape": [1000], "chunks": [100], "fill": "arange",
                  "compressor": {"id": "zlib", "level": 1}},
            "b": {"store": "zarr", "like": "a", "compressor": {"id": "zlib", "level": 5}, "fill": "empty"}},
          "runs": [{"name": "copy", "source": "a", "target": "b", "passthrough": "require"}]})");
        f.close();
        for (const QString &command : {QStringLiteral("check"), QStringLiteral("run")}) {
            QProcess p;
            p.setProcessEnvironment(withoutDisplay());
            QStringList args{command, path};
            if (command == QLatin1String("run"))
                args << QStringLiteral("--quiet");
            p.start(QStringLiteral(CHUNKSCOPE_BINARY), args);
            QVERIFY(p.waitForFinished(60000));
            QCOMPARE(p.exitCode(), 2);
            QCOMPARE(QString::fromUtf8(p.readAllStandardError()),
                     QStringLiteral("error: %1: run \"copy\": passthrough \"require\" cannot be honoured: a different "
                                    "codec: source a encodes with zlib(level=1), target b with zlib(level=5)\n")
                         .arg(path));
        }
    }

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
        // Without --png-size: 1600 wide, and 900 high or as much taller as the charts need.
        for (const QString &stem : stems) {
            const QSize size = QImage(QDir(png).filePath(stem + QStringLiteral(".png"))).size();
            QCOMPARE(size.width(), 1600);
            QVERIFY2(size.height() >= 900, qPrintable(QString::number(size.height())));
        }
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

    // Options may come before the command word: the same run, headless, on a machine without a
    // display, with the same exit code, output files and errors as with the options after it.
    void optionsBeforeTheCommand_data()
    {
        QTest::addColumn<QStringList>("before");
        QTest::addColumn<QStringList>("after");
        const QString sweep = QStringLiteral("zarr [workers=2 lock=none]");
        QTest::newRow("--json first") << QStringList{QStringLiteral("--json"), QStringLiteral("@json"),
                                                     QStringLiteral("run"), kSweepScenario}
                                      << QStringList{QStringLiteral("--json"), QStringLiteral("@json")};
        QTest::newRow("--run first") << QStringList{QStringLiteral("--run"),  sweep,
                                                    QStringLiteral("run"),    kSweepScenario,
                                                    QStringLiteral("--json"), QStringLiteral("@json")}
                                     << QStringList{QStringLiteral("--run"), sweep, QStringLiteral("--json"),
                                                    QStringLiteral("@json")};
        QTest::newRow("all first") << QStringList{QStringLiteral("--quiet"),
                                                  QStringLiteral("--csv"),
                                                  QStringLiteral("@csv"),
                                                  QStringLiteral("--run"),
                                                  sweep,
                                                  QStringLiteral("--json"),
                                                  QStringLiteral("@json"),
                                                  QStringLiteral("run"),
                                                  kSweepScenario}
                                   << QStringList{QStringLiteral("--quiet"),
                                                  QStringLiteral("--csv"),
                                                  QStringLiteral("@csv"),
                                                  QStringLiteral("--run"),
                                                  sweep,
                                                  QStringLiteral("--json"),
                                                  QStringLiteral("@json")};
        QTest::newRow("between") << QStringList{QStringLiteral("run"), QStringLiteral("--json"),
                                                QStringLiteral("@json"), kSweepScenario}
                                 << QStringList{QStringLiteral("--json"), QStringLiteral("@json")};
        QTest::newRow("unknown run first")
            << QStringList{QStringLiteral("--run"), QStringLiteral("nosuch"), QStringLiteral("run"), kSweepScenario}
            << QStringList{QStringLiteral("--run"), QStringLiteral("nosuch")};
        QTest::newRow("too large") << QStringList{QStringLiteral("--json"), QStringLiteral("@json"),
                                                  QStringLiteral("run"), kLargeScenario}
                                   << QStringList{QStringLiteral("--json"), QStringLiteral("@json")};
        QTest::newRow("check") << QStringList{QStringLiteral("--allow-large"), QStringLiteral("check"), kSweepScenario}
                               << QStringList{QStringLiteral("--allow-large")};
    }

    void optionsBeforeTheCommand()
    {
        QFETCH(QStringList, before);
        QFETCH(QStringList, after);
        const QString command
            = before.contains(QStringLiteral("check")) ? QStringLiteral("check") : QStringLiteral("run");
        const QString scenario = before.contains(kLargeScenario) ? kLargeScenario : kSweepScenario;
        struct Outcome {
            int exitCode = -1;
            QString err;
            QStringList runs;
            QStringList csvFiles;
        };
        auto runWith = [&](const QStringList &arguments, Outcome &outcome) {
            QTemporaryDir dir;
            QStringList args = arguments;
            for (QString &a : args) {
                if (a.startsWith(QLatin1Char('@')))
                    a = dir.filePath(a.mid(1));
            }
            QProcess p;
            p.setProcessEnvironment(withoutDisplay());
            p.start(QStringLiteral(CHUNKSCOPE_BINARY), args);
            if (!p.waitForFinished(60000)) {
                p.kill();
                p.waitForFinished();
                outcome.err = QStringLiteral("did not finish");
                return;
            }
            outcome.exitCode = p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -2;
            outcome.err = QString::fromUtf8(p.readAllStandardError());
            for (const QJsonValue &run :
                 readJson(dir.filePath(QStringLiteral("json"))).value(QStringLiteral("runs")).toArray())
                outcome.runs.append(run.toObject().value(QStringLiteral("name")).toString());
            outcome.csvFiles = QDir(dir.filePath(QStringLiteral("csv"))).entryList(QDir::Files);
        };
        Outcome first;
        Outcome last;
        runWith(before, first);
        runWith(QStringList{command, scenario} + after, last);
        QVERIFY2(last.exitCode == 0 || last.exitCode == 2, qPrintable(last.err));
        QVERIFY2(
            first.exitCode == last.exitCode,
            qPrintable(QStringLiteral("exit %1 (%2), not %3").arg(first.exitCode).arg(first.err).arg(last.exitCode)));
        // The available memory moves between the two runs.
        const QRegularExpression available(QStringLiteral("but [0-9.]+ [KMGT]?i?B is available"));
        QCOMPARE(QString(first.err).replace(available, QStringLiteral("but N is available")),
                 QString(last.err).replace(available, QStringLiteral("but N is available")));
        QCOMPARE(first.runs, last.runs);
        QCOMPARE(first.csvFiles, last.csvFiles);
        if (after.contains(QStringLiteral("@json")) && scenario != kLargeScenario)
            QVERIFY(!last.runs.isEmpty());
        if (scenario == kLargeScenario) {
            const QRegularExpression refusal(
                QStringLiteral("^error: %1: the scenario needs about 1\\.0 TiB of memory but [0-9.]+ [KMGT]?i?B is "
                               "available \\(run `chunkscope check` for the details, or pass --allow-large to run "
                               "anyway\\)\n$")
                    .arg(QRegularExpression::escape(kLargeScenario)));
            QVERIFY2(refusal.match(last.err).hasMatch(), qPrintable(last.err));
            QVERIFY(last.runs.isEmpty());
        }
        if (after.contains(QStringLiteral("nosuch")))
            QCOMPARE(last.err, QStringLiteral("error: %1: no run named \"nosuch\"\n").arg(kSweepScenario));
    }

    // The window without a display: an error line and exit 2, not an abort in Qt's platform plugin.
    void windowWithoutDisplayIsAnError()
    {
        QProcess p;
        p.setProcessEnvironment(withoutDisplay());
        p.start(QStringLiteral(CHUNKSCOPE_BINARY), {kSweepScenario});
        if (!p.waitForFinished(30000)) {
            p.kill();
            p.waitForFinished();
            QFAIL("the window started without a display");
        }
        const QString err = QString::fromUtf8(p.readAllStandardError());
        QCOMPARE(p.exitStatus(), QProcess::NormalExit);
        QCOMPARE(p.exitCode(), 2);
        QVERIFY2(err.startsWith(QStringLiteral("error: no display: ")), qPrintable(err));
        QCOMPARE(err.count(QLatin1Char('\n')), 1);
    }

    // The window driven from the command line runs every run with its live view, writes the same
    // runs as `run --json` (plus the window's own CPU in every sample) and exits as `run` would.
    void windowRunsAllAndQuits()
    {
        QTemporaryDir dir;
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(QStringLiteral("QT_QPA_PLATFORM"), QStringLiteral("offscreen"));
        env.insert(QStringLiteral("XDG_CONFIG_HOME"), dir.filePath(QStringLiteral("config")));
        const QString windowJson = dir.filePath(QStringLiteral("window.json"));
        QProcess p;
        p.setProcessEnvironment(env);
        p.start(QStringLiteral(CHUNKSCOPE_BINARY),
                {kSweepScenario, QStringLiteral("--run-all"), QStringLiteral("--write-results"), windowJson,
                 QStringLiteral("--quit-when-done")});
        QVERIFY2(p.waitForFinished(120000), "the window did not quit when its runs were done");
        QCOMPARE(p.exitStatus(), QProcess::NormalExit);
        const QString err = QString::fromUtf8(p.readAllStandardError());
        QVERIFY2(!err.contains(QStringLiteral("error:")), qPrintable(err));
        QCOMPARE(p.exitCode(), 0);

        const QString headlessJson = dir.filePath(QStringLiteral("headless.json"));
        QProcess h;
        h.start(
            QStringLiteral(CHUNKSCOPE_BINARY),
            {QStringLiteral("run"), kSweepScenario, QStringLiteral("--quiet"), QStringLiteral("--json"), headlessJson});
        QVERIFY(h.waitForFinished(120000));
        QCOMPARE(h.exitCode(), 0);

        const QJsonArray window = readJson(windowJson).value(QStringLiteral("runs")).toArray();
        const QJsonArray headless = readJson(headlessJson).value(QStringLiteral("runs")).toArray();
        QCOMPARE(window.size(), 4);
        QCOMPARE(window.size(), headless.size());
        for (qsizetype i = 0; i < window.size(); ++i) {
            const QJsonObject w = window.at(i).toObject();
            const QJsonObject hr = headless.at(i).toObject();
            QCOMPARE(w.value(QStringLiteral("name")), hr.value(QStringLiteral("name")));
            QCOMPARE(w.value(QStringLiteral("status")).toString(), QStringLiteral("ok"));
            QCOMPARE(w.value(QStringLiteral("verified")), QJsonValue(true));
            const QJsonArray samples = w.value(QStringLiteral("samples")).toArray();
            QVERIFY(!samples.isEmpty());
            for (const QJsonValue &sample : samples)
                QVERIFY(sample.toObject().value(QStringLiteral("ui_cpu_percent")).toDouble(-1) >= 0);
            // Headless, nothing watched the run: no such figure.
            for (const QJsonValue &sample : hr.value(QStringLiteral("samples")).toArray())
                QVERIFY(!sample.toObject().contains(QStringLiteral("ui_cpu_percent")));
        }
    }

    void windowAutomationOptionsAreChecked_data()
    {
        QTest::addColumn<QStringList>("arguments");
        QTest::addColumn<int>("exitCode");
        QTest::addColumn<QString>("error");
        QTest::newRow("results without run-all")
            << QStringList{kSweepScenario, QStringLiteral("--write-results"), QStringLiteral("x.json")} << 2
            << QStringLiteral("error: --write-results, --quit-when-done and --tab need --run-all\n");
        QTest::newRow("tab without run-all")
            << QStringList{kSweepScenario, QStringLiteral("--tab"), QStringLiteral("scaling")} << 2
            << QStringLiteral("error: --write-results, --quit-when-done and --tab need --run-all\n");
        QTest::newRow("unknown tab") << QStringList{kSweepScenario, QStringLiteral("--run-all"),
                                                    QStringLiteral("--tab"), QStringLiteral("gantt")}
                                     << 2 << QStringLiteral("error: --tab must be profile or scaling, not \"gantt\"\n");
        QTest::newRow("tab with run") << QStringList{QStringLiteral("run"), kSweepScenario, QStringLiteral("--tab"),
                                                     QStringLiteral("scaling")}
                                      << 2 << QStringLiteral("error: --tab applies to the window only\n");
        QTest::newRow("run-all with run")
            << QStringList{QStringLiteral("run"), kSweepScenario, QStringLiteral("--run-all")} << 2
            << QStringLiteral("error: --run-all applies to the window only\n");
        QTest::newRow("too large") << QStringList{kLargeScenario, QStringLiteral("--run-all"),
                                                  QStringLiteral("--quit-when-done")}
                                   << 2
                                   << QStringLiteral("error: the runs were not started (they need more memory than is "
                                                     "available; --allow-large runs them anyway)\n");
    }
    void windowAutomationOptionsAreChecked()
    {
        QFETCH(QStringList, arguments);
        QFETCH(int, exitCode);
        QFETCH(QString, error);
        QTemporaryDir dir;
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(QStringLiteral("QT_QPA_PLATFORM"), QStringLiteral("offscreen"));
        env.insert(QStringLiteral("XDG_CONFIG_HOME"), dir.filePath(QStringLiteral("config")));
        QProcess p;
        p.setProcessEnvironment(env);
        p.setWorkingDirectory(dir.path());
        p.start(QStringLiteral(CHUNKSCOPE_BINARY), arguments);
        QVERIFY(p.waitForFinished(60000));
        // Only the error line: the platform's own notes ("propagateSizeHints") may come before it.
        const QString err = QString::fromUtf8(p.readAllStandardError());
        QCOMPARE(err.mid(err.indexOf(QStringLiteral("error: "))), error);
        QCOMPARE(p.exitCode(), exitCode);
    }

    // SIGINT, SIGTERM or SIGHUP (the terminal closed) in the middle of a run: that run is cancelled, the ones before it
    // are kept and written, the ones after it never start, no chunk write is left half done, and the exit is 1.
    void interruptCancelsTheRun_data()
    {
        QTest::addColumn<int>("signal");
        QTest::newRow("SIGINT") << int(SIGINT);
        QTest::newRow("SIGTERM") << int(SIGTERM);
        QTest::newRow("SIGHUP") << int(SIGHUP);
    }

    void interruptCancelsTheRun()
    {
        QFETCH(int, signal);
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        const QString scenario = writeSlowScenario(dir);
        QVERIFY(!scenario.isEmpty());
        const QString json = dir.filePath(QStringLiteral("out.json"));
        QProcess p;
        p.start(QStringLiteral(CHUNKSCOPE_BINARY),
                {QStringLiteral("run"), scenario, QStringLiteral("--json"), json, QStringLiteral("--quiet")});
        QVERIFY2(waitForSlowCopy(dir, p), qPrintable(QString::fromUtf8(p.readAllStandardError())));
        QElapsedTimer sinceSignal;
        sinceSignal.start();
        QCOMPARE(::kill(pid_t(p.processId()), signal), 0);
        QVERIFY(p.waitForFinished(20000));
        const QString err = QString::fromUtf8(p.readAllStandardError());
        QVERIFY2(p.exitStatus() == QProcess::NormalExit, qPrintable(err));
        QCOMPARE(p.exitCode(), 1);
        QVERIFY2(sinceSignal.elapsed() < 5000, qPrintable(QString::number(sinceSignal.elapsed())));
        QCOMPARE(err,
                 QStringLiteral("error: interrupted by %1: the run in progress was cancelled and later runs skipped\n")
                     .arg(signal == SIGINT        ? QStringLiteral("SIGINT")
                              : signal == SIGTERM ? QStringLiteral("SIGTERM")
                                                  : QStringLiteral("SIGHUP")));

        const QJsonArray runs = readJson(json).value(QStringLiteral("runs")).toArray();
        QCOMPARE(runs.size(), 2);
        QCOMPARE(runs.at(0).toObject().value(QStringLiteral("name")).toString(), QStringLiteral("quick"));
        QCOMPARE(runs.at(0).toObject().value(QStringLiteral("status")).toString(), QStringLiteral("ok"));
        QCOMPARE(runs.at(1).toObject().value(QStringLiteral("name")).toString(), QStringLiteral("slow"));
        QCOMPARE(runs.at(1).toObject().value(QStringLiteral("status")).toString(), QStringLiteral("cancelled"));
        QVERIFY(runs.at(1)
                    .toObject()
                    .value(QStringLiteral("error"))
                    .toString()
                    .startsWith(QStringLiteral("cancelled after ")));
        QCOMPARE(partialFiles(dir.path()), QStringList());
    }

    // The idle child of fork_during_copy holds a copy-on-write image of the whole process: it must
    // not outlive a parent that is killed.
    void forkedChildDiesWithItsParent()
    {
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        const QString scenario = writeSlowScenario(dir, true);
        QVERIFY(!scenario.isEmpty());
        QProcess p;
        p.start(QStringLiteral(CHUNKSCOPE_BINARY), {QStringLiteral("run"), scenario, QStringLiteral("--quiet")});
        QVERIFY2(waitForSlowCopy(dir, p), qPrintable(QString::fromUtf8(p.readAllStandardError())));
        const QList<qint64> children = childrenOf(p.processId());
        QCOMPARE(children.size(), 1);
        const qint64 child = children.first();
        QCOMPARE(processState(child), 'S'); // idle, waiting to be killed

        QCOMPARE(::kill(pid_t(p.processId()), SIGKILL), 0);
        QVERIFY(p.waitForFinished(5000));
        // Gone, or dead and waiting to be reaped by whichever process adopted it.
        const bool died = QTest::qWaitFor(
            [child] {
                const char state = processState(child);
                return state == 0 || state == 'Z' || state == 'X';
            },
            2000);
        if (!died)
            ::kill(pid_t(child), SIGKILL); // do not leave it behind either way
        QVERIFY2(died, qPrintable(QStringLiteral("the child %1 outlived its parent").arg(child)));
    }
};

QTEST_GUILESS_MAIN(TestCli)
#include "tst_cli.moc"
