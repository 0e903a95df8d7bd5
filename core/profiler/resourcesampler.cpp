#include "resourcesampler.h"

#include "observerthread.h"
#include "phase.h"
#include "threadcounters.h"

#include <algorithm>

namespace cs {

ResourceSample peaksOf(const std::vector<ResourceSample> &samples)
{
    ResourceSample p;
    if (samples.empty())
        return p;
    p = samples.front();
    for (const ResourceSample &s : samples) {
        p.tNs = s.tNs;
        p.cpuPercent = std::max(p.cpuPercent, s.cpuPercent);
        p.rssBytes = std::max(p.rssBytes, s.rssBytes);
        p.inflightBytes = std::max(p.inflightBytes, s.inflightBytes);
        p.minorFaultsPerSec = std::max(p.minorFaultsPerSec, s.minorFaultsPerSec);
        p.machineCpuPercent = std::max(p.machineCpuPercent, s.machineCpuPercent);
        p.loadAverage = std::max(p.loadAverage, s.loadAverage);
        p.uiCpuPercent = std::max(p.uiCpuPercent, s.uiCpuPercent);
        p.requestsInFlight = std::max(p.requestsInFlight, s.requestsInFlight);
        p.wireBytesPerSec = std::max(p.wireBytesPerSec, s.wireBytesPerSec);
    }
    return p;
}

InflightCounters::InflightCounters(int workers)
    : m_workers(workers)
    , m_slots(new Slot[size_t(std::max(1, workers))])
{
}

int64_t InflightCounters::total() const
{
    int64_t sum = 0;
    for (int i = 0; i < m_workers; ++i)
        sum += m_slots[size_t(i)].bytes.load(std::memory_order_relaxed);
    return sum;
}

SamplerReading SamplerReading::now()
{
    SamplerReading r;
    // The clock right before the process's CPU time, which ProcessStats reads first.
    r.ns = monotonicNs();
    r.process = ProcessStats::read();
    r.machine = MachineStats::read();
    r.uiCpuNs = observerThreadCpuNs();
    return r;
}

ResourceSampler::ResourceSampler(int64_t originNs, int intervalMs, const InflightCounters *inflight, size_t maxSamples,
                                 ReadingSource source)
    : m_originNs(originNs)
    , m_intervalMs(std::max(1, intervalMs))
    , m_inflight(inflight)
    , m_maxSamples(std::max<size_t>(2, maxSamples))
    , m_read(source ? std::move(source) : ReadingSource(&SamplerReading::now))
{
    m_samples.reserve(std::min<size_t>(1024, m_maxSamples));
}

ResourceSampler::~ResourceSampler()
{
    stop();
}

void ResourceSampler::start()
{
    takeSample();
    m_thread = std::thread([this] { loop(); });
}

void ResourceSampler::stop()
{
    if (!m_thread.joinable())
        return;
    {
        std::lock_guard<std::mutex> lock(m_mutex);
        m_stopping = true;
    }
    m_wake.notify_all();
    m_thread.join();
    takeSample();
}

void ResourceSampler::takeSample()
{
    SamplerReading now = m_read();
    ResourceSample s;
    s.tNs = std::max<int64_t>(0, now.ns - m_originNs);
    s.rssBytes = now.process.rssBytes;
    s.inflightBytes = m_inflight ? m_inflight->total() : 0;
    if (m_wire) {
        now.wireBytes = m_wire->bytes();
        s.requestsInFlight = m_wire->requestsInFlight();
        s.wireBytesPerSec = 0;
    }
    s.loadAverage = now.machine.loadAverage;
    std::lock_guard<std::mutex> lock(m_mutex);
    m_peakRss = std::max(m_peakRss, s.rssBytes);
    if (m_samples.empty()) {
        // Rates need an interval: the sample taken at start has none and reports zero.
        if (now.uiCpuNs >= 0)
            s.uiCpuPercent = 0;
        m_samples.push_back(s);
        m_last = now;
        return;
    }
    const bool merge = m_samples.size() >= 2 && now.ns - m_last.ns < int64_t(m_intervalMs) * 1000000 / 2;
    const SamplerReading &from = merge ? m_beforeLast : m_last;
    const int64_t dt = now.ns - from.ns;
    if (dt > 0) {
        s.cpuPercent = 100.0 * double(now.process.cpuNs - from.process.cpuNs) / double(dt);
        s.minorFaultsPerSec = double(now.process.minorFaults - from.process.minorFaults) * 1e9 / double(dt);
        if (m_wire)
            s.wireBytesPerSec = double(now.wireBytes - from.wireBytes) * 1e9 / double(dt);
    }
    s.machineCpuPercent = MachineStats::percentBetween(from.machine, now.machine);
    if (now.uiCpuNs >= 0 && from.uiCpuNs >= 0 && dt > 0)
        s.uiCpuPercent = 100.0 * double(now.uiCpuNs - from.uiCpuNs) / double(dt);
    if (merge || m_samples.size() >= m_maxSamples) {
        m_samples.back() = s;
    } else {
        m_samples.push_back(s);
    }
    if (!merge)
        m_beforeLast = m_last;
    m_last = now;
}

void ResourceSampler::loop()
{
    auto next = std::chrono::steady_clock::now();
    for (;;) {
        next += std::chrono::milliseconds(m_intervalMs);
        {
            std::unique_lock<std::mutex> lock(m_mutex);
            if (m_wake.wait_until(lock, next, [this] { return m_stopping; })) {
                m_ownCpuNs = ThreadCounters::cpuNsNow();
                return;
            }
        }
        takeSample();
    }
}

void ResourceSampler::collect(size_t &cursor, std::vector<ResourceSample> &out) const
{
    std::lock_guard<std::mutex> lock(m_mutex);
    for (; cursor < m_samples.size(); ++cursor)
        out.push_back(m_samples[cursor]);
}

std::vector<ResourceSample> ResourceSampler::samples() const
{
    std::lock_guard<std::mutex> lock(m_mutex);
    return m_samples;
}

int64_t ResourceSampler::ownCpuNs() const
{
    std::lock_guard<std::mutex> lock(m_mutex);
    return m_ownCpuNs;
}

int64_t ResourceSampler::peakRssBytes() const
{
    std::lock_guard<std::mutex> lock(m_mutex);
    return m_peakRss;
}

} // namespace cs
