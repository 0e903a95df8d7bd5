#pragma once

#include "processprobe.h"

#include <QByteArray>
#include <QFile>
#include <QString>
#include <QTemporaryDir>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <sched.h>
#include <sys/mount.h>
#include <sys/statvfs.h>
#include <unistd.h>

// A disk that really fills up: a tmpfs of its own, mounted by the test, where a write past the free
// space fails with ENOSPC in write(2) itself, for root too. The stores write to it through their
// ordinary code; nothing is mocked.
namespace reliability {

namespace smalldisk_detail {

inline QString errnoText(int error)
{
    return QString::fromLocal8Bit(std::strerror(error));
}

inline bool writeProcFile(const char *path, const QByteArray &text)
{
    const int fd = ::open(path, O_WRONLY | O_CLOEXEC);
    if (fd < 0)
        return false;
    const bool ok = ::write(fd, text.constData(), size_t(text.size())) == ssize_t(text.size());
    const int error = errno;
    ::close(fd);
    errno = error;
    return ok;
}

// Mounts and unmounts a tmpfs of one page at `dir`: the question is only whether mount(2) works here.
inline int probeMount(const QByteArray &dir)
{
    if (::mount("tmpfs", dir.constData(), "tmpfs", MS_NOSUID | MS_NODEV, "size=4k") != 0)
        return errno;
    ::umount2(dir.constData(), MNT_DETACH);
    return 0;
}

} // namespace smalldisk_detail

// Whether this process can mount a tmpfs, trying a mount namespace of its own when the one it is in
// refuses (a container without CAP_SYS_ADMIN there, for example): first one owned by its current user
// namespace, then a user namespace of its own with a mount namespace inside. Call it before any
// thread starts: unshare(2) moves only the calling thread into a new mount namespace (threads it
// starts later follow it), and refuses a user namespace to a process of more than one thread. Mounts
// are made private first, so that nothing reaches the parent namespace. Returns an empty string
// when mounting works, else why it does not.
inline QString prepareToMount(const QString &probeDir)
{
    using namespace smalldisk_detail;
    const QByteArray dir = QFile::encodeName(probeDir);
    const int first = probeMount(dir);
    if (first == 0)
        return {};
    const QString refused = QStringLiteral("mount(2) of a tmpfs failed (%1)").arg(errnoText(first));
    if (first != EPERM && first != EACCES)
        return refused;
    auto inNewNamespace = [&]() -> int {
        if (::mount(nullptr, "/", nullptr, MS_REC | MS_PRIVATE, nullptr) != 0)
            return errno;
        return probeMount(dir);
    };
    if (::unshare(CLONE_NEWNS) == 0) {
        const int error = inNewNamespace();
        return error == 0
            ? QString()
            : refused + QStringLiteral("; in a mount namespace of its own too (%1)").arg(errnoText(error));
    }
    const int unshareError = errno;
    const QString noMountNamespace
        = refused + QStringLiteral("; unshare(2) of a mount namespace failed (%1)").arg(errnoText(unshareError));
    if (threadCount() != 1)
        return noMountNamespace + QStringLiteral(", and the process has threads, so it cannot have a user namespace");
    const uid_t uid = ::geteuid();
    const gid_t gid = ::getegid();
    if (::unshare(CLONE_NEWUSER | CLONE_NEWNS) != 0)
        return noMountNamespace + QStringLiteral(", and of a user namespace too (%1)").arg(errnoText(errno));
    // Root inside is this user outside, so that what the tests create keeps its owner.
    if (!writeProcFile("/proc/self/setgroups", "deny")
        || !writeProcFile("/proc/self/uid_map", "0 " + QByteArray::number(uid) + " 1")
        || !writeProcFile("/proc/self/gid_map", "0 " + QByteArray::number(gid) + " 1"))
        return noMountNamespace
            + QStringLiteral(", and ids cannot be mapped in a user namespace (%1)").arg(errnoText(errno));
    const int error = inNewNamespace();
    return error == 0 ? QString()
                      : noMountNamespace
            + QStringLiteral(", and in a user namespace of its own it failed too (%1)").arg(errnoText(error));
}

// Why this process cannot mount a tmpfs, empty when it can; set by checkMountingAtStart().
inline QString &cannotMount()
{
    static QString why;
    return why;
}

// For a test's initMain(), which QtTest calls before anything else, while the process has one thread
// (its watchdog starts later): a namespace to mount in, if one is needed, can only be entered then.
inline void checkMountingAtStart()
{
    QTemporaryDir probe;
    cannotMount() = probe.isValid() ? prepareToMount(probe.path()) : QStringLiteral("no temporary directory");
}

class SmallDisk {
public:
    // Mounts a tmpfs of `bytes` (rounded up to pages) at the directory `dir`, which must exist.
    SmallDisk(const QString &dir, qint64 bytes)
        : m_dir(dir)
        , m_native(QFile::encodeName(dir))
    {
        const QByteArray options = "size=" + QByteArray::number(bytes) + ",mode=0755";
        if (::mount("tmpfs", m_native.constData(), "tmpfs", MS_NOSUID | MS_NODEV, options.constData()) == 0)
            m_mounted = true;
        else
            m_error = QStringLiteral("cannot mount a tmpfs at %1: %2").arg(dir, smalldisk_detail::errnoText(errno));
    }
    ~SmallDisk()
    {
        // Lazily, should a file on it still be open: the directory is gone from view at once.
        if (m_mounted && ::umount2(m_native.constData(), 0) != 0)
            ::umount2(m_native.constData(), MNT_DETACH);
    }
    SmallDisk(const SmallDisk &) = delete;
    SmallDisk &operator=(const SmallDisk &) = delete;

    bool isMounted() const { return m_mounted; }
    QString error() const { return m_error; }
    QString path() const { return m_dir; }

    qint64 freeBytes() const
    {
        struct statvfs st;
        if (::statvfs(m_native.constData(), &st) != 0)
            return -1;
        return qint64(st.f_bavail) * qint64(st.f_frsize);
    }

    // Writes a ballast file that leaves exactly `bytes` (a multiple of the page size) free; false if
    // the disk has less than that already.
    bool leaveFree(qint64 bytes)
    {
        const qint64 ballast = freeBytes() - bytes;
        if (ballast < 0)
            return false;
        QFile f(ballastPath());
        if (!f.open(QIODevice::WriteOnly | QIODevice::Truncate))
            return false;
        const QByteArray block(65536, 'b');
        for (qint64 left = ballast; left > 0; left -= block.size())
            if (f.write(block.constData(), std::min<qint64>(left, block.size())) < 0)
                return false;
        f.close();
        return freeBytes() == bytes;
    }

    // Room again: the ballast goes.
    bool makeRoom() { return QFile::remove(ballastPath()); }
    QString ballastPath() const { return m_dir + QStringLiteral("/ballast"); }

private:
    QString m_dir;
    QByteArray m_native;
    bool m_mounted = false;
    QString m_error;
};

} // namespace reliability
