#pragma once

#include "repeatstats.h"
#include "runresult.h"

#include <QJsonObject>
#include <QList>
#include <QString>
#include <QStringList>

#include <optional>

namespace cs {

// One number of workers on a scaling line: the median throughput of the finished runs (repeats
// included) that share it, and how it compares with the line's baseline.
struct ScalingPoint {
    int workers = 0;
    double gbps = 0; // median over repeats
    double wallSeconds = 0; // median over repeats
    int repeats = 0; // finished runs behind the medians ("n" in the results document)
    double speedup = 0; // gbps / baseline gbps
    double efficiency = 0; // speedup / (workers / baseline workers)
    // Verdict::boundKey of the run nearest the median throughput: "lock", "codec", ...
    QString bound;
    std::optional<Interval> gbpsCi; // 95 % interval of the median gbps, with 3 runs or more
};

// Throughput against workers for one lock mode and one copy chunk shape.
struct ScalingLine {
    LockMode lock = LockMode::Target;
    Coords chunks;
    QString label; // the swept keys other than workers: "lock=target", "chunks=65536", both, or the lock
    int baselineWorkers = 0; // 1 when the line has a 1-worker run, else its fewest workers
    QList<ScalingPoint> points; // ascending workers

    const ScalingPoint *point(int workers) const;
};

// A swept run (RunResult::sweep->of) summarised from its finished runs: how the copy scales.
struct SweepSummary {
    QString name; // the run the sweep was expanded from
    QStringList swept; // "workers", "lock", "chunks": the keys the sweep varies, in that order
    QList<ScalingLine> lines; // in the order their first run appears
    // Non-empty when a line has no 1-worker run, e.g. "speed-up and efficiency of lock=none are
    // against 2 workers: the sweep has no 1-worker run of it"; one sentence per such line.
    QString note;

    const ScalingLine *line(LockMode lock, const Coords &chunks) const;
    int pointCount() const;
};

// Groups the comparable runs (repeatstats.h) that carry a sweep by the run they were expanded from,
// in the order each sweep first appears. Runs without a sweep, failed or cancelled ones and first
// copies into a fresh target are left out;
// several runs with the same workers, lock and chunks are repeats and give one median point.
QList<SweepSummary> summarizeSweeps(const QList<RunResult> &runs);
QList<SweepSummary> summarizeSweeps(const QList<const RunResult *> &runs);

// Whether two runs copied between the same array definitions (store kind, dtype, shape, chunks,
// codec and location of source and target). Runs of one sweep made while its arrays were defined
// otherwise measure another copy, and their points must not share a median.
bool sameArrays(const RunResult &a, const RunResult &b);

// The summary as the results document's "sweeps" entries carry it:
//   {"name", "swept", "note" (when any), "lines": [{"label", "lock", "chunks", "baseline_workers",
//    "points": [{"workers", "gbps", "wall_s", "repeats", "speedup", "efficiency", "bound"}]}]}
QJsonObject scalingLineToJson(const ScalingLine &line);
QJsonObject sweepSummaryToJson(const SweepSummary &summary);

} // namespace cs
