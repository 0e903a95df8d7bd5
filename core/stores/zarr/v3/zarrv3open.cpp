#include "stores/zarr/v3/zarrv3store.h"

#include "stores/zarr/v3/zarrv3keys.h"
#include "stores/zarr/zarrstore.h"

#include <QJsonDocument>

namespace cs {

namespace {

StoreError metadataError(const QString &arrayId, const QString &why)
{
    return StoreError(QStringLiteral("array %1, zarr.json: %2").arg(arrayId, why));
}

// The engine's dtype of the array and its codecs, or a StoreError naming zarr.json.
std::pair<DType, ZarrV3Codecs> resolve(const ZarrV3Metadata &meta, const QString &arrayId)
{
    const std::optional<DType> dtype = meta.dataType.toDType();
    if (!dtype)
        throw metadataError(
            arrayId, QStringLiteral("data_type \"%1\" is not one Chunkscope copies yet").arg(meta.dataType.name()));
    try {
        return {*dtype, makeZarrV3Codecs(meta.codecs, meta.chunks, *dtype)};
    } catch (const CodecError &e) {
        throw metadataError(arrayId, e.message());
    }
}

// The zarr.json a scenario's keys describe, checked as a file's would be.
ZarrV3Metadata metadataOf(const ZarrOptions &options, const StoreArray &array)
{
    if (array.dtype.needsSwap())
        throw StoreError(QStringLiteral("array %1: dtype %2 is big-endian, but a Zarr v3 array's items have no byte "
                                        "order (give the bytes codec's \"endian\" instead)")
                             .arg(array.id, array.dtype.typestr()));
    QJsonArray shape, chunks;
    for (int64_t n : array.shape)
        shape.append(qint64(n));
    for (int64_t n : array.chunks)
        chunks.append(qint64(n));
    // zarr.json has no null fill value: the array's zeros (false for bool) stand for it.
    const bool isBool = array.dtype.kind() == DType::Kind::Bool;
    QJsonValue fill = options.fillValue;
    // A complex fill is [real, imaginary] in zarr.json; a single value (the default 0 too) is its real part.
    if (array.dtype.kind() == DType::Kind::Complex && !fill.isArray())
        fill = QJsonArray{fill.isNull() ? QJsonValue(0) : fill, 0};
    else if (fill.isNull())
        fill = isBool ? QJsonValue(false) : QJsonValue(0);
    else if (isBool && fill.isDouble())
        fill = fill.toDouble() != 0;
    QJsonObject o{
        {QStringLiteral("zarr_format"), 3},
        {QStringLiteral("node_type"), QStringLiteral("array")},
        {QStringLiteral("shape"), shape},
        {QStringLiteral("data_type"), array.dtype.name()},
        {QStringLiteral("chunk_grid"),
         QJsonObject{{QStringLiteral("name"), QStringLiteral("regular")},
                     {QStringLiteral("configuration"), QJsonObject{{QStringLiteral("chunk_shape"), chunks}}}}},
        {QStringLiteral("chunk_key_encoding"),
         options.chunkKeyEncoding.isUndefined() ? QJsonValue(QJsonObject{
             {QStringLiteral("name"), QStringLiteral("default")},
             {QStringLiteral("configuration"), QJsonObject{{QStringLiteral("separator"), QStringLiteral("/")}}}})
                                                : options.chunkKeyEncoding},
        {QStringLiteral("fill_value"), fill},
        {QStringLiteral("codecs"), options.codecs.isUndefined() ? QJsonValue(zarrV3DefaultCodecs()) : options.codecs},
        {QStringLiteral("attributes"),
         options.attributes.isUndefined() ? QJsonValue(QJsonObject()) : options.attributes},
    };
    if (!options.dimensionNames.isUndefined())
        o.insert(QStringLiteral("dimension_names"), options.dimensionNames);
    return ZarrV3Metadata::parse(QJsonDocument(o).toJson(QJsonDocument::Compact), array.id);
}

} // namespace

std::unique_ptr<Store> openZarrV3Store(const QByteArray &text, const StoreArray &array,
                                       const std::function<std::unique_ptr<KeyValue>(char separator)> &kvFor)
{
    const ZarrV3Metadata meta = ZarrV3Metadata::parse(text, array.id);
    auto [dtype, codecs] = resolve(meta, array.id);
    return std::make_unique<ZarrV3Store>(array.id, meta, dtype, std::move(codecs), kvFor(meta.separator));
}

std::unique_ptr<Store> createZarrV3Store(const ZarrOptions &options, const StoreArray &array)
{
    const ZarrV3Metadata meta = metadataOf(options, array);
    // Everything is checked before anything is written.
    auto [dtype, codecs] = resolve(meta, array.id);
    const ChunkGrid grid(meta.shape, meta.chunks);
    std::unique_ptr<KeyValue> kv = newZarrKeyValue(
        options, array, ZarrChunkKeys(grid, meta.separator, meta.keyEncoding == ZarrV3Metadata::KeyEncoding::Default),
        grid);
    try {
        kv->set(KvKey(QByteArrayLiteral("zarr.json")), meta.toJson());
    } catch (const StoreError &e) {
        throw StoreError(QStringLiteral("array %1: %2").arg(array.id, e.message()));
    }
    return std::make_unique<ZarrV3Store>(array.id, meta, dtype, std::move(codecs), std::move(kv));
}

int64_t zarrV3ScratchBytesPerWorker(const ZarrOptions &options, const StoreArray &array, bool writing)
{
    if (options.zarrFormat != 3 || array.existing || !array.dtypeKnown || array.shape.empty())
        return 0;
    try {
        const ZarrV3Metadata meta = metadataOf(options, array);
        const auto [dtype, codecs] = resolve(meta, array.id);
        const ShardScratch s
            = shardScratch(codecs.sharding ? &*codecs.sharding : nullptr, codecs.chain, size_t(dtype.itemsize()));
        return int64_t(writing ? s.writing : s.reading);
    } catch (const StoreError &) {
        return 0; // opening the array reports it
    } catch (const CodecError &) {
        return 0;
    }
}

} // namespace cs
