#pragma once

#include <atomic>
#include <cstdint>
#include <memory>

namespace cs {

// What a run's connections to object storage are doing, for the resource sampler: how many requests
// are on the wire this moment and how many body bytes have crossed it so far. One slot per worker,
// each on its own cache line, written only by the worker's own thread (its S3 connection) and read by
// the sampler; no lock, and nothing allocated once the run has started.
class WireCounters {
public:
    struct alignas(64) Slot {
        std::atomic<int64_t> bytes{0}; // body bytes sent and received, cumulative
        std::atomic<int32_t> inFlight{0}; // requests on the wire: 0 or 1 for a worker's one connection

        // One writer per slot, so a load and a store do what an atomic add would, without its lock
        // prefix; the sampler may read either value an instant late, never torn.
        void addBytes(int64_t n) { bytes.store(bytes.load(std::memory_order_relaxed) + n, std::memory_order_relaxed); }
        void begin() { inFlight.store(inFlight.load(std::memory_order_relaxed) + 1, std::memory_order_relaxed); }
        void end() { inFlight.store(inFlight.load(std::memory_order_relaxed) - 1, std::memory_order_relaxed); }
    };

    explicit WireCounters(int workers);

    Slot *slot(int worker) { return &m_slots[size_t(worker)]; }
    // The sampler's side: the sums over the workers.
    int32_t requestsInFlight() const;
    int64_t bytes() const;

    // The slot of the copy task this thread runs: the engine binds each worker's own, as it binds
    // RequestLog::current(), because a key-value call carries no task context. Null on threads that run
    // no copy (fills, verification, a store opening), whose requests no sample counts.
    static Slot *&current()
    {
        thread_local Slot *slot = nullptr;
        return slot;
    }

private:
    int m_workers;
    std::unique_ptr<Slot[]> m_slots;
};

} // namespace cs
