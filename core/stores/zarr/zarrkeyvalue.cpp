#include "zarrkeyvalue.h"

#include "io/atomicfile.h"
#include "io/regularfile.h"
#include "io/storedirectory.h"
#include "stores/store.h"
#include "task/taskcontext.h"

#include <QDir>
#include <QDirIterator>
#include <QFile>
#include <QFileInfo>
#include <QRegularExpression>

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace cs {

ZarrChunkKeys::ZarrChunkKeys(const ChunkGrid &grid, char separator)
    : m_grid(grid)
    , m_separator(separator)
{
}

size_t ZarrChunkKeys::format(const Coords &chunkCoords, char *buf, size_t cap) const
{
    char *p = buf;
    char *const end = buf + cap;
    for (int i = 0; i < chunkCoords.rank; ++i) {
        if (i) {
            if (p == end)
                return 0;
            *p++ = m_separator;
        }
        const auto res = std::to_chars(p, end, chunkCoords[i]);
        if (res.ec != std::errc())
            return 0;
        p = res.ptr;
    }
    if (p == end)
        return 0;
    *p = '\0';
    return size_t(p - buf);
}

QString ZarrChunkKeys::key(int64_t linear) const
{
    char buf[kMaxRank * 21];
    const size_t n = format(m_grid.chunkCoords(linear), buf, sizeof buf);
    return QString::fromLatin1(buf, qsizetype(n));
}

std::optional<int64_t> ZarrChunkKeys::parse(const QString &key) const
{
    const QList<QStringView> parts = QStringView(key).split(QLatin1Char(m_separator));
    if (parts.size() != m_grid.rank())
        return std::nullopt;
    Coords c;
    c.rank = m_grid.rank();
    for (int i = 0; i < c.rank; ++i) {
        const QStringView part = parts.at(i);
        // Only the keys zarr writes: decimal digits without sign or leading zeros.
        if (part.isEmpty() || (part.size() > 1 && part.at(0) == QLatin1Char('0')))
            return std::nullopt;
        for (const QChar ch : part)
            if (ch < QLatin1Char('0') || ch > QLatin1Char('9'))
                return std::nullopt;
        bool ok = false;
        c[i] = part.toLongLong(&ok);
        if (!ok || c[i] >= m_grid.gridShape()[i])
            return std::nullopt;
    }
    return m_grid.linearIndex(c);
}

ZarrKeyValue::ZarrKeyValue(const ZarrChunkKeys &keys)
    : m_keys(keys)
{
}

ZarrKeyValue::~ZarrKeyValue() = default;

// ---------------------------------------------------------------------------------------------
// In memory

ZarrMemoryBackend::ZarrMemoryBackend(const ZarrChunkKeys &keys, int64_t chunkCount)
    : ZarrKeyValue(keys)
    , m_chunkCount(chunkCount)
    , m_pageCount((chunkCount + kPageSlots - 1) / kPageSlots)
{
    m_pages.reset(new std::atomic<Page *>[size_t(m_pageCount)]);
    for (int64_t i = 0; i < m_pageCount; ++i)
        m_pages[size_t(i)].store(nullptr, std::memory_order_relaxed);
}

ZarrMemoryBackend::~ZarrMemoryBackend()
{
    for (int64_t i = 0; i < m_pageCount; ++i) {
        Page *page = m_pages[size_t(i)].load(std::memory_order_acquire);
        if (!page)
            continue;
        for (Slot &s : page->entries)
            std::free(s.data);
        delete page;
    }
}

QString ZarrMemoryBackend::location() const
{
    return QStringLiteral("in memory");
}

ZarrMemoryBackend::Slot *ZarrMemoryBackend::slot(int64_t linear, bool create) const
{
    if (linear < 0 || linear >= m_chunkCount)
        return nullptr;
    std::atomic<Page *> &entry = m_pages[size_t(linear / kPageSlots)];
    Page *page = entry.load(std::memory_order_acquire);
    if (!page && create) {
        auto *fresh = new Page();
        if (entry.compare_exchange_strong(page, fresh, std::memory_order_acq_rel))
            page = fresh;
        else
            delete fresh; // another worker installed the page first; page now holds it
    }
    return page ? &page->entries[linear % kPageSlots] : nullptr;
}

ChunkBytes ZarrMemoryBackend::getChunk(int64_t linear, const Coords &, TaskContext &, char *, size_t)
{
    const Slot *s = slot(linear, false);
    if (!s)
        return {};
    const int64_t size = s->size.load(std::memory_order_acquire);
    if (size < 0)
        return {};
    return {s->data, size_t(size), true};
}

void ZarrMemoryBackend::putChunk(int64_t linear, const Coords &, const char *data, size_t size)
{
    Slot *s = slot(linear, true);
    if (!s)
        throw StoreError(QStringLiteral("chunk index %1 is outside the grid").arg(linear));
    if (size > s->capacity || !s->data) {
        // A little headroom, so a chunk that compresses slightly worse next time still fits.
        const size_t capacity = (std::max<size_t>(size + size / 16, 1) + 63) & ~size_t(63);
        char *fresh = static_cast<char *>(std::malloc(capacity));
        if (!fresh)
            throw StoreError(QStringLiteral("out of memory for %1 bytes").arg(qulonglong(size)));
        std::free(s->data);
        s->data = fresh;
        s->capacity = capacity;
    }
    std::memcpy(s->data, data, size);
    const int64_t old = s->size.exchange(int64_t(size), std::memory_order_acq_rel);
    if (old < 0)
        m_initialized.fetch_add(1, std::memory_order_relaxed);
    m_chunkBytes.fetch_add(int64_t(size) - std::max<int64_t>(old, 0), std::memory_order_relaxed);
}

std::optional<QByteArray> ZarrMemoryBackend::get(const QString &key) const
{
    const auto meta = m_meta.constFind(key);
    if (meta != m_meta.constEnd())
        return *meta;
    const auto linear = m_keys.parse(key);
    if (!linear)
        return std::nullopt;
    const Slot *s = slot(*linear, false);
    if (!s || s->size.load(std::memory_order_acquire) < 0)
        return std::nullopt;
    return QByteArray(s->data, qsizetype(s->size.load(std::memory_order_acquire)));
}

void ZarrMemoryBackend::put(const QString &key, const QByteArray &value)
{
    if (const auto linear = m_keys.parse(key)) {
        putChunk(*linear, Coords(), value.constData(), size_t(value.size()));
        return;
    }
    m_meta.insert(key, value);
}

QStringList ZarrMemoryBackend::keys() const
{
    QStringList out = m_meta.keys();
    for (int64_t p = 0; p < m_pageCount; ++p) {
        const Page *page = m_pages[size_t(p)].load(std::memory_order_acquire);
        if (!page)
            continue;
        for (int64_t i = 0; i < kPageSlots; ++i)
            if (page->entries[i].size.load(std::memory_order_acquire) >= 0)
                out.append(m_keys.key(p * kPageSlots + i));
    }
    return out;
}

int64_t ZarrMemoryBackend::storedBytes() const
{
    int64_t total = m_chunkBytes.load(std::memory_order_relaxed);
    for (const QByteArray &v : m_meta)
        total += v.size();
    return total;
}

int64_t ZarrMemoryBackend::chunksInitialized() const
{
    return m_initialized.load(std::memory_order_relaxed);
}

// ---------------------------------------------------------------------------------------------
// Directory

namespace {

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

bool isPartial(const QString &name)
{
    return name.startsWith(QLatin1Char('.')) && name.endsWith(QLatin1String(".partial"));
}

// Keys must stay inside the directory: no absolute paths, no "." or ".." components.
bool safeKey(const QString &key)
{
    if (key.isEmpty() || key.startsWith(QLatin1Char('/')))
        return false;
    for (const QStringView part : QStringView(key).split(QLatin1Char('/')))
        if (part.isEmpty() || part == QLatin1String(".") || part == QLatin1String(".."))
            return false;
    return true;
}

} // namespace

ZarrDirectoryBackend::ZarrDirectoryBackend(const ZarrChunkKeys &keys, const QString &path)
    : ZarrKeyValue(keys)
    , m_path(path)
    , m_nativePath(QFile::encodeName(path))
{
}

size_t ZarrDirectoryBackend::chunkPath(const Coords &chunkCoords, char *buf, size_t cap) const
{
    const size_t base = size_t(m_nativePath.size());
    if (base + 2 > cap)
        return 0;
    std::memcpy(buf, m_nativePath.constData(), base);
    buf[base] = '/';
    const size_t keyLen = m_keys.format(chunkCoords, buf + base + 1, cap - base - 1);
    return keyLen ? base + 1 + keyLen : 0;
}

ChunkBytes ZarrDirectoryBackend::getChunk(int64_t, const Coords &chunkCoords, TaskContext &ctx, char *direct,
                                          size_t directCap)
{
    char path[4096];
    if (!chunkPath(chunkCoords, path, sizeof path))
        throw StoreError(QStringLiteral("the path of the chunk under %1 is too long").arg(m_path));
    // Non-blocking, so that a FIFO at a chunk's path fails the read instead of waiting for a writer.
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
        throw StoreError(
            QStringLiteral("%1 is %2, not a chunk file").arg(QFile::decodeName(path), fileTypeName(st.st_mode)));
    const size_t size = size_t(st.st_size);
    if (size > m_maxEncodedBytes)
        throw StoreError(QStringLiteral("%1 is %2 bytes, more than the %3 an encoded chunk of %4 bytes can take")
                             .arg(QFile::decodeName(path))
                             .arg(qulonglong(size))
                             .arg(qulonglong(m_maxEncodedBytes))
                             .arg(qulonglong(m_decodedBytes)));
    char *dst = direct && size == directCap ? direct : ctx.scratch(Scratch::Packed, std::max<size_t>(size, 1));
    size_t done = 0;
    while (done < size) {
        const ssize_t n = ::read(f.fd, dst + done, size - done);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            throw StoreError(QStringLiteral("cannot read %1 (%2)")
                                 .arg(QFile::decodeName(path), n < 0 ? osError(errno) : QStringLiteral("truncated")));
        done += size_t(n);
    }
    return {dst, size, true};
}

void ZarrDirectoryBackend::writeFile(const char *target, size_t targetLen, const char *data, size_t size,
                                     bool sync) const
{
    // Chunks are not synced: an fsync per chunk would make the copy measure the disk's flush
    // latency rather than the store's throughput. A failed write (ENOSPC, EFBIG, EIO) still fails
    // the chunk, and the temporary file and rename keep a crash from leaving half a chunk.
    const ReplaceOptions options{sync, sync};
    ReplaceFailure failure = replaceFileContents(target, targetLen, data, size, options);
    if (failure.step == ReplaceFailure::Step::Create && failure.error == ENOENT) {
        // Nested keys ("0/1/2"): create the directories below the array's on first use.
        const char *slash = static_cast<const char *>(::memrchr(target, '/', targetLen));
        const size_t dirLen = slash ? size_t(slash - target) : 0;
        char dir[4096];
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
                // the chunk outside the array.
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

void ZarrDirectoryBackend::putChunk(int64_t, const Coords &chunkCoords, const char *data, size_t size)
{
    char path[4096];
    const size_t len = chunkPath(chunkCoords, path, sizeof path);
    if (!len)
        throw StoreError(QStringLiteral("the path of the chunk under %1 is too long").arg(m_path));
    writeFile(path, len, data, size, false);
}

std::optional<QByteArray> ZarrDirectoryBackend::get(const QString &key) const
{
    if (!safeKey(key))
        return std::nullopt;
    QString error;
    bool missing = false;
    std::optional<QByteArray> bytes = readRegularFile(m_path + QLatin1Char('/') + key, &error, &missing);
    if (!bytes && !missing)
        throw StoreError(error);
    return bytes;
}

void ZarrDirectoryBackend::put(const QString &key, const QByteArray &value)
{
    if (!safeKey(key))
        throw StoreError(QStringLiteral("key \"%1\" would leave the directory %2").arg(key, m_path));
    const QByteArray target = QFile::encodeName(m_path + QLatin1Char('/') + key);
    writeFile(target.constData(), size_t(target.size()), value.constData(), size_t(value.size()), true);
}

QStringList ZarrDirectoryBackend::keys() const
{
    QStringList out;
    const QDir root(m_path);
    QDirIterator it(m_path, QDir::Files | QDir::Hidden | QDir::NoDotAndDotDot, QDirIterator::Subdirectories);
    while (it.hasNext()) {
        it.next();
        if (!isPartial(it.fileName()))
            out.append(root.relativeFilePath(it.filePath()));
    }
    out.sort();
    return out;
}

int64_t ZarrDirectoryBackend::storedBytes() const
{
    int64_t total = 0;
    QDirIterator it(m_path, QDir::Files | QDir::Hidden | QDir::NoDotAndDotDot, QDirIterator::Subdirectories);
    while (it.hasNext()) {
        it.next();
        if (!isPartial(it.fileName()))
            total += it.fileInfo().size();
    }
    return total;
}

int64_t ZarrDirectoryBackend::chunksInitialized() const
{
    int64_t count = 0;
    const QDir root(m_path);
    QDirIterator it(m_path, QDir::Files | QDir::NoDotAndDotDot, QDirIterator::Subdirectories);
    while (it.hasNext()) {
        it.next();
        if (m_keys.parse(root.relativeFilePath(it.filePath())))
            ++count;
    }
    return count;
}

void ZarrDirectoryBackend::prepareForWriting()
{
    const bool nested = m_keys.separator() == '/';
    if (nested)
        if (const std::optional<QString> link = findDirectoryLink(m_path, true))
            throw StoreError(directoryLinkRefusal(*link));
    removeStaleTemporaries(m_path, nested);
}

namespace {

void clearEntries(const QString &dirPath, bool top)
{
    static const QRegularExpression chunkFile(QStringLiteral("^[0-9]+(\\.[0-9]+)*$"));
    static const QRegularExpression chunkDir(QStringLiteral("^[0-9]+$"));
    const QDir dir(dirPath);
    const QFileInfoList entries
        = dir.entryInfoList(QDir::AllEntries | QDir::Hidden | QDir::System | QDir::NoDotAndDotDot);
    const auto remove = [](const QString &file) {
        if (!QFile::remove(file))
            throw StoreError(QStringLiteral("cannot delete %1").arg(file));
    };
    // The metadata goes last: a removal cut short (killed, or a file that cannot be deleted) leaves
    // a directory that is still a Zarr array, which the next overwrite may clear.
    QStringList metadataFiles;
    for (const QFileInfo &e : entries) {
        const QString name = e.fileName();
        if (top && (name == QLatin1String(".zarray") || name == QLatin1String(".zattrs")) && !e.isDir()) {
            metadataFiles.append(e.filePath());
            continue;
        }
        if (e.isDir() && !e.isSymLink()) {
            if (chunkDir.match(name).hasMatch()) {
                clearEntries(e.filePath(), false);
                dir.rmdir(name); // fails, harmlessly, when something else lives inside
            }
            continue;
        }
        if (isPartial(name) || chunkFile.match(name).hasMatch())
            remove(e.filePath());
    }
    for (const QString &file : metadataFiles)
        remove(file);
}

} // namespace

void ZarrDirectoryBackend::clearArray(const QString &path)
{
    clearEntries(path, true);
}

} // namespace cs
