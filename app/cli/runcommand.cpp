#include "runcommand.h"

#include "charts/profileexport.h"
#include "charts/scalingchart.h"
#include "cliscenario.h"
#include "engine/copyrun.h"
#include "errorline.h"
#include "interruptwatch.h"
#include "outputdirs.h"
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

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>

namespace cs {

int runRunCommand(const CommandLine &cl)
{
    const std::optional<Scenario> scenario = loadScenarioForCommand(cl.scenario, cl.runs, cl.allowLarge);
    if (!scenario)
        return 2;
    // Every file the runs will lead to is known now, so a refused one costs no copy time.
    const QList<OutputTarget> planned = plannedOutputTargets(cl, *scenario);
    if (const QString why = outputRefusal(planned, *scenario); !why.isEmpty()) {
        printError(why);
        return 2;
    }
    OutputDirectories directories;
    for (const QString &dir : {cl.pngDir, cl.svgDir, cl.csvDir}) {
        QString error;
        if (!dir.isEmpty() && !directories.make(dir, &error)) {
            printError(error);
            directories.removeEmpty();
            return 2;
        }
    }
    if (const QString why = unwritableOutput(planned); !why.isEmpty()) {
        printError(why);
        directories.removeEmpty();
        return 2;
    }

    ProgressLine progress(!cl.quiet);
    ArraySet arrays(*scenario);
    QList<RunResult> results;
    const InterruptWatch interrupts;
    for (const RunSpec &spec : executionPlan(scenario->runs, scenario->order)) {
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
        const QList<RunResult> done = executeRun(spec, arrays, hooks);
        results.append(done);
        progress.clear();
        if (!done.isEmpty() && done.last().status == RunResult::Status::Cancelled)
            break;
    }
    sortIntoRunOrder(results, scenario->runs);
    // A signal that came after the last run had finished cancelled nothing.
    qsizetype expected = 0;
    for (const RunSpec &spec : scenario->runs)
        expected += std::max(1, spec.repeat);
    const bool cutShort = results.size() < expected
        || std::any_of(results.cbegin(), results.cend(),
                       [](const RunResult &r) { return r.status == RunResult::Status::Cancelled; });
    if (cutShort) {
        printError(QStringLiteral("interrupted by %1: the run in progress was cancelled and later runs skipped")
                       .arg(QLatin1String(InterruptWatch::signalName(InterruptWatch::signal()))));
    }

    // A closed standard output (`| head`) fails this write with EPIPE, SIGPIPE being ignored: the
    // outputs below are still written, and the failure is reported at the end.
    errno = 0;
    std::fputs(qPrintable(summaryTable(results, scenario->order)), stdout);
    const int stdoutError = flushStandardOutput();

    bool filesOk = true;
    // Names that only the finished runs give (a run cut short, a sweep with failed runs) are
    // checked too: nothing goes into a directory before each of its files passed.
    const QList<SweepSummary> sweeps = summarizeSweeps(results);
    bool directoriesOk = true;
    if (const QString why = outputRefusal(outputTargets(cl, results, sweeps), *scenario); !why.isEmpty()) {
        printError(why);
        filesOk = directoriesOk = false;
    }
    if (!cl.jsonFile.isEmpty()) {
        QString error;
        if (!writeResultsFile(cl.jsonFile, scenario->name, HostInfo::current(), results, &error)) {
            printError(error);
            filesOk = false;
        }
    }

    // The very widgets the app shows, rendered off screen: one profile per run (and repeat), and one
    // scaling chart per sweep, as PNG and, with --svg, as SVG, named as outputTargets checked them.
    const QStringList runStems = runFileStems(results);
    const QStringList sweepStems = sweepFileStems(sweeps);
    for (const auto &[dirName, suffix] : {std::pair(cl.pngDir, kPngSuffix), std::pair(cl.svgDir, kSvgSuffix)}) {
        if (dirName.isEmpty() || !directoriesOk)
            continue;
        const QDir dir(dirName);
        for (qsizetype i = 0; i < results.size(); ++i) {
            QString error;
            ProfileImageSpec spec;
            // The view lives only inside this call, so it may borrow the run without copying it.
            spec.runs = {std::shared_ptr<const RunResult>(&results.at(i), [](const RunResult *) {})};
            spec.size = cl.pngSize;
            spec.devicePixelRatio = cl.pngScale;
            if (!saveProfilePicture(spec, dir.filePath(runStems[i] + suffix), &error)) {
                printError(error);
                filesOk = false;
            }
        }
        for (qsizetype i = 0; i < sweeps.size(); ++i) {
            QString error;
            const QString path = dir.filePath(sweepStems[i] + kScalingSuffix + suffix);
            if (!exportScalingPicture(sweeps[i], path, cl.pngSize, cl.pngScale, &error)) {
                printError(error);
                filesOk = false;
            }
        }
    }
    if (!cl.traceFile.isEmpty()) {
        QString error;
        if (!writeChromeTrace(cl.traceFile, results, &error)) {
            printError(error);
            filesOk = false;
        }
    }
    if (!cl.csvDir.isEmpty() && directoriesOk) {
        QString error;
        if (!writeCsvFiles(cl.csvDir, results, &error)) {
            printError(error);
            filesOk = false;
        }
    }

    if (const int sig = InterruptWatch::signal(); sig != 0 && !cutShort) {
        const QString name = QLatin1String(InterruptWatch::signalName(sig));
        if (filesOk)
            std::fprintf(stderr,
                         "note: %s came after every run had finished; every output was written in full, and the "
                         "exit status does not count it\n",
                         qPrintable(name));
        else
            printError(
                QStringLiteral("%1 came after every run had finished, while the outputs were written").arg(name));
    }
    if (stdoutError != 0)
        printError(QStringLiteral("standard output: cannot write the summary table: %1%2")
                       .arg(QString::fromLocal8Bit(std::strerror(stdoutError)),
                            filesOk ? QStringLiteral("; every other output was written") : QString()));
    if (!filesOk || stdoutError != 0)
        directories.removeEmpty();

    bool allGood = filesOk && stdoutError == 0 && !cutShort;
    for (const RunResult &r : results)
        allGood = allGood && r.status == RunResult::Status::Ok && (!r.verified || *r.verified);
    return allGood ? 0 : 1;
}

} // namespace cs
