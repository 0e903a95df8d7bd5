#pragma once

#include "requestlog.h"

#include <cstdint>
#include <vector>

namespace cs {

// One request attempt of a run, with the task and worker that made it. timing.startNs counts from
// the start of the run's copy, as a TaskEvent's times do.
struct TaskRequest {
    int64_t task = -1;
    int32_t worker = -1;
    RequestTiming timing;
};

// The requests of a run, kept per worker so that workers append without a lock. Only a store that
// makes requests (object storage) adds any, one list per task after the task ends; a list grows in
// blocks, so it allocates once per many requests, each of which waited on the network far longer.
class RequestEvents {
public:
    explicit RequestEvents(int workers);

    // Worker side: the task's requests, from the worker that ran it.
    void add(int worker, int64_t task, const RequestLog &log, int64_t originNs);

    // After the run: every request, by task and then start; and how many were not kept because a
    // task made more than RequestLog::kCapacity.
    std::vector<TaskRequest> all() const;
    int64_t dropped() const;

private:
    struct Worker {
        std::vector<TaskRequest> requests;
        int64_t dropped = 0;
    };
    std::vector<Worker> m_workers;
};

} // namespace cs
