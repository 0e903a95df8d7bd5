#pragma once

#include "runresult.h"

#include <QString>

#include <cstdint>
#include <optional>

namespace cs {

// What a run's requests to a remote server (object storage) say about its time, as facts beside the
// verdict's bound: the workers of such a copy spend it waiting on the network, not on a CPU.

// The pool spent at least half its time waiting for the first byte of answers: each worker holds one
// request in flight, so more workers would keep more of them waiting at once.
struct RequestLatency {
    double firstByteMs = 0; // median time to the first byte over the attempts that got an answer
    int64_t attempts = 0; // every attempt of every request recorded
    double waitShare = 0; // their waits for a first byte summed, as a share of the pool's time
};

// The fact for `run`, whose pool (workers × wall) had poolSeconds; nullopt below half of it, and for
// runs without requests.
std::optional<RequestLatency> requestLatencyOf(const RunResult &run, double poolSeconds);
// "each request waited 42 ms for its first byte; more requests in flight would help"
QString requestLatencyText(const RequestLatency &latency);

// The server throttled the copy: requests answered 503 (S3's SlowDown) and tried again.
struct Throttling {
    int64_t requests = 0; // requests made, each counted once however often it was tried
    int64_t retried = 0; // those tried again after a 503
    double percent() const { return requests > 0 ? 100.0 * double(retried) / double(requests) : 0; }
};

// The fact for `run` when at least 1 % of its requests were retried after a 503; nullopt otherwise.
std::optional<Throttling> throttlingOf(const RunResult &run);
// "38 % of requests were retried after 503"
QString throttlingText(const Throttling &throttling);

} // namespace cs
