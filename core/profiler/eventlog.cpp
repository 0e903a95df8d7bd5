#include "eventlog.h"

namespace cs {

EventLog::EventLog(int64_t taskCount)
    : m_count(taskCount)
    , m_slots(new Slot[size_t(taskCount)])
{
}

void EventLog::begin(int64_t task, int32_t worker, int64_t startNs)
{
    Slot &s = m_slots[size_t(task)];
    s.worker = worker;
    s.startNs = startNs;
    s.state.store(Running, std::memory_order_release);
}

void EventLog::end(int64_t task, int64_t endNs, int64_t bytes, const PhaseTimes &phases, const TaskUsage &usage,
                   bool passthrough)
{
    Slot &s = m_slots[size_t(task)];
    s.passthrough = passthrough;
    s.endNs = endNs;
    s.bytes = bytes;
    s.phaseNs = phases;
    s.usage = usage;
    s.state.store(Done, std::memory_order_release);
}

TaskEvent EventLog::read(int64_t task, const Slot &slot, bool done) const
{
    TaskEvent e;
    e.task = task;
    e.worker = slot.worker;
    e.startNs = slot.startNs;
    if (done) {
        e.endNs = slot.endNs;
        e.bytes = slot.bytes;
        e.phaseNs = slot.phaseNs;
        e.usage = slot.usage;
        e.passthrough = slot.passthrough;
    }
    return e;
}

void EventLog::collect(int64_t &cursor, int64_t limit, std::vector<TaskEvent> &done,
                       std::vector<TaskEvent> &pending) const
{
    pending.clear();
    limit = std::min(limit, m_count);
    bool contiguous = true;
    for (int64_t t = cursor; t < limit; ++t) {
        const Slot &s = m_slots[size_t(t)];
        const uint8_t state = s.state.load(std::memory_order_acquire);
        if (state == Done && contiguous) {
            done.push_back(read(t, s, true));
            cursor = t + 1;
        } else if (state != Idle) {
            contiguous = false;
            pending.push_back(read(t, s, state == Done));
        } else {
            // Handed out but not begun yet: it will begin soon, keep the cursor here.
            contiguous = false;
        }
    }
}

std::vector<TaskEvent> EventLog::finished() const
{
    std::vector<TaskEvent> out;
    out.reserve(size_t(m_count));
    for (int64_t t = 0; t < m_count; ++t) {
        const Slot &s = m_slots[size_t(t)];
        if (s.state.load(std::memory_order_acquire) == Done)
            out.push_back(read(t, s, true));
    }
    return out;
}

} // namespace cs
