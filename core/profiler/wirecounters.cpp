#include "wirecounters.h"

#include <algorithm>

namespace cs {

WireCounters::WireCounters(int workers)
    : m_workers(std::max(0, workers))
    , m_slots(new Slot[size_t(std::max(1, workers))])
{
}

int32_t WireCounters::requestsInFlight() const
{
    int32_t sum = 0;
    for (int i = 0; i < m_workers; ++i)
        sum += m_slots[size_t(i)].inFlight.load(std::memory_order_relaxed);
    return sum;
}

int64_t WireCounters::bytes() const
{
    int64_t sum = 0;
    for (int i = 0; i < m_workers; ++i)
        sum += m_slots[size_t(i)].bytes.load(std::memory_order_relaxed);
    return sum;
}

} // namespace cs
