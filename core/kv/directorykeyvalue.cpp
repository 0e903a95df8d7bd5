#include "directorykeyvalue.h"

#include "io/atomicfile.h"
#include "io/regularfile.h"
#include "io/storedirectory.h"
#include "task/taskcontext.h"

#include <QDir>
#include <QDirIterator>
#include <QFile>
#include <QFileInfo>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace cs {

namespace {

constexpr size_t kMaxPath = 4096;

QString osError(int error)
{
    return QString::fromLocal8Bit(std::strerror(error));
}

struct Fd {
    int fd;
    ~Fd()
    {
        if (fd >= 0)
            ::close(fd);
    }
};

// Keys must stay inside the directory: not empty, not absolute, no empty, "." or ".." component and
// no NUL. Checked on the bytes, so the hot path allocates nothing.
bool staysInside(const KvKey &key)
{
    if (key.size == 0 || std::memchr(key.text, '\0', key.size))
        return false;
    size_t start = 0;
    for (size_t i = 0; i <= key.size; ++i) {
        if (i < key.size && key.text[i] != '/')
            continue;
        const size_t len = i - start;
        const char *part = key.text + start;
        if (len == 0 || (len == 1 && part[0] == '.') || (len == 2 && part[0] == '.' && part[1] == '.'))
            return false;
        start = i + 1;
    }
    return true;
}

} // namespace

DirectoryKeyValue::DirectoryKeyValue(const QString &path, bool nestedKeys)
    : m_path(path)
    , m_nativePath(QFile::encodeName(path))
    , m_nestedKeys(nestedKeys)
{
}

size_t DirectoryKeyValue::pathOf(const KvKey &key, char *buf, size_t cap) const
{
    if (!staysInside(key))
        return 0;
    const size_t base = size_t(m_nativePath.size());
    if (base + 1 + key.size >= cap)
        throw StoreError(QStringLiteral("the path of %1 under %2 is too long").arg(kv::quotedKey(key), m_path));
    std::memcpy(buf, m_nativePath.constData(), base);
    buf[base] = '/';
    std::memcpy(buf + base + 1, key.text, key.size);
    buf[base + 1 + key.size] = '\0';
    return base + 1 + key.size;
}

KvValue DirectoryKeyValue::get(const KvKey &key, ByteRange range, const ValueLimit &limit, TaskContext &ctx,
                               char *direct, size_t directCap) const
{
    char path[kMaxPath];
    if (!pathOf(key, path, sizeof path))
        return {};
    // Non-blocking, so that a FIFO at a value's path fails the read instead of waiting for a writer.
    Fd f{::open(path, O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC)};
    if (f.fd < 0) {
        if (errno == ENOENT || errno == ENOTDIR)
            return {};
        throw StoreError(QStringLiteral("cannot open %1 (%2)").arg(QFile::decodeName(path), osError(errno)));
    }
    struct stat st;
    if (::fstat(f.fd, &st) != 0)
        throw StoreError(QStringLiteral("cannot read %1 (%2)").arg(QFile::decodeName(path), osError(errno)));
    if (!S_ISREG(st.st_mode))
        throw StoreError(QStringLiteral("%1 is %2, not a %3 file")
                             .arg(QFile::decodeName(path), fileTypeName(st.st_mode), limit.noun));
    const uint64_t total = uint64_t(st.st_size);
    uint64_t begin = 0, length = 0;
    if (const kv::Refusal refusal = kv::checkRead(total, range, limit, &begin, &length); refusal != kv::Refusal::None)
        kv::refuseRead(refusal, QFile::decodeName(path), total, range, limit);
    const size_t size = size_t(length);
    char *dst = direct && size == directCap ? direct : ctx.scratch(Scratch::Packed, std::max<size_t>(size, 1));
    size_t done = 0;
    while (done < size) {
        const ssize_t n = ::pread(f.fd, dst + done, size - done, off_t(begin + done));
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            throw StoreError(QStringLiteral("cannot read %1 (%2)")
                                 .arg(QFile::decodeName(path), n < 0 ? osError(errno) : QStringLiteral("truncated")));
        done += size_t(n);
    }
    return {dst, size, total, true};
}

void DirectoryKeyValue::writeFile(const char *target, size_t targetLen, const char *data, size_t size, Sync sync) const
{
    // Without Flush a failed write (ENOSPC, EFBIG, EIO) still fails the set, and the temporary file
    // and rename keep a crash from leaving half a value; only durability across a power cut is given
    // up. The stat that keeps the old file's mode is skipped with it.
    const bool flush = sync == Sync::Flush;
    const ReplaceOptions options{flush, flush};
    ReplaceFailure failure = replaceFileContents(target, targetLen, data, size, options);
    if (failure.step == ReplaceFailure::Step::Create && failure.error == ENOENT) {
        // Nested keys ("0/1/2"): create the directories below the store's on first use.
        const char *slash = static_cast<const char *>(::memrchr(target, '/', targetLen));
        const size_t dirLen = slash ? size_t(slash - target) : 0;
        char dir[kMaxPath];
        if (dirLen >= sizeof dir)
            throw StoreError(QStringLiteral("the path %1 is too long").arg(QFile::decodeName(target)));
        std::memcpy(dir, target, dirLen);
        dir[dirLen] = '\0';
        for (size_t i = size_t(m_nativePath.size()) + 1; i <= dirLen; ++i) {
            if (i < dirLen && dir[i] != '/')
                continue;
            dir[i] = '\0';
            if (::mkdir(dir, 0777) != 0) {
                const int err = errno;
                const auto cannot = [&](const QString &why) {
                    return StoreError(
                        QStringLiteral("cannot create the directory for %1 (%2)").arg(QFile::decodeName(target), why));
                };
                if (err != EEXIST)
                    throw cannot(osError(err));
                // What is there must be a real directory: a link planted at a component would send
                // the value outside the store.
                struct stat st;
                if (::lstat(dir, &st) != 0)
                    throw cannot(osError(errno));
                if (S_ISLNK(st.st_mode))
                    throw cannot(::stat(dir, &st) == 0 && S_ISDIR(st.st_mode)
                                     ? directoryLinkRefusal(QFile::decodeName(dir))
                                     : QStringLiteral("%1 is a symbolic link; not writing through it")
                                           .arg(QFile::decodeName(dir)));
                if (!S_ISDIR(st.st_mode))
                    throw cannot(osError(ENOTDIR));
            }
            if (i < dirLen)
                dir[i] = '/';
        }
        failure = replaceFileContents(target, targetLen, data, size, options);
    }
    if (failure)
        throw StoreError(
            QStringLiteral("cannot %1 %2 (%3)")
                .arg(failure.step == ReplaceFailure::Step::Rename ? QStringLiteral("replace") : QStringLiteral("write"),
                     QFile::decodeName(target), replaceFailureReason(failure)));
}

void DirectoryKeyValue::set(const KvKey &key, const char *data, size_t size, Sync sync)
{
    char path[kMaxPath];
    const size_t len = pathOf(key, path, sizeof path);
    if (!len)
        throw StoreError(QStringLiteral("%1 would leave the directory %2").arg(kv::quotedKey(key), m_path));
    writeFile(path, len, data, size, sync);
}

bool DirectoryKeyValue::erase(const KvKey &key)
{
    char path[kMaxPath];
    if (!pathOf(key, path, sizeof path))
        throw StoreError(QStringLiteral("%1 would leave the directory %2").arg(kv::quotedKey(key), m_path));
    // Only what set() puts there is removed: a regular file, or a link it would replace.
    struct stat st;
    if (::lstat(path, &st) != 0) {
        if (errno == ENOENT || errno == ENOTDIR)
            return false;
        throw StoreError(QStringLiteral("cannot delete %1 (%2)").arg(QFile::decodeName(path), osError(errno)));
    }
    if (!S_ISREG(st.st_mode) && !S_ISLNK(st.st_mode))
        throw StoreError(
            QStringLiteral("cannot delete %1 (it is %2)").arg(QFile::decodeName(path), fileTypeName(st.st_mode)));
    if (::unlink(path) != 0)
        throw StoreError(QStringLiteral("cannot delete %1 (%2)").arg(QFile::decodeName(path), osError(errno)));
    return true;
}

void DirectoryKeyValue::forEachValue(const QString &prefix,
                                     const std::function<void(const QString &, qint64)> &visit) const
{
    // Only the subdirectory the prefix names can hold its keys: "0/1/" walks 0/1 alone.
    const qsizetype slash = prefix.lastIndexOf(QLatin1Char('/'));
    const QString below = slash > 0 ? prefix.left(slash) : QString();
    const QByteArray belowBytes = below.toUtf8();
    if (!below.isEmpty() && !staysInside(KvKey(belowBytes)))
        return;
    const QString start = below.isEmpty() ? m_path : m_path + QLatin1Char('/') + below;
    const QDir root(m_path);
    QDirIterator it(start, QDir::Files | QDir::Hidden | QDir::NoDotAndDotDot, QDirIterator::Subdirectories);
    while (it.hasNext()) {
        it.next();
        if (isTemporaryFileName(it.fileName()))
            continue;
        const QString key = root.relativeFilePath(it.filePath());
        if (key.startsWith(prefix))
            visit(key, it.fileInfo().size());
    }
}

void DirectoryKeyValue::forEachKey(const QString &prefix, const std::function<void(const QString &)> &visit) const
{
    forEachValue(prefix, [&](const QString &key, qint64) { visit(key); });
}

int64_t DirectoryKeyValue::storedBytes() const
{
    int64_t total = 0;
    forEachValue(QString(), [&](const QString &, qint64 bytes) { total += bytes; });
    return total;
}

int64_t DirectoryKeyValue::valueCount() const
{
    int64_t count = 0;
    forEachValue(QString(), [&](const QString &, qint64) { ++count; });
    return count;
}

void DirectoryKeyValue::prepareForWriting()
{
    if (m_nestedKeys)
        if (const std::optional<QString> link = findDirectoryLink(m_path, true))
            throw StoreError(directoryLinkRefusal(*link));
    removeStaleTemporaries(m_path, m_nestedKeys);
}

} // namespace cs
