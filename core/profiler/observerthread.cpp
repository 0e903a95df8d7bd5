#include "observerthread.h"

#include <array>
#include <atomic>
#include <ctime>
#include <pthread.h>

namespace cs {

namespace {
std::atomic<bool> g_registered{false};
clockid_t g_clock{};
// Helpers claim a slot, store their clock, then publish it: the sampler reads only published slots.
std::array<clockid_t, kMaxObserverHelpers> g_helperClocks{};
std::atomic<int> g_helpersClaimed{0};
std::atomic<int> g_helpersPublished{0};

bool callingThreadClock(clockid_t *clock)
{
    return pthread_getcpuclockid(pthread_self(), clock) == 0;
}

int64_t cpuNs(clockid_t clock)
{
    timespec cpu{};
    if (clock_gettime(clock, &cpu) != 0)
        return -1;
    return int64_t(cpu.tv_sec) * 1000000000 + cpu.tv_nsec;
}
} // namespace

void setObserverThread()
{
    clockid_t clock{};
    if (!callingThreadClock(&clock))
        return;
    g_clock = clock;
    g_registered.store(true, std::memory_order_release);
}

bool addObserverHelperThread()
{
    clockid_t clock{};
    if (!callingThreadClock(&clock))
        return false;
    const int slot = g_helpersClaimed.fetch_add(1, std::memory_order_relaxed);
    if (slot >= kMaxObserverHelpers)
        return false;
    g_helperClocks[size_t(slot)] = clock;
    // Slots are published in order, so a reader never sums a slot whose clock is not yet stored.
    int expected = slot;
    while (!g_helpersPublished.compare_exchange_weak(expected, slot + 1, std::memory_order_release,
                                                     std::memory_order_relaxed))
        expected = slot;
    return true;
}

bool hasObserverThread()
{
    return g_registered.load(std::memory_order_acquire);
}

int64_t observerThreadCpuNs()
{
    if (!hasObserverThread())
        return -1;
    int64_t sum = cpuNs(g_clock);
    if (sum < 0)
        return -1;
    const int helpers = g_helpersPublished.load(std::memory_order_acquire);
    for (int i = 0; i < helpers; ++i) {
        const int64_t ns = cpuNs(g_helperClocks[size_t(i)]);
        if (ns > 0)
            sum += ns;
    }
    return sum;
}

} // namespace cs
