#pragma once

#include "taskevent.h"

#include <atomic>
#include <memory>
#include <vector>

namespace cs {

// The task events of one run: one slot per task, allocated before the copy starts. A worker fills
// the slot of the task it runs and publishes it with a release store, so recording an event takes
// no allocation, no lock and no signal; readers take snapshots at any time with acquire loads.
class EventLog {
public:
    explicit EventLog(int64_t taskCount);

    int64_t taskCount() const { return m_count; }

    // What one task costs in memory over a run: its slot here plus its copy in the run's result.
    static constexpr int64_t bytesPerTask();

    // Worker side. begin() and end() are called by the one worker that runs the task.
    void begin(int64_t task, int32_t worker, int64_t startNs);
    void end(int64_t task, int64_t endNs, int64_t bytes, const PhaseTimes &phases, const TaskUsage &usage,
             bool passthrough = false);

    // Reader side, incremental: appends to `done` every finished task from `cursor` on while they are
    // contiguous, advancing `cursor`; finished tasks past a gap and running tasks go to `pending`
    // (cleared first). With W workers the gap spans at most W tasks, so a snapshot costs O(new + W).
    // `limit` is how many tasks have been handed out so far.
    void collect(int64_t &cursor, int64_t limit, std::vector<TaskEvent> &done, std::vector<TaskEvent> &pending) const;

    // Every finished task, in task order (after the run).
    std::vector<TaskEvent> finished() const;

private:
    enum State : uint8_t { Idle, Running, Done };
    struct Slot {
        std::atomic<uint8_t> state{Idle};
        bool passthrough = false; // in the padding before worker: a slot stays as large
        int32_t worker = -1;
        int64_t startNs = 0;
        int64_t endNs = 0;
        int64_t bytes = 0;
        PhaseTimes phaseNs{};
        TaskUsage usage;
    };
    TaskEvent read(int64_t task, const Slot &slot, bool done) const;

    int64_t m_count;
    std::unique_ptr<Slot[]> m_slots;
};

constexpr int64_t EventLog::bytesPerTask()
{
    return int64_t(sizeof(Slot) + sizeof(TaskEvent));
}

} // namespace cs
