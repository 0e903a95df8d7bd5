// libFuzzer target: sharding_indexed's shard index. The first bytes choose a layout (inner chunks per
// shard, byte order, checksum, location) and the shard's size; the rest is the index. A flag fixes the
// checksum up so that the entries themselves get explored. Whatever decodes must lie inside the shard and
// outside the index, and encode back to the same bytes. Inputs that start with '{' go to the sharding
// configuration reader instead.
#include "codecs/chunkcodec.h"
#include "codecs/crc32c.h"
#include "stores/zarr/v3/shardindex.h"

#include <QJsonDocument>

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <vector>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size > 0 && data[0] == '{') {
        const QJsonObject config
            = QJsonDocument::fromJson(QByteArray(reinterpret_cast<const char *>(data), qsizetype(size))).object();
        QString error;
        const auto layout = cs::ShardIndexLayout::fromConfiguration(config, cs::Coords::fromVector({8, 6}), &error);
        if (layout ? layout->entryCount() < 1 || layout->entryCount() > 48
                   : !error.startsWith(QLatin1String("sharding_indexed ")))
            __builtin_trap();
        return 0;
    }
    if (size < 11)
        return 0;
    cs::ShardIndexLayout layout;
    layout.chunksPerShard = cs::Coords::fromVector({1 + data[0] % 4, 1 + (data[0] >> 2) % 4});
    layout.bigEndian = data[1] & 1;
    layout.checksum = data[1] & 2;
    layout.location = data[1] & 4 ? cs::ShardIndexLayout::Location::Start : cs::ShardIndexLayout::Location::End;
    const bool fixChecksum = data[1] & 8;
    uint64_t shardSize;
    std::memcpy(&shardSize, data + 2, 8);
    if (data[1] & 16)
        shardSize %= 4096; // mostly plausible sizes
    std::vector<unsigned char> index(data + 10, data + size);
    if (fixChecksum && layout.checksum && index.size() == layout.encodedSize()) {
        const uint32_t crc = cs::crc32c(index.data(), index.size() - 4);
        for (int i = 0; i < 4; ++i)
            index[index.size() - 4 + size_t(i)] = static_cast<unsigned char>(crc >> (8 * i));
    }
    std::vector<cs::ShardIndexEntry> entries(size_t(layout.entryCount()));
    try {
        cs::decodeShardIndex(index.data(), index.size(), layout, shardSize, entries.data());
    } catch (const cs::CodecError &e) {
        if (!e.message().startsWith(QLatin1String("shard")))
            __builtin_trap();
        return 0;
    }
    const uint64_t indexBegin = layout.indexOffset(shardSize), indexEnd = indexBegin + layout.encodedSize();
    for (const cs::ShardIndexEntry &e : entries) {
        if (e.isEmpty())
            continue;
        const uint64_t end = e.offset + e.nbytes;
        if (end < e.offset || end > shardSize || (e.offset < indexEnd && end > indexBegin && e.nbytes > 0))
            __builtin_trap();
    }
    std::vector<unsigned char> again(index.size());
    cs::encodeShardIndex(entries.data(), layout, again.data());
    if (again != index)
        __builtin_trap();
    return 0;
}
