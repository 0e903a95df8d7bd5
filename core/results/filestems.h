#pragma once

#include <QList>
#include <QString>
#include <QStringList>

namespace cs {

struct RunResult;
struct SweepSummary;

// How outputs that share a directory are named: STEM.tasks.csv, STEM.samples.csv, STEM.requests.csv, STEM.png,
// STEM.svg for a run, STEM.scaling.png for a sweep.
//
// A name's stem keeps its letters, digits, '-' and '_' and turns every other character into '_';
// a repeat adds "_N" (N = repeatIndex + 1, so the second repeat of "r" is "r_2"); the name is cut
// to kMaxStemBytes of UTF-8 before that suffix, and an empty one becomes `fallback`. A stem is
// therefore always one valid path component, and a file name of it with any of the suffixes above
// fits the 255 bytes most file systems allow.
constexpr int kMaxStemBytes = 200;
// The suffixes, in one place for the writers and for the checks that run before them.
inline constexpr QLatin1String kTasksCsvSuffix(".tasks.csv");
inline constexpr QLatin1String kSamplesCsvSuffix(".samples.csv");
inline constexpr QLatin1String kRequestsCsvSuffix(".requests.csv"); // only for a run that made requests
inline constexpr QLatin1String kPngSuffix(".png");
inline constexpr QLatin1String kSvgSuffix(".svg");
inline constexpr QLatin1String kScalingSuffix(".scaling"); // before the picture's suffix
QString fileStem(const QString &name, int repeatIndex, const QString &fallback);

// Makes the stems of outputs written to one directory distinct, ignoring case (as macOS and
// Windows file systems do): a stem that no other takes stays as it is; of several equal ones the
// first, in the given order, keeps it and each later one gets "-2", "-3", ... the smallest number
// whose stem no other output has. The same list always gives the same stems.
QStringList uniqueFileStems(const QStringList &stems);

// The stems of every run's files (fallback "run") and of every sweep's pictures (fallback "sweep").
QStringList runFileStems(const QList<RunResult> &runs);
QStringList sweepFileStems(const QList<SweepSummary> &sweeps);

} // namespace cs
