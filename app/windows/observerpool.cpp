#include "observerpool.h"

#include "profiler/observerthread.h"

#include <QSemaphore>
#include <QThreadPool>

#include <algorithm>
#include <memory>

namespace cs {

void watchFromThisThread()
{
    setObserverThread();
    // Once per process: a second window reuses the pool threads the first registered.
    static bool poolWatched = false;
    if (poolWatched)
        return;
    poolWatched = true;
    QThreadPool *pool = QThreadPool::globalInstance();
    pool->setExpiryTimeout(-1);
    const int threads = std::min(pool->maxThreadCount(), kMaxObserverHelpers);
    // Each task keeps its thread until all have started, so the pool has to start `threads` distinct
    // threads, and each registers itself once.
    auto started = std::make_shared<QSemaphore>();
    auto go = std::make_shared<QSemaphore>();
    for (int i = 0; i < threads; ++i)
        pool->start([started, go] {
            addObserverHelperThread();
            started->release();
            go->acquire();
        });
    // A pool that could not start its threads must not hold up the window: it is then counted in part.
    started->tryAcquire(threads, 5000);
    go->release(threads);
}

} // namespace cs
