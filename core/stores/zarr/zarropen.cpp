#include "stores/zarr/zarrstore.h"

#include "io/regularfile.h"
#include "kv/directorykeyvalue.h"
#include "kv/memorykeyvalue.h"

#include <QDir>
#include <QFileInfo>

namespace cs {

namespace {

std::unique_ptr<Store> openExisting(const ZarrOptions &options, const StoreArray &array)
{
    auto fail = [&](const QString &why) { return StoreError(QStringLiteral("array %1: %2").arg(array.id, why)); };
    if (options.path.isEmpty())
        throw fail(QStringLiteral("fill \"existing\" needs a path"));
    if (!QFileInfo(options.path).isDir())
        throw fail(QStringLiteral("%1 is not a directory").arg(options.path));
    const QString file = options.path + QStringLiteral("/.zarray");
    QString error;
    const std::optional<QByteArray> text = readRegularFile(file, &error);
    if (!text)
        throw StoreError(QStringLiteral("array %1, .zarray: %2").arg(array.id, error));
    const ZarrMetadata meta = ZarrMetadata::parse(*text, array.id);
    return std::make_unique<ZarrStore>(array.id, meta,
                                       std::make_unique<DirectoryKeyValue>(options.path, meta.separator == '/'));
}

} // namespace

std::optional<QString> zarrOverwriteRefusal(const QString &path)
{
    const QFileInfo info(path);
    if (!info.isDir())
        return QStringLiteral("%1 exists and is not a directory").arg(path);
    const QDir dir(path);
    if (dir.isEmpty(QDir::AllEntries | QDir::Hidden | QDir::System | QDir::NoDotAndDotDot))
        return std::nullopt;
    const auto notZarr = [&](const QString &why) {
        return QStringLiteral("%1 exists and is not a Zarr array (%2); not removing it").arg(path, why);
    };
    QString error;
    bool missing = false;
    const std::optional<QByteArray> text = readRegularFile(dir.filePath(QStringLiteral(".zarray")), &error, &missing);
    if (!text)
        return notZarr(missing ? QStringLiteral("no .zarray") : error);
    try {
        ZarrMetadata::parse(*text, QString());
    } catch (const StoreError &e) {
        return notZarr(QStringLiteral(".zarray: ") + e.message().section(QStringLiteral(".zarray: "), 1, -1));
    }
    return std::nullopt;
}

std::unique_ptr<Store> createZarrStore(const ZarrOptions &options, const StoreArray &array)
{
    if (array.existing)
        return openExisting(options, array);
    auto fail = [&](const QString &why) { return StoreError(QStringLiteral("array %1: %2").arg(array.id, why)); };
    const ZarrMetadata meta = ZarrMetadata::fromOptions(options, array);
    const ChunkGrid grid(meta.shape, meta.chunks);
    std::unique_ptr<KeyValue> kv;
    if (options.path.isEmpty()) {
        if (grid.chunkCount() > MemoryKeyValue::kMaxSlots)
            throw fail(QStringLiteral("%1 chunks are more than an in-memory Zarr array holds (at most %2)")
                           .arg(grid.chunkCount())
                           .arg(MemoryKeyValue::kMaxSlots));
        kv = std::make_unique<MemoryKeyValue>(
            grid.chunkCount(),
            [keys = ZarrChunkKeys(grid, meta.separator)](int64_t linear) { return keys.key(linear); });
    } else {
        const QFileInfo info(options.path);
        if (info.exists() || info.isSymLink()) {
            if (!array.overwrite)
                throw fail(
                    QStringLiteral("%1 already exists (set \"overwrite\": true to replace it)").arg(options.path));
            if (const std::optional<QString> refusal = zarrOverwriteRefusal(options.path))
                throw fail(*refusal);
            try {
                clearZarrArray(options.path);
            } catch (const StoreError &e) {
                throw fail(e.message());
            }
        } else if (!QDir().mkpath(options.path)) {
            throw fail(QStringLiteral("cannot create the directory %1").arg(options.path));
        }
        kv = std::make_unique<DirectoryKeyValue>(options.path, meta.separator == '/');
    }
    try {
        kv->set(KvKey(QByteArrayLiteral(".zarray")), meta.toJson());
    } catch (const StoreError &e) {
        throw fail(e.message());
    }
    return std::make_unique<ZarrStore>(array.id, meta, std::move(kv));
}

} // namespace cs
