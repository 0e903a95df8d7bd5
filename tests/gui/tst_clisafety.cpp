// The command line never loses data it was not asked to replace: a scenario whose arrays share a
// place, an overwrite of a folder that is no array, or an output (or any file written into an output
// directory) that would land on the scenario file, inside an array's storage, on a device node or
// FIFO, on another output or in a missing directory exits with status 2 and one error line, and every
// file stays as it was. Outputs survive a closed standard output and a signal after the runs.
#include "../reliability/smalldisk.h"

#include <QDir>
#include <QDirIterator>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>
#include <QtTest>

#include <csignal>
#include <cstring>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

namespace {

struct Outcome {
    int exitCode = -1;
    QString out;
    QString err;
};

Outcome chunkscope(const QStringList &arguments, const QString &workingDir)
{
    QProcess p;
    p.setWorkingDirectory(workingDir);
    p.start(QStringLiteral(CHUNKSCOPE_BINARY), arguments);
    Outcome o;
    if (!p.waitForFinished(60000) || p.exitStatus() != QProcess::NormalExit)
        return o;
    o.exitCode = p.exitCode();
    o.out = QString::fromUtf8(p.readAllStandardOutput());
    o.err = QString::fromUtf8(p.readAllStandardError());
    return o;
}

void writeFile(const QString &path, const QByteArray &bytes)
{
    QVERIFY(QDir().mkpath(QFileInfo(path).absolutePath()));
    QFile f(path);
    QVERIFY(f.open(QIODevice::WriteOnly | QIODevice::Truncate));
    QCOMPARE(f.write(bytes), qint64(bytes.size()));
}

// Every file below `root` with its bytes.
QMap<QString, QByteArray> snapshot(const QString &root)
{
    QMap<QString, QByteArray> out;
    QDirIterator it(root, QDir::Files | QDir::Hidden | QDir::NoDotAndDotDot, QDirIterator::Subdirectories);
    while (it.hasNext()) {
        const QString path = it.next();
        QFile f(path);
        out.insert(QDir(root).relativeFilePath(path), f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray("?"));
    }
    return out;
}

// A Zarr array src.zarr with data, written by chunkscope itself; and s.json, a valid scenario that
// reads it.
void makeSource(const QString &dir)
{
    writeFile(dir + QStringLiteral("/make.json"), R"({"chunkscope": 1, "arrays": {
        "a": {"store": "memory", "dtype": "<i4", "shape": [400], "chunks": [100], "fill": "arange"},
        "src": {"store": "zarr", "like": "a", "path": "src.zarr", "fill": "empty"}},
        "runs": [{"name": "make", "source": "a", "target": "src"}]})");
    const Outcome made
        = chunkscope({QStringLiteral("run"), QStringLiteral("make.json"), QStringLiteral("--quiet")}, dir);
    QVERIFY2(made.exitCode == 0, qPrintable(made.err));
    writeFile(dir + QStringLiteral("/s.json"), R"({"chunkscope": 1, "arrays": {
        "src": {"store": "zarr", "path": "src.zarr", "fill": "existing"},
        "out": {"store": "memory", "dtype": "<i4", "shape": [400], "chunks": [100], "fill": "empty"}},
        "runs": [{"name": "read", "source": "src", "target": "out"}]})");
}

// chunkscope with its standard output a pipe whose reader is gone before it starts.
Outcome chunkscopeWithClosedStdout(const QStringList &arguments, const QString &workingDir)
{
    QProcess p;
    p.setWorkingDirectory(workingDir);
    p.setChildProcessModifier([] {
        int fds[2];
        if (::pipe(fds) != 0 || ::close(fds[0]) != 0 || ::dup2(fds[1], STDOUT_FILENO) < 0)
            ::_exit(99);
    });
    p.start(QStringLiteral(CHUNKSCOPE_BINARY), arguments);
    Outcome o;
    if (!p.waitForFinished(60000) || p.exitStatus() != QProcess::NormalExit)
        return o;
    o.exitCode = p.exitCode();
    o.err = QString::fromUtf8(p.readAllStandardError());
    return o;
}

mode_t typeOf(const QString &path)
{
    struct stat st;
    return ::lstat(QFile::encodeName(path).constData(), &st) == 0 ? st.st_mode & S_IFMT : 0;
}

} // namespace

class TestCliSafety : public QObject {
    Q_OBJECT

private slots:
    void copyOntoItselfExits2()
    {
        QTemporaryDir dir;
        const QString d = dir.path();
        makeSource(d);
        QVERIFY(QDir(d).mkpath(QStringLiteral("x")));
        const QMap<QString, QByteArray> before = snapshot(d + QStringLiteral("/src.zarr"));
        QCOMPARE(before.size(), 5);
        writeFile(d + QStringLiteral("/copy.json"), R"({"chunkscope": 1, "arrays": {
            "src": {"store": "zarr", "path": "src.zarr", "fill": "existing"},
            "dst": {"store": "zarr", "dtype": "<i4", "shape": [400], "chunks": [100], "path": "./x/../src.zarr",
                    "overwrite": true, "fill": "empty"}},
            "runs": [{"name": "copy", "source": "src", "target": "dst"}]})");
        for (const QString &command : {QStringLiteral("run"), QStringLiteral("check")}) {
            const Outcome o = chunkscope({command, QStringLiteral("copy.json")}, d);
            QCOMPARE(o.exitCode, 2);
            QCOMPARE(o.err, QStringLiteral("error: copy.json: /arrays/dst/path: the same location as /arrays/src\n"));
            QCOMPARE(o.out, QString());
        }
        QCOMPARE(snapshot(d + QStringLiteral("/src.zarr")), before);
    }

    void overwriteOfAProjectFolderExits2()
    {
        QTemporaryDir dir;
        const QString d = dir.path();
        writeFile(d + QStringLiteral("/thesis/thesis.tex"), "\\documentclass{article}\n");
        writeFile(d + QStringLiteral("/thesis/data/measurements.csv"), "t,v\n0,1\n");
        QVERIFY(QDir(d).mkpath(QStringLiteral("thesis/meta")));
        const QMap<QString, QByteArray> before = snapshot(d + QStringLiteral("/thesis"));
        writeFile(d + QStringLiteral("/b.json"), R"({"chunkscope": 1, "arrays": {
            "a": {"store": "memory", "dtype": "<i4", "shape": [400], "chunks": [100], "fill": "arange"},
            "c": {"store": "carray", "like": "a", "rootdir": "thesis", "overwrite": true, "fill": "empty"}},
            "runs": [{"name": "copy", "source": "a", "target": "c"}]})");
        for (const QString &command : {QStringLiteral("run"), QStringLiteral("check")}) {
            const Outcome o = chunkscope({command, QStringLiteral("b.json")}, d);
            QCOMPARE(o.exitCode, 2);
            QCOMPARE(o.err,
                     QStringLiteral("error: b.json: /arrays/c/rootdir: rootdir %1/thesis exists and is not a bcolz "
                                    "rootdir; not removing it\n")
                         .arg(d));
        }
        QCOMPARE(snapshot(d + QStringLiteral("/thesis")), before);
        QVERIFY(QFileInfo(d + QStringLiteral("/thesis/meta")).isDir());
    }

    void checkReportsMissingExistingData()
    {
        QTemporaryDir dir;
        writeFile(dir.filePath(QStringLiteral("e.json")), R"({"chunkscope": 1, "arrays": {
            "e": {"store": "hdf5", "file": "nope.h5", "dataset": "d", "fill": "existing"}}, "runs": []})");
        const Outcome o = chunkscope({QStringLiteral("check"), QStringLiteral("e.json")}, dir.path());
        QCOMPARE(o.exitCode, 2);
        QCOMPARE(o.err, QStringLiteral("error: e.json: /arrays/e/file: %1/nope.h5 does not exist\n").arg(dir.path()));
    }

    void outputsNeverLandOnInputs_data()
    {
        QTest::addColumn<QString>("option");
        QTest::addColumn<QString>("path");
        QTest::addColumn<QString>("message");
        const QString scenarioFile = QStringLiteral("%1 names the scenario file; writing there would overwrite it");
        QTest::newRow("--json onto the scenario")
            << QStringLiteral("--json") << QStringLiteral("s.json") << scenarioFile;
        QTest::newRow("--trace onto the scenario, another spelling")
            << QStringLiteral("--trace") << QStringLiteral("x/../s.json") << scenarioFile;
        QTest::newRow("--csv into the Zarr array")
            << QStringLiteral("--csv") << QStringLiteral("src.zarr/csv")
            << QStringLiteral("%1 lies inside the storage of array src (%2/src.zarr); writing there could corrupt it");
        QTest::newRow("--png onto the Zarr array")
            << QStringLiteral("--png") << QStringLiteral("src.zarr")
            << QStringLiteral("%1 names the storage of array src (%2/src.zarr); writing there could corrupt it");
        QTest::newRow("--svg into it through a symlink")
            << QStringLiteral("--svg") << QStringLiteral("alias/svg")
            << QStringLiteral("%1 lies inside the storage of array src (%2/src.zarr); writing there could corrupt it");
        QTest::newRow("--json into the Zarr array")
            << QStringLiteral("--json") << QStringLiteral("src.zarr/.zattrs")
            << QStringLiteral("%1 lies inside the storage of array src (%2/src.zarr); writing there could corrupt it");
    }
    void outputsNeverLandOnInputs()
    {
        QFETCH(QString, option);
        QFETCH(QString, path);
        QFETCH(QString, message);
        QTemporaryDir dir;
        const QString d = dir.path();
        makeSource(d);
        QVERIFY(QDir(d).mkpath(QStringLiteral("x")));
        QVERIFY(QFile::link(d + QStringLiteral("/src.zarr"), d + QStringLiteral("/alias")));
        const QMap<QString, QByteArray> before = snapshot(d);

        const Outcome o = chunkscope({QStringLiteral("run"), QStringLiteral("s.json"), option, path}, d);
        QCOMPARE(o.exitCode, 2);
        QCOMPARE(o.err,
                 QStringLiteral("error: %1: ").arg(path)
                     + QString(message).replace(QLatin1String("%1"), option).replace(QLatin1String("%2"), d)
                     + QLatin1Char('\n'));
        QCOMPARE(o.out, QString());
        QCOMPARE(snapshot(d), before);
        QVERIFY(!QFileInfo::exists(d + QStringLiteral("/src.zarr/csv")));

        // The same outputs elsewhere are written.
        const Outcome fine = chunkscope({QStringLiteral("run"), QStringLiteral("s.json"), option,
                                         QStringLiteral("result"), QStringLiteral("--quiet")},
                                        d);
        QVERIFY2(fine.exitCode == 0, qPrintable(fine.err));
        QVERIFY(QFileInfo::exists(d + QStringLiteral("/result")));
    }

    // Each file written into --csv, --png or --svg is checked as the directory is, through the
    // symbolic links the writes follow and by the names the runs give them.
    void outputFilesNeverLandOnInputs_data()
    {
        QTest::addColumn<QString>("scenario");
        QTest::addColumn<QStringList>("options");
        QTest::addColumn<QString>("message");
        QTest::newRow("a link in --csv to the array's metadata")
            << QStringLiteral("s.json") << QStringList{QStringLiteral("--csv"), QStringLiteral("out")}
            << QStringLiteral("out/read.tasks.csv: --csv lies inside the storage of array src (%1/src.zarr); writing "
                              "there could corrupt it");
        QTest::newRow("a link in --csv to the scenario")
            << QStringLiteral("s.json") << QStringList{QStringLiteral("--csv"), QStringLiteral("out2")}
            << QStringLiteral("out2/read.samples.csv: --csv names the scenario file; writing there would overwrite it");
        QTest::newRow("a run's picture named as the HDF5 file it writes")
            << QStringLiteral("h.json") << QStringList{QStringLiteral("--png"), QStringLiteral(".")}
            << QStringLiteral("./copy.png: --png names the storage of array h (%1/copy.png); writing there could "
                              "corrupt it");
        QTest::newRow("a run's CSV named as the scenario")
            << QStringLiteral("read.tasks.csv") << QStringList{QStringLiteral("--csv"), QStringLiteral(".")}
            << QStringLiteral("./read.tasks.csv: --csv names the scenario file; writing there would overwrite it");
    }
    void outputFilesNeverLandOnInputs()
    {
        QFETCH(QString, scenario);
        QFETCH(QStringList, options);
        QFETCH(QString, message);
        QTemporaryDir dir;
        const QString d = dir.path();
        makeSource(d);
        QVERIFY(QDir(d).mkpath(QStringLiteral("out")));
        QVERIFY(QFile::link(QStringLiteral("../src.zarr/.zarray"), d + QStringLiteral("/out/read.tasks.csv")));
        QVERIFY(QDir(d).mkpath(QStringLiteral("out2")));
        QVERIFY(QFile::link(QStringLiteral("../s.json"), d + QStringLiteral("/out2/read.samples.csv")));
        QVERIFY(QFile::copy(d + QStringLiteral("/s.json"), d + QStringLiteral("/read.tasks.csv")));
        writeFile(d + QStringLiteral("/h.json"), R"({"chunkscope": 1, "arrays": {
            "a": {"store": "memory", "dtype": "<i4", "shape": [400], "chunks": [100], "fill": "arange"},
            "h": {"store": "hdf5", "like": "a", "file": "copy.png", "dataset": "d", "fill": "empty"}},
            "runs": [{"name": "copy", "source": "a", "target": "h"}]})");
        const QMap<QString, QByteArray> before = snapshot(d);

        const Outcome o = chunkscope(QStringList{QStringLiteral("run"), scenario} + options, d);
        QCOMPARE(o.exitCode, 2);
        QCOMPARE(o.err,
                 QStringLiteral("error: ") + QString(message).replace(QLatin1String("%1"), d) + QLatin1Char('\n'));
        QCOMPARE(o.out, QString());
        QCOMPARE(snapshot(d), before);
        QVERIFY(!QFileInfo::exists(d + QStringLiteral("/copy.png")));
    }

    // A device node or FIFO named as an output stays what it is; so does a file named where a
    // directory goes.
    void outputsOnlyReplaceRegularFiles_data()
    {
        QTest::addColumn<QStringList>("options");
        QTest::addColumn<QString>("message");
        QTest::newRow("--json onto a character device")
            << QStringList{QStringLiteral("--json"), QStringLiteral("mynull")}
            << QStringLiteral("mynull: --json names a character device, not a regular file");
        QTest::newRow("--json through a link onto one")
            << QStringList{QStringLiteral("--json"), QStringLiteral("tonull")}
            << QStringLiteral("tonull: --json names a character device, not a regular file");
        QTest::newRow("--trace onto a FIFO") << QStringList{QStringLiteral("--trace"), QStringLiteral("myfifo")}
                                             << QStringLiteral("myfifo: --trace names a FIFO, not a regular file");
        QTest::newRow("--json onto a directory") << QStringList{QStringLiteral("--json"), QStringLiteral("out")}
                                                 << QStringLiteral("out: --json names a directory, not a regular file");
        QTest::newRow("a picture onto a FIFO")
            << QStringList{QStringLiteral("--png"), QStringLiteral("out")}
            << QStringLiteral("out/read.png: --png names a FIFO, not a regular file");
        QTest::newRow("--svg onto a file") << QStringList{QStringLiteral("--svg"), QStringLiteral("plain")}
                                           << QStringLiteral("plain: --svg names a regular file, not a directory");
    }
    void outputsOnlyReplaceRegularFiles()
    {
        QFETCH(QStringList, options);
        QFETCH(QString, message);
        if (::geteuid() != 0)
            QSKIP("creating a device node needs root");
        QTemporaryDir dir;
        const QString d = dir.path();
        makeSource(d);
        QCOMPARE(::mknod(QFile::encodeName(d + QStringLiteral("/mynull")).constData(), S_IFCHR | 0666, makedev(1, 3)),
                 0);
        QVERIFY(QFile::link(QStringLiteral("mynull"), d + QStringLiteral("/tonull")));
        QCOMPARE(::mkfifo(QFile::encodeName(d + QStringLiteral("/myfifo")).constData(), 0644), 0);
        QVERIFY(QDir(d).mkpath(QStringLiteral("out")));
        QCOMPARE(::mkfifo(QFile::encodeName(d + QStringLiteral("/out/read.png")).constData(), 0644), 0);
        writeFile(d + QStringLiteral("/plain"), "mine\n");
        const QMap<QString, QByteArray> before = snapshot(d + QStringLiteral("/src.zarr"));

        const Outcome o = chunkscope(QStringList{QStringLiteral("run"), QStringLiteral("s.json")} + options, d);
        QCOMPARE(o.exitCode, 2);
        QCOMPARE(o.err, QStringLiteral("error: %1\n").arg(message));
        QCOMPARE(o.out, QString());
        QCOMPARE(typeOf(d + QStringLiteral("/mynull")), mode_t(S_IFCHR));
        QCOMPARE(typeOf(d + QStringLiteral("/tonull")), mode_t(S_IFLNK));
        QCOMPARE(typeOf(d + QStringLiteral("/myfifo")), mode_t(S_IFIFO));
        QCOMPARE(typeOf(d + QStringLiteral("/out/read.png")), mode_t(S_IFIFO));
        QCOMPARE(QDir(d + QStringLiteral("/out"))
                     .entryList(QDir::AllEntries | QDir::System | QDir::Hidden | QDir::NoDotAndDotDot),
                 QStringList{QStringLiteral("read.png")});
        QCOMPARE(snapshot(d + QStringLiteral("/src.zarr")), before);
    }

    // Two outputs on one file, or an output whose directory is missing, are refused before any run.
    void conflictingOrMisplacedOutputsExit2_data()
    {
        QTest::addColumn<QStringList>("options");
        QTest::addColumn<QString>("message");
        QTest::newRow("--json and --trace") << QStringList{QStringLiteral("--json"), QStringLiteral("o.json"),
                                                           QStringLiteral("--trace"), QStringLiteral("o.json")}
                                            << QStringLiteral("o.json: --json and --trace name the same file; one "
                                                              "would overwrite the other");
        QTest::newRow("--json and a --png picture")
            << QStringList{QStringLiteral("--json"), QStringLiteral("d/read.png"), QStringLiteral("--png"),
                           QStringLiteral("d")}
            << QStringLiteral("d/read.png: --json and --png name the same file; one would overwrite the other");
        QTest::newRow("--trace in a missing directory")
            << QStringList{QStringLiteral("--trace"), QStringLiteral("nowhere/t.json")}
            << QStringLiteral("nowhere/t.json: --trace: the directory %1/nowhere does not exist");
        QTest::newRow("--csv below a file")
            << QStringList{QStringLiteral("--png"), QStringLiteral("new/png"), QStringLiteral("--csv"),
                           QStringLiteral("plain/csv")}
            << QStringLiteral("plain/csv: cannot create the directory: Not a directory");
        QTest::newRow("a name with a newline") << QStringList{QStringLiteral("--run"), QStringLiteral("r\nx"),
                                                              QStringLiteral("--json"), QStringLiteral("o.json")}
                                               << QStringLiteral("s.json: no run named \"r\\nx\"");
    }
    void conflictingOrMisplacedOutputsExit2()
    {
        QFETCH(QStringList, options);
        QFETCH(QString, message);
        QTemporaryDir dir;
        const QString d = dir.path();
        makeSource(d);
        QVERIFY(QDir(d).mkpath(QStringLiteral("d")));
        writeFile(d + QStringLiteral("/plain"), "mine\n");
        const QMap<QString, QByteArray> before = snapshot(d);
        const QStringList entries = QDir(d).entryList(QDir::AllEntries | QDir::Hidden | QDir::NoDotAndDotDot);

        const Outcome o = chunkscope(QStringList{QStringLiteral("run"), QStringLiteral("s.json")} + options, d);
        QCOMPARE(o.exitCode, 2);
        QCOMPARE(o.err, QStringLiteral("error: %1\n").arg(QString(message).replace(QLatin1String("%1"), d)));
        QCOMPARE(o.out, QString());
        QCOMPARE(snapshot(d), before);
        QCOMPARE(QDir(d).entryList(QDir::AllEntries | QDir::Hidden | QDir::NoDotAndDotDot), entries);
        QCOMPARE(QDir(d + QStringLiteral("/d")).entryList(QDir::AllEntries | QDir::NoDotAndDotDot), QStringList());
    }

    // A reader that went away before the summary table came: every output is still written, the
    // closed pipe is reported and the exit is 1.
    void closedStandardOutputKeepsTheOutputs()
    {
        QTemporaryDir dir;
        const QString d = dir.path();
        makeSource(d);
        const Outcome o = chunkscopeWithClosedStdout(
            {QStringLiteral("run"), QStringLiteral("s.json"), QStringLiteral("--quiet"), QStringLiteral("--json"),
             QStringLiteral("res.json"), QStringLiteral("--csv"), QStringLiteral("csv")},
            d);
        QCOMPARE(o.exitCode, 1);
        QCOMPARE(o.err,
                 QStringLiteral("error: standard output: cannot write the summary table: Broken pipe; every "
                                "other output was written\n"));
        QFile json(d + QStringLiteral("/res.json"));
        QVERIFY(json.open(QIODevice::ReadOnly));
        const QJsonObject results = QJsonDocument::fromJson(json.readAll()).object();
        QCOMPARE(results.value(QStringLiteral("runs")).toArray().size(), 1);
        QCOMPARE(results.value(QStringLiteral("runs")).toArray().at(0).toObject().value(QStringLiteral("status")),
                 QJsonValue(QStringLiteral("ok")));
        QVERIFY(QFileInfo(d + QStringLiteral("/csv/read.tasks.csv")).size() > 0);
        QVERIFY(QFileInfo(d + QStringLiteral("/csv/read.samples.csv")).isFile());
    }

    // The same for `check`: its report was lost without a word.
    void closedStandardOutputFailsTheCheck()
    {
        QTemporaryDir dir;
        const QString d = dir.path();
        makeSource(d);
        const Outcome o = chunkscopeWithClosedStdout({QStringLiteral("check"), QStringLiteral("s.json")}, d);
        QCOMPARE(o.exitCode, 1);
        QCOMPARE(o.err, QStringLiteral("error: standard output: cannot write the report: Broken pipe\n"));
    }

    // SIGINT once every run has finished, while the pictures are drawn: nothing was cancelled, every
    // output is written, stderr says so and the exit status is the runs'.
    void interruptAfterTheRunsChangesNothing()
    {
        QTemporaryDir dir;
        const QString d = dir.path();
        writeFile(d + QStringLiteral("/w.json"), R"({"chunkscope": 1, "arrays": {
            "a": {"store": "memory", "dtype": "<i4", "shape": [4000], "chunks": [100], "fill": "arange"},
            "b": {"store": "memory", "like": "a", "fill": "empty"}},
            "runs": [{"name": "r", "source": "a", "target": "b", "repeat": 8}]})");
        QProcess p;
        p.setWorkingDirectory(d);
        p.start(QStringLiteral(CHUNKSCOPE_BINARY),
                {QStringLiteral("run"), QStringLiteral("w.json"), QStringLiteral("--quiet"), QStringLiteral("--png"),
                 QStringLiteral("png"), QStringLiteral("--svg"), QStringLiteral("svg")});
        QByteArray out;
        // The table comes once every run has finished, before the pictures are drawn.
        while (!out.contains("r #8") && p.waitForReadyRead(60000))
            out += p.readAllStandardOutput();
        QVERIFY2(out.contains("r #8"), out.constData());
        QCOMPARE(::kill(pid_t(p.processId()), SIGINT), 0);
        QVERIFY(p.waitForFinished(60000));
        QCOMPARE(p.exitStatus(), QProcess::NormalExit);
        QCOMPARE(QString::fromUtf8(p.readAllStandardError()),
                 QStringLiteral("note: SIGINT came after every run had finished; every output was written in full, "
                                "and the exit status does not count it\n"));
        QCOMPARE(p.exitCode(), 0);
        QCOMPARE(QDir(d + QStringLiteral("/png")).entryList(QDir::Files).size(), 8);
        QCOMPARE(QDir(d + QStringLiteral("/svg")).entryList(QDir::Files).size(), 8);
    }
    // Mounting must be ready before any thread starts (a mount namespace of the process's own is
    // entered only while it has one thread); the binary it starts inherits the namespace.
    void initTestCase()
    {
        QVERIFY(m_probe.isValid());
        m_cannotMount = reliability::prepareToMount(m_probe.path());
    }

    void outputsNeverLandOnInputsThroughABindMount_data()
    {
        QTest::addColumn<QString>("path");
        QTest::addColumn<QString>("message");
        QTest::newRow("--json into the Zarr array")
            << QStringLiteral("alias/src.zarr/.zarray")
            << QStringLiteral("--json lies inside the storage of array src (%1/data/src.zarr); writing there could "
                              "corrupt it");
        QTest::newRow("--json onto the scenario")
            << QStringLiteral("alias/s.json")
            << QStringLiteral("--json names the scenario file; writing there would overwrite it");
    }
    void outputsNeverLandOnInputsThroughABindMount()
    {
        QFETCH(QString, path);
        QFETCH(QString, message);
        if (!m_cannotMount.isEmpty())
            QSKIP(qPrintable(m_cannotMount));
        QTemporaryDir dir;
        const QString d = dir.path();
        makeSource(d + QStringLiteral("/data"));
        QVERIFY(QDir(d).mkpath(QStringLiteral("alias")));
        const QByteArray alias = QFile::encodeName(d + QStringLiteral("/alias"));
        QVERIFY2(::mount(QFile::encodeName(d + QStringLiteral("/data")).constData(), alias.constData(), nullptr,
                         MS_BIND, nullptr)
                     == 0,
                 std::strerror(errno));
        const QMap<QString, QByteArray> before = snapshot(d + QStringLiteral("/data"));

        const Outcome o
            = chunkscope({QStringLiteral("run"), QStringLiteral("data/s.json"), QStringLiteral("--json"), path}, d);
        const QMap<QString, QByteArray> after = snapshot(d + QStringLiteral("/data"));
        ::umount2(alias.constData(), MNT_DETACH);
        QCOMPARE(o.exitCode, 2);
        QCOMPARE(o.err,
                 QStringLiteral("error: %1: ").arg(path) + QString(message).replace(QLatin1String("%1"), d)
                     + QLatin1Char('\n'));
        QCOMPARE(after, before);
    }

private:
    QTemporaryDir m_probe;
    QString m_cannotMount;
};

QTEST_MAIN(TestCliSafety)
#include "tst_clisafety.moc"
