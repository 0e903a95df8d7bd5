// The command line never loses data it was not asked to replace: a scenario whose arrays share a
// place, an overwrite of a folder that is no array, or an output that would land on the scenario file
// or inside an array's storage exits with status 2 and one error line, and every file stays as it was.
#include "../reliability/smalldisk.h"

#include <QDir>
#include <QDirIterator>
#include <QProcess>
#include <QTemporaryDir>
#include <QtTest>

#include <cstring>
#include <sys/mount.h>

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
