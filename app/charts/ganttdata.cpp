#include "ganttdata.h"

#include "profiler/cpusplit.h"

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

GanttData::OffCpuTimes offCpuTimes(const TaskEvent &event)
{
    CpuSplit split;
    if (!cpuSplit(event, &split) || split.workingNs <= 0)
        return {};
    // Never more than the working time the bar has to show it in.
    const int64_t off = split.workingNs - std::min(split.onCpuNs, split.workingNs);
    const int64_t runq = std::min(split.runqNs, off);
    return {runq, std::min(split.blockedNs, off - runq)};
}

bool isLockWaitSegment(int segment)
{
    return segment == int(Phase::LockWait) || segment == int(Phase::StoreLock) || segment == int(Phase::ChunkLock);
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

GanttData::OffCpuTimes GanttData::Row::offCpu(size_t first, size_t last) const
{
    return {offCum[last][kRunq] - offCum[first][kRunq], offCum[last][kBlocked] - offCum[first][kBlocked]};
}

void GanttData::clear()
{
    m_rows.clear();
    ++m_layoutVersion;
    m_inFlight.clear();
    m_requests.clear();
    m_barCount = 0;
    m_cpuMeasured = false;
    m_passthrough = false;
    m_nowNs = 0;
    m_maxEndNs = 0;
}

void GanttData::setRequests(std::vector<TaskRequest> requests)
{
    if (requests.empty() && m_requests.empty())
        return; // a run without requests: the bars drawn stay as they are
    // A results file keeps them by task and start, so this is a check; one written by hand or damaged
    // may not.
    const auto before = [](const TaskRequest &x, const TaskRequest &y) {
        return x.task != y.task ? x.task < y.task : x.timing.startNs < y.timing.startNs;
    };
    if (!std::is_sorted(requests.begin(), requests.end(), before))
        std::stable_sort(requests.begin(), requests.end(), before);
    m_requests = std::move(requests);
    ++m_layoutVersion; // bars already drawn must be drawn again, with their requests
}

GanttData::RequestRange GanttData::requestsOf(int64_t task) const
{
    const auto byTask = [](const TaskRequest &r, int64_t t) { return r.task < t; };
    const auto first = std::lower_bound(m_requests.begin(), m_requests.end(), task, byTask);
    auto last = first;
    while (last != m_requests.end() && last->task == task)
        ++last;
    return {m_requests.data() + (first - m_requests.begin()), m_requests.data() + (last - m_requests.begin())};
}

void GanttData::setGrid(const Coords &shape, const Coords &chunks)
{
    m_grid = ChunkGrid(shape, chunks);
}

void GanttData::reserveTasks(int64_t tasks)
{
    if (m_rows.empty() || tasks <= 0)
        return;
    // An even share and a quarter more, since workers do not take exactly equal shares; a row that
    // outgrows it reallocates once.
    const auto perRow = size_t(std::min<int64_t>(tasks, tasks / int64_t(m_rows.size()) * 5 / 4 + 64));
    for (Row &r : m_rows) {
        for (auto *v : {&r.start, &r.end, &r.reach, &r.task, &r.bytes})
            v->reserve(perRow);
        r.cum.reserve(perRow + 1);
        r.offCum.reserve(perRow + 1);
        r.usage.reserve(perRow);
        r.passthrough.reserve(perRow);
    }
}

void GanttData::setWorkers(int workers)
{
    workers = std::min(workers, kMaxRows);
    if (workers > int(m_rows.size()))
        m_rows.resize(size_t(workers));
    for (Row &r : m_rows) {
        if (r.cum.empty())
            r.cum.push_back(SegmentTimes{});
        if (r.offCum.empty())
            r.offCum.push_back(OffCpuTimes{});
    }
}

namespace {
bool drawable(const TaskEvent &e)
{
    // Not drawable: a corrupt results file, for instance.
    return e.worker >= 0 && e.worker < kMaxRows && !e.isRunning() && e.endNs >= e.startNs;
}
} // namespace

void GanttData::append(const TaskEvent *events, size_t count)
{
    // Rows grow once per call and are filled through plain pointers: a live view appends tens of
    // thousands of tasks per refresh on the GUI thread, and a push_back per field costs several times
    // more, above all in a debug build.
    std::vector<size_t> added(m_rows.size());
    for (size_t k = 0; k < count; ++k) {
        const TaskEvent &e = events[k];
        if (!drawable(e))
            continue;
        if (e.worker >= int(m_rows.size())) {
            setWorkers(e.worker + 1);
            added.resize(m_rows.size());
        }
        ++added[size_t(e.worker)];
    }
    struct Fill {
        int64_t *start, *end, *reach, *task, *bytes;
        SegmentTimes *cum;
        OffCpuTimes *offCum;
        TaskUsage *usage;
        uint8_t *passthrough;
        size_t next; // index of the next bar
        bool unsorted;
    };
    std::vector<Fill> fills(m_rows.size());
    for (size_t w = 0; w < m_rows.size(); ++w) {
        Row &r = m_rows[w];
        const size_t n = r.size();
        if (added[w] == 0)
            continue;
        r.start.resize(n + added[w]);
        r.end.resize(n + added[w]);
        r.reach.resize(n + added[w]);
        r.task.resize(n + added[w]);
        r.bytes.resize(n + added[w]);
        r.cum.resize(n + added[w] + 1);
        r.offCum.resize(n + added[w] + 1);
        r.usage.resize(n + added[w]);
        r.passthrough.resize(n + added[w]);
        fills[w] = Fill{r.start.data(), r.end.data(),    r.reach.data(), r.task.data(),        r.bytes.data(),
                        r.cum.data(),   r.offCum.data(), r.usage.data(), r.passthrough.data(), n,
                        false};
    }
    for (size_t k = 0; k < count; ++k) {
        const TaskEvent &e = events[k];
        if (!drawable(e))
            continue;
        Fill &f = fills[size_t(e.worker)];
        const size_t i = f.next++;
        if (i > 0 && e.startNs < f.start[i - 1])
            f.unsorted = true;
        f.start[i] = e.startNs;
        f.end[i] = e.endNs;
        f.reach[i] = i > 0 ? std::max(f.reach[i - 1], e.endNs) : e.endNs;
        f.task[i] = e.task;
        f.bytes[i] = e.bytes;
        const SegmentTimes s = segmentTimes(e);
        for (size_t j = 0; j < s.size(); ++j)
            f.cum[i + 1][j] = f.cum[i][j] + s[j];
        const OffCpuTimes off = offCpuTimes(e);
        for (size_t j = 0; j < off.size(); ++j)
            f.offCum[i + 1][j] = f.offCum[i][j] + off[j];
        f.usage[i] = e.usage;
        m_cpuMeasured = m_cpuMeasured || e.usage.measured();
        f.passthrough[i] = e.passthrough ? 1 : 0;
        m_passthrough = m_passthrough || e.passthrough;
        m_maxEndNs = std::max(m_maxEndNs, e.endNs);
        ++m_barCount;
    }
    for (size_t w = 0; w < fills.size(); ++w)
        if (fills[w].unsorted)
            sortRow(m_rows[w]);
}

void GanttData::sortRow(Row &row)
{
    ++m_layoutVersion;
    const size_t n = row.size();
    std::vector<size_t> order(n);
    std::iota(order.begin(), order.end(), size_t(0));
    std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) { return row.start[a] < row.start[b]; });
    Row sorted;
    sorted.cum.reserve(n + 1);
    sorted.cum.push_back(SegmentTimes{});
    sorted.offCum.reserve(n + 1);
    sorted.offCum.push_back(OffCpuTimes{});
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
        OffCpuTimes o = sorted.offCum.back();
        for (size_t k = 0; k < o.size(); ++k)
            o[k] += row.offCum[i + 1][k] - row.offCum[i][k];
        sorted.offCum.push_back(o);
        sorted.usage.push_back(row.usage[i]);
        sorted.passthrough.push_back(row.passthrough[i]);
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
    e.usage = r.usage[index];
    e.passthrough = r.passthrough[index] != 0;
    return e;
}

} // namespace cs
