#include "atomicfile.h"

#include <QFile>
#include <QFileInfo>
#include <QRegularExpression>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace cs {

namespace {

constexpr size_t kMaxPath = 4096;
// HOST_NAME_MAX: gethostname() gives no more.
constexpr size_t kMaxHostInTemp = 64;
// The target's name is cut to this many bytes in the temporary name, so that a name near NAME_MAX
// (255 bytes) still leaves room for the dots, the process id, the host, the counter and ".partial":
// 1 + 140 + 1 + 10 + 1 + 64 + 1 + 20 + 8 = 246 bytes at most.
constexpr size_t kMaxNameInTemp = 140;
// Links followed before giving up, as the kernel's own limit (ELOOP).
constexpr int kMaxLinks = 40;

struct HostTag {
    char text[kMaxHostInTemp + 1] = {};
};

// Worked out once, so that a write allocates nothing. The '@' before it, a byte no host tag holds,
// keeps the name apart from the older ".NAME.PID.SEQ.partial", whose NAME often has dots ("0.0",
// "__3.blp"), and versions that read only the older form leave such a file alone.
const char *hostTag() noexcept
{
    static const HostTag tag = [] {
        HostTag t;
        char name[256] = {};
        if (::gethostname(name, sizeof name - 1) != 0 || name[0] == '\0')
            std::strcpy(name, "unknown");
        for (size_t i = 0; i < kMaxHostInTemp && name[i] != '\0'; ++i) {
            const char c = name[i];
            const bool kept = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-';
            t.text[i] = kept ? c : '-';
        }
        return t;
    }();
    return tag.text;
}

} // namespace

ReplaceFailure replaceFileContents(const char *target, size_t targetLen, const char *data, size_t size,
                                   ReplaceOptions options) noexcept
{
    using Step = ReplaceFailure::Step;
    static std::atomic<uint64_t> counter{0};
    const char *slash = static_cast<const char *>(::memrchr(target, '/', targetLen));
    const size_t dirLen = slash ? size_t(slash - target) + 1 : 0; // with its slash
    const size_t nameLen = std::min(targetLen - dirLen, kMaxNameInTemp);

    char tmp[kMaxPath];
    int fd = -1;
    // A leftover of a process that had the same id (after a crash) may hold a name: take the next.
    for (int attempt = 0; fd < 0; ++attempt) {
        const int n = std::snprintf(tmp, sizeof tmp, "%.*s.%.*s.%d@%s.%llu.partial", int(dirLen), target, int(nameLen),
                                    target + dirLen, int(::getpid()), hostTag(),
                                    static_cast<unsigned long long>(counter.fetch_add(1, std::memory_order_relaxed)));
        if (n < 0 || size_t(n) >= sizeof tmp)
            return {Step::Create, ENAMETOOLONG};
        fd = ::open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
        if (fd < 0 && (errno != EEXIST || attempt == 100))
            return {Step::Create, errno};
    }
    // The arguments (errno among them) are read before the temporary file goes.
    auto fail = [&](Step step, int error) {
        ::unlink(tmp);
        return ReplaceFailure{step, error};
    };
    auto closeAndFail = [&](Step step, int error) {
        ::close(fd);
        return fail(step, error);
    };

    if (options.keepMode) {
        struct stat st;
        if (::stat(target, &st) == 0 && S_ISREG(st.st_mode) && ::fchmod(fd, st.st_mode & 07777) != 0)
            return closeAndFail(Step::Create, errno);
    }
    size_t done = 0;
    while (done < size) {
        const ssize_t n = ::write(fd, data + done, size - done);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return closeAndFail(Step::Write, n < 0 ? errno : EIO);
        done += size_t(n);
    }
    if (options.sync && ::fsync(fd) != 0)
        return closeAndFail(Step::Sync, errno);
    // Some file systems (NFS, quotas) report a failed write only here. Linux closes the descriptor
    // even when close fails, so it is never retried.
    if (::close(fd) != 0)
        return fail(Step::Close, errno);
    // A device node or FIFO at the target is no file to replace: renaming over /dev/null would take
    // it away from every other program. Checked last, so the window before the rename is short.
    struct stat existing;
    if (::lstat(target, &existing) == 0 && !S_ISREG(existing.st_mode) && !S_ISLNK(existing.st_mode))
        return fail(Step::Rename, S_ISDIR(existing.st_mode) ? EISDIR : EEXIST);
    if (::rename(tmp, target) != 0)
        return fail(Step::Rename, errno);
    return {};
}

QString replaceFailureReason(const ReplaceFailure &failure)
{
    if (failure.step == ReplaceFailure::Step::Rename && failure.error == EEXIST)
        return QStringLiteral("not a regular file");
    return QString::fromLocal8Bit(std::strerror(failure.error));
}

bool isTemporaryFileName(const QString &name)
{
    return name.startsWith(QLatin1Char('.')) && name.endsWith(QLatin1String(".partial"));
}

QString temporaryHostName()
{
    return QString::fromLatin1(hostTag());
}

std::optional<TemporaryWriter> temporaryWriterOf(const QString &name)
{
    static const QRegularExpression named(
        QStringLiteral("^\\..+\\.([0-9]{1,9})(?:@([A-Za-z0-9-]{1,%1}))?\\.[0-9]+\\.partial$").arg(kMaxHostInTemp));
    const QRegularExpressionMatch m = named.match(name);
    if (!m.hasMatch())
        return std::nullopt;
    return TemporaryWriter{m.captured(1).toLongLong(), m.captured(2)};
}

namespace {

QString followLinks(const QString &path)
{
    QString resolved = path;
    for (int links = 0; links < kMaxLinks; ++links) {
        const QFileInfo info(resolved);
        if (!info.isSymLink())
            break;
        resolved = info.symLinkTarget();
    }
    return resolved;
}

} // namespace

bool replaceFile(const QString &path, const QByteArray &bytes, QString *error)
{
    // The rename would put a file in place of a link: write where the link points instead.
    const QString resolved = followLinks(path);
    const QByteArray native = QFile::encodeName(resolved);
    const ReplaceFailure failure = native.isEmpty()
        ? ReplaceFailure{ReplaceFailure::Step::Create, ENOENT}
        : replaceFileContents(native.constData(), size_t(native.size()), bytes.constData(), size_t(bytes.size()));
    if (!failure)
        return true;
    if (error)
        *error = QStringLiteral("%1: cannot write: %2").arg(path, replaceFailureReason(failure));
    return false;
}

} // namespace cs
