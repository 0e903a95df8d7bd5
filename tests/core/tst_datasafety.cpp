// Data on disk is never lost to a scenario: two arrays on one place (however spelt, and whatever
// bind mount, hard link or HDF5 soft link names it) are refused before anything is created,
// "overwrite" replaces only an array of its own kind (in HDF5 a dataset, never a group), no run
// writes through an HDF5 virtual dataset, and a FIFO where a store expects a file fails its run in
// bounded time. Real stores in a temporary directory.
#include "runner/arrayset.h"
#include "runner/arraystore.h"
#include "runner/runexecutor.h"
#include "scenario/scenarioparser.h"
#include "stores/carray/carrayoptions.h"
#include "stores/store.h"
#include "stores/zarr/zarroptions.h"

#include "../reliability/smalldisk.h"

#include <QDir>
#include <QDirIterator>
#include <QElapsedTimer>
#include <QFile>
#include <QMap>
#include <QTemporaryDir>
#include <QTest>
#include <QThread>

#include <atomic>
#include <fcntl.h>
#include <hdf5.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <thread>
#include <unistd.h>

using namespace cs;

namespace {

std::optional<Scenario> parse(const QByteArray &json, const QString &dir, QString *error)
{
    return parseScenario(json, QStringLiteral("s.json"), error, dir);
}

// Creates and fills every array, as the runs would before copying.
bool buildAll(const QByteArray &json, const QString &dir)
{
    QString error;
    const std::optional<Scenario> s = parse(json, dir, &error);
    if (!s) {
        qWarning("%s", qPrintable(error));
        return false;
    }
    ArraySet arrays(*s);
    for (const ArraySpec &a : s->arrays)
        arrays.get(a.id).endWriting();
    return true;
}

// Every file below `root` (hidden ones too) with its bytes.
QMap<QString, QByteArray> snapshot(const QString &root)
{
    QMap<QString, QByteArray> out;
    QDirIterator it(root, QDir::Files | QDir::Hidden | QDir::System | QDir::NoDotAndDotDot,
                    QDirIterator::Subdirectories);
    while (it.hasNext()) {
        const QString path = it.next();
        QFile f(path);
        out.insert(QDir(root).relativeFilePath(path), f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray("?"));
    }
    return out;
}

void writeFile(const QString &path, const QByteArray &bytes)
{
    QVERIFY(QDir().mkpath(QFileInfo(path).absolutePath()));
    QFile f(path);
    QVERIFY(f.open(QIODevice::WriteOnly | QIODevice::Truncate));
    QCOMPARE(f.write(bytes), qint64(bytes.size()));
}

// Builds an array, or returns the StoreError it met.
QString buildError(ArraySet &arrays, const QString &id)
{
    try {
        arrays.get(id);
    } catch (const StoreError &e) {
        return e.message();
    }
    return QStringLiteral("(built)");
}

ArraySpec *arrayOf(Scenario &s, const QString &id)
{
    for (ArraySpec &a : s.arrays)
        if (a.id == id)
            return &a;
    return nullptr;
}

const QByteArray kMakeSource = R"({"chunkscope": 1, "arrays": {
    "a": {"store": "memory", "dtype": "<i4", "shape": [400], "chunks": [100], "fill": "arange"},
    "src": {"store": "zarr", "like": "a", "path": "src.zarr", "compressor": null, "fill": {"copy": "a"}}},
    "runs": []})";

// `source` seen again at `alias` through a bind mount, for as long as it lives.
class BindMount {
public:
    BindMount(const QString &source, const QString &alias)
        : m_alias(QFile::encodeName(alias))
    {
        m_mounted = ::mount(QFile::encodeName(source).constData(), m_alias.constData(), nullptr, MS_BIND, nullptr) == 0;
        if (!m_mounted)
            m_error = QString::fromLocal8Bit(std::strerror(errno));
    }
    ~BindMount()
    {
        if (m_mounted)
            ::umount2(m_alias.constData(), MNT_DETACH);
    }
    BindMount(const BindMount &) = delete;
    BindMount &operator=(const BindMount &) = delete;
    bool isMounted() const { return m_mounted; }
    QString error() const { return m_error; }

private:
    QByteArray m_alias;
    bool m_mounted = false;
    QString m_error;
};

// An HDF5 file with the C library, for what Chunkscope itself never makes (soft links, virtual
// datasets); closed at the end of the scope.
struct Hdf5Handle {
    hid_t id;
    herr_t (*close)(hid_t);
    ~Hdf5Handle()
    {
        if (id >= 0)
            close(id);
    }
};

// Builds an HDF5 array `dataset` of 400 <i4 (0, 1, 2, ...) in `file` below `dir`.
bool makeHdf5(const QString &dir, const QString &file, const QString &dataset)
{
    return buildAll(QStringLiteral(R"({"chunkscope": 1, "arrays": {
        "a": {"store": "memory", "dtype": "<i4", "shape": [400], "chunks": [100], "fill": "arange"},
        "h": {"store": "hdf5", "like": "a", "file": "%1", "dataset": "%2", "fill": {"copy": "a"},
              "overwrite": true}}, "runs": []})")
                        .arg(file, dataset)
                        .toUtf8(),
                    dir);
}

QByteArray fileBytes(const QString &path)
{
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

} // namespace

class TestDataSafety : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void copyOntoItselfIsRefused_data()
    {
        QTest::addColumn<QString>("dstPath");
        QTest::addColumn<QString>("message");
        const QString same = QStringLiteral("s.json: /arrays/dst/path: the same location as /arrays/src");
        QTest::newRow("through x/..") << QStringLiteral("./x/../src.zarr") << same;
        QTest::newRow("absolute") << QStringLiteral("%1/src.zarr") << same;
        QTest::newRow("symlinked alias") << QStringLiteral("alias.zarr") << same;
        QTest::newRow("inside a symlinked directory") << QStringLiteral("here/src.zarr") << same;
        QTest::newRow("nested") << QStringLiteral("src.zarr/inner.zarr")
                                << QStringLiteral("s.json: /arrays/dst/path: inside the location of /arrays/src");
        QTest::newRow("holding it") << QStringLiteral("%1")
                                    << QStringLiteral("s.json: /arrays/dst/path: holds the location of /arrays/src");
    }
    void copyOntoItselfIsRefused()
    {
        QFETCH(QString, dstPath);
        QFETCH(QString, message);
        QTemporaryDir dir;
        const QString d = dir.path();
        QVERIFY(buildAll(kMakeSource, d));
        QVERIFY(QDir(d).mkpath(QStringLiteral("x")));
        QVERIFY(QFile::link(d + QStringLiteral("/src.zarr"), d + QStringLiteral("/alias.zarr")));
        QVERIFY(QFile::link(d, d + QStringLiteral("/here")));
        const QMap<QString, QByteArray> before = snapshot(d + QStringLiteral("/src.zarr"));
        QCOMPARE(before.size(), 5); // .zarray and four chunks

        const QString path = dstPath.contains(QLatin1String("%1")) ? dstPath.arg(d) : dstPath;
        const QByteArray json = QStringLiteral(R"({"chunkscope": 1, "arrays": {
            "src": {"store": "zarr", "path": "src.zarr", "fill": "existing"},
            "dst": {"store": "zarr", "dtype": "<i4", "shape": [400], "chunks": [100], "path": "%1",
                    "overwrite": true, "fill": "empty"}},
            "runs": [{"name": "copy", "source": "src", "target": "dst"}]})")
                                    .arg(path)
                                    .toUtf8();
        QString error;
        QVERIFY(!parse(json, d, &error));
        QCOMPARE(error, message);

        // A scenario edited after its check (as the window allows) is refused again before a store
        // is created; the source keeps every byte.
        QByteArray elsewhere = json;
        elsewhere.replace(path.toUtf8(), "elsewhere.zarr");
        std::optional<Scenario> s = parse(elsewhere, d, &error);
        QVERIFY2(s, qPrintable(error));
        arrayOf(*s, QStringLiteral("dst"))->optionsAs<ZarrOptions>().path
            = QDir::isRelativePath(path) ? d + QLatin1Char('/') + path : path;
        ArraySet arrays(*s);
        const QList<RunResult> results = executeRun(s->runs.at(0), arrays);
        QCOMPARE(results.size(), 1);
        QCOMPARE(statusName(results[0].status), QStringLiteral("failed"));
        QVERIFY2(results[0].error.startsWith(QStringLiteral("array dst: its path ")), qPrintable(results[0].error));
        QVERIFY(!QFileInfo::exists(d + QStringLiteral("/elsewhere.zarr")));
        QCOMPARE(snapshot(d + QStringLiteral("/src.zarr")), before);
    }

    void twoArraysOnOnePathAreRefused()
    {
        QTemporaryDir dir;
        QVERIFY(QFile::link(dir.path(), dir.filePath(QStringLiteral("ln"))));
        // Neither exists yet; the second spelling goes through a symlink.
        const QByteArray json = R"({"chunkscope": 1, "arrays": {
            "a": {"store": "memory", "dtype": "<i4", "shape": [400], "chunks": [100], "fill": "arange"},
            "z1": {"store": "zarr", "like": "a", "path": "out/new.zarr", "fill": {"copy": "a"}},
            "z2": {"store": "zarr", "like": "a", "path": "ln/out/new.zarr", "fill": "zeros"}},
            "runs": []})";
        QString error;
        QVERIFY(!parse(json, dir.path(), &error));
        QCOMPARE(error, QStringLiteral("s.json: /arrays/z2/path: the same location as /arrays/z1"));
        QVERIFY(!QFileInfo::exists(dir.filePath(QStringLiteral("out"))));
    }

    void readersMayShareButNotWithAWriter()
    {
        QTemporaryDir dir;
        const QString d = dir.path();
        QVERIFY(buildAll(kMakeSource, d));
        QVERIFY(QFile::link(d + QStringLiteral("/src.zarr"), d + QStringLiteral("/alias.zarr")));
        const QByteArray readers = R"({"chunkscope": 1, "arrays": {
            "r1": {"store": "zarr", "path": "src.zarr", "fill": "existing"},
            "r2": {"store": "zarr", "path": "alias.zarr", "fill": "existing"},
            "out": {"store": "memory", "dtype": "<i4", "shape": [400], "chunks": [100], "fill": "empty"}},
            "runs": [{"name": "one", "source": "r1", "target": "out"},
                     {"name": "two", "source": "r2", "target": "out"}]})";
        QString error;
        std::optional<Scenario> s = parse(readers, d, &error);
        QVERIFY2(s, qPrintable(error));
        ArraySet arrays(*s);
        for (const RunSpec &run : s->runs) {
            const QList<RunResult> r = executeRun(run, arrays);
            QCOMPARE(r.size(), 1);
            QCOMPARE(r[0].error, QString());
            QCOMPARE(r[0].verified, std::optional<bool>(true));
        }

        // An "existing" array that a run writes to is no reader.
        QByteArray writer = readers;
        writer.replace(R"("target": "out"}])",
                       R"("target": "out"}, {"name": "back", "source": "out", "target": "r2"}])");
        QVERIFY(!parse(writer, d, &error));
        QCOMPARE(error, QStringLiteral("s.json: /arrays/r2/path: the same location as /arrays/r1"));
    }

    void hdf5FilesAreSharedByDatasets()
    {
        QTemporaryDir dir;
        const QString base = QStringLiteral(R"({"chunkscope": 1, "arrays": {
            "a": {"store": "memory", "dtype": "<i4", "shape": [400], "chunks": [100], "fill": "arange"},
            "h1": {"store": "hdf5", "like": "a", "file": "h.h5", "dataset": "/g/d", "fill": {"copy": "a"}},
            "h2": {"store": "hdf5", "like": "a", "file": "./h.h5", "dataset": "%1", "fill": {"copy": "a"}}%2},
            "runs": []})");
        QString error;
        QVERIFY2(parse(base.arg(QStringLiteral("e"), QString()).toUtf8(), dir.path(), &error), qPrintable(error));
        QVERIFY(!parse(base.arg(QStringLiteral("g//d"), QString()).toUtf8(), dir.path(), &error));
        QCOMPARE(error, QStringLiteral("s.json: /arrays/h2/file: the same location as /arrays/h1"));
        QVERIFY(!parse(base.arg(QStringLiteral("g"), QString()).toUtf8(), dir.path(), &error));
        QCOMPARE(error, QStringLiteral("s.json: /arrays/h2/file: holds the location of /arrays/h1"));
        // An HDF5 file inside a Zarr directory.
        const QString zarrAround
            = QStringLiteral(R"(, "z": {"store": "zarr", "like": "a", "path": "h.h5/..", "fill": "zeros"})");
        QVERIFY(!parse(base.arg(QStringLiteral("e"), zarrAround).toUtf8(), dir.path(), &error));
        QCOMPARE(error, QStringLiteral("s.json: /arrays/z/path: holds the location of /arrays/h1"));
        QVERIFY(!QFileInfo::exists(dir.filePath(QStringLiteral("h.h5"))));
    }

    void overwriteLeavesAProjectFolderAlone_data()
    {
        QTest::addColumn<QString>("store");
        QTest::addColumn<QString>("key");
        QTest::addColumn<QString>("message");
        QTest::newRow("bcolz") << QStringLiteral("carray") << QStringLiteral("rootdir")
                               << QStringLiteral("rootdir %1 exists and is not a bcolz rootdir; not removing it");
        QTest::newRow("zarr") << QStringLiteral("zarr") << QStringLiteral("path")
                              << QStringLiteral("%1 exists and is not a Zarr array (no .zarray); not removing it");
    }
    void overwriteLeavesAProjectFolderAlone()
    {
        QFETCH(QString, store);
        QFETCH(QString, key);
        QFETCH(QString, message);
        QTemporaryDir dir;
        const QString project = dir.filePath(QStringLiteral("thesis"));
        writeFile(project + QStringLiteral("/thesis.tex"), "\\documentclass{article}\n");
        writeFile(project + QStringLiteral("/data/measurements.csv"), "t,v\n0,1\n");
        writeFile(project + QStringLiteral("/meta/notes.txt"), "notes\n");
        // Names that look like Zarr chunks and bcolz chunks.
        writeFile(project + QStringLiteral("/0"), "figure 0");
        writeFile(project + QStringLiteral("/1.2"), "table 1.2");
        writeFile(project + QStringLiteral("/data/__0.blp"), "not a chunk");
        const QMap<QString, QByteArray> before = snapshot(project);

        const QByteArray json = QStringLiteral(R"({"chunkscope": 1, "arrays": {
            "c": {"store": "%1", "dtype": "<i4", "shape": [400], "chunks": [100], "%2": "thesis",
                  "overwrite": true, "fill": "arange"}}, "runs": []})")
                                    .arg(store, key)
                                    .toUtf8();
        QString error;
        QVERIFY(!parse(json, dir.path(), &error));
        QCOMPARE(error, QStringLiteral("s.json: /arrays/c/%1: ").arg(key) + message.arg(project));

        // The store refuses too, when asked directly.
        std::optional<Scenario> s = parse(QByteArray(json).replace("\"thesis\"", "\"new\""), dir.path(), &error);
        QVERIFY2(s, qPrintable(error));
        (key == QLatin1String("path") ? arrayOf(*s, QStringLiteral("c"))->optionsAs<ZarrOptions>().path
                                      : arrayOf(*s, QStringLiteral("c"))->optionsAs<CarrayOptions>().rootdir)
            = project;
        ArraySet arrays(*s);
        QCOMPARE(buildError(arrays, QStringLiteral("c")), QStringLiteral("array c: ") + message.arg(project));
        QCOMPARE(snapshot(project), before);
    }

    void overwriteStillReplacesRealArrays_data()
    {
        QTest::addColumn<QString>("store");
        QTest::addColumn<QString>("key");
        QTest::addColumn<QStringList>("arrayFiles");
        QTest::newRow("bcolz") << QStringLiteral("carray") << QStringLiteral("rootdir")
                               << QStringList{QStringLiteral("__attrs__"), QStringLiteral("data/__0.blp"),
                                              QStringLiteral("meta/sizes"), QStringLiteral("meta/storage")};
        QTest::newRow("zarr") << QStringLiteral("zarr") << QStringLiteral("path")
                              << QStringList{QStringLiteral(".zarray"), QStringLiteral("0")};
    }
    void overwriteStillReplacesRealArrays()
    {
        QFETCH(QString, store);
        QFETCH(QString, key);
        QFETCH(QStringList, arrayFiles);
        QTemporaryDir dir;
        const QString make = QStringLiteral(R"({"chunkscope": 1, "arrays": {
            "a": {"store": "memory", "dtype": "<i4", "shape": [%3], "chunks": [100], "fill": "arange"},
            "c": {"store": "%1", "like": "a", "%2": "arr", "overwrite": true, "fill": {"copy": "a"}}},
            "runs": [{"name": "check", "source": "c", "target": "a"}]})");
        QVERIFY(buildAll(make.arg(store, key, QStringLiteral("400")).toUtf8(), dir.path()));
        // A file of the user's beside the array's own survives the replacement.
        writeFile(dir.filePath(QStringLiteral("arr/README")), "mine");

        QString error;
        std::optional<Scenario> s = parse(make.arg(store, key, QStringLiteral("100")).toUtf8(), dir.path(), &error);
        QVERIFY2(s, qPrintable(error));
        ArraySet arrays(*s);
        const QList<RunResult> r = executeRun(s->runs.at(0), arrays);
        QCOMPARE(r.size(), 1);
        QCOMPARE(r[0].error, QString());
        QCOMPARE(r[0].verified, std::optional<bool>(true));
        QCOMPARE(r[0].source.shape, Coords::fromVector({100}));
        QStringList files = snapshot(dir.filePath(QStringLiteral("arr"))).keys();
        QVERIFY(files.removeOne(QStringLiteral("README")));
        QCOMPARE(files, arrayFiles);
    }

    void overwriteKeepsAFileThatIsNotHdf5()
    {
        QTemporaryDir dir;
        const QString file = dir.filePath(QStringLiteral("results.h5"));
        writeFile(file, "plain text, not HDF5\n");
        const QByteArray json = R"({"chunkscope": 1, "arrays": {
            "h": {"store": "hdf5", "dtype": "<i4", "shape": [400], "chunks": [100], "file": "results.h5",
                  "dataset": "d", "overwrite": true, "fill": "arange"}}, "runs": []})";
        QString error;
        QVERIFY(!parse(json, dir.path(), &error));
        QCOMPARE(error, QStringLiteral("s.json: /arrays/h/file: %1 is not an HDF5 file; not replacing it").arg(file));
        QFile f(file);
        QVERIFY(f.open(QIODevice::ReadOnly));
        QCOMPARE(f.readAll(), QByteArray("plain text, not HDF5\n"));
    }

    void existingDataMustExist_data()
    {
        QTest::addColumn<QString>("array");
        QTest::addColumn<QString>("key");
        QTest::newRow("zarr") << QStringLiteral(R"("store": "zarr", "path": "nope")") << QStringLiteral("path");
        QTest::newRow("hdf5") << QStringLiteral(R"("store": "hdf5", "file": "nope", "dataset": "d")")
                              << QStringLiteral("file");
        QTest::newRow("bcolz") << QStringLiteral(R"("store": "carray", "rootdir": "nope")")
                               << QStringLiteral("rootdir");
    }
    void existingDataMustExist()
    {
        QFETCH(QString, array);
        QFETCH(QString, key);
        QTemporaryDir dir;
        const QByteArray json
            = QStringLiteral(R"({"chunkscope": 1, "arrays": {"e": {%1, "fill": "existing"}}, "runs": []})")
                  .arg(array)
                  .toUtf8();
        QString error;
        QVERIFY(!parse(json, dir.path(), &error));
        QCOMPARE(error, QStringLiteral("s.json: /arrays/e/%1: %2/nope does not exist").arg(key, dir.path()));
    }

    void fifoFailsItsRunInBoundedTime_data()
    {
        QTest::addColumn<QString>("fifo"); // relative to the scenario's directory
        QTest::addColumn<QString>("source"); // the array that reads it
        QTest::addColumn<QString>("message"); // %1: the FIFO's absolute path
        const QString zarr = QStringLiteral(R"("store": "zarr", "path": "z.zarr")");
        const QString bcolz = QStringLiteral(R"("store": "carray", "rootdir": "c.bcolz")");
        QTest::newRow("zarr chunk") << QStringLiteral("z.zarr/2") << zarr
                                    << QStringLiteral("array src, chunk [2]: %1 is a FIFO, not a chunk file");
        QTest::newRow("zarr .zarray") << QStringLiteral("z.zarr/.zarray") << zarr
                                      << QStringLiteral("array src, .zarray: %1 is a FIFO, not a regular file");
        QTest::newRow("bcolz chunk") << QStringLiteral("c.bcolz/data/__1.blp") << bcolz
                                     << QStringLiteral("array src, chunk [1]: %1 is a FIFO, not a chunk file");
        QTest::newRow("bcolz meta") << QStringLiteral("c.bcolz/meta/sizes") << bcolz
                                    << QStringLiteral("array src: %1 is a FIFO, not a regular file");
        QTest::newRow("hdf5 file") << QStringLiteral("h.h5")
                                   << QStringLiteral(R"("store": "hdf5", "file": "h.h5", "dataset": "d")")
                                   << QStringLiteral("array src: %1 is a FIFO, not an HDF5 file");
    }
    void fifoFailsItsRunInBoundedTime()
    {
        QFETCH(QString, fifo);
        QFETCH(QString, source);
        QFETCH(QString, message);
        QTemporaryDir dir;
        const QString d = dir.path();
        QVERIFY(buildAll(R"({"chunkscope": 1, "arrays": {
            "a": {"store": "memory", "dtype": "<i4", "shape": [400], "chunks": [100], "fill": "arange"},
            "z": {"store": "zarr", "like": "a", "path": "z.zarr", "compressor": null, "fill": {"copy": "a"}},
            "c": {"store": "carray", "like": "a", "chunklen": 100, "rootdir": "c.bcolz", "fill": {"copy": "a"}},
            "h": {"store": "hdf5", "like": "a", "file": "h.h5", "dataset": "d", "fill": {"copy": "a"}}},
            "runs": []})",
                         d));
        const QByteArray fifoPath = QFile::encodeName(d + QLatin1Char('/') + fifo);
        QVERIFY(QFile::remove(QFile::decodeName(fifoPath)));
        QCOMPARE(::mkfifo(fifoPath.constData(), 0600), 0);

        const QByteArray json = QStringLiteral(R"({"chunkscope": 1, "arrays": {
            "a": {"store": "memory", "dtype": "<i4", "shape": [400], "chunks": [100], "fill": "arange"},
            "src": {%1, "fill": "existing"},
            "out": {"store": "memory", "like": "a", "fill": "empty"}},
            "runs": [{"name": "bad", "source": "src", "target": "out"},
                     {"name": "good", "source": "a", "target": "out"}]})")
                                    .arg(source)
                                    .toUtf8();
        QString error;
        const std::optional<Scenario> s = parse(json, d, &error);
        QVERIFY2(s, qPrintable(error));

        // The runs go on a thread of their own, so that a read that blocks can be freed: a writer
        // opening the FIFO ends the reader's wait.
        std::atomic<bool> done{false};
        QList<RunResult> results;
        std::thread runner([&] {
            ArraySet arrays(*s);
            for (const RunSpec &run : s->runs)
                results += executeRun(run, arrays);
            done = true;
        });
        QElapsedTimer clock;
        clock.start();
        while (!done && clock.elapsed() < 10000)
            QThread::msleep(10);
        const qint64 waited = clock.elapsed();
        while (!done) {
            const int fd = ::open(fifoPath.constData(), O_WRONLY | O_NONBLOCK | O_CLOEXEC);
            if (fd >= 0)
                ::close(fd);
            QThread::msleep(10);
        }
        runner.join();
        QVERIFY2(waited < 10000, "the run blocked on the FIFO");

        QCOMPARE(results.size(), 2);
        QCOMPARE(statusName(results[0].status), QStringLiteral("failed"));
        QCOMPARE(results[0].error, message.arg(QFile::decodeName(fifoPath)));
        QCOMPARE(results[1].error, QString());
        QCOMPARE(results[1].verified, std::optional<bool>(true));
    }

    // Mounting must be ready before any thread starts (a mount namespace of the process's own is
    // entered only while it has one thread).
    void initTestCase()
    {
        QVERIFY(m_probe.isValid());
        m_cannotMount = reliability::prepareToMount(m_probe.path());
    }

    void bindMountAliasIsTheSameLocation_data()
    {
        QTest::addColumn<QString>("store");
        QTest::addColumn<QString>("key");
        QTest::addColumn<QString>("chunking");
        QTest::newRow("zarr") << QStringLiteral("zarr") << QStringLiteral("path")
                              << QStringLiteral(R"("chunks": [100])");
        QTest::newRow("bcolz") << QStringLiteral("carray") << QStringLiteral("rootdir")
                               << QStringLiteral(R"("chunklen": 100)");
    }
    void bindMountAliasIsTheSameLocation()
    {
        QFETCH(QString, store);
        QFETCH(QString, key);
        QFETCH(QString, chunking);
        if (!m_cannotMount.isEmpty())
            QSKIP(qPrintable(m_cannotMount));
        QTemporaryDir dir;
        const QString d = dir.path();
        QVERIFY(QDir(d).mkpath(QStringLiteral("data")));
        QVERIFY(QDir(d).mkpath(QStringLiteral("alias")));
        const QString like = QStringLiteral(R"("dtype": "<i4", "shape": [400], )") + chunking;
        const QString arrays = QStringLiteral(R"({"chunkscope": 1, "arrays": {
            "a": {"store": "memory", "dtype": "<i4", "shape": [400], "chunks": [100], "fill": "arange"},
            "src": {"store": "%1", "like": "a", "%2": "data/src", "fill": {"copy": "a"}}}, "runs": []})");
        QVERIFY(buildAll(arrays.arg(store, key).toUtf8(), d));
        const QMap<QString, QByteArray> before = snapshot(d + QStringLiteral("/data/src"));
        QVERIFY(before.size() >= 5);
        const BindMount mount(d + QStringLiteral("/data"), d + QStringLiteral("/alias"));
        QVERIFY2(mount.isMounted(), qPrintable(mount.error()));
        QCOMPARE(snapshot(d + QStringLiteral("/alias/src")), before);

        const QString copy = QStringLiteral(R"({"chunkscope": 1, "arrays": {
            "src": {"store": "%1", "%2": "data/src", "fill": "existing"},
            "tgt": {"store": "%1", %3, "%2": "%4", "overwrite": true, "fill": "empty"}},
            "runs": [{"name": "r", "source": "src", "target": "tgt"}]})");
        QString error;
        QVERIFY(!parse(copy.arg(store, key, like, QStringLiteral("alias/src")).toUtf8(), d, &error));
        QCOMPARE(error, QStringLiteral("s.json: /arrays/tgt/%1: the same location as /arrays/src").arg(key));
        QVERIFY(!parse(copy.arg(store, key, like, QStringLiteral("alias/src/inner")).toUtf8(), d, &error));
        QCOMPARE(error, QStringLiteral("s.json: /arrays/tgt/%1: inside the location of /arrays/src").arg(key));
        QVERIFY(!parse(copy.arg(store, key, like, QStringLiteral("alias")).toUtf8(), d, &error));
        QCOMPARE(error, QStringLiteral("s.json: /arrays/tgt/%1: holds the location of /arrays/src").arg(key));
        QCOMPARE(snapshot(d + QStringLiteral("/data/src")), before);

        // A name through the mount that is not the source's is still free.
        QVERIFY2(parse(copy.arg(store, key, like, QStringLiteral("alias/other")).toUtf8(), d, &error),
                 qPrintable(error));
    }

    void hardLinkedHdf5FileIsOneFile()
    {
        QTemporaryDir dir;
        const QString d = dir.path();
        QVERIFY(makeHdf5(d, QStringLiteral("a.h5"), QStringLiteral("x")));
        QCOMPARE(::link(QFile::encodeName(d + QStringLiteral("/a.h5")).constData(),
                        QFile::encodeName(d + QStringLiteral("/b.h5")).constData()),
                 0);
        const QByteArray before = fileBytes(d + QStringLiteral("/a.h5"));
        QVERIFY(!before.isEmpty());
        const QString copy = QStringLiteral(R"({"chunkscope": 1, "arrays": {
            "src": {"store": "hdf5", "file": "a.h5", "dataset": "x", "fill": "existing"},
            "tgt": {"store": "hdf5", "file": "b.h5", "dataset": "%1", "dtype": "<i4", "shape": [400],
                    "chunks": [100], "overwrite": true, "fill": "zeros"}},
            "runs": [{"name": "r", "source": "src", "target": "tgt"}]})");
        QString error;
        QVERIFY(!parse(copy.arg(QStringLiteral("x")).toUtf8(), d, &error));
        QCOMPARE(error, QStringLiteral("s.json: /arrays/tgt/file: the same location as /arrays/src"));
        QCOMPARE(fileBytes(d + QStringLiteral("/a.h5")), before);
        // Another dataset of the same file is not the source.
        QVERIFY2(parse(copy.arg(QStringLiteral("y")).toUtf8(), d, &error), qPrintable(error));
    }

    void hdf5SoftLinkIsTheSameDataset_data()
    {
        QTest::addColumn<QString>("target");
        QTest::addColumn<QString>("message");
        const QString same = QStringLiteral("s.json: /arrays/tgt/file: the same location as /arrays/src");
        QTest::newRow("through a linked group") << QStringLiteral("lg/x") << same;
        QTest::newRow("a link to the dataset") << QStringLiteral("lx") << same;
        QTest::newRow("inside it through the link")
            << QStringLiteral("lx/y") << QStringLiteral("s.json: /arrays/tgt/file: inside the location of /arrays/src");
    }
    void hdf5SoftLinkIsTheSameDataset()
    {
        QFETCH(QString, target);
        QFETCH(QString, message);
        QTemporaryDir dir;
        const QString d = dir.path();
        const QString file = d + QStringLiteral("/f.h5");
        QVERIFY(makeHdf5(d, QStringLiteral("f.h5"), QStringLiteral("grp/x")));
        {
            const Hdf5Handle f{H5Fopen(QFile::encodeName(file).constData(), H5F_ACC_RDWR, H5P_DEFAULT), H5Fclose};
            QVERIFY(f.id >= 0);
            QVERIFY(H5Lcreate_soft("/grp", f.id, "lg", H5P_DEFAULT, H5P_DEFAULT) >= 0);
            QVERIFY(H5Lcreate_soft("/grp/x", f.id, "lx", H5P_DEFAULT, H5P_DEFAULT) >= 0);
        }
        const QByteArray before = fileBytes(file);
        const QString copy = QStringLiteral(R"({"chunkscope": 1, "arrays": {
            "src": {"store": "hdf5", "file": "f.h5", "dataset": "grp/x", "fill": "existing"},
            "tgt": {"store": "hdf5", "file": "f.h5", "dataset": "%1", "dtype": "<i4", "shape": [400],
                    "chunks": [100], "overwrite": true, "fill": "zeros"}},
            "runs": [{"name": "r", "source": "src", "target": "tgt"}]})");
        QString error;
        QVERIFY(!parse(copy.arg(target).toUtf8(), d, &error));
        QCOMPARE(error, message);
        QCOMPARE(fileBytes(file), before);
        // A new dataset beside the source, through the same link, is another place.
        QVERIFY2(parse(copy.arg(QStringLiteral("lg/y")).toUtf8(), d, &error), qPrintable(error));
    }

    void overwriteNeverRemovesAGroup_data()
    {
        QTest::addColumn<QString>("dataset");
        QTest::newRow("the group") << QStringLiteral("run1");
        QTest::newRow("with slashes") << QStringLiteral("run1//");
        QTest::newRow("the root group") << QStringLiteral("/");
    }
    void overwriteNeverRemovesAGroup()
    {
        QFETCH(QString, dataset);
        QTemporaryDir dir;
        const QString d = dir.path();
        const QString file = d + QStringLiteral("/lab.h5");
        QVERIFY(makeHdf5(d, QStringLiteral("lab.h5"), QStringLiteral("run1/raw")));
        QVERIFY(makeHdf5(d, QStringLiteral("lab.h5"), QStringLiteral("run1/calib")));
        const QByteArray before = fileBytes(file);
        const QString json = QStringLiteral(R"({"chunkscope": 1, "arrays": {
            "t": {"store": "hdf5", "file": "lab.h5", "dataset": "%1", "dtype": "<i4", "shape": [400],
                  "chunks": [100], "overwrite": true, "fill": "zeros"}}, "runs": []})");
        QString error;
        QVERIFY(!parse(json.arg(dataset).toUtf8(), d, &error));
        const QString where = dataset == QLatin1String("/") ? QStringLiteral("/") : QStringLiteral("/run1");
        QCOMPARE(error,
                 QStringLiteral("s.json: /arrays/t/dataset: %1:%2 is a group, not a dataset; not removing it")
                     .arg(file, where));
        QCOMPARE(fileBytes(file), before);

        // A group made after the check is refused by the store itself.
        QTemporaryDir later;
        QVERIFY(makeHdf5(later.path(), QStringLiteral("lab.h5"), QStringLiteral("other")));
        const std::optional<Scenario> s = parse(json.arg(QStringLiteral("run1")).toUtf8(), later.path(), &error);
        QVERIFY2(s, qPrintable(error));
        QVERIFY(makeHdf5(later.path(), QStringLiteral("lab.h5"), QStringLiteral("run1/raw")));
        const QByteArray made = fileBytes(later.filePath(QStringLiteral("lab.h5")));
        ArraySet arrays(*s);
        QCOMPARE(buildError(arrays, QStringLiteral("t")),
                 QStringLiteral("array t: %1:/run1 is a group, not a dataset; not removing it")
                     .arg(later.filePath(QStringLiteral("lab.h5"))));
        // And by the store itself, for whoever creates one without the scenario.
        QString storeError;
        try {
            createStore(s->arrays.front());
        } catch (const StoreError &e) {
            storeError = e.message();
        }
        QCOMPARE(storeError,
                 QStringLiteral("array t: %1:/run1 is a group, not a dataset; not removing it")
                     .arg(later.filePath(QStringLiteral("lab.h5"))));
        QCOMPARE(fileBytes(later.filePath(QStringLiteral("lab.h5"))), made);
    }

    void virtualDatasetIsNeverWrittenThrough()
    {
        QTemporaryDir dir;
        const QString d = dir.path();
        QVERIFY(makeHdf5(d, QStringLiteral("vs.h5"), QStringLiteral("x")));
        {
            const hsize_t dims[1] = {400};
            const Hdf5Handle space{H5Screate_simple(1, dims, nullptr), H5Sclose};
            const Hdf5Handle dcpl{H5Pcreate(H5P_DATASET_CREATE), H5Pclose};
            QVERIFY(space.id >= 0 && dcpl.id >= 0);
            QVERIFY(H5Pset_virtual(dcpl.id, space.id, "vs.h5", "/x", space.id) >= 0);
            const Hdf5Handle f{H5Fcreate(QFile::encodeName(d + QStringLiteral("/vv.h5")).constData(), H5F_ACC_EXCL,
                                         H5P_DEFAULT, H5P_DEFAULT),
                               H5Fclose};
            QVERIFY(f.id >= 0);
            const Hdf5Handle v{H5Dcreate2(f.id, "v", H5T_STD_I32LE, space.id, H5P_DEFAULT, dcpl.id, H5P_DEFAULT),
                               H5Dclose};
            QVERIFY(v.id >= 0);
        }
        const QByteArray before = fileBytes(d + QStringLiteral("/vs.h5"));
        const QByteArray json = R"({"chunkscope": 1, "arrays": {
            "z": {"store": "memory", "dtype": "<i4", "shape": [400], "chunks": [100], "fill": "zeros"},
            "v": {"store": "hdf5", "file": "vv.h5", "dataset": "v", "fill": "existing"}},
            "runs": [{"name": "r", "source": "z", "target": "v"}]})";
        QString error;
        QVERIFY(!parse(json, d, &error));
        QCOMPARE(error,
                 QStringLiteral("s.json: /arrays/v/dataset: %1/vv.h5:/v is a virtual dataset; Chunkscope does not "
                                "write through virtual datasets")
                     .arg(d));
        QCOMPARE(fileBytes(d + QStringLiteral("/vs.h5")), before);

        // Reading it stays allowed; a run into it added after the check is refused when it is built.
        const QByteArray noRuns = QByteArray(json).replace(R"({"name": "r", "source": "z", "target": "v"})", "");
        std::optional<Scenario> reading = parse(noRuns, d, &error);
        QVERIFY2(reading, qPrintable(error));
        QVERIFY(reading->runs.isEmpty());
        RunSpec into;
        into.name = QStringLiteral("into");
        into.source = QStringLiteral("z");
        into.target = QStringLiteral("v");
        reading->runs.push_back(into);
        ArraySet arrays(*reading);
        QCOMPARE(buildError(arrays, QStringLiteral("v")),
                 QStringLiteral("array v: %1/vv.h5:/v is a virtual dataset; Chunkscope does not write through "
                                "virtual datasets")
                     .arg(d));
        QCOMPARE(fileBytes(d + QStringLiteral("/vs.h5")), before);
    }

private:
    QTemporaryDir m_probe;
    QString m_cannotMount;
};

QTEST_GUILESS_MAIN(TestDataSafety)
#include "tst_datasafety.moc"
