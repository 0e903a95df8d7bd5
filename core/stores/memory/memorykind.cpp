#include "stores/memory/memorykind.h"

#include "stores/memory/memorystore.h"

namespace cs {

namespace {

class MemoryKind final : public TypedStoreKind<MemoryOptions> {
public:
    QString id() const override { return QStringLiteral("memory"); }
    QString summary() const override { return QStringLiteral("memory: a NumPy-like buffer"); }

    const QList<KindKey> &keys() const override
    {
        static const QList<KindKey> k;
        return k;
    }

    StoreOptions likeOptions(const StoreOptions &) const override { return MemoryOptions(); }

    MemoryEstimate memoryEstimate(const StoreOptions &, int64_t nbytes) const override { return {nbytes, QString()}; }

    std::unique_ptr<Store> open(const StoreOptions &, const StoreArray &array) const override
    {
        return std::make_unique<MemoryStore>(array.id, array.dtype, Coords::fromVector(array.shape),
                                             Coords::fromVector(array.chunks));
    }

    QString disagreement(const Store &, const StoreOptions &, const StoredFact &) const override { return QString(); }

    bool prefaultable() const override { return true; }
};

} // namespace

const StoreKind &memoryKind()
{
    static const MemoryKind kind;
    return kind;
}

} // namespace cs
