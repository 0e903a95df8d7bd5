// Every file Chunkscope writes, on a disk that is full: a small tmpfs of the test's own, where a
// write fails with ENOSPC in write(2) itself. The command's outputs (--json, --csv, --trace, --png,
// --svg), a saved scenario, bcolz's meta/sizes at the end of a run and a Zarr .zarray each fail,
// naming the file and the reason; the file that was there keeps its bytes, and no temporary file
// is left.
#include "kv/directorykeyvalue.h"
#include "runner/arrayset.h"
#include "runner/runexecutor.h"
#include "scenario/scenarioparser.h"
#include "scenario/scenariowriter.h"
#include "smalldisk.h"
#include "stores/carray/bcolzrootdir.h"
#include "stores/store.h"
#include "testfiles.h"

#include <QDir>
#include <QDirIterator>
#include <QFile>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

#include <unistd.h>

using namespace cs;
using namespace reliability;

namespace {

const QByteArray kPrevious = "the previous file, which must stay as it is\n";
const QString kNoSpace = QStringLiteral("No space left on device");

// One small copy in memory: what the command writes is its only file output.
const QByteArray kScenario = R"({"chunkscope": 1, "name": "full disk", "arrays": {
    "a": {"store": "memory", "dtype": "<i4", "shape": [4096], "chunks": [1024], "fill": "arange"},
    "b": {"store": "memory", "like": "a", "fill": "empty"}},
    "runs": [{"name": "r", "source": "a", "target": "b", "workers": 1, "sample_ms": 5}]})";

// Every file under `dir`, hidden ones too, relative and sorted: a temporary file left behind shows.
QStringList filesUnder(const QString &dir)
{
    QStringList out;
    QDirIterator it(dir, QDir::Files | QDir::Hidden | QDir::System | QDir::NoDotAndDotDot,
                    QDirIterator::Subdirectories);
    while (it.hasNext())
        out << QDir(dir).relativeFilePath(it.next());
    out.sort();
    return out;
}

std::optional<Scenario> parse(const QByteArray &json, const QString &dir)
{
    QString error;
    std::optional<Scenario> s = parseScenario(json, QStringLiteral("fulldisk.json"), &error, dir);
    if (!s)
        qWarning("%s", qPrintable(error));
    return s;
}

} // namespace

class TestFullDisk : public QObject {
    Q_OBJECT
public:
    static void initMain() { checkMountingAtStart(); }

private Q_SLOTS:
    void init()
    {
        if (!cannotMount().isEmpty())
            QSKIP(qPrintable(cannotMount()));
        m_diskDir = std::make_unique<QTemporaryDir>();
        QVERIFY(m_diskDir->isValid());
        m_disk = std::make_unique<SmallDisk>(m_diskDir->path(), qint64(1) << 20);
        QVERIFY2(m_disk->isMounted(), qPrintable(m_disk->error()));
    }
    void cleanup()
    {
        m_disk.reset();
        m_diskDir.reset();
    }

    void commandOutputs_data()
    {
        QTest::addColumn<QString>("option");
        QTest::addColumn<QString>("argument"); // relative to the disk
        QTest::addColumn<QString>("file"); // the file the command fails on, which exists before
        struct Output {
            const char *option;
            const char *argument;
            const char *file;
        };
        const Output outputs[] = {{"--json", "results.json", "results.json"},
                                  {"--csv", "csv", "csv/r.tasks.csv"},
                                  {"--trace", "r.trace.json", "r.trace.json"},
                                  {"--png", "png", "png/r.png"},
                                  {"--svg", "svg", "svg/r.svg"}};
        for (const Output &o : outputs)
            QTest::addRow("%s", o.option)
                << QString::fromLatin1(o.option) << QString::fromLatin1(o.argument) << QString::fromLatin1(o.file);
    }
    void commandOutputs()
    {
        QFETCH(QString, option);
        QFETCH(QString, argument);
        QFETCH(QString, file);
        QTemporaryDir work;
        QVERIFY(work.isValid());
        const QString scenario = work.filePath(QStringLiteral("s.json"));
        QVERIFY(writeAll(scenario, kScenario));
        const QString root = m_disk->path();
        const QString path = root + QLatin1Char('/') + file;
        QVERIFY(QDir().mkpath(QFileInfo(path).absolutePath()));
        QVERIFY(writeAll(path, kPrevious));
        QVERIFY2(m_disk->leaveFree(0), qPrintable(QString::number(m_disk->freeBytes())));

        QProcess p;
        p.start(
            QStringLiteral(CHUNKSCOPE_BINARY),
            {QStringLiteral("run"), scenario, option, root + QLatin1Char('/') + argument, QStringLiteral("--quiet")});
        QVERIFY(p.waitForFinished(60000));
        const QString err = QString::fromUtf8(p.readAllStandardError());
        QCOMPARE(p.exitStatus(), QProcess::NormalExit);
        QCOMPARE(err, QStringLiteral("error: %1: cannot write: %2\n").arg(path, kNoSpace));
        QCOMPARE(p.exitCode(), 1);
        QCOMPARE(readAll(path), kPrevious);
        QCOMPARE(filesUnder(root), (QStringList{QStringLiteral("ballast"), file}));
    }

    void savedScenario()
    {
        const QString root = m_disk->path();
        const std::optional<Scenario> s = parse(kScenario, root);
        QVERIFY(s);
        const QString path = root + QStringLiteral("/s.json");
        QVERIFY(writeAll(path, kPrevious));
        QVERIFY(m_disk->leaveFree(0));
        QString error;
        QVERIFY(!saveScenarioFile(*s, path, &error));
        QCOMPARE(error, QStringLiteral("%1: cannot write: %2").arg(path, kNoSpace));
        QCOMPARE(readAll(path), kPrevious);
        QCOMPARE(filesUnder(root), (QStringList{QStringLiteral("ballast"), QStringLiteral("s.json")}));
    }

    // The chunks fit; meta/sizes, written when the run ends, does not: the run fails and the
    // rootdir keeps the sizes it was created with, so it still opens.
    void bcolzSizesAtTheEndOfARun()
    {
        const QString root = m_disk->path();
        const std::optional<Scenario> s = parse(R"({"chunkscope": 1, "arrays": {
            "a": {"store": "memory", "dtype": "<i4", "shape": [4096], "chunks": [1024], "fill": "zeros"},
            "c": {"store": "carray", "like": "a", "chunklen": 1024, "rootdir": "c.bcolz", "fill": "empty"}},
            "runs": [{"name": "copy", "source": "a", "target": "c", "workers": 1, "sample_ms": 5}]})",
                                                root);
        QVERIFY(s);
        ArraySet arrays(*s);
        arrays.get(QStringLiteral("a"));
        arrays.get(QStringLiteral("c"));
        const QString sizes = root + QStringLiteral("/c.bcolz/meta/sizes");
        const QByteArray before = readAll(sizes);
        QCOMPARE(before, QByteArray("{\"shape\": [4096], \"nbytes\": 16384, \"cbytes\": 4096}\n"));
        // A page for each of the four chunk files of zeros, none for a new meta/sizes.
        QVERIFY(m_disk->leaveFree(4 * ::sysconf(_SC_PAGESIZE)));

        const QList<RunResult> results = executeRun(s->runs[0], arrays);
        QCOMPARE(results.size(), 1);
        const RunResult &r = results[0];
        QCOMPARE(statusName(r.status), QStringLiteral("failed"));
        QCOMPARE(r.error, QStringLiteral("array c: cannot write %1: %2").arg(sizes, kNoSpace));
        QCOMPARE(r.verified, std::optional<bool>(false));
        QCOMPARE(readAll(sizes), before);
        QCOMPARE(
            filesUnder(root + QStringLiteral("/c.bcolz")),
            (QStringList{QStringLiteral("__attrs__"), QStringLiteral("data/__0.blp"), QStringLiteral("data/__1.blp"),
                         QStringLiteral("data/__2.blp"), QStringLiteral("data/__3.blp"), QStringLiteral("meta/sizes"),
                         QStringLiteral("meta/storage")}));
        try {
            QCOMPARE(BcolzRootdir(root + QStringLiteral("/c.bcolz")).open().shape[0], int64_t(4096));
        } catch (const StoreError &e) {
            QFAIL(qPrintable(e.message()));
        }
    }

    void zarrMetadata()
    {
        const QString root = m_disk->path();
        const QString dir = root + QStringLiteral("/z.zarr");
        QVERIFY(QDir().mkpath(dir));
        const QString zarray = dir + QStringLiteral("/.zarray");
        QVERIFY(writeAll(zarray, kPrevious));
        QVERIFY(m_disk->leaveFree(0));
        DirectoryKeyValue backend(dir, false);
        QString error;
        try {
            backend.set(KvKey(QByteArrayLiteral(".zarray")), QByteArray(100, '{'));
        } catch (const StoreError &e) {
            error = e.message();
        }
        QCOMPARE(error, QStringLiteral("cannot write %1 (%2)").arg(zarray, kNoSpace));
        QCOMPARE(readAll(zarray), kPrevious);
        QCOMPARE(filesUnder(root), (QStringList{QStringLiteral("ballast"), QStringLiteral("z.zarr/.zarray")}));
    }

private:
    std::unique_ptr<QTemporaryDir> m_diskDir;
    std::unique_ptr<SmallDisk> m_disk;
};

QTEST_GUILESS_MAIN(TestFullDisk)
#include "tst_fullDisk.moc"
