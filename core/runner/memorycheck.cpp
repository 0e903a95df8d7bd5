#include "memorycheck.h"

#include "array/memorysize.h"
#include "filesizes.h"
#include "results/runresult.h"
#include "scenario/allocation.h"

namespace cs {

QString MemoryCheck::text() const
{
    return QStringLiteral("needs about %1 of memory but %2 is available")
        .arg(formatMemory(neededBytes), formatMemory(availableBytes));
}

MemoryCheck checkMemory(const Scenario &scenario)
{
    MemoryCheck check;
    check.neededBytes = totalAllocation(withSizesFromFiles(scenario));
    check.availableBytes = HostInfo::current().availableMemoryBytes;
    return check;
}

} // namespace cs
