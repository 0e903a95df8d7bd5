#include "runcommand.h"

#include "charts/profileexport.h"
#include "charts/scalingchart.h"
#include "cliscenario.h"
#include "cluster/clusterjob.h"
#include "cluster/clusterplan.h"
#include "clusterrun.h"
#include "engine/copyrun.h"
#include "errorline.h"
#include "interruptwatch.h"
#include "io/atomicfile.h"
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
#include "runner/runstage.h"
#include "summarytable.h"

#include <QDir>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>

namespace cs {

namespace {

// Every file the runs will lead to is known before they run, so a refused one costs no copy time.
// Returns 0, or 2 after printing why.
int prepareOutputs(const CommandLine &cl, const Scenario &scenario, OutputDirectories &directories)
{
    const QList<OutputTarget> planned = plannedOutputTargets(cl, scenario);
    if (const QString why = outputRefusal(planned, scenario); !why.isEmpty()) {
        printError(why);
        return 2;
    }
    for (const QString &dir : {cl.pngDir, cl.svgDir, cl.csvDir}) {
        QString error;
        if (!dir.isEmpty() && !directories.make(dir, &error)) {
            printError(error);
            return 2;
        }
    }
    if (const QString why = unwritableOutput(planned); !why.isEmpty()) {
        printError(why);
        return 2;
    }
    return 0;
}

// Under a launcher of several ranks, this process's part in the job; nullptr in one process. The ranks
// compare the scenario file's bytes as each read them, the bytes each then parses. Sets *exitCode
// when the process cannot take part.
std::unique_ptr<ClusterJob> joinClusterJob(const CommandLine &cl, const ScenarioBytes &file, int *exitCode)
{
    *exitCode = 0;
    if (launchedRanks() <= 1)
        return nullptr;
    if (!builtWithMpi()) {
        // Each process would run the whole scenario and write the same outputs.
        printError(QStringLiteral("started as one of %1 MPI ranks, but this chunkscope was built without MPI "
                                  "(configure with -DCHUNKSCOPE_MPI=ON and libopenmpi-dev installed)")
                       .arg(launchedRanks()));
        *exitCode = 2;
        return nullptr;
    }
    // Every rank opens the HDF5 sources, which rank 0 holds open too, writable: HDF5's file locks
    // would refuse the other ranks' opens, though no rank writes to a source. HDF5 reads this once,
    // before its first call (the scenario's memory check may read a file's sizes).
    if (qEnvironmentVariableIsEmpty("HDF5_USE_FILE_LOCKING"))
        qputenv("HDF5_USE_FILE_LOCKING", "FALSE");
    auto job = std::make_unique<ClusterJob>(joinJob());
    if (const QString why = job->scenarioDisagreement(scenarioFingerprint(file, cl.runs)); !why.isEmpty()) {
        // Not prefixed with this rank's file name: every rank prints the same line.
        printError(why);
        *exitCode = 2;
    }
    return job;
}

} // namespace

int runRunCommand(const CommandLine &cl)
{
    int early = 0;
    // Read once: under MPI what was hashed is what runs, even if the file changes meanwhile.
    const ScenarioBytes file = ScenarioBytes::read(cl.scenario);
    const std::unique_ptr<ClusterJob> job = joinClusterJob(cl, file, &early);
    if (early != 0)
        return early;
    const std::optional<Scenario> scenario
        = loadScenarioForCommand(file, cl.runs, cl.allowLarge, job ? job->rank() : 0, job ? job->ranks() : 1);
    early = scenario ? 0 : 2;
    if (early == 0 && job) {
        if (const QString why = clusterRefusal(*scenario); !why.isEmpty()) {
            if (job->isRoot())
                printError(QStringLiteral("%1: %2").arg(cl.scenario, why));
            early = 2;
        }
    }
    OutputDirectories directories;
    // Only rank 0 writes the outputs; the others only run.
    if (early == 0 && (!job || job->isRoot()))
        early = prepareOutputs(cl, *scenario, directories);
    if (job)
        early = job->agree(early);
    if (early != 0) {
        directories.removeEmpty();
        return early;
    }

    ProgressLine progress(!cl.quiet && (!job || job->isRoot()));
    const InterruptWatch interrupts;
    QList<RunResult> results;
    ClusterOutcome cluster;
    if (job) {
        job->measureClocks();
        cluster = runClusterShare(*job, *scenario, progress);
        if (!job->isRoot())
            return 0; // rank 0 reports every rank's outcome, and its exit status is the job's
        results = cluster.results;
    }
    ArraySet arrays(*scenario);
    for (const RunSpec &spec : job ? QList<RunSpec>() : executionPlan(scenario->runs, scenario->order)) {
        if (InterruptWatch::signal() != 0)
            break;
        RunHooks hooks;
        hooks.shouldCancel = [] { return InterruptWatch::signal() != 0; };
        hooks.status = [&](const QString &text) { progress.status(text); };
        hooks.tick = [&](const CopyRun &run) {
            // Progress needs only the counters: a snapshot with profiling data is cheap but unneeded here.
            progress.progress(spec.name, countersOf(run));
        };
        hooks.fillTick = [&](const QString &id, const CopyRun &run) { progress.fill(id, countersOf(run)); };
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
    if (job) {
        QHash<QString, qsizetype> repeats;
        for (const RunResult &r : results)
            ++repeats[r.name];
        for (const MergedRun &m : cluster.merged)
            if (!m.rankVerdict().isEmpty())
                std::fprintf(stdout, "%s: %s\n", qPrintable(runDisplayName(m.result, repeats.value(m.result.name))),
                             qPrintable(m.rankVerdict()));
        std::fflush(stdout);
    }
    if (!cl.jsonFile.isEmpty()) {
        QString error;
        const bool written = job ? replaceFile(cl.jsonFile,
                                               clusterResultsJson(scenario->name, HostInfo::current(), cluster.merged,
                                                                  cluster.distributions, job->clocks()),
                                               &error)
                                 : writeResultsFile(cl.jsonFile, scenario->name, HostInfo::current(), results, &error);
        if (!written) {
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
            spec.growToFit = !cl.pngSizeGiven;
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
    // An MPI job's runs say which rank each task and sample came from, in the trace and the CSV too.
    QList<RunRanks> ranks;
    for (const MergedRun &m : cluster.merged)
        ranks.append(m.rankOf);
    if (!cl.traceFile.isEmpty()) {
        QString error;
        if (!writeChromeTrace(cl.traceFile, results, &error, ranks)) {
            printError(error);
            filesOk = false;
        }
    }
    if (!cl.csvDir.isEmpty() && directoriesOk) {
        QString error;
        if (!writeCsvFiles(cl.csvDir, results, &error, ranks)) {
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
