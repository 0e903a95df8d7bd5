#include "storedirectory.h"

#include "atomicfile.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>

#include <cerrno>
#include <csignal>
#include <unistd.h>

namespace cs {

std::optional<QString> findDirectoryLink(const QString &root, bool recursive)
{
    const QFileInfoList entries
        = QDir(root).entryInfoList(QDir::AllEntries | QDir::Hidden | QDir::System | QDir::NoDotAndDotDot);
    for (const QFileInfo &e : entries) {
        if (e.isSymLink()) {
            if (e.isDir())
                return e.filePath();
            continue;
        }
        if (recursive && e.isDir())
            if (std::optional<QString> found = findDirectoryLink(e.filePath(), true))
                return found;
    }
    return std::nullopt;
}

QString directoryLinkRefusal(const QString &path)
{
    return QStringLiteral("%1 is a symbolic link to a directory; not writing through it").arg(path);
}

int removeStaleTemporaries(const QString &dir, bool recursive)
{
    int removed = 0;
    const QDir d(dir);
    const QFileInfoList entries
        = d.entryInfoList(QDir::AllEntries | QDir::Hidden | QDir::System | QDir::NoDotAndDotDot);
    for (const QFileInfo &e : entries) {
        if (e.isSymLink())
            continue;
        if (e.isDir()) {
            if (recursive)
                removed += removeStaleTemporaries(e.filePath(), true);
            continue;
        }
        const std::optional<TemporaryWriter> writer = temporaryWriterOf(e.fileName());
        if (!writer || !e.isFile())
            continue;
        // On a file system that several hosts share (the ranks of an MPI job), another host's process
        // ids say nothing here: its writer may be alive.
        if (!writer->host.isEmpty() && writer->host != temporaryHostName())
            continue;
        const pid_t pid = pid_t(writer->pid);
        if (pid <= 0 || pid == ::getpid() || ::kill(pid, 0) == 0 || errno != ESRCH)
            continue;
        if (::unlink(QFile::encodeName(e.filePath()).constData()) == 0)
            ++removed;
    }
    return removed;
}

} // namespace cs
