#include "stores/zarr/zarrstore.h"

#include "io/regularfile.h"
#include "kv/directorykeyvalue.h"
#include "kv/memorykeyvalue.h"
#include "stores/zarr/v3/zarrv3metadata.h"
#include "stores/zarr/v3/zarrv3store.h"

#include <QDir>
#include <QFileInfo>

namespace cs {

namespace {

StoreError arrayError(const StoreArray &array, const QString &why)
{
    return StoreError(QStringLiteral("array %1: %2").arg(array.id, why));
}

std::unique_ptr<Store> openExisting(const ZarrOptions &options, const StoreArray &array)
{
    if (options.path.isEmpty())
        throw arrayError(array, QStringLiteral("fill \"existing\" needs a path"));
    if (!QFileInfo(options.path).isDir())
        throw arrayError(array, QStringLiteral("%1 is not a directory").arg(options.path));
    // The files say the format: a v3 array has zarr.json, a v2 array .zarray.
    if (QFileInfo::exists(options.path + QStringLiteral("/zarr.json")))
        return openZarrV3Store(options.path, array);
    const QString file = options.path + QStringLiteral("/.zarray");
    QString error;
    const std::optional<QByteArray> text = readRegularFile(file, &error);
    if (!text)
        throw StoreError(QStringLiteral("array %1, .zarray: %2").arg(array.id, error));
    const ZarrMetadata meta = ZarrMetadata::parse(*text, array.id);
    return std::make_unique<ZarrStore>(array.id, meta,
                                       std::make_unique<DirectoryKeyValue>(options.path, meta.separator == '/'));
}

// Why the directory's metadata file does not describe a Zarr array, or nullopt when it does.
std::optional<QString> metadataRefusal(const QDir &dir, const QString &name)
{
    QString error;
    bool missing = false;
    const std::optional<QByteArray> text = readRegularFile(dir.filePath(name), &error, &missing);
    if (!text)
        return missing ? QStringLiteral("no ") + name : error;
    const QString marker = name + QStringLiteral(": ");
    try {
        if (name == QLatin1String("zarr.json"))
            ZarrV3Metadata::parse(*text, QString());
        else
            ZarrMetadata::parse(*text, QString());
    } catch (const StoreError &e) {
        return marker + e.message().section(marker, 1, -1);
    }
    return std::nullopt;
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
    // A v3 array is known by its zarr.json, a v2 array by its .zarray.
    const bool v3 = QFileInfo::exists(dir.filePath(QStringLiteral("zarr.json")));
    if (const std::optional<QString> refusal
        = metadataRefusal(dir, v3 ? QStringLiteral("zarr.json") : QStringLiteral(".zarray")))
        return notZarr(*refusal);
    return std::nullopt;
}

std::unique_ptr<KeyValue> newZarrKeyValue(const QString &path, const StoreArray &array, const ZarrChunkKeys &keys,
                                          const ChunkGrid &grid)
{
    if (path.isEmpty()) {
        if (grid.chunkCount() > MemoryKeyValue::kMaxSlots)
            throw arrayError(array,
                             QStringLiteral("%1 chunks are more than an in-memory Zarr array holds (at most %2)")
                                 .arg(grid.chunkCount())
                                 .arg(MemoryKeyValue::kMaxSlots));
        return std::make_unique<MemoryKeyValue>(grid.chunkCount(), [keys](int64_t linear) { return keys.key(linear); });
    }
    const QFileInfo info(path);
    if (info.exists() || info.isSymLink()) {
        if (!array.overwrite)
            throw arrayError(array,
                             QStringLiteral("%1 already exists (set \"overwrite\": true to replace it)").arg(path));
        if (const std::optional<QString> refusal = zarrOverwriteRefusal(path))
            throw arrayError(array, *refusal);
        try {
            clearZarrArray(path);
        } catch (const StoreError &e) {
            throw arrayError(array, e.message());
        }
    } else if (!QDir().mkpath(path)) {
        throw arrayError(array, QStringLiteral("cannot create the directory %1").arg(path));
    }
    return std::make_unique<DirectoryKeyValue>(path, keys.separator() == '/');
}

std::unique_ptr<Store> createZarrStore(const ZarrOptions &options, const StoreArray &array)
{
    if (array.existing)
        return openExisting(options, array);
    if (options.zarrFormat == 3)
        return createZarrV3Store(options, array);
    const ZarrMetadata meta = ZarrMetadata::fromOptions(options, array);
    const ChunkGrid grid(meta.shape, meta.chunks);
    std::unique_ptr<KeyValue> kv = newZarrKeyValue(options.path, array, ZarrChunkKeys(grid, meta.separator), grid);
    try {
        kv->set(KvKey(QByteArrayLiteral(".zarray")), meta.toJson());
    } catch (const StoreError &e) {
        throw arrayError(array, e.message());
    }
    return std::make_unique<ZarrStore>(array.id, meta, std::move(kv));
}

} // namespace cs
