// libFuzzer target: the Zarr v2 .zarray parser. Whatever it accepts must write back as a .zarray
// that parses to the same array, since a store writes what it parsed when it creates a copy.
#include "stores/store.h"
#include "stores/zarr/zarrkeyvalue.h"
#include "stores/zarr/zarrmetadata.h"

#include <cstddef>
#include <cstdint>

namespace {

bool sameArray(const cs::ZarrMetadata &a, const cs::ZarrMetadata &b)
{
    return a.shape == b.shape && a.chunks == b.chunks && a.dtype == b.dtype && a.compressor == b.compressor
        && a.fillJson == b.fillJson && a.fillItem == b.fillItem && a.fortranOrder == b.fortranOrder
        && a.separator == b.separator && a.filters == b.filters;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const QByteArray json = QByteArray::fromRawData(reinterpret_cast<const char *>(data), qsizetype(size));
    cs::ZarrMetadata meta;
    try {
        meta = cs::ZarrMetadata::parse(json, QStringLiteral("fuzz"));
    } catch (const cs::StoreError &e) {
        if (!e.message().startsWith(QLatin1String("array fuzz, .zarray: ")))
            __builtin_trap();
        return 0;
    }
    const cs::ZarrMetadata again = cs::ZarrMetadata::parse(meta.toJson(), QStringLiteral("fuzz"));
    if (!sameArray(meta, again))
        __builtin_trap();
    // The chunk keys of the parsed grid: the last chunk's key must name that chunk and nothing else.
    const cs::ChunkGrid grid(meta.shape, meta.chunks);
    if (grid.chunkCount() > 0) {
        const cs::ZarrChunkKeys keys(grid, meta.separator);
        const int64_t last = grid.chunkCount() - 1;
        if (keys.parse(keys.key(last)) != std::optional<int64_t>(last))
            __builtin_trap();
    }
    return 0;
}
