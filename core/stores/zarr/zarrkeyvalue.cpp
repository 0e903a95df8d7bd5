#include "zarrkeyvalue.h"

#include "io/atomicfile.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QRegularExpression>

#include <algorithm>
#include <charconv>
#include <utility>
#include <vector>

namespace cs {

ZarrChunkKeys::ZarrChunkKeys(const ChunkGrid &grid, char separator, bool defaultV3Encoding)
    : m_grid(grid)
    , m_separator(separator)
    , m_prefixed(defaultV3Encoding)
{
}

size_t ZarrChunkKeys::format(const Coords &chunkCoords, char *buf, size_t cap) const
{
    char *p = buf;
    char *const end = buf + cap;
    if (m_prefixed) {
        if (cap < 3)
            return 0;
        *p++ = 'c';
        *p++ = m_separator;
    }
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
    char buf[kMaxKeyBytes];
    const size_t n = format(m_grid.chunkCoords(linear), buf, sizeof buf);
    return QString::fromLatin1(buf, qsizetype(n));
}

std::optional<int64_t> ZarrChunkKeys::parse(const QString &key) const
{
    QStringView indices(key);
    if (m_prefixed) {
        if (indices.size() < 2 || indices.at(0) != QLatin1Char('c') || indices.at(1) != QLatin1Char(m_separator))
            return std::nullopt;
        indices = indices.mid(2);
    }
    const QList<QStringView> parts = indices.split(QLatin1Char(m_separator));
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

KvKey ZarrChunkKeys::anyKey(const QByteArray &utf8) const
{
    return KvKey(utf8, parse(QString::fromUtf8(utf8)).value_or(-1));
}

QStringList zarrKeys(const KeyValue &kv, const ZarrChunkKeys &keys)
{
    QStringList out;
    std::vector<std::pair<int64_t, QString>> chunks;
    for (const QString &key : kv.list()) {
        if (const std::optional<int64_t> linear = keys.parse(key))
            chunks.emplace_back(*linear, key);
        else
            out.append(key);
    }
    std::sort(chunks.begin(), chunks.end());
    for (const auto &chunk : chunks)
        out.append(chunk.second);
    return out;
}

int64_t zarrChunksInitialized(const KeyValue &kv, const ZarrChunkKeys &keys)
{
    // Every slotted key is a chunk's (ZarrChunkKeys gives chunks, and only chunks, their slot).
    if (const std::optional<int64_t> slotted = kv.slottedValueCount())
        return *slotted;
    int64_t count = 0;
    kv.forEachKey(QString(), [&](const QString &key) { count += keys.parse(key).has_value() ? 1 : 0; });
    return count;
}

ValueLimit zarrChunkLimit(size_t decodedBytes, size_t maxEncodedBytes)
{
    return ValueLimit{QStringLiteral("chunk"), maxEncodedBytes,
                      QStringLiteral("an encoded chunk of %1 bytes can take").arg(qulonglong(decodedBytes))};
}

namespace {

void clearEntries(const QString &dirPath, bool top)
{
    // v3's default key encoding puts chunks under "c/" or names them "c.0.1".
    static const QRegularExpression chunkFile(QStringLiteral("^(c\\.)?[0-9]+(\\.[0-9]+)*$"));
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
        if (top
            && (name == QLatin1String(".zarray") || name == QLatin1String(".zattrs")
                || name == QLatin1String("zarr.json"))
            && !e.isDir()) {
            metadataFiles.append(e.filePath());
            continue;
        }
        if (e.isDir() && !e.isSymLink()) {
            if (chunkDir.match(name).hasMatch() || (top && name == QLatin1String("c"))) {
                clearEntries(e.filePath(), false);
                dir.rmdir(name); // fails, harmlessly, when something else lives inside
            }
            continue;
        }
        if (isTemporaryFileName(name) || chunkFile.match(name).hasMatch())
            remove(e.filePath());
    }
    for (const QString &file : metadataFiles)
        remove(file);
}

} // namespace

void clearZarrArray(const QString &path)
{
    clearEntries(path, true);
}

} // namespace cs
