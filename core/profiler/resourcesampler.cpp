#include "resourcesampler.h"

#include "observerthread.h"
#include "phase.h"

#include <algorithm>

namespace cs {

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

ResourceSampler::ResourceSampler(int64_t originNs, int intervalMs, const InflightCounters *inflight, size_t maxSamples)
    : m_originNs(originNs)
    , m_intervalMs(std::max(1, intervalMs))
    , m_inflight(inflight)
    , m_maxSamples(std::max<size_t>(2, maxSamples))
{
    m_samples.reserve(std::min<size_t>(1024, m_maxSamples));
}

ResourceSampler::~ResourceSampler()
{
    stop();
}

void ResourceSampler::start()
{
    m_last = ProcessStats::read();
    m_lastUiCpuNs = observerThreadCpuNs();
    m_lastNs = monotonicNs();
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
    const ProcessStats now = ProcessStats::read();
    const int64_t uiCpuNs = observerThreadCpuNs();
    const int64_t ns = monotonicNs();
    ResourceSample s;
    s.tNs = std::max<int64_t>(0, ns - m_originNs);
    s.rssBytes = now.rssBytes;
    s.inflightBytes = m_inflight ? m_inflight->total() : 0;
    const int64_t dt = ns - m_lastNs;
    // Rates need an interval: the sample taken at start has none and reports zero.
    if (dt > 0 && !m_samples.empty()) {
        s.cpuPercent = 100.0 * double(now.cpuNs - m_last.cpuNs) / double(dt);
        s.minorFaultsPerSec = double(now.minorFaults - m_last.minorFaults) * 1e9 / double(dt);
    }
    if (uiCpuNs >= 0 && m_lastUiCpuNs >= 0)
        s.uiCpuPercent = dt > 0 && !m_samples.empty() ? 100.0 * double(uiCpuNs - m_lastUiCpuNs) / double(dt) : 0;
    m_lastUiCpuNs = uiCpuNs;
    m_last = now;
    m_lastNs = ns;
    std::lock_guard<std::mutex> lock(m_mutex);
    m_peakRss = std::max(m_peakRss, s.rssBytes);
    if (m_samples.size() < m_maxSamples)
        m_samples.push_back(s);
    else
        m_samples.back() = s;
}

void ResourceSampler::loop()
{
    auto next = std::chrono::steady_clock::now();
    for (;;) {
        next += std::chrono::milliseconds(m_intervalMs);
        {
            std::unique_lock<std::mutex> lock(m_mutex);
            if (m_wake.wait_until(lock, next, [this] { return m_stopping; }))
                return;
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

int64_t ResourceSampler::peakRssBytes() const
{
    std::lock_guard<std::mutex> lock(m_mutex);
    return m_peakRss;
}

} // namespace cs
