#include "storedirectory.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QRegularExpression>

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
    // The name replaceFileContents gives: ".NAME.PID.SEQ.partial".
    static const QRegularExpression temporary(QStringLiteral("^\\..+\\.([0-9]{1,9})\\.[0-9]+\\.partial$"));
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
        const QRegularExpressionMatch m = temporary.match(e.fileName());
        if (!m.hasMatch() || !e.isFile())
            continue;
        const pid_t pid = pid_t(m.captured(1).toInt());
        if (pid <= 0 || pid == ::getpid() || ::kill(pid, 0) == 0 || errno != ESRCH)
            continue;
        if (::unlink(QFile::encodeName(e.filePath()).constData()) == 0)
            ++removed;
    }
    return removed;
}

} // namespace cs
