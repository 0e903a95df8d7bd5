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
#include <QRegularExpression>
#include <QSysInfo>
#include <QTemporaryDir>
#include <QTest>

#include <sys/inotify.h>
#include <sys/stat.h>
#include <unistd.h>

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

// The names of the files created in `dir` while `write` ran, in order, as inotify saw them: the
// temporary files are renamed away before the write returns.
template <class Write> QStringList createdDuring(const QString &dir, Write write)
{
    const int fd = ::inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
    if (fd < 0 || ::inotify_add_watch(fd, QFile::encodeName(dir).constData(), IN_CREATE) < 0)
        return {QStringLiteral("(no inotify)")};
    write();
    QStringList names;
    alignas(inotify_event) char buf[16384];
    for (ssize_t n; (n = ::read(fd, buf, sizeof buf)) > 0;) {
        for (ssize_t at = 0; at < n;) {
            const auto *e = reinterpret_cast<const inotify_event *>(buf + at);
            if (e->len > 0)
                names.append(QFile::decodeName(e->name));
            at += ssize_t(sizeof(inotify_event) + e->len);
        }
    }
    ::close(fd);
    return names;
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

    // The temporary file names the process and its host, so that on a file system several hosts
    // share, only the host that wrote it judges whether its writer is alive. A name of NAME_MAX bytes
    // still leaves room for both.
    void temporaryNameNamesProcessAndHost_data()
    {
        QTest::addColumn<QString>("target");
        QTest::addColumn<QString>("nameInTemp");
        QTest::newRow("a chunk") << QStringLiteral("0.0") << QStringLiteral("0.0");
        QTest::newRow("255 bytes") << QString(255, QLatin1Char('n')) << QString(140, QLatin1Char('n'));
    }
    void temporaryNameNamesProcessAndHost()
    {
        QFETCH(QString, target);
        QFETCH(QString, nameInTemp);
        // gethostname() is what QSysInfo reads; every byte outside [A-Za-z0-9-] becomes '-'.
        QString host = QSysInfo::machineHostName().left(64);
        host.replace(QRegularExpression(QStringLiteral("[^A-Za-z0-9-]")), QStringLiteral("-"));
        QCOMPARE(temporaryHostName(), host);
        QTemporaryDir dir;
        QString error;
        bool ok = false;
        const QStringList created
            = createdDuring(dir.path(), [&] { ok = replaceFile(dir.filePath(target), "chunk", &error); });
        QVERIFY2(ok, qPrintable(error));
        QCOMPARE(created.size(), qsizetype(1));
        const QString prefix = QStringLiteral(".%1.%2@%3.").arg(nameInTemp).arg(::getpid()).arg(host);
        QVERIFY2(created.front().startsWith(prefix), qPrintable(created.front()));
        QVERIFY2(QRegularExpression(QStringLiteral("^[0-9]+\\.partial$"))
                     .match(created.front().mid(prefix.size()))
                     .hasMatch(),
                 qPrintable(created.front()));
        const std::optional<TemporaryWriter> writer = temporaryWriterOf(created.front());
        QVERIFY(writer);
        QCOMPARE(writer->pid, (long long)::getpid());
        QCOMPARE(writer->host, host);
        QCOMPARE(entries(dir.path()), QStringList{target});
    }

    // Names of both forms, the older without a host, and names that are no temporary file's.
    void temporaryWriterOfReadsBothForms_data()
    {
        QTest::addColumn<QString>("name");
        QTest::addColumn<long long>("pid"); // 0: not a temporary file's name
        QTest::addColumn<QString>("host");
        QTest::newRow("with host") << ".0.0.4242@node-7.3.partial" << 4242LL << "node-7";
        QTest::newRow("digits for a host") << ".c.0.0.4242@123.0.partial" << 4242LL << "123";
        QTest::newRow("older form, dotted name") << ".0.0.4242.3.partial" << 4242LL << "";
        QTest::newRow("older form, bcolz chunk") << ".__3.blp.17.0.partial" << 17LL << "";
        QTest::newRow("an @ in an older name") << ".a@b.17.0.partial" << 17LL << "";
        QTest::newRow("host of 65 bytes")
            << QStringLiteral(".0.17@%1.0.partial").arg(QString(65, QLatin1Char('h'))) << 0LL << "";
        // A host holds no dot: read as the older form, whose name is "0.17@node".
        QTest::newRow("a dot in the host") << ".0.17@node.7.0.partial" << 7LL << "";
        QTest::newRow("no counter") << ".0.17@node.partial" << 0LL << "";
        QTest::newRow("not hidden") << "0.17@node.0.partial" << 0LL << "";
        QTest::newRow("a user's file") << ".notes.partial" << 0LL << "";
    }
    void temporaryWriterOfReadsBothForms()
    {
        QFETCH(QString, name);
        QFETCH(long long, pid);
        QFETCH(QString, host);
        const std::optional<TemporaryWriter> writer = temporaryWriterOf(name);
        QCOMPARE(writer.has_value(), pid != 0);
        if (writer) {
            QCOMPARE(writer->pid, pid);
            QCOMPARE(writer->host, host);
        }
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
