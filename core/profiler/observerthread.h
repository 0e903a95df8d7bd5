#pragma once

#include <cstdint>

namespace cs {

// The thread that watches runs: the window's GUI thread. A profiler that is watched must show what
// watching costs, so the resource sampler records this thread's CPU beside the whole process's. The
// thread registers itself once and must outlive every run (the GUI thread does).
void setObserverThread();
bool hasObserverThread();
// The observer thread's CPU time (user + system) so far, or -1 when there is none.
int64_t observerThreadCpuNs();

} // namespace cs
