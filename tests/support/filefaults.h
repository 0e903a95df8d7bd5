#pragma once

// Faults a test puts into files: a file that cannot be deleted, the id of a process that is gone.

#include <QFile>
#include <QString>

#include <fcntl.h>
#include <linux/fs.h>
#include <sys/ioctl.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

// Sets or clears the immutable attribute, so that deleting the file fails midway through a removal;
// false where the file system or the privileges do not allow it.
inline bool setImmutable(const QString &path, bool on)
{
    const int fd = ::open(QFile::encodeName(path).constData(), O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return false;
    int flags = 0;
    bool ok = ::ioctl(fd, FS_IOC_GETFLAGS, &flags) == 0;
    flags = on ? flags | FS_IMMUTABLE_FL : flags & ~FS_IMMUTABLE_FL;
    ok = ok && ::ioctl(fd, FS_IOC_SETFLAGS, &flags) == 0;
    ::close(fd);
    return ok;
}

// The id of a process that has exited and been reaped.
inline pid_t deadPid()
{
    const pid_t pid = ::fork();
    if (pid == 0)
        ::_exit(0);
    ::waitpid(pid, nullptr, 0);
    return pid;
}

// A host name that is not this host's, as temporary file names carry it (io/atomicfile.h): a writer
// there may be alive whatever process ids this host has.
inline QString anotherHost(const QString &thisHost)
{
    return thisHost == QLatin1String("node-elsewhere") ? QStringLiteral("node-elsewhere-2")
                                                       : QStringLiteral("node-elsewhere");
}
