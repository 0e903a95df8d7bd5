#pragma once

#include "profiler/phase.h"
#include "profiler/requestlog.h"
#include "task/scratchbuffer.h"

#include <mutex>

namespace cs {

// Which scratch buffer of a worker a store uses for what, so that nested uses never collide.
enum class Scratch : uint8_t {
    Region, // the engine's buffer for the task's whole copy region
    Chunk, // a store's decoded chunk (partial reads and read-modify-write)
    Packed, // encoded bytes on their way to or from a store
    Shuffle, // a codec's intermediate (shuffled bytes before LZF, for example)
    Compare, // the engine's second region buffer, for verification
    Shard, // a Zarr v3 shard being assembled: its encoded inner chunks and index
    Inner, // one inner chunk of a shard, decoded
    ShardIndex, // a shard's index entries, decoded
    ShardEntries, // the index entries of a shard being written, held while its inner chunks are read
    Part, // one part of a streamed write (an inner chunk of a shard), read from the copy's source
    Count
};

// Everything a store needs from the engine while it runs one task on one worker: where to account
// time, the worker's scratch buffers, and the run's I/O lock when the lock mode is "io".
// One per worker, reused for every task; the engine resets the phase times before each task.
class TaskContext {
public:
    int worker = 0;
    int64_t task = -1;
    PhaseTimes phaseNs{};
    // Non-null only in lock mode "io": stores hold it around the raw write of encoded bytes.
    std::mutex *ioLock = nullptr;
    // The remote requests the task's store made (object storage), cleared with the phases.
    RequestLog requests;

    char *scratch(Scratch which, size_t bytes) { return m_scratch[size_t(which)].reserve(bytes); }
    void add(Phase phase, int64_t ns) { phaseNs[size_t(phase)] += ns; }
    void resetPhases()
    {
        phaseNs.fill(0);
        requests.clear();
    }

private:
    ScratchBuffer m_scratch[size_t(Scratch::Count)];
};

// Adds the time from its construction to its destruction to one phase of the task.
class PhaseTimer {
public:
    PhaseTimer(TaskContext &ctx, Phase phase)
        : m_ctx(ctx)
        , m_phase(phase)
        , m_start(monotonicNs())
    {
    }
    ~PhaseTimer() { m_ctx.add(m_phase, monotonicNs() - m_start); }
    PhaseTimer(const PhaseTimer &) = delete;
    PhaseTimer &operator=(const PhaseTimer &) = delete;

private:
    TaskContext &m_ctx;
    Phase m_phase;
    int64_t m_start;
};

// Locks a mutex, accounting the wait to a phase (LockWait for the run's lock, StoreLock for a
// store's own). A null mutex makes it a no-op, which is how lock modes "none" and "target" skip it.
class TimedLock {
public:
    TimedLock(TaskContext &ctx, std::mutex *mutex, Phase waitPhase = Phase::LockWait)
        : m_mutex(mutex)
    {
        if (!m_mutex)
            return;
        if (m_mutex->try_lock())
            return;
        const int64_t start = monotonicNs();
        m_mutex->lock();
        ctx.add(waitPhase, monotonicNs() - start);
    }
    ~TimedLock()
    {
        if (m_mutex)
            m_mutex->unlock();
    }
    TimedLock(const TimedLock &) = delete;
    TimedLock &operator=(const TimedLock &) = delete;

private:
    std::mutex *m_mutex;
};

} // namespace cs
