#include "stores/storekind.h"

#include "array/memorysize.h"
#include "codecs/blosccodec.h"

namespace cs {

QList<StoredFact> StoreKind::commonFacts(const Store &store, const StoreArray &array)
{
    const Coords shape = Coords::fromVector(array.shape);
    const Coords chunks = Coords::fromVector(array.chunks);
    return {
        {QStringLiteral("dtype"), store.dtype().typestr(), array.dtype.typestr(), store.dtype() == array.dtype},
        {QStringLiteral("shape"), store.shape().toString(), shape.toString(), store.shape() == shape},
        {QStringLiteral("chunks"), store.chunks().toString(), chunks.toString(), store.chunks() == chunks},
    };
}

QList<StoredFact> StoreKind::storedFacts(const Store &store, const StoreOptions &, const StoreArray &array) const
{
    return commonFacts(store, array);
}

QStringList StoreKind::formFields(const QJsonObject &) const
{
    QStringList fields;
    for (const KindKey &key : keys())
        fields += key.formFields;
    return fields;
}

QString storeKindList()
{
    QStringList ids;
    for (const StoreKind *kind : storeKinds())
        ids.append(kind->id());
    return quotedList(ids);
}

const StoreKind *findStoreKind(const QString &id)
{
    for (const StoreKind *kind : storeKinds())
        if (kind->id() == id)
            return kind;
    return nullptr;
}

MemoryEstimate chunkedMemoryEstimate(int64_t nbytes, bool compressed, bool onDisk)
{
    const int64_t held = compressed ? nbytes / 4 : nbytes;
    MemoryEstimate m;
    if (onDisk) {
        m.note = QStringLiteral("on disk: ")
            + (compressed ? QStringLiteral("about %1 (estimate; depends on compression)").arg(formatMemory(held))
                          : formatMemory(held));
        return m;
    }
    m.bytes = held;
    m.note = compressed ? QStringLiteral("estimate; depends on compression") : QStringLiteral("uncompressed");
    return m;
}

QString quotedList(const QStringList &items)
{
    QStringList quoted;
    for (const QString &s : items)
        quoted.append(QLatin1Char('"') + s + QLatin1Char('"'));
    if (quoted.size() < 2)
        return quoted.join(QString());
    return quoted.mid(0, quoted.size() - 1).join(QStringLiteral(", ")) + QStringLiteral(" or ") + quoted.last();
}

QString shapeText(const std::vector<int64_t> &shape)
{
    QStringList parts;
    for (const int64_t x : shape)
        parts.append(QString::number(x));
    return QLatin1Char('[') + parts.join(QStringLiteral(", ")) + QLatin1Char(']');
}

void integerBounds(const DType &dt, int64_t *min, int64_t *max)
{
    const int bits = std::min(dt.itemsize() * 8, 53);
    if (dt.kind() == DType::Kind::Bool) {
        *min = 0;
        *max = 1;
    } else if (dt.kind() == DType::Kind::UInt) {
        *min = 0;
        *max = bits >= 53 ? kMaxExactJsonInteger : (int64_t(1) << bits) - 1;
    } else {
        *max = bits >= 53 ? kMaxExactJsonInteger : (int64_t(1) << (bits - 1)) - 1;
        *min = bits >= 53 ? -kMaxExactJsonInteger : -(int64_t(1) << (bits - 1));
    }
}

CompressorSpec bloscSpec(const QString &cname)
{
    CompressorSpec c;
    c.id = QStringLiteral("blosc");
    c.cname = cname;
    c.clevel = 5;
    c.shuffle = 1;
    c.blocksize = 0;
    return c;
}

CompressorSpec readBloscKeys(const QJsonObject &c, const QString &p, CompressorSpec spec, int minShuffle,
                             bool withBlocksize)
{
    const auto at = [&](const QString &key) { return jsonPointer(p, key); };
    if (c.contains(QStringLiteral("cname"))) {
        spec.cname = requireString(c.value(QStringLiteral("cname")), at(QStringLiteral("cname")));
        if (!BloscCodec::compressorNames().contains(spec.cname))
            failAt(at(QStringLiteral("cname")),
                   QStringLiteral("must be one of ") + quotedList(BloscCodec::compressorNames()));
    }
    if (c.contains(QStringLiteral("clevel")))
        spec.clevel = int(requireInteger(c.value(QStringLiteral("clevel")), at(QStringLiteral("clevel")), 0, 9));
    if (c.contains(QStringLiteral("shuffle")))
        spec.shuffle
            = int(requireInteger(c.value(QStringLiteral("shuffle")), at(QStringLiteral("shuffle")), minShuffle, 2));
    if (withBlocksize && c.contains(QStringLiteral("blocksize")))
        spec.blocksize = int(requireInteger(c.value(QStringLiteral("blocksize")), at(QStringLiteral("blocksize")), 0,
                                            2147483647, QStringLiteral("must be a non-negative integer")));
    return spec;
}

QJsonObject bloscToJson(const CompressorSpec &c, bool withIdAndBlocksize)
{
    QJsonObject o{{QStringLiteral("cname"), c.cname},
                  {QStringLiteral("clevel"), c.clevel},
                  {QStringLiteral("shuffle"), c.shuffle}};
    if (withIdAndBlocksize) {
        o.insert(QStringLiteral("id"), QStringLiteral("blosc"));
        o.insert(QStringLiteral("blocksize"), c.blocksize);
    }
    return o;
}

} // namespace cs
