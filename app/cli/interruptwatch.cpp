#include "interruptwatch.h"

#include <atomic>
#include <csignal>

namespace cs {

namespace {

// Written only by the handler; a lock-free atomic is async-signal-safe to store to.
std::atomic<int> g_signal{0};
static_assert(std::atomic<int>::is_always_lock_free);

struct sigaction g_previousInt;
struct sigaction g_previousTerm;

extern "C" void onInterrupt(int sig)
{
    g_signal.store(sig, std::memory_order_relaxed);
}

} // namespace

InterruptWatch::InterruptWatch()
{
    g_signal.store(0);
    struct sigaction action = {};
    action.sa_handler = onInterrupt;
    sigemptyset(&action.sa_mask);
    // SA_RESTART: the workers' file I/O carries on rather than failing with EINTR. SA_RESETHAND: the
    // next signal of the same kind takes its default action.
    action.sa_flags = SA_RESTART | SA_RESETHAND;
    sigaction(SIGINT, &action, &g_previousInt);
    sigaction(SIGTERM, &action, &g_previousTerm);
}

InterruptWatch::~InterruptWatch()
{
    sigaction(SIGINT, &g_previousInt, nullptr);
    sigaction(SIGTERM, &g_previousTerm, nullptr);
}

int InterruptWatch::signal()
{
    return g_signal.load(std::memory_order_relaxed);
}

} // namespace cs
