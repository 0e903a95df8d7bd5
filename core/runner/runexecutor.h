#pragma once

#include "results/runresult.h"

#include <QList>

#include <functional>
#include <memory>

namespace cs {

class ArraySet;
class CopyRun;

// What a caller can watch and steer while a run executes. Every callback is optional and is called on
// the executing thread; `started` hands out the live run so another thread can pull snapshots from it.
struct RunHooks {
    std::function<void(const RunSpec &, int repeatIndex, const std::shared_ptr<CopyRun> &)> started;
    std::function<void(const CopyRun &)> tick; // about every 100 ms while the copy runs, then verifies
    std::function<bool()> shouldCancel;
    std::function<void(const QString &)> status; // building arrays
    // An array's fill started (see ArraySet::onFillStarted).
    std::function<void(const QString &id, const std::shared_ptr<CopyRun> &)> fillStarted;
    std::function<void(const QString &id, const CopyRun &)> fillTick; // see ArraySet::onFillTick
};

// Runs one run of a scenario (all its repeats) and returns one result per repeat. Failures to build an
// array or to copy become results with status "failed", and a cancellation, while the arrays are
// filled or during the copy, one with status "cancelled" that ends the repeats; nothing throws.
QList<RunResult> executeRun(const RunSpec &spec, ArraySet &arrays, const RunHooks &hooks = {});

// The runs as they are executed: as given when sequential; interleaved, one spec per repeat, round by
// round (every run's first repeat, then every run's second, ...), each run's warm-up in its first round.
QList<RunSpec> executionPlan(const QList<RunSpec> &runs, RunOrder order);
// Puts results executed in any order back into the runs' order, repeats ascending, so that tables and
// output file names do not depend on the execution order.
void sortIntoRunOrder(QList<RunResult> &results, const QList<RunSpec> &runs);

} // namespace cs
