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
    return checkMemory(estimateAllocation(withSizesFromFiles(scenario)));
}

MemoryCheck checkMemory(const QList<AllocationLine> &lines)
{
    MemoryCheck check;
    check.neededBytes = totalAllocation(lines);
    check.availableBytes = HostInfo::current().availableMemoryBytes;
    return check;
}

} // namespace cs
