#pragma once

#include "array/chunkgrid.h"
#include "phasepalette.h"
#include "profiler/requestevents.h"
#include "profiler/taskevent.h"

#include <array>
#include <cstdint>
#include <vector>

namespace cs {

// The tasks of one run laid out for drawing: one row per worker, each row's bars sorted by start
// time in flat arrays, with running sums of every segment's time so that the phase mix of any run
// of consecutive bars costs two lookups. That is what lets the Gantt fold a million sub-pixel bars
// into one fill per pixel column without visiting each of them.
class GanttData {
public:
    using SegmentTimes = std::array<int64_t, kSegmentCount>;
    // Of the working phases' time (all but the lock waits): waiting for a CPU, and blocked.
    using OffCpuTimes = std::array<int64_t, 2>;
    static constexpr size_t kRunq = 0;
    static constexpr size_t kBlocked = 1;

    struct Row {
        std::vector<int64_t> start; // ns, ascending
        std::vector<int64_t> end; // ns
        std::vector<int64_t> reach; // running maximum of end: ascending even if bars overlap
        std::vector<int64_t> task;
        std::vector<int64_t> bytes;
        std::vector<SegmentTimes> cum; // cum[i]: segment times summed over bars [0, i); size + 1 entries
        std::vector<OffCpuTimes> offCum; // the same for the off-CPU times
        std::vector<TaskUsage> usage;
        std::vector<uint8_t> passthrough; // 1: the task moved its chunk as stored, not decoded

        size_t size() const { return start.size(); }
        // The first bar that may still be visible at time tNs (ends at or after it).
        size_t firstEndingAfter(int64_t tNs) const;
        // The first bar at or after index `from` that starts at or after tNs.
        size_t firstStartingAt(int64_t tNs, size_t from) const;
        SegmentTimes sum(size_t first, size_t last) const;
        OffCpuTimes offCpu(size_t first, size_t last) const;
    };

    GanttData() = default;

    void clear();
    // The shape and copy chunks of the run, for each task's chunk and region.
    void setGrid(const Coords &shape, const Coords &chunks);
    const ChunkGrid &grid() const { return m_grid; }

    // At least this many rows, even before a worker's first task.
    void setWorkers(int workers);
    // Makes room for a run of `tasks` tasks shared among the rows, so that appending them does not
    // reallocate and copy a row of hundreds of thousands of bars on the GUI thread mid-run. The room is
    // only reserved: pages are touched as bars arrive.
    void reserveTasks(int64_t tasks);
    int workers() const { return int(m_rows.size()); }

    // Adds finished tasks. Each worker's tasks normally arrive in start order (a worker runs one at a
    // time and takes task indices in order); a task out of order re-sorts its row.
    void append(const TaskEvent *events, size_t count);
    void append(const std::vector<TaskEvent> &events) { append(events.data(), events.size()); }
    // Tasks not yet in the finished rows: running ones and finished ones a snapshot has not ordered yet.
    void setInFlight(std::vector<TaskEvent> events, int64_t nowNs);
    const std::vector<TaskEvent> &inFlight() const { return m_inFlight; }
    int64_t nowNs() const { return m_nowNs; }

    const Row &row(int worker) const { return m_rows[size_t(worker)]; }
    int64_t barCount() const { return m_barCount; }
    // Whether any bar carries the CPU accounting that splits its time into on and off CPU.
    bool hasCpuUsage() const { return m_cpuMeasured; }
    // Whether any bar moved its chunk as stored (TaskEvent::passthrough).
    bool hasPassthrough() const { return m_passthrough; }

    // The requests the run's tasks made to a remote server (object storage), which the bars show
    // inside them. Only a finished run has them; setting them redraws the bars.
    void setRequests(std::vector<TaskRequest> requests);
    bool hasRequests() const { return !m_requests.empty(); }
    // The requests of `task`, in the order it made them; empty when it made none.
    struct RequestRange {
        const TaskRequest *first = nullptr;
        const TaskRequest *last = nullptr;
        bool empty() const { return first == last; }
        int64_t size() const { return last - first; }
        const TaskRequest *begin() const { return first; }
        const TaskRequest *end() const { return last; }
    };
    RequestRange requestsOf(int64_t task) const;
    // Changes whenever bars already added move (the data is cleared, or a row re-sorted): a drawing
    // of the rows that only appends new bars must then start again.
    uint64_t layoutVersion() const { return m_layoutVersion; }
    int64_t runningCount() const;
    // The latest time any bar reaches, or "now" for a live run.
    int64_t endNs() const;

    // The task under time tNs in a row, within toleranceNs; nearest first. Index into the row, or -1.
    int64_t hit(int worker, int64_t tNs, int64_t toleranceNs) const;
    TaskEvent event(int worker, size_t index) const;

private:
    void sortRow(Row &row);

    std::vector<Row> m_rows;
    std::vector<TaskEvent> m_inFlight;
    std::vector<TaskRequest> m_requests; // by task, then start
    ChunkGrid m_grid;
    int64_t m_barCount = 0;
    bool m_cpuMeasured = false;
    bool m_passthrough = false;
    int64_t m_nowNs = 0;
    int64_t m_maxEndNs = 0;
    uint64_t m_layoutVersion = 0;
};

// The time of each segment of a task: its phases, then what they leave of its duration.
GanttData::SegmentTimes segmentTimes(const TaskEvent &event);
// Its off-CPU time in the working phases (cpusplit.h); zero when not measured.
GanttData::OffCpuTimes offCpuTimes(const TaskEvent &event);
// The phases during which a thread waits for a lock: off CPU by construction, drawn as they are.
bool isLockWaitSegment(int segment);

} // namespace cs
