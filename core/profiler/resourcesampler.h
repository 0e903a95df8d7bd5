#pragma once

#include "processstats.h"
#include "taskevent.h"
#include "wirecounters.h"

#include <atomic>
#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

namespace cs {

// Bytes each worker holds for the task it runs, one cache line per worker so that workers never
// share a line. The sampler sums them: the analogue of dask's CacheProfiler.
class InflightCounters {
public:
    explicit InflightCounters(int workers);
    void set(int worker, int64_t bytes) { m_slots[size_t(worker)].bytes.store(bytes, std::memory_order_relaxed); }
    int64_t total() const;

private:
    struct alignas(64) Slot {
        std::atomic<int64_t> bytes{0};
    };
    int m_workers;
    std::unique_ptr<Slot[]> m_slots;
};

// What the sampler reads at one moment: the monotonic time, the process and the machine.
struct SamplerReading {
    int64_t ns = 0;
    ProcessStats process;
    MachineStats machine;
    int64_t uiCpuNs = -1; // the observer thread's CPU time (observerthread.h); -1 when none watches
    int64_t wireBytes = 0; // the run's wire counters' bytes, when it has them

    static SamplerReading now();
};
using ReadingSource = std::function<SamplerReading()>;

// Each figure's largest value over `samples` (tNs: the last sample's time); a default sample when
// there are none. What a window expects of a run's next repeat, so that its charts' scales are set
// once rather than grown while the copy runs.
ResourceSample peaksOf(const std::vector<ResourceSample> &samples);

// Samples the process on its own thread every interval, with one sample when started and one when
// stopped. Workers never wait for it: it reads /proc and the in-flight counters only.
// Every rate is divided by the real length of its interval, and no interval is shorter than half the
// nominal one: a sample that comes sooner (the one taken when the run stops, most often) replaces the
// sample before it, and its rates cover both intervals. The kernel adds a running thread's CPU time to
// the process's only at a scheduler tick (4 ms) or a context switch, so when the workers exit, up to
// a tick per worker lands at once; over the 1 ms that the last interval may last, that read as 150 %.
class ResourceSampler {
public:
    // A run keeps at most this many samples (5 MiB; 1.8 hours at the default 100 ms): once it has
    // maxSamples, each new sample replaces the last one, so the memory a run takes does not grow with
    // its length, and the last sample is still the one taken when the run stopped.
    static constexpr size_t kMaxSamples = size_t(1) << 16;

    // `source` stands in for the system's counters in tests; empty means SamplerReading::now.
    ResourceSampler(int64_t originNs, int intervalMs, const InflightCounters *inflight, size_t maxSamples = kMaxSamples,
                    ReadingSource source = {});
    ~ResourceSampler();

    // The run's object-storage counters, before start(): each sample then carries the requests in
    // flight and the wire's bytes per second. Without them those stay -1.
    void setWire(const WireCounters *wire) { m_wire = wire; }

    void start();
    void stop(); // takes the final sample and joins the thread

    // The samples so far, appended to `out` from index `cursor` on (advancing it); safe while running.
    void collect(size_t &cursor, std::vector<ResourceSample> &out) const;
    std::vector<ResourceSample> samples() const;
    // The largest RSS of any sample taken, kept or replaced.
    int64_t peakRssBytes() const;
    // The CPU time the sampling thread used, once stopped: the process's CPU beyond its workers'.
    int64_t ownCpuNs() const;

private:
    void takeSample();
    void loop();

    int64_t m_originNs;
    int m_intervalMs;
    const InflightCounters *m_inflight;
    const WireCounters *m_wire = nullptr;
    size_t m_maxSamples;
    ReadingSource m_read;
    int64_t m_peakRss = 0; // guarded by m_mutex
    int64_t m_ownCpuNs = 0; // guarded by m_mutex
    // Readings at the end and at the start of the latest sample's interval; the sampling thread's own.
    SamplerReading m_last;
    SamplerReading m_beforeLast;

    mutable std::mutex m_mutex; // guards m_samples and m_stopping; never taken by workers
    std::condition_variable m_wake;
    bool m_stopping = false;
    std::vector<ResourceSample> m_samples;
    std::thread m_thread;
};

} // namespace cs
