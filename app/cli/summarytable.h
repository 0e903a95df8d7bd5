#pragma once

#include "results/runresult.h"

#include <QList>
#include <QString>

namespace cs {

// The table `chunkscope run` prints at the end: one row per run with name, store kinds, workers,
// lock, tasks, wall seconds, GB/s, mean CPU %, peak RSS and verified; then a line per run that failed
// or did not verify, and after a blank line each finished run's verdict: "name: <headline>"; then a
// sentence per pair of lock modes a sweep compared (lockComparisons), naming the execution order.
QString summaryTable(const QList<RunResult> &runs, RunOrder order = RunOrder::Sequential);

} // namespace cs
