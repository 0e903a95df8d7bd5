#include "outputdirs.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>

#include <cerrno>
#include <cstring>
#include <sys/stat.h>
#include <unistd.h>

namespace cs {

bool OutputDirectories::make(const QString &dir, QString *error)
{
    QStringList missing; // deepest first
    for (QString path = QDir::cleanPath(QDir(dir).absolutePath()); !QFileInfo::exists(path);
         path = QFileInfo(path).path())
        missing.prepend(path);
    for (const QString &path : std::as_const(missing)) {
        if (::mkdir(QFile::encodeName(path).constData(), 0777) == 0) {
            m_created.append(path);
        } else if (errno != EEXIST) {
            const QString reason = QString::fromLocal8Bit(std::strerror(errno));
            *error = QStringLiteral("%1: cannot create the directory: %2").arg(dir, reason);
            return false;
        }
    }
    if (!QFileInfo(dir).isDir()) {
        *error = QStringLiteral("%1: cannot create the directory: %2")
                     .arg(dir, QString::fromLocal8Bit(std::strerror(ENOTDIR)));
        return false;
    }
    return true;
}

void OutputDirectories::removeEmpty()
{
    // rmdir removes only an empty directory: whatever was written into one keeps it.
    for (auto it = m_created.crbegin(); it != m_created.crend(); ++it)
        ::rmdir(QFile::encodeName(*it).constData());
    m_created.clear();
}

} // namespace cs
