#include "runcommand.h"

#include "charts/profileexport.h"
#include "charts/scalingchart.h"
#include "cliscenario.h"
#include "engine/copyrun.h"
#include "interruptwatch.h"
#include "outputpaths.h"
#include "progressline.h"
#include "results/csvexport.h"
#include "results/filestems.h"
#include "results/resultsjson.h"
#include "results/sweepsummary.h"
#include "results/traceexport.h"
#include "runner/arrayset.h"
#include "runner/runexecutor.h"
#include "summarytable.h"

#include <QDir>

#include <csignal>
#include <cstdio>

namespace cs {

int runRunCommand(const CommandLine &cl)
{
    const std::optional<Scenario> scenario = loadScenarioForCommand(cl.scenario, cl.runs, cl.allowLarge);
    if (!scenario || !checkOutputPaths(cl, *scenario))
        return 2;
    for (const QString &dir : {cl.pngDir, cl.svgDir, cl.csvDir}) {
        if (!dir.isEmpty() && !QDir().mkpath(dir)) {
            std::fprintf(stderr, "error: %s: cannot create the directory\n", qPrintable(dir));
            return 2;
        }
    }

    ProgressLine progress(!cl.quiet);
    ArraySet arrays(*scenario);
    QList<RunResult> results;
    const InterruptWatch interrupts;
    for (const RunSpec &spec : scenario->runs) {
        if (InterruptWatch::signal() != 0)
            break;
        RunHooks hooks;
        hooks.shouldCancel = [] { return InterruptWatch::signal() != 0; };
        hooks.status = [&](const QString &text) { progress.status(text); };
        hooks.tick = [&](const CopyRun &run) {
            RunSnapshot snap;
            // Progress needs only the counters: a snapshot with profiling data is cheap but unneeded here.
            snap.eventCursor = INT64_MAX;
            snap.sampleCursor = SIZE_MAX;
            run.snapshot(snap);
            progress.progress(spec.name, snap.tasksDone, snap.tasksTotal, double(snap.elapsedNs) / 1e9, snap.bytesDone);
        };
        results.append(executeRun(spec, arrays, hooks));
        progress.clear();
    }
    if (const int sig = InterruptWatch::signal()) {
        std::fprintf(stderr, "error: interrupted by %s: the run in progress was cancelled and later runs skipped\n",
                     sig == SIGINT ? "SIGINT" : "SIGTERM");
    }

    std::fputs(qPrintable(summaryTable(results)), stdout);
    std::fflush(stdout);

    bool filesOk = true;
    if (!cl.jsonFile.isEmpty()) {
        QString error;
        if (!writeResultsFile(cl.jsonFile, scenario->name, HostInfo::current(), results, &error)) {
            std::fprintf(stderr, "error: %s\n", qPrintable(error));
            filesOk = false;
        }
    }

    // The very widgets the app shows, rendered off screen: one profile per run (and repeat), and one
    // scaling chart per sweep, as PNG and, with --svg, as SVG.
    const QList<SweepSummary> sweeps = summarizeSweeps(results);
    const QStringList runStems = runFileStems(results);
    const QStringList sweepStems = sweepFileStems(sweeps);
    for (const auto &[dirName, suffix] :
         {std::pair(cl.pngDir, QStringLiteral(".png")), std::pair(cl.svgDir, QStringLiteral(".svg"))}) {
        if (dirName.isEmpty())
            continue;
        const QDir dir(dirName);
        for (qsizetype i = 0; i < results.size(); ++i) {
            QString error;
            if (!exportProfilePicture(results[i], dir.filePath(runStems[i] + suffix), QSize(1600, 900), &error)) {
                std::fprintf(stderr, "error: %s\n", qPrintable(error));
                filesOk = false;
            }
        }
        for (qsizetype i = 0; i < sweeps.size(); ++i) {
            QString error;
            const QString path = dir.filePath(sweepStems[i] + QStringLiteral(".scaling") + suffix);
            if (!exportScalingPicture(sweeps[i], path, QSize(1600, 900), 1, &error)) {
                std::fprintf(stderr, "error: %s\n", qPrintable(error));
                filesOk = false;
            }
        }
    }
    if (!cl.traceFile.isEmpty()) {
        QString error;
        if (!writeChromeTrace(cl.traceFile, results, &error)) {
            std::fprintf(stderr, "error: %s\n", qPrintable(error));
            filesOk = false;
        }
    }
    if (!cl.csvDir.isEmpty()) {
        QString error;
        if (!writeCsvFiles(cl.csvDir, results, &error)) {
            std::fprintf(stderr, "error: %s\n", qPrintable(error));
            filesOk = false;
        }
    }

    bool allGood = filesOk && InterruptWatch::signal() == 0;
    for (const RunResult &r : results)
        allGood = allGood && r.status == RunResult::Status::Ok && (!r.verified || *r.verified);
    return allGood ? 0 : 1;
}

} // namespace cs
