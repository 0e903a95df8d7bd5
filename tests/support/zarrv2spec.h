#pragma once
// Zarr v2 array specs for the store and metadata tests: a blosc or zlib compressor, an array "z1" of a
// dtype, shape and chunks, and its options and metadata.
#include "scenario/scenario.h"
#include "stores/store.h"
#include "stores/zarr/zarrmetadata.h"
#include "stores/zarr/zarroptions.h"
#include "stores/zarr/zarrstore.h"

#include <memory>
#include <optional>
#include <vector>

namespace cs {

inline CompressorSpec blosc(const char *cname = "lz4", int clevel = 5, int shuffle = 1)
{
    CompressorSpec c;
    c.id = QStringLiteral("blosc");
    c.cname = QString::fromLatin1(cname);
    c.clevel = clevel;
    c.shuffle = shuffle;
    return c;
}

inline CompressorSpec zlib(int level)
{
    CompressorSpec c;
    c.id = QStringLiteral("zlib");
    c.clevel = level;
    return c;
}

inline ArraySpec spec(const QString &dtype, std::vector<int64_t> shape, std::vector<int64_t> chunks,
                      std::optional<CompressorSpec> compressor = blosc())
{
    ArraySpec s;
    s.id = QStringLiteral("z1");
    s.store = QStringLiteral("zarr");
    s.dtype = *DType::parse(dtype);
    s.shape = std::move(shape);
    s.chunks = std::move(chunks);
    s.optionsAs<ZarrOptions>().compressor = std::move(compressor);
    return s;
}

inline ZarrOptions &opts(ArraySpec &s)
{
    return s.optionsAs<ZarrOptions>();
}

inline ZarrMetadata metadataOf(const ArraySpec &s)
{
    return ZarrMetadata::fromOptions(*s.optionsIf<ZarrOptions>(), s.storeArray());
}

inline ZarrStore &zarr(const std::unique_ptr<Store> &store)
{
    return static_cast<ZarrStore &>(*store);
}

} // namespace cs
