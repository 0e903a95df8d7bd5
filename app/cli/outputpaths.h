#pragma once

#include "commandline.h"
#include "scenario/scenario.h"

#include <QList>
#include <QString>

namespace cs {

struct RunResult;
struct SweepSummary;

// One output of `run`: the file or directory an option names, or a file written into a --csv,
// --png or --svg directory (named by runFileStems and sweepFileStems).
struct OutputTarget {
    const char *option;
    QString path;
    bool directory = false;
};

// Every output of `run` for these results and sweeps: --json and --trace, the three directories,
// and each file written into them.
QList<OutputTarget> outputTargets(const CommandLine &cl, const QList<RunResult> &results,
                                  const QList<SweepSummary> &sweeps);
// The same before anything runs: every run and repeat of the scenario, and its sweeps, as if each
// finished. The files of a run cut short are named from a prefix of these results, and sweeps only
// of the runs that succeeded, so outputTargets of the actual results is checked again before writing.
QList<OutputTarget> plannedOutputTargets(const CommandLine &cl, const Scenario &scenario);

// The first reason not to write `targets`, as one "PATH: ..." message, or an empty string. Every
// path is resolved through symbolic links, as the writes follow them: an output that is or lies in
// the scenario file or an array's storage, one whose existing target is not a regular file (a
// directory for --csv, --png and --svg) such as a device node or a FIFO, two outputs on one file,
// and --json or --trace in a directory that does not exist are refused.
QString outputRefusal(const QList<OutputTarget> &targets, const Scenario &scenario);

// Once the output directories exist: the first directory an output goes to that this process may
// not write in (no permission, a read-only file system), as one "PATH: ..." message, or empty.
QString unwritableOutput(const QList<OutputTarget> &targets);

} // namespace cs
