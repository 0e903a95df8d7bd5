#pragma once

#include "runresult.h"

#include <QList>
#include <QString>
#include <QStringList>

#include <optional>
#include <vector>

namespace cs {

// A 95 % confidence interval.
struct Interval {
    double low = 0;
    double high = 0;
    bool contains(double v) const { return low <= v && v <= high; }
};

double medianOf(std::vector<double> values);

// Whether a copy takes part in comparisons (summaries, ratios, sweep points): it finished, and it
// is not a first copy that met a fresh target (coldtarget.h), which measures the kernel's page
// mapping rather than the copy.
bool comparable(const RunResult &run);

// The 95 % percentile-bootstrap interval of the median of `values` (10,000 resamples from a fixed
// seed, so the same values always give the same interval); nullopt for fewer than 3 values, where
// an interval says nothing.
std::optional<Interval> medianInterval(const std::vector<double> &values);

// A run name's comparable repeats, as the results document's "summaries" carry them.
struct RepeatSummary {
    QString name;
    int n = 0;
    double wallMedian = 0;
    Interval wallCi;
    double gbpsMedian = 0;
    Interval gbpsCi;
};

// One summary per run name with at least 3 finished repeats, in the order the names first appear.
QList<RepeatSummary> summarizeRepeats(const QList<RunResult> &runs);

// How much faster copy A is than copy B: the ratio of B's median wall time to A's, and its 95 %
// percentile-bootstrap interval (each side resampled on its own). nullopt unless both have 3 values.
struct SpeedRatio {
    double ratio = 0;
    Interval ci;
    int n = 0; // the smaller of the two sides
};
std::optional<SpeedRatio> speedRatio(const std::vector<double> &wallA, const std::vector<double> &wallB);

// "lock none is 1.41× faster than lock target (95 % CI 1.35–1.48, n = 5, interleaved)", or "… no
// clear difference …" when the interval includes 1.
QString ratioSentence(const QString &a, const QString &b, const SpeedRatio &r, const QString &order);

// One sentence per pair of lock modes that a sweep ran at the same workers and chunks, each with at
// least 3 comparable runs: "zarr [workers=2]: lock none is 1.41× faster than lock target (…)".
QStringList lockComparisons(const QList<RunResult> &runs, const QString &order);

} // namespace cs
