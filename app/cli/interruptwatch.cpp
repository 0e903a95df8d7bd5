#include "interruptwatch.h"

#include <atomic>
#include <csignal>
#include <iterator>

namespace cs {

namespace {

// Written only by the handler; a lock-free atomic is async-signal-safe to store to.
std::atomic<int> g_signal{0};
static_assert(std::atomic<int>::is_always_lock_free);

// A closed terminal (SIGHUP) asks to stop as much as SIGTERM does: the results so far are kept.
constexpr int kWatched[] = {SIGINT, SIGTERM, SIGHUP};
struct sigaction g_previous[std::size(kWatched)];

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
    for (size_t i = 0; i < std::size(kWatched); ++i)
        sigaction(kWatched[i], &action, &g_previous[i]);
}

InterruptWatch::~InterruptWatch()
{
    for (size_t i = 0; i < std::size(kWatched); ++i)
        sigaction(kWatched[i], &g_previous[i], nullptr);
}

int InterruptWatch::signal()
{
    return g_signal.load(std::memory_order_relaxed);
}

const char *InterruptWatch::signalName(int sig)
{
    switch (sig) {
    case SIGINT:
        return "SIGINT";
    case SIGTERM:
        return "SIGTERM";
    case SIGHUP:
        return "SIGHUP";
    default:
        return "a signal";
    }
}

} // namespace cs
