#include "ganttdata.h"

#include <algorithm>
#include <numeric>

namespace cs {

namespace {
// More rows than any pool has threads: a worker number past it comes from a damaged results file
// and must not make the chart allocate a row for every number below it.
constexpr int kMaxRows = 4096;
} // namespace

GanttData::SegmentTimes segmentTimes(const TaskEvent &event)
{
    GanttData::SegmentTimes s{};
    int64_t phases = 0;
    for (int p = 0; p < kPhaseCount; ++p) {
        s[size_t(p)] = std::max<int64_t>(0, event.phaseNs[size_t(p)]);
        phases += s[size_t(p)];
    }
    s[kOtherSegment] = std::max<int64_t>(0, event.durationNs() - phases);
    return s;
}

size_t GanttData::Row::firstEndingAfter(int64_t tNs) const
{
    return size_t(std::lower_bound(reach.begin(), reach.end(), tNs) - reach.begin());
}

size_t GanttData::Row::firstStartingAt(int64_t tNs, size_t from) const
{
    return size_t(std::lower_bound(start.begin() + ptrdiff_t(from), start.end(), tNs) - start.begin());
}

GanttData::SegmentTimes GanttData::Row::sum(size_t first, size_t last) const
{
    SegmentTimes s{};
    for (size_t k = 0; k < s.size(); ++k)
        s[k] = cum[last][k] - cum[first][k];
    return s;
}

void GanttData::clear()
{
    m_rows.clear();
    m_inFlight.clear();
    m_barCount = 0;
    m_nowNs = 0;
    m_maxEndNs = 0;
}

void GanttData::setGrid(const Coords &shape, const Coords &chunks)
{
    m_grid = ChunkGrid(shape, chunks);
}

void GanttData::setWorkers(int workers)
{
    workers = std::min(workers, kMaxRows);
    if (workers > int(m_rows.size()))
        m_rows.resize(size_t(workers));
    for (Row &r : m_rows)
        if (r.cum.empty())
            r.cum.push_back(SegmentTimes{});
}

void GanttData::append(const TaskEvent *events, size_t count)
{
    std::vector<bool> unsorted;
    for (size_t k = 0; k < count; ++k) {
        const TaskEvent &e = events[k];
        if (e.worker < 0 || e.worker >= kMaxRows || e.isRunning() || e.endNs < e.startNs)
            continue; // not drawable: a corrupt results file, for instance
        if (e.worker >= int(m_rows.size()))
            setWorkers(e.worker + 1);
        Row &r = m_rows[size_t(e.worker)];
        if (!r.start.empty() && e.startNs < r.start.back()) {
            unsorted.resize(m_rows.size());
            unsorted[size_t(e.worker)] = true;
        }
        r.start.push_back(e.startNs);
        r.end.push_back(e.endNs);
        r.reach.push_back(r.reach.empty() ? e.endNs : std::max(r.reach.back(), e.endNs));
        r.task.push_back(e.task);
        r.bytes.push_back(e.bytes);
        const SegmentTimes s = segmentTimes(e);
        SegmentTimes c = r.cum.back();
        for (size_t i = 0; i < c.size(); ++i)
            c[i] += s[i];
        r.cum.push_back(c);
        m_maxEndNs = std::max(m_maxEndNs, e.endNs);
        ++m_barCount;
    }
    for (size_t w = 0; w < unsorted.size(); ++w)
        if (unsorted[w])
            sortRow(m_rows[w]);
}

void GanttData::sortRow(Row &row)
{
    const size_t n = row.size();
    std::vector<size_t> order(n);
    std::iota(order.begin(), order.end(), size_t(0));
    std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) { return row.start[a] < row.start[b]; });
    Row sorted;
    sorted.cum.reserve(n + 1);
    sorted.cum.push_back(SegmentTimes{});
    for (size_t i : order) {
        sorted.start.push_back(row.start[i]);
        sorted.end.push_back(row.end[i]);
        sorted.reach.push_back(sorted.reach.empty() ? row.end[i] : std::max(sorted.reach.back(), row.end[i]));
        sorted.task.push_back(row.task[i]);
        sorted.bytes.push_back(row.bytes[i]);
        SegmentTimes c = sorted.cum.back();
        for (size_t k = 0; k < c.size(); ++k)
            c[k] += row.cum[i + 1][k] - row.cum[i][k];
        sorted.cum.push_back(c);
    }
    row = std::move(sorted);
}

void GanttData::setInFlight(std::vector<TaskEvent> events, int64_t nowNs)
{
    m_inFlight = std::move(events);
    m_inFlight.erase(std::remove_if(m_inFlight.begin(), m_inFlight.end(),
                                    [](const TaskEvent &e) { return e.worker < 0 || e.worker >= kMaxRows; }),
                     m_inFlight.end());
    m_nowNs = nowNs;
    for (const TaskEvent &e : m_inFlight)
        if (e.worker >= int(m_rows.size()))
            setWorkers(e.worker + 1);
}

int64_t GanttData::runningCount() const
{
    return std::count_if(m_inFlight.begin(), m_inFlight.end(), [](const TaskEvent &e) { return e.isRunning(); });
}

int64_t GanttData::endNs() const
{
    int64_t end = std::max(m_maxEndNs, m_nowNs);
    for (const TaskEvent &e : m_inFlight)
        end = std::max(end, e.isRunning() ? m_nowNs : e.endNs);
    return end;
}

int64_t GanttData::hit(int worker, int64_t tNs, int64_t toleranceNs) const
{
    if (worker < 0 || worker >= int(m_rows.size()))
        return -1;
    const Row &r = m_rows[size_t(worker)];
    int64_t best = -1;
    int64_t bestDistance = toleranceNs + 1;
    for (size_t i = r.firstEndingAfter(tNs - toleranceNs); i < r.size() && r.start[i] <= tNs + toleranceNs; ++i) {
        const int64_t d = tNs < r.start[i] ? r.start[i] - tNs : tNs > r.end[i] ? tNs - r.end[i] : 0;
        if (d < bestDistance) {
            bestDistance = d;
            best = int64_t(i);
            if (d == 0)
                break;
        }
    }
    return best;
}

TaskEvent GanttData::event(int worker, size_t index) const
{
    const Row &r = m_rows[size_t(worker)];
    TaskEvent e;
    e.task = r.task[index];
    e.worker = worker;
    e.startNs = r.start[index];
    e.endNs = r.end[index];
    e.bytes = r.bytes[index];
    for (int p = 0; p < kPhaseCount; ++p)
        e.phaseNs[size_t(p)] = r.cum[index + 1][size_t(p)] - r.cum[index][size_t(p)];
    return e;
}

} // namespace cs
