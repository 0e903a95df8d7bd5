#include "stores/zarr/zarrstore.h"

#include "io/regularfile.h"
#include "kv/directorykeyvalue.h"
#include "kv/memorykeyvalue.h"
#include "stores/zarr/v3/zarrv3metadata.h"
#include "stores/zarr/v3/zarrv3store.h"
#include "stores/zarr/zarrs3.h"

#include <QDir>
#include <QFileInfo>

namespace cs {

namespace {

StoreError arrayError(const StoreArray &array, const QString &why)
{
    return StoreError(QStringLiteral("array %1: %2").arg(array.id, why));
}

// The metadata file's text; nullopt when the array has no zarr.json, which is optional.
std::optional<QByteArray> metadataText(const ZarrOptions &options, const KeyValue *s3, const QString &name,
                                       const StoreArray &array)
{
    const bool optional = name == QLatin1String("zarr.json");
    if (s3) {
        std::optional<QByteArray> text;
        try {
            text = s3->getCopy(KvKey(name.toUtf8()));
        } catch (const StoreError &e) {
            throw arrayError(array, e.message());
        }
        if (!text && !optional)
            throw arrayError(array,
                             QStringLiteral("%1 holds no Zarr array (no zarr.json or .zarray)").arg(s3->location()));
        return text;
    }
    const QString file = options.path + QLatin1Char('/') + name;
    if (optional && !QFileInfo::exists(file))
        return std::nullopt;
    QString error;
    std::optional<QByteArray> text = readRegularFile(file, &error);
    if (!text)
        throw StoreError(QStringLiteral("array %1, %2: %3").arg(array.id, name, error));
    return text;
}

std::unique_ptr<Store> openExisting(const ZarrOptions &options, const StoreArray &array)
{
    if (options.path.isEmpty())
        throw arrayError(array, QStringLiteral("fill \"existing\" needs a path"));
    std::unique_ptr<KeyValue> s3;
    if (S3Location::isS3Path(options.path))
        s3 = openZarrS3KeyValue(options, array);
    else if (!QFileInfo(options.path).isDir())
        throw arrayError(array, QStringLiteral("%1 is not a directory").arg(options.path));
    const auto backend = [&](char separator) -> std::unique_ptr<KeyValue> {
        if (s3)
            return std::move(s3);
        return std::make_unique<DirectoryKeyValue>(options.path, separator == '/');
    };
    // The files say the format: a v3 array has zarr.json, a v2 array .zarray.
    if (const std::optional<QByteArray> v3 = metadataText(options, s3.get(), QStringLiteral("zarr.json"), array))
        return openZarrV3Store(*v3, array, backend);
    const ZarrMetadata meta
        = ZarrMetadata::parse(*metadataText(options, s3.get(), QStringLiteral(".zarray"), array), array.id);
    return std::make_unique<ZarrStore>(array.id, meta, backend(meta.separator));
}

// Why the directory's metadata file does not describe a Zarr array, or nullopt when it does.
std::optional<QString> metadataRefusal(const QDir &dir, const QString &name)
{
    QString error;
    bool missing = false;
    const std::optional<QByteArray> text = readRegularFile(dir.filePath(name), &error, &missing);
    if (!text)
        return missing ? QStringLiteral("no ") + name : error;
    return zarrMetadataTextRefusal(name, *text);
}

} // namespace

std::optional<QString> zarrMetadataTextRefusal(const QString &name, const QByteArray &text)
{
    const QString marker = name + QStringLiteral(": ");
    try {
        if (name == QLatin1String("zarr.json"))
            ZarrV3Metadata::parse(text, QString());
        else
            ZarrMetadata::parse(text, QString());
    } catch (const StoreError &e) {
        return marker + e.message().section(marker, 1, -1);
    }
    return std::nullopt;
}

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

std::unique_ptr<KeyValue> newZarrKeyValue(const ZarrOptions &options, const StoreArray &array,
                                          const ZarrChunkKeys &keys, const ChunkGrid &grid)
{
    const QString &path = options.path;
    if (path.isEmpty()) {
        if (grid.chunkCount() > MemoryKeyValue::kMaxSlots)
            throw arrayError(array,
                             QStringLiteral("%1 chunks are more than an in-memory Zarr array holds (at most %2)")
                                 .arg(grid.chunkCount())
                                 .arg(MemoryKeyValue::kMaxSlots));
        return std::make_unique<MemoryKeyValue>(grid.chunkCount(), [keys](int64_t linear) { return keys.key(linear); });
    }
    if (S3Location::isS3Path(path))
        return newZarrS3KeyValue(options, array);
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
    std::unique_ptr<KeyValue> kv = newZarrKeyValue(options, array, ZarrChunkKeys(grid, meta.separator), grid);
    try {
        kv->set(KvKey(QByteArrayLiteral(".zarray")), meta.toJson());
    } catch (const StoreError &e) {
        throw arrayError(array, e.message());
    }
    return std::make_unique<ZarrStore>(array.id, meta, std::move(kv));
}

} // namespace cs
