#include "requestevents.h"

#include <algorithm>

namespace cs {

RequestEvents::RequestEvents(int workers)
    : m_workers(size_t(std::max(workers, 0)))
{
}

void RequestEvents::add(int worker, int64_t task, const RequestLog &log, int64_t originNs)
{
    Worker &w = m_workers[size_t(worker)];
    if (w.requests.capacity() - w.requests.size() < size_t(log.count()))
        w.requests.reserve(std::max<size_t>(w.requests.size() * 2, 1024));
    for (const RequestTiming &timing : log) {
        TaskRequest r{task, int32_t(worker), timing};
        r.timing.startNs -= originNs;
        w.requests.push_back(r);
    }
    w.dropped += log.dropped();
}

std::vector<TaskRequest> RequestEvents::all() const
{
    std::vector<TaskRequest> out;
    for (const Worker &w : m_workers)
        out.insert(out.end(), w.requests.begin(), w.requests.end());
    std::stable_sort(out.begin(), out.end(), [](const TaskRequest &a, const TaskRequest &b) {
        return a.task != b.task ? a.task < b.task : a.timing.startNs < b.timing.startNs;
    });
    return out;
}

int64_t RequestEvents::dropped() const
{
    int64_t total = 0;
    for (const Worker &w : m_workers)
        total += w.dropped;
    return total;
}

} // namespace cs
