#include "scenario.h"

namespace cs {

const ArraySpec *Scenario::array(const QString &id) const
{
    for (const ArraySpec &a : arrays)
        if (a.id == id)
            return &a;
    return nullptr;
}

} // namespace cs
