#include "observerthread.h"

#include <atomic>
#include <ctime>
#include <pthread.h>

namespace cs {

namespace {
std::atomic<bool> g_registered{false};
clockid_t g_clock{};
} // namespace

void setObserverThread()
{
    clockid_t clock{};
    if (pthread_getcpuclockid(pthread_self(), &clock) != 0)
        return;
    g_clock = clock;
    g_registered.store(true, std::memory_order_release);
}

bool hasObserverThread()
{
    return g_registered.load(std::memory_order_acquire);
}

int64_t observerThreadCpuNs()
{
    if (!hasObserverThread())
        return -1;
    timespec cpu{};
    if (clock_gettime(g_clock, &cpu) != 0)
        return -1;
    return int64_t(cpu.tv_sec) * 1000000000 + cpu.tv_nsec;
}

} // namespace cs
