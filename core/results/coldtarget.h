#pragma once

#include "runresult.h"

#include <QList>

#include <mutex>
#include <optional>
#include <vector>

namespace cs {

// One timed copy as a CopyHistory keeps it: enough to tell a copy into a fresh target from
// the copies that came after it.
struct TimedCopy {
    bool ok = false;
    double wallSeconds = 0;
    double faults = 0; // minor page faults during the copy
    int64_t targetBytes = 0; // what the copy left stored in its target
};
TimedCopy timedCopyOf(const RunResult &run);

// The timed copies that share a copyKey(), in the order they ran, shared by their results: the first
// copy's verdict compares it with copies that finished after it, which may be other runs' and, in an
// interleaved plan, are made by later calls of the runner. Appended by the thread that runs the
// copies and read by whoever shows a verdict, hence the mutex; neither is on the copy's hot path.
class CopyHistory {
public:
    int add(const TimedCopy &copy);
    std::vector<TimedCopy> copies() const;

private:
    mutable std::mutex m_mutex;
    std::vector<TimedCopy> m_copies;
};

// Copies compare when they wrote into the same array (id and location) with the same workers, lock
// and copy chunks, alike forked a child or not (a copy after a fork faults on every page anew), and
// with the same "passthrough".
QString copyKey(const RunResult &run);

// The first timed copy into a target that paid first-touch page faults: much slower than the copies
// after it, with many more page faults, enough to map a good part of what it wrote.
struct ColdTarget {
    double faults = 0;
    double wallSeconds = 0;
    double laterWallSeconds = 0; // median of the later finished copies
    int laterCopies = 0;
    double speedup() const { return laterWallSeconds > 0 ? wallSeconds / laterWallSeconds : 0; }
};

// The fact for `run` when it is such a copy; nullopt otherwise, and for a run without a history.
std::optional<ColdTarget> coldTargetOf(const RunResult &run);
// "first touch of a fresh target: 390 k page faults; later copies 6.2× faster"
QString coldTargetText(const ColdTarget &cold);

// Gives the runs of each copyKey() one history, in list order: for results read from a document or
// made by hand. A document lists runs in their file order and repeats ascending, so the first of each
// key is the first that ran, whatever the order of the rest.
void linkCopyHistories(QList<RunResult> &runs);
// Adds the finished copy to `history` and points the result at its entry.
void recordCopy(RunResult &run, const std::shared_ptr<CopyHistory> &history);

} // namespace cs
