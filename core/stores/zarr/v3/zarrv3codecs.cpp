#include "zarrv3codecs.h"

#include "codecs/blosccodec.h"
#include "codecs/bytescodec.h"
#include "codecs/crc32ccodec.h"
#include "codecs/numcodecsfactory.h"
#include "codecs/transposecodec.h"
#include "codecs/zlibcodec.h"
#include "codecs/zstdcodec.h"
#include "stores/zarr/zarrjson.h"

#include <QJsonArray>
#include <QStringList>

namespace cs {

namespace {

const char *const kSupported
    = "bytes, transpose, blosc, gzip, zstd, crc32c, sharding_indexed and numcodecs.<id> for numcodecs' codecs are";

// Reads one codecs entry's configuration, naming the entry in every complaint.
class Entry {
public:
    Entry(const ZarrV3Codec &codec, int index)
        : m_codec(codec)
        , m_where(QStringLiteral("codecs[%1] \"%2\"").arg(index).arg(codec.name))
    {
    }
    [[noreturn]] void fail(const QString &why) const { throw CodecError(m_where + QLatin1Char(' ') + why); }
    QJsonValue value(const char *key) const { return m_codec.configuration.value(QLatin1String(key)); }
    int64_t integer(const char *key, int64_t min, int64_t max, std::optional<int64_t> fallback) const
    {
        const QJsonValue v = value(key);
        if (v.isUndefined() && fallback)
            return *fallback;
        int64_t out = 0;
        if (!zarrjson::toInt64(v, &out) || out < min || out > max)
            fail(QStringLiteral("%1 %2 is not an integer from %3 to %4")
                     .arg(QLatin1String(key), v.isUndefined() ? QStringLiteral("(missing)") : zarrjson::text(v))
                     .arg(min)
                     .arg(max));
        return out;
    }
    QString choice(const char *key, const QStringList &allowed, const QString &fallback) const
    {
        const QJsonValue v = value(key);
        if (v.isUndefined() && !fallback.isEmpty())
            return fallback;
        if (!v.isString() || !allowed.contains(v.toString())) {
            QStringList quoted;
            for (const QString &a : allowed)
                quoted << QLatin1Char('"') + a + QLatin1Char('"');
            fail(QStringLiteral("%1 %2 is not one of %3")
                     .arg(QLatin1String(key), v.isUndefined() ? QStringLiteral("(missing)") : zarrjson::text(v),
                          quoted.join(QStringLiteral(", "))));
        }
        return v.toString();
    }

private:
    const ZarrV3Codec &m_codec;
    QString m_where;
};

std::unique_ptr<ChunkCodec> bloscOf(const Entry &e, int itemsize)
{
    BloscParams p;
    p.cname = e.choice("cname", BloscCodec::compressorNames(), QString());
    p.clevel = int(e.integer("clevel", 0, 9, std::nullopt));
    const QString shuffle = e.choice(
        "shuffle", {QStringLiteral("noshuffle"), QStringLiteral("shuffle"), QStringLiteral("bitshuffle")}, QString());
    p.shuffle = shuffle == QLatin1String("noshuffle") ? 0 : shuffle == QLatin1String("shuffle") ? 1 : 2;
    p.typesize = int(e.integer("typesize", 1, 255, itemsize));
    p.blocksize = int(e.integer("blocksize", 0, INT32_MAX, 0));
    return std::make_unique<BloscCodec>(p);
}

// Builds the steps of one codecs list for chunks of `shape`, appending them to chain.
void appendSteps(const QList<ZarrV3Codec> &codecs, Coords shape, const DType &dtype, CodecChain &chain,
                 std::optional<ZarrV3Codecs::Sharding> *sharding)
{
    const int itemsize = dtype.itemsize();
    int stage = 0; // 0: array→array steps, 1: array→bytes seen, 2: ...
    for (int i = 0; i < codecs.size(); ++i) {
        const ZarrV3Codec &codec = codecs.at(i);
        const Entry e(codec, i);
        const QString &name = codec.name;
        if (name == QLatin1String("transpose")) {
            if (stage != 0)
                e.fail(QStringLiteral("is an array-to-array codec and must come before bytes"));
            const QJsonArray order = e.value("order").toArray();
            Coords perm;
            perm.rank = shape.rank;
            QList<bool> seen(shape.rank, false);
            bool valid = order.size() == shape.rank;
            for (int d = 0; valid && d < shape.rank; ++d) {
                int64_t axis = -1;
                valid = zarrjson::toInt64(order.at(d), &axis) && axis >= 0 && axis < shape.rank && !seen[int(axis)];
                if (valid) {
                    seen[int(axis)] = true;
                    perm[d] = axis;
                }
            }
            if (!valid)
                e.fail(QStringLiteral("order must be a permutation of 0 to %1").arg(shape.rank - 1));
            chain.append(std::make_unique<TransposeCodec>(shape, size_t(itemsize), perm));
            Coords permuted = shape;
            for (int d = 0; d < shape.rank; ++d)
                permuted[d] = shape[int(perm[d])];
            shape = permuted;
        } else if (name == QLatin1String("bytes")) {
            if (stage != 0)
                e.fail(QStringLiteral("is a second array-to-bytes codec"));
            stage = 1;
            const QString endian = e.choice("endian", {QStringLiteral("little"), QStringLiteral("big")},
                                            itemsize == 1 ? QStringLiteral("little") : QString());
            // A complex item is two floats, each in the given order.
            auto step = std::make_unique<BytesCodec>(dtype.swapUnit(), endian == QLatin1String("big"));
            // Chunks are little-endian in memory: a little-endian bytes step changes nothing, and without
            // it an uncompressed chunk is read straight into place.
            if (!step->isIdentity())
                chain.append(std::move(step));
        } else if (name == QLatin1String("sharding_indexed")) {
            if (!sharding || codecs.size() != 1)
                e.fail(QStringLiteral("must be the array's only codec (its own codecs list says the rest)"));
            QString error;
            const auto layout = ShardIndexLayout::fromConfiguration(codec.configuration, shape, &error);
            if (!layout)
                throw CodecError(QStringLiteral("codecs[%1] ").arg(i) + error);
            ZarrV3Codecs::Sharding s;
            s.layout = *layout;
            s.innerShape = shape;
            for (int d = 0; d < shape.rank; ++d)
                s.innerShape[d] = shape[d] / layout->chunksPerShard[d];
            QList<ZarrV3Codec> inner;
            const QJsonValue list = e.value("codecs");
            if (!list.isArray() || list.toArray().isEmpty())
                e.fail(QStringLiteral("codecs must be a non-empty list"));
            for (const QJsonValue &v : list.toArray()) {
                const QJsonObject o = v.toObject();
                inner.append(ZarrV3Codec{v.isString() ? v.toString() : o.value(QLatin1String("name")).toString(),
                                         o.value(QLatin1String("configuration")).toObject(), true});
            }
            try {
                appendSteps(inner, s.innerShape, dtype, chain, nullptr);
            } catch (const CodecError &err) {
                throw CodecError(QStringLiteral("codecs[%1] sharding_indexed inner ").arg(i) + err.message());
            }
            *sharding = s;
            stage = 1;
        } else if (name == QLatin1String("blosc") || name == QLatin1String("gzip") || name == QLatin1String("zstd")
                   || name == QLatin1String("crc32c")) {
            if (stage == 0)
                e.fail(QStringLiteral("is a bytes-to-bytes codec and must come after bytes"));
            stage = 2;
            if (name == QLatin1String("blosc"))
                chain.append(bloscOf(e, itemsize));
            else if (name == QLatin1String("gzip"))
                chain.append(
                    std::make_unique<ZlibCodec>(int(e.integer("level", 0, 9, std::nullopt)), ZlibContainer::Gzip));
            else if (name == QLatin1String("zstd"))
                chain.append(std::make_unique<ZstdCodec>(int(e.integer("level", -131072, 22, 0)),
                                                         e.value("checksum").toBool(false)));
            else
                chain.append(std::make_unique<Crc32cCodec>());
        } else if (name.startsWith(QLatin1String("numcodecs."))) {
            // zarr-python 3 names a numcodecs codec "numcodecs.<id>", with numcodecs' own configuration.
            // Filters rearrange items before bytes; compressors and checksums work on bytes after it.
            QJsonObject config = codec.configuration;
            config.insert(QStringLiteral("id"), name.mid(int(sizeof("numcodecs.")) - 1));
            std::unique_ptr<ChunkCodec> step;
            try {
                step = makeNumcodecsCodec(config);
            } catch (const CodecError &err) {
                e.fail(err.message());
            }
            if (step->kind() == CodecKind::ArrayToArray) {
                if (stage != 0)
                    e.fail(QStringLiteral("is an array-to-array codec and must come before bytes"));
            } else {
                if (stage == 0)
                    e.fail(QStringLiteral("is a bytes-to-bytes codec and must come after bytes"));
                stage = 2;
            }
            chain.append(std::move(step));
        } else {
            e.fail(QStringLiteral("is not supported (%1)").arg(QLatin1String(kSupported)));
        }
    }
    if (stage == 0)
        throw CodecError(QStringLiteral("codecs must hold an array-to-bytes codec (bytes or sharding_indexed)"));
}

} // namespace

QString ZarrV3Codecs::describe() const
{
    const QString steps = chain.isEmpty() ? QStringLiteral("bytes(little)") : chain.describe();
    if (!sharding)
        return steps;
    return QStringLiteral("sharding_indexed(chunk_shape=%1, index at %2) | %3")
        .arg(sharding->innerShape.toString(),
             sharding->layout.location == ShardIndexLayout::Location::Start ? QStringLiteral("start")
                                                                            : QStringLiteral("end"),
             steps);
}

ZarrV3Codecs makeZarrV3Codecs(const QList<ZarrV3Codec> &codecs, const Coords &chunkShape, const DType &dtype)
{
    ZarrV3Codecs out;
    appendSteps(codecs, chunkShape, dtype, out.chain, &out.sharding);
    return out;
}

} // namespace cs
