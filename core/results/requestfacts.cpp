#include "requestfacts.h"

#include <algorithm>
#include <vector>

namespace cs {

std::optional<RequestLatency> requestLatencyOf(const RunResult &run, double poolSeconds)
{
    if (run.requests.empty() || poolSeconds <= 0)
        return std::nullopt;
    RequestLatency latency;
    std::vector<int64_t> answered;
    double waitedUs = 0;
    for (const TaskRequest &r : run.requests) {
        waitedUs += double(r.timing.firstByteUs);
        if (r.timing.status > 0)
            answered.push_back(r.timing.firstByteUs);
    }
    latency.attempts = int64_t(run.requests.size());
    latency.waitShare = waitedUs / 1e6 / poolSeconds;
    if (answered.empty() || latency.waitShare < 0.5)
        return std::nullopt;
    const auto middle = answered.begin() + std::ptrdiff_t(answered.size() / 2);
    std::nth_element(answered.begin(), middle, answered.end());
    latency.firstByteMs = double(*middle) / 1e3;
    return latency;
}

QString requestLatencyText(const RequestLatency &latency)
{
    return QStringLiteral("each request waited %1 ms for its first byte; more requests in flight would help")
        .arg(latency.firstByteMs, 0, 'f', 0);
}

std::optional<Throttling> throttlingOf(const RunResult &run)
{
    // A worker makes one request at a time, so the attempts of one request follow each other in its
    // task's list: attempt 0 starts a request, and a later attempt says why the one before it was made.
    Throttling t;
    bool counted = false;
    const TaskRequest *previous = nullptr;
    for (const TaskRequest &r : run.requests) {
        if (r.timing.attempt == 0) {
            ++t.requests;
            counted = false;
        } else if (!counted && previous && previous->task == r.task && previous->timing.status == 503) {
            ++t.retried;
            counted = true;
        }
        previous = &r;
    }
    if (t.retried == 0 || t.percent() < 1)
        return std::nullopt;
    return t;
}

QString throttlingText(const Throttling &throttling)
{
    return QStringLiteral("%1 % of requests were retried after 503").arg(throttling.percent(), 0, 'f', 0);
}

} // namespace cs
