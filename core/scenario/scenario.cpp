#include "scenario.h"

namespace cs {

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

} // namespace cs
