#pragma once

#include <cstdint>

namespace cs {

// The threads that watch runs: the window's GUI thread, and the pool threads it hands work to. A
// profiler that is watched must show what watching costs, so the resource sampler records these
// threads' CPU beside the whole process's. Each thread registers itself and must outlive every run
// (the GUI thread does; the window keeps its pool threads from expiring).
void setObserverThread();
// Adds the calling thread to the observer, beside the GUI thread: Qt's raster engine splits large
// image conversions and scalings across QThreadPool::globalInstance(), and that CPU is the window's
// too. Returns false when kMaxObserverHelpers are already registered.
constexpr int kMaxObserverHelpers = 16;
bool addObserverHelperThread();
bool hasObserverThread();
// The observer's CPU time (user + system) so far, the GUI thread's and its helpers', or -1 when there
// is no observer.
int64_t observerThreadCpuNs();

} // namespace cs
