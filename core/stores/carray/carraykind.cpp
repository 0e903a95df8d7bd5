#include "stores/carray/carraykind.h"

#include "stores/carray/bcolzrootdir.h"
#include "stores/carray/carrayoptions.h"
#include "stores/carray/carraystore.h"

namespace cs {

namespace {

class CarrayKind final : public TypedStoreKind<CarrayOptions> {
public:
    QString id() const override { return QStringLiteral("carray"); }
    QString summary() const override { return QStringLiteral("carray: bcolz"); }

    const QList<KindKey> &keys() const override
    {
        static const QList<KindKey> k = {
            // Read with the chunks (settleChunks); the chunks carry it when saved.
            {QStringLiteral("chunklen"),
             QStringLiteral("integer"),
             QStringLiteral("bcolz's"),
             {QStringLiteral("chunklen")},
             nullptr,
             nullptr,
             true},
            {QStringLiteral("cparams"),
             QStringLiteral("object"),
             QStringLiteral("blosclz, clevel 5, shuffle 1"),
             {QStringLiteral("cparams/cname"), QStringLiteral("cparams/clevel"), QStringLiteral("cparams/shuffle")},
             [](const QJsonValue &v, const KindParse &p, StoreOptions &o) {
                 if (v.isUndefined())
                     return;
                 const QString at = p.at(QStringLiteral("cparams"));
                 const QJsonObject c = requireObject(v, at);
                 checkKeys(c, at, {QStringLiteral("cname"), QStringLiteral("clevel"), QStringLiteral("shuffle")});
                 options(o).cparams = readBloscKeys(c, at, CarrayOptions().cparams, 0, false);
             },
             [](const StoreOptions &o, QJsonObject &out) {
                 out.insert(QStringLiteral("cparams"), bloscToJson(options(o).cparams, false));
             }},
            pathKey(QStringLiteral("rootdir"), &CarrayOptions::rootdir),
        };
        return k;
    }

    StoreOptions likeOptions(const StoreOptions &base) const override
    {
        CarrayOptions o;
        o.cparams = options(base).cparams;
        return o;
    }

    bool defaultsToOneChunk() const override { return false; }

    // bcolz chunks along the first axis only: chunks are [chunklen, shape[1], ...].
    void settleChunks(const KindParse &p, ChunkSource source, std::vector<int64_t> &chunks,
                      StoreOptions &o) const override
    {
        const auto at = [&](const QString &key) { return p.at(key); };
        const bool chunksGiven = source == ChunkSource::Given;
        int64_t chunklen = 0;
        if (p.has(QStringLiteral("chunklen")))
            chunklen = requireInteger(p.given.value(QStringLiteral("chunklen")), at(QStringLiteral("chunklen")), 1,
                                      kMaxExactJsonInteger, QStringLiteral("must be a positive integer"));
        if (chunksGiven && chunklen && chunks[0] != chunklen)
            failAt(at(QStringLiteral("chunklen")),
                   QStringLiteral("%1 differs from the first entry of chunks, %2").arg(chunklen).arg(chunks[0]));
        const std::vector<int64_t> &shape = p.array.shape;
        if (shape.empty()) {
            options(o).chunklen = chunklen ? chunklen : chunksGiven ? chunks[0] : 0;
            return;
        }
        std::vector<int64_t> rows = shape;
        for (int64_t &x : rows)
            x = std::max<int64_t>(x, 1);
        if (chunksGiven) {
            rows[0] = chunks[0];
            if (chunks != rows) {
                rows[0] = 0;
                failAt(at(QStringLiteral("chunks")),
                       QStringLiteral("a carray is chunked along its first axis only: chunks must be ")
                           + shapeText(rows).replace(QStringLiteral("[0"), QStringLiteral("[N")));
            }
        } else if (chunklen) {
            rows[0] = chunklen;
        } else if (source == ChunkSource::Borrowed) {
            rows[0] = chunks[0]; // taken from `like`
        } else {
            rows[0] = p.array.dtypeKnown ? carrayDefaultChunklen(p.array.dtype, shape) : 0;
        }
        chunks = rows[0] > 0 ? rows : std::vector<int64_t>();
        options(o).chunklen = rows[0];
    }

    bool compressesChunks(const StoreOptions &) const override { return true; }

    MemoryEstimate memoryEstimate(const StoreOptions &o, int64_t nbytes) const override
    {
        return chunkedMemoryEstimate(nbytes, options(o).cparams.clevel > 0, !options(o).rootdir.isEmpty());
    }

    QString locationKey() const override { return QStringLiteral("rootdir"); }
    QString location(const StoreOptions &o) const override { return options(o).rootdir; }
    std::optional<QString> overwriteRefusal(const QString &path) const override
    {
        return BcolzRootdir::overwriteRefusal(path);
    }

    std::unique_ptr<Store> open(const StoreOptions &o, const StoreArray &array) const override
    {
        return createCarrayStore(options(o), array);
    }

    QList<StoredFact> storedFacts(const Store &store, const StoreOptions &o, const StoreArray &array) const override
    {
        const QList<StoredFact> f = commonFacts(store, array);
        const auto *carray = dynamic_cast<const CarrayStore *>(&store);
        const int64_t stored = carray ? carray->chunklen() : 0;
        const int64_t given = options(o).chunklen;
        const StoredFact chunklen{QStringLiteral("chunklen"), QString::number(stored), QString::number(given),
                                  stored == given};
        return {f.at(0), f.at(1), chunklen, f.at(2)};
    }

    QString disagreement(const Store &, const StoreOptions &o, const StoredFact &fact) const override
    {
        return QStringLiteral("rootdir %1 holds %2 %3 but the scenario gives %4")
            .arg(options(o).rootdir, fact.key, fact.stored, fact.given);
    }
};

} // namespace

const StoreKind &carrayKind()
{
    static const CarrayKind kind;
    return kind;
}

int64_t carrayDefaultChunklen(const DType &dtype, const std::vector<int64_t> &shape)
{
    if (shape.empty())
        return 1;
    int64_t rowBytes = dtype.itemsize();
    for (size_t i = 1; i < shape.size(); ++i)
        if (__builtin_mul_overflow(rowBytes, shape[i], &rowBytes))
            return 1;
    return bcolzDefaultChunklen(shape[0], rowBytes);
}

} // namespace cs
