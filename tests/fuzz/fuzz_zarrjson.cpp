// libFuzzer target: the Zarr v3 zarr.json parser. Whatever it accepts must write back as a zarr.json that
// parses to the same array, since a store writes what it parsed when it creates a copy. Its codecs list then
// builds a codec chain or fails with a CodecError, as opening the array does.
#include "stores/store.h"
#include "stores/zarr/v3/zarrv3codecs.h"
#include "stores/zarr/v3/zarrv3metadata.h"

#include <cstddef>
#include <cstdint>

namespace {

bool sameArray(const cs::ZarrV3Metadata &a, const cs::ZarrV3Metadata &b)
{
    return a.shape == b.shape && a.chunks == b.chunks && a.dataType == b.dataType && a.keyEncoding == b.keyEncoding
        && a.separator == b.separator && a.fill.json == b.fill.json && a.fill.item == b.fill.item
        && a.codecs == b.codecs && a.attributes == b.attributes && a.dimensionNames == b.dimensionNames;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const QByteArray json = QByteArray::fromRawData(reinterpret_cast<const char *>(data), qsizetype(size));
    cs::ZarrV3Metadata meta;
    try {
        meta = cs::ZarrV3Metadata::parse(json, QStringLiteral("fuzz"));
    } catch (const cs::StoreError &e) {
        if (!e.message().startsWith(QLatin1String("array fuzz, zarr.json: ")))
            __builtin_trap();
        return 0;
    }
    if (meta.fill.item.size() != meta.dataType.itemsize)
        __builtin_trap();
    const QByteArray written = meta.toJson();
    const cs::ZarrV3Metadata again = cs::ZarrV3Metadata::parse(written, QStringLiteral("fuzz"));
    if (!sameArray(meta, again) || again.toJson() != written)
        __builtin_trap();
    // The key of the last chunk names each of its indices.
    cs::Coords last = meta.shape;
    for (int d = 0; d < last.rank; ++d)
        last[d] = last[d] > 0 ? (last[d] - 1) / meta.chunks[d] : 0;
    const QByteArray key = meta.chunkKey(last);
    if (key.count(meta.separator) != last.rank - (meta.keyEncoding == cs::ZarrV3Metadata::KeyEncoding::V2 ? 1 : 0))
        __builtin_trap();
    try {
        const cs::ZarrV3Codecs codecs = cs::makeZarrV3Codecs(meta.codecs, meta.chunks, meta.dataType.itemsize);
        if (codecs.sharding
            && codecs.sharding->innerShape.product() * codecs.sharding->layout.entryCount() != meta.chunks.product())
            __builtin_trap();
    } catch (const cs::CodecError &) {
    }
    return 0;
}
