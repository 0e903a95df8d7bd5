#pragma once

#include "array/chunkgrid.h"
#include "distribution.h"
#include "lockmode.h"
#include "profiler/requestevents.h"
#include "profiler/taskevent.h"

#include <QString>

#include <atomic>
#include <condition_variable>
#include <limits>
#include <memory>
#include <mutex>
#include <optional>
#include <vector>

class QThreadPool;

namespace cs {

class EventLog;
class InflightCounters;
class ChunkedStore;
class ResourceSampler;
class Store;
class TaskContext;
class ThreadCounters;
class WireCounters;

struct CopyOptions {
    Coords chunks; // the copy grid; empty (rank 0) means the source's chunks
    int workers = 1;
    LockMode lock = LockMode::Target;
    bool profile = true;
    int sampleMs = 100;
    bool verify = true;
    bool prefault = false; // touch an in-memory target's pages before the timed copy
    bool forkDuringCopy = false; // fork an idle child as the copy starts (see RunSpec::forkDuringCopy)
    // This process's share of the grid when several processes copy it together (an MPI job): it
    // runs, records and verifies only the tasks `distribution` gives rank `rank` of `ranks`.
    int rank = 0;
    int ranks = 1;
    Distribution distribution = Distribution::Block;
    // Move chunks as they are stored, without decoding them (stores/passthrough.h), as the caller
    // planned: both stores are ChunkedStores with equal encoded forms and the copy grid is their
    // grid. passEdges: the edge chunks too; otherwise those are decoded and re-encoded. pack: the
    // target packs the source's chunks into its own (PassthroughPlan::packs), and the copy grid is the
    // target's. unpack: the source unpacks its chunks into the target's (PassthroughPlan::unpacks), and
    // the copy grid is the source's.
    bool passthrough = false;
    bool passEdges = false;
    bool pack = false;
    bool unpack = false;
    // A store of the copy keeps its data on a remote server (object storage): when profiled, the
    // samples count the requests in flight and the bytes on the wire (wirecounters.h).
    bool remote = false;
};

// What a reader sees of a run while it goes on. Readers keep one and pass it back to
// CopyRun::snapshot(), which appends only what is new, so a live view costs O(new tasks).
struct RunSnapshot {
    int64_t tasksTotal = 0;
    int64_t tasksDone = 0;
    int64_t bytesDone = 0;
    int64_t elapsedNs = 0; // the copy's time: it stops when the copy ends, before verification
    bool finished = false; // the copy and its verification
    // The copy ended; verification, when the run asked for it, runs until `finished`.
    bool copyEnded = false;
    int64_t verifyTotal = 0; // chunks to compare: tasksTotal when the run verifies, else 0
    int64_t verifyDone = 0;
    std::vector<TaskEvent> done; // finished tasks in task order, up to the first gap
    std::vector<TaskEvent> pending; // running tasks and finished ones past the gap
    std::vector<ResourceSample> samples;

    // Cursors into the run's logs; internal to CopyRun.
    int64_t eventCursor = 0;
    size_t sampleCursor = 0;
};

// One timed copy of a source store into a target store: one task per chunk of the copy grid, run by
// `workers` threads of a QThreadPool. Each worker pulls the next task index from an atomic counter,
// times its phases itself and records them in the run's EventLog, so the profile reflects what the
// workers did rather than when a scheduler noticed.
class CopyRun {
public:
    CopyRun(Store &source, Store &target, const CopyOptions &options);
    ~CopyRun();
    CopyRun(const CopyRun &) = delete;
    CopyRun &operator=(const CopyRun &) = delete;

    // Starts the workers and returns at once.
    void start();
    // Asks the workers to stop; each finishes the task it is running, then stops.
    void cancel();
    // Waits until every worker has stopped (and verification ran); true if finished within timeoutMs.
    bool wait(int timeoutMs = -1);
    bool isFinished() const;

    const ChunkGrid &copyGrid() const { return m_grid; }
    const TaskShare &share() const { return m_share; }
    // When the copy started, on monotonicNs()'s clock; 0 before start(). Lets the processes of a job
    // put their runs on one time axis.
    int64_t originNs() const { return m_clockStarted.load(std::memory_order_acquire) ? m_originNs : 0; }
    const CopyOptions &options() const { return m_options; }

    // Safe from any thread at any time. At most maxNewTasks finished tasks join `into.done` per call,
    // so that a reader can bound its work per snapshot when tasks finish faster than it takes them;
    // such a snapshot lags the run (its `pending` stops where its `done` does) until later calls
    // take the rest. Counts and events cover this process's share of the grid only.
    void snapshot(RunSnapshot &into, int64_t maxNewTasks = std::numeric_limits<int64_t>::max()) const;

    // After wait(): the outcome.
    bool failed() const { return m_failed.load(); }
    bool cancelled() const { return m_cancelled.load() && !m_failed.load(); }
    QString error() const;
    double wallSeconds() const { return double(m_wallNs) / 1e9; }
    int64_t bytesCopied() const;
    // The stored bytes of the chunks passed through without decoding (options.passthrough).
    int64_t bytesPassedThrough() const { return m_bytesPassed.load(); }
    std::optional<bool> verified() const { return m_verified; }
    QString verifyMessage() const { return m_verifyMessage; }
    std::vector<TaskEvent> events() const;
    // The requests its stores made to remote servers (object storage), when profiled: by task, then
    // start; and how many a task made beyond what it could record.
    std::vector<TaskRequest> requests() const;
    int64_t requestsDropped() const;
    std::vector<ResourceSample> samples() const;
    double cpuMeanPercent() const;
    // The sampling thread's own CPU time: with the tasks' cpu_s, the process's CPU over the run.
    double samplerCpuSeconds() const;
    int64_t peakRssBytes() const;

private:
    void workerLoop(int worker, const ThreadCounters &counters);
    // True when the task moved its chunks as stored, decoding none of them.
    bool copyTask(const Region &region, TaskContext &ctx);
    void fail(const QString &message);
    void finish();
    void verify();

    Store &m_source;
    Store &m_target;
    CopyOptions m_options;
    ChunkGrid m_grid;
    TaskShare m_share; // the tasks this process runs; the event log is indexed by position in it
    int64_t m_itemsize;
    // Set when the chunks pass through: the stores as chunked stores.
    ChunkedStore *m_passSource = nullptr;
    ChunkedStore *m_passTarget = nullptr;

    std::unique_ptr<QThreadPool> m_pool;
    std::vector<std::unique_ptr<TaskContext>> m_contexts;
    std::unique_ptr<EventLog> m_events;
    std::unique_ptr<RequestEvents> m_requests;
    std::unique_ptr<InflightCounters> m_inflight;
    std::unique_ptr<WireCounters> m_wire; // only for a profiled copy with a remote store
    std::unique_ptr<ResourceSampler> m_sampler;
    std::mutex m_runLock; // the run's own lock, for lock modes "target" and "io"

    std::atomic<int64_t> m_next{0};
    std::atomic<int64_t> m_done{0};
    std::atomic<int64_t> m_bytesDone{0};
    std::atomic<int64_t> m_bytesPassed{0};
    std::atomic<bool> m_stop{false};
    std::atomic<bool> m_failed{false};
    std::atomic<bool> m_cancelled{false};
    std::atomic<int> m_workersLeft{0};
    int64_t m_originNs = 0;
    // Set (release) once start() has set m_originNs and m_sampler: snapshot() may run on another
    // thread from before start() on, and reads neither until it sees this (acquire).
    std::atomic<bool> m_clockStarted{false};
    int m_forkedChild = -1; // pid of the idle child, for forkDuringCopy
    std::atomic<int64_t> m_wallNs{0};
    // Set (release) once m_wallNs holds the copy's time, before verification starts.
    std::atomic<bool> m_copyEnded{false};
    std::atomic<int64_t> m_verifyDone{0}; // chunks verified so far, for progress

    mutable std::mutex m_stateMutex; // guards m_error and m_finished; not on the hot path
    std::condition_variable m_finishedCv;
    bool m_finished = false;
    bool m_started = false;
    QString m_error;
    std::optional<bool> m_verified;
    QString m_verifyMessage;
};

} // namespace cs
