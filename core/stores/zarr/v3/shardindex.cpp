#include "shardindex.h"

#include "codecs/crc32c.h"
#include "codecs/crc32ccodec.h"
#include "stores/zarr/zarrjson.h"

#include <QJsonArray>
#include <QStringList>

namespace cs {

namespace {

void putU64(unsigned char *p, uint64_t v, bool bigEndian)
{
    for (int i = 0; i < 8; ++i)
        p[bigEndian ? 7 - i : i] = static_cast<unsigned char>(v >> (8 * i));
}

uint64_t getU64(const unsigned char *p, bool bigEndian)
{
    uint64_t v = 0;
    for (int i = 0; i < 8; ++i)
        v |= uint64_t(p[bigEndian ? 7 - i : i]) << (8 * i);
    return v;
}

QString entryError(const ShardIndexLayout &layout, int64_t i, const QString &why)
{
    return QStringLiteral("shard index: inner chunk %1 %2").arg(layout.innerChunkName(i), why);
}

} // namespace

QString ShardIndexLayout::innerChunkName(int64_t i) const
{
    QStringList parts;
    Coords at = Coords::filled(chunksPerShard.rank, 0);
    for (int d = chunksPerShard.rank - 1; d >= 0; --d) {
        at[d] = i % chunksPerShard[d];
        i /= chunksPerShard[d];
    }
    for (int d = 0; d < at.rank; ++d)
        parts << QString::number(at[d]);
    return QLatin1Char('(') + parts.join(QStringLiteral(", ")) + QLatin1Char(')');
}

QString ShardIndexLayout::describe() const
{
    return QStringLiteral("bytes(%1)%2 at the %3")
        .arg(bigEndian ? QStringLiteral("big") : QStringLiteral("little"),
             checksum ? QStringLiteral(" | crc32c") : QString(),
             location == Location::Start ? QStringLiteral("start") : QStringLiteral("end"));
}

std::optional<ShardIndexLayout> ShardIndexLayout::fromConfiguration(const QJsonObject &configuration,
                                                                    const Coords &shardShape, QString *error)
{
    auto invalid = [&](const QString &why) {
        *error = QStringLiteral("sharding_indexed ") + why;
        return std::nullopt;
    };
    ShardIndexLayout layout;
    Coords inner;
    if (!zarrjson::readCoords(configuration.value(QLatin1String("chunk_shape")), &inner)
        || inner.rank != shardShape.rank)
        return invalid(QStringLiteral("chunk_shape must be a list of %1 integers").arg(shardShape.rank));
    layout.chunksPerShard = inner;
    for (int d = 0; d < inner.rank; ++d) {
        if (inner[d] < 1 || shardShape[d] % inner[d] != 0)
            return invalid(QStringLiteral("chunk_shape %1 does not divide the shard shape %2")
                               .arg(inner.toString(), shardShape.toString()));
        layout.chunksPerShard[d] = shardShape[d] / inner[d];
    }

    const QJsonValue codecs = configuration.value(QLatin1String("index_codecs"));
    const QJsonArray list = codecs.toArray();
    const char *expected = "index_codecs must be bytes (little or big endian) and an optional crc32c";
    if (!codecs.isArray() || list.isEmpty() || list.size() > 2)
        return invalid(QLatin1String(expected));
    auto codecName = [](const QJsonValue &v) {
        return v.isString() ? v.toString() : v.toObject().value(QLatin1String("name")).toString();
    };
    if (codecName(list.at(0)) != QLatin1String("bytes"))
        return invalid(QLatin1String(expected));
    const QJsonValue endian
        = list.at(0).toObject().value(QLatin1String("configuration")).toObject().value(QLatin1String("endian"));
    if (endian == QJsonValue(QStringLiteral("big")))
        layout.bigEndian = true;
    else if (endian != QJsonValue(QStringLiteral("little")))
        return invalid(QStringLiteral("index_codecs bytes endian %1 is not \"little\" or \"big\"")
                           .arg(endian.isUndefined() ? QStringLiteral("(missing)") : zarrjson::text(endian)));
    layout.checksum = list.size() == 2;
    if (layout.checksum && codecName(list.at(1)) != QLatin1String("crc32c"))
        return invalid(QLatin1String(expected));

    const QJsonValue location = configuration.value(QLatin1String("index_location"));
    if (location == QJsonValue(QStringLiteral("start")))
        layout.location = Location::Start;
    else if (!location.isUndefined() && location != QJsonValue(QStringLiteral("end")))
        return invalid(QStringLiteral("index_location %1 is not \"start\" or \"end\"").arg(zarrjson::text(location)));
    // An index of more than 2^31 bytes is no index a real shard has, and its size must not overflow.
    if (!zarrjson::checkShape(layout.chunksPerShard, layout.chunksPerShard, 16, error))
        return invalid(
            QStringLiteral("has too many inner chunks per shard (%1)").arg(layout.chunksPerShard.toString()));
    return layout;
}

void encodeShardIndex(const ShardIndexEntry *entries, const ShardIndexLayout &layout, void *out)
{
    auto *p = static_cast<unsigned char *>(out);
    const int64_t n = layout.entryCount();
    for (int64_t i = 0; i < n; ++i) {
        putU64(p + 16 * i, entries[i].offset, layout.bigEndian);
        putU64(p + 16 * i + 8, entries[i].nbytes, layout.bigEndian);
    }
    if (layout.checksum) {
        const uint32_t crc = crc32c(p, size_t(16 * n));
        for (int i = 0; i < 4; ++i)
            p[16 * n + i] = static_cast<unsigned char>(crc >> (8 * i));
    }
}

void decodeShardIndex(const void *in, size_t n, const ShardIndexLayout &layout, uint64_t shardSize,
                      ShardIndexEntry *entries)
{
    const uint64_t indexSize = layout.encodedSize();
    if (n != indexSize)
        throw CodecError(QStringLiteral("shard index is %1 bytes, but %2 inner chunks need %3")
                             .arg(qulonglong(n))
                             .arg(layout.entryCount())
                             .arg(qulonglong(indexSize)));
    if (shardSize < indexSize)
        throw CodecError(QStringLiteral("shard of %1 bytes is shorter than its %2-byte index")
                             .arg(qulonglong(shardSize))
                             .arg(qulonglong(indexSize)));
    if (layout.checksum) {
        try {
            Crc32cCodec::verify(in, n);
        } catch (const CodecError &e) {
            throw CodecError(QStringLiteral("shard index: ") + e.message());
        }
    }
    // Inner chunks live outside the index: after it when it is at the start, before it at the end.
    const uint64_t dataBegin = layout.location == ShardIndexLayout::Location::Start ? indexSize : 0;
    const uint64_t dataEnd = layout.location == ShardIndexLayout::Location::Start ? shardSize : shardSize - indexSize;
    const auto *p = static_cast<const unsigned char *>(in);
    const int64_t count = layout.entryCount();
    for (int64_t i = 0; i < count; ++i) {
        ShardIndexEntry e{getU64(p + 16 * i, layout.bigEndian), getU64(p + 16 * i + 8, layout.bigEndian)};
        if (!e.isEmpty()) {
            uint64_t end = 0;
            if (e.offset == ShardIndexEntry::kEmpty || e.nbytes == ShardIndexEntry::kEmpty)
                throw CodecError(entryError(layout, i,
                                            QStringLiteral("has offset %1 and nbytes %2: only one marks it empty")
                                                .arg(qulonglong(e.offset))
                                                .arg(qulonglong(e.nbytes))));
            if (__builtin_add_overflow(e.offset, e.nbytes, &end))
                throw CodecError(entryError(layout, i,
                                            QStringLiteral("has offset %1 + nbytes %2 beyond 2^64")
                                                .arg(qulonglong(e.offset))
                                                .arg(qulonglong(e.nbytes))));
            if (end > shardSize)
                throw CodecError(
                    entryError(layout, i,
                               QStringLiteral("at bytes %1 to %2 lies past the end of the shard (%3 bytes)")
                                   .arg(qulonglong(e.offset))
                                   .arg(qulonglong(end))
                                   .arg(qulonglong(shardSize))));
            if (e.offset < dataBegin || end > dataEnd)
                throw CodecError(entryError(layout, i,
                                            QStringLiteral("at bytes %1 to %2 overlaps the index at bytes %3 to %4")
                                                .arg(qulonglong(e.offset))
                                                .arg(qulonglong(end))
                                                .arg(qulonglong(layout.indexOffset(shardSize)))
                                                .arg(qulonglong(layout.indexOffset(shardSize) + indexSize))));
        }
        entries[i] = e;
    }
}

} // namespace cs
