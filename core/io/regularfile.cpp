#include "regularfile.h"

#include <QFile>

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace cs {

QString fileTypeName(unsigned mode)
{
    if (S_ISFIFO(mode))
        return QStringLiteral("a FIFO");
    if (S_ISSOCK(mode))
        return QStringLiteral("a socket");
    if (S_ISCHR(mode) || S_ISBLK(mode))
        return QStringLiteral("a device");
    if (S_ISDIR(mode))
        return QStringLiteral("a directory");
    return QStringLiteral("not a regular file");
}

namespace {

QString notRegular(const QByteArray &nativePath, unsigned mode)
{
    const QString type = fileTypeName(mode);
    return S_ISFIFO(mode) || S_ISSOCK(mode) || S_ISCHR(mode) || S_ISBLK(mode) || S_ISDIR(mode)
        ? QStringLiteral("%1 is %2, not a regular file").arg(QFile::decodeName(nativePath), type)
        : QStringLiteral("%1 is not a regular file").arg(QFile::decodeName(nativePath));
}

} // namespace

int openRegularFile(const QByteArray &nativePath, QString *error, bool *missing)
{
    if (missing)
        *missing = false;
    // stat first, so that a device is never opened at all; O_NONBLOCK covers a FIFO put in place
    // between the two calls, and fstat then refuses it.
    struct stat st;
    if (::stat(nativePath.constData(), &st) == 0 && !S_ISREG(st.st_mode)) {
        *error = notRegular(nativePath, st.st_mode);
        return -1;
    }
    const int fd = ::open(nativePath.constData(), O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
    if (fd < 0) {
        const int err = errno;
        if (missing)
            *missing = err == ENOENT;
        *error = QStringLiteral("cannot read %1 (%2)")
                     .arg(QFile::decodeName(nativePath), QString::fromLocal8Bit(std::strerror(err)));
        return -1;
    }
    if (::fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
        *error = notRegular(nativePath, st.st_mode);
        ::close(fd);
        return -1;
    }
    return fd;
}

std::optional<QByteArray> readRegularFile(const QString &path, QString *error, bool *missing, qint64 maxBytes)
{
    const QByteArray native = QFile::encodeName(path);
    const int fd = openRegularFile(native, error, missing);
    if (fd < 0)
        return std::nullopt;
    QByteArray out;
    char buf[1 << 14];
    for (;;) {
        const ssize_t n = ::read(fd, buf, sizeof buf);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0) {
            *error = QStringLiteral("cannot read %1 (%2)").arg(path, QString::fromLocal8Bit(std::strerror(errno)));
            ::close(fd);
            return std::nullopt;
        }
        if (n == 0)
            break;
        if (out.size() + n > maxBytes) {
            *error = QStringLiteral("cannot read %1 (larger than %2 bytes)").arg(path).arg(maxBytes);
            ::close(fd);
            return std::nullopt;
        }
        out.append(buf, qsizetype(n));
    }
    ::close(fd);
    return out;
}

} // namespace cs
