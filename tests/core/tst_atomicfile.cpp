// Replacing a file through a temporary file: what the replaced file looks like afterwards (bytes,
// permission bits, a symbolic link still a link), and that a write that cannot finish names the file
// and its reason, keeps the old bytes and leaves no temporary file. The Zarr directory store writes
// its metadata the same way. Full disks are tst_fullDisk's part.
#include "io/atomicfile.h"
#include "kv/directorykeyvalue.h"
#include "stores/store.h"
#include "testfiles.h"

#include <QDir>
#include <QFile>
#include <QTemporaryDir>
#include <QTest>

#include <sys/stat.h>

using namespace cs;

namespace {

mode_t modeOf(const QString &path)
{
    struct stat st;
    return ::lstat(QFile::encodeName(path).constData(), &st) == 0 ? st.st_mode & 07777 : 0;
}

QStringList entries(const QString &dir)
{
    return QDir(dir).entryList(QDir::AllEntries | QDir::Hidden | QDir::System | QDir::NoDotAndDotDot, QDir::Name);
}

} // namespace

class TestAtomicFile : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void newFileHasTheUsualMode()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("out.json"));
        const mode_t mask = ::umask(022);
        QString error;
        const bool ok = replaceFile(path, "new\n", &error);
        ::umask(mask);
        QVERIFY2(ok, qPrintable(error));
        QCOMPARE(readAll(path), QByteArray("new\n"));
        QCOMPARE(modeOf(path), mode_t(0644));
        QCOMPARE(entries(dir.path()), QStringList{QStringLiteral("out.json")});
    }

    void replacedFileKeepsItsMode()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("out.json"));
        QVERIFY(writeAll(path, "old\n"));
        QVERIFY(::chmod(QFile::encodeName(path).constData(), 0640) == 0);
        QString error;
        QVERIFY2(replaceFile(path, "new\n", &error), qPrintable(error));
        QCOMPARE(readAll(path), QByteArray("new\n"));
        QCOMPARE(modeOf(path), mode_t(0640));
    }

    // The Zarr store's metadata goes through the same core: a .zarray made private stays private.
    void zarrMetadataKeepsItsMode()
    {
        QTemporaryDir dir;
        const QString zarray = dir.filePath(QStringLiteral(".zarray"));
        QVERIFY(writeAll(zarray, "{}"));
        QVERIFY(::chmod(QFile::encodeName(zarray).constData(), 0600) == 0);
        DirectoryKeyValue backend(dir.path(), false);
        backend.set(KvKey(QByteArrayLiteral(".zarray")), QByteArray("{\"zarr_format\": 2}"));
        QCOMPARE(readAll(zarray), QByteArray("{\"zarr_format\": 2}"));
        QCOMPARE(modeOf(zarray), mode_t(0600));
        QCOMPARE(entries(dir.path()), QStringList{QStringLiteral(".zarray")});
    }

    // A link stays a link: the file it points to gets the bytes.
    void symbolicLinkIsFollowed()
    {
        QTemporaryDir dir;
        const QString real = dir.filePath(QStringLiteral("real.json"));
        const QString link = dir.filePath(QStringLiteral("link.json"));
        QVERIFY(writeAll(real, "old\n"));
        QVERIFY(QFile::link(QStringLiteral("real.json"), link));
        QString error;
        QVERIFY2(replaceFile(link, "new\n", &error), qPrintable(error));
        QCOMPARE(QFileInfo(link).symLinkTarget(), real);
        QCOMPARE(readAll(real), QByteArray("new\n"));
        QCOMPARE(entries(dir.path()), (QStringList{QStringLiteral("link.json"), QStringLiteral("real.json")}));
    }

    void failedWriteKeepsTheOldFile_data()
    {
        QTest::addColumn<QString>("target"); // relative to a fresh directory
        QTest::addColumn<QString>("reason");
        QTest::addRow("missing directory") << "missing/out.json"
                                           << "No such file or directory";
        // The rename is the step that fails: the bytes were written, and must go again.
        QTest::addRow("a directory in the way") << "busy"
                                                << "Is a directory";
    }
    void failedWriteKeepsTheOldFile()
    {
        QFETCH(QString, target);
        QFETCH(QString, reason);
        QTemporaryDir dir;
        QVERIFY(QDir(dir.path()).mkpath(QStringLiteral("busy/inside")));
        const QStringList before = entries(dir.path());
        const QString path = dir.filePath(target);
        QString error;
        QVERIFY(!replaceFile(path, QByteArray(10000, 'x'), &error));
        QCOMPARE(error, QStringLiteral("%1: cannot write: %2").arg(path, reason));
        QCOMPARE(entries(dir.path()), before);
        QCOMPARE(entries(dir.filePath(QStringLiteral("busy"))), QStringList{QStringLiteral("inside")});
    }

    // A FIFO (as a device node would) stays what it is, also when reached through a link.
    void nonRegularTargetIsNeverReplaced_data()
    {
        QTest::addColumn<QString>("name");
        QTest::newRow("the FIFO") << QStringLiteral("fifo");
        QTest::newRow("a link to it") << QStringLiteral("link");
    }
    void nonRegularTargetIsNeverReplaced()
    {
        QFETCH(QString, name);
        QTemporaryDir dir;
        const QString fifo = dir.filePath(QStringLiteral("fifo"));
        QCOMPARE(::mkfifo(QFile::encodeName(fifo).constData(), 0644), 0);
        QVERIFY(QFile::link(fifo, dir.filePath(QStringLiteral("link"))));
        QString error;
        QVERIFY(!replaceFile(dir.filePath(name), "new\n", &error));
        QCOMPARE(error, dir.filePath(name) + QStringLiteral(": cannot write: not a regular file"));
        struct stat st;
        QCOMPARE(::lstat(QFile::encodeName(fifo).constData(), &st), 0);
        QVERIFY(S_ISFIFO(st.st_mode));
        QCOMPARE(entries(dir.path()), (QStringList{QStringLiteral("fifo"), QStringLiteral("link")}));
    }
};

QTEST_GUILESS_MAIN(TestAtomicFile)
#include "tst_atomicfile.moc"
