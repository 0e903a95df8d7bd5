#include "scenario.h"

namespace cs {

const StoreKind *ArraySpec::kind() const
{
    return findStoreKind(store);
}

StoreArray ArraySpec::storeArray() const
{
    StoreArray a;
    a.id = id;
    a.dtype = dtype;
    a.dtypeKnown = dtypeKnown;
    a.shape = shape;
    a.chunks = chunks;
    a.existing = fill.kind == FillSpec::Kind::Existing;
    a.overwrite = overwrite;
    return a;
}

const ArraySpec *Scenario::array(const QString &id) const
{
    if (const auto at = arrayIndex.constFind(id); at != arrayIndex.constEnd())
        if (*at < arrays.size() && arrays.at(*at).id == id)
            return &arrays.at(*at);
    for (const ArraySpec &a : arrays)
        if (a.id == id)
            return &a;
    return nullptr;
}

void Scenario::indexArrays()
{
    arrayIndex.clear();
    arrayIndex.reserve(arrays.size());
    for (qsizetype i = 0; i < arrays.size(); ++i)
        arrayIndex.insert(arrays.at(i).id, i);
}

std::optional<RunOrder> runOrderFromName(const QJsonValue &name)
{
    if (name == QJsonValue(runOrderName(RunOrder::Interleaved)))
        return RunOrder::Interleaved;
    if (name == QJsonValue(runOrderName(RunOrder::Sequential)))
        return RunOrder::Sequential;
    return std::nullopt;
}

QString runOrderName(RunOrder order)
{
    return order == RunOrder::Sequential ? QStringLiteral("sequential") : QStringLiteral("interleaved");
}

} // namespace cs
