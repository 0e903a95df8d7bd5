#include "outputpaths.h"

#include "results/csvexport.h"
#include "results/filestems.h"
#include "results/runresult.h"
#include "results/sweepsummary.h"
#include "scenario/storagelocation.h"

#include <QDir>
#include <QHash>
#include <QSet>

#include <cerrno>
#include <cstring>
#include <sys/stat.h>
#include <unistd.h>

namespace cs {

namespace {

QString inputRefusal(const OutputTarget &out, const Scenario &scenario)
{
    if (!scenario.filePath.isEmpty() && sameLocation(out.path, scenario.filePath))
        return QStringLiteral("%1: %2 names the scenario file; writing there would overwrite it")
            .arg(out.path, QLatin1String(out.option));
    for (const ArraySpec &spec : scenario.arrays) {
        const QString storage = storagePath(spec);
        if (storage.isEmpty() || isRemote(spec) || !locationWithin(out.path, storage))
            continue;
        return QStringLiteral("%1: %2 %3 the storage of array %4 (%5); writing there could corrupt it")
            .arg(out.path, QLatin1String(out.option),
                 sameLocation(out.path, storage) ? QStringLiteral("names") : QStringLiteral("lies inside"), spec.id,
                 storage);
    }
    return QString();
}

QString kindName(mode_t mode)
{
    if (S_ISREG(mode))
        return QStringLiteral("a regular file");
    if (S_ISDIR(mode))
        return QStringLiteral("a directory");
    if (S_ISCHR(mode))
        return QStringLiteral("a character device");
    if (S_ISBLK(mode))
        return QStringLiteral("a block device");
    if (S_ISFIFO(mode))
        return QStringLiteral("a FIFO");
    if (S_ISSOCK(mode))
        return QStringLiteral("a socket");
    return QStringLiteral("no regular file");
}

// What is at `location` now, when it is not what the output replaces or writes into.
QString kindRefusal(const OutputTarget &out, const QString &location)
{
    // The kernel's own resolution first: /proc's links (/dev/stdout -> /proc/self/fd/1 -> a pipe) lead
    // to no path a canonical form can name.
    struct stat st;
    if (::stat(QFile::encodeName(out.path).constData(), &st) != 0
        && ::stat(QFile::encodeName(location).constData(), &st) != 0)
        return QString();
    if (out.directory ? S_ISDIR(st.st_mode) : S_ISREG(st.st_mode))
        return QString();
    return QStringLiteral("%1: %2 names %3, not %4")
        .arg(out.path, QLatin1String(out.option), kindName(st.st_mode),
             out.directory ? QStringLiteral("a directory") : QStringLiteral("a regular file"));
}

QString parentOf(const QString &location)
{
    const qsizetype slash = location.lastIndexOf(QLatin1Char('/'));
    return slash <= 0 ? QStringLiteral("/") : location.left(slash);
}

void appendFiles(QList<OutputTarget> &out, const char *option, const QString &dirName, const QStringList &stems,
                 const QStringList &suffixes)
{
    const QDir dir(dirName);
    for (const QString &stem : stems)
        for (const QString &suffix : suffixes)
            out.append({option, dir.filePath(stem + suffix), false});
}

} // namespace

QList<OutputTarget> outputTargets(const CommandLine &cl, const QList<RunResult> &results,
                                  const QList<SweepSummary> &sweeps)
{
    QList<OutputTarget> out;
    if (!cl.jsonFile.isEmpty())
        out.append({"--json", cl.jsonFile, false});
    if (!cl.traceFile.isEmpty())
        out.append({"--trace", cl.traceFile, false});
    const QStringList runStems = runFileStems(results);
    const QStringList sweepStems = sweepFileStems(sweeps);
    // The names the writers give: csvexport's two files per run (three with requests), and in runcommand a profile per
    // run and a scaling chart per sweep.
    if (!cl.csvDir.isEmpty()) {
        out.append({"--csv", cl.csvDir, true});
        appendFiles(out, "--csv", cl.csvDir, runStems, {kTasksCsvSuffix, kSamplesCsvSuffix});
        for (qsizetype i = 0; i < results.size(); ++i)
            if (writesRequestsCsv(results[i]))
                out.append({"--csv", QDir(cl.csvDir).filePath(runStems[i] + kRequestsCsvSuffix), false});
    }
    for (const auto &[option, dirName, suffix] :
         {std::tuple("--png", cl.pngDir, kPngSuffix), std::tuple("--svg", cl.svgDir, kSvgSuffix)}) {
        if (dirName.isEmpty())
            continue;
        out.append({option, dirName, true});
        appendFiles(out, option, dirName, runStems, {suffix});
        appendFiles(out, option, dirName, sweepStems, {kScalingSuffix + suffix});
    }
    return out;
}

QList<OutputTarget> plannedOutputTargets(const CommandLine &cl, const Scenario &scenario)
{
    QList<RunResult> results;
    QList<SweepSummary> sweeps;
    QSet<QString> sweepNames;
    for (const RunSpec &spec : scenario.runs) {
        for (int repeat = 0; repeat < std::max(1, spec.repeat); ++repeat) {
            RunResult r;
            r.name = spec.name;
            r.repeatIndex = repeat;
            // A copy to or from object storage will have requests to write: one stands for them.
            for (const QString &id : {spec.source, spec.target})
                if (const ArraySpec *array = scenario.array(id); array && isRemote(*array) && r.requests.empty())
                    r.requests.resize(1);
            results.append(std::move(r));
        }
        if (spec.sweep && !sweepNames.contains(spec.sweep->of)) {
            sweepNames.insert(spec.sweep->of);
            SweepSummary s;
            s.name = spec.sweep->of;
            sweeps.append(std::move(s));
        }
    }
    return outputTargets(cl, results, sweeps);
}

QString outputRefusal(const QList<OutputTarget> &targets, const Scenario &scenario)
{
    QHash<QString, const OutputTarget *> taken; // by canonical location
    for (const OutputTarget &out : targets) {
        const QString location = canonicalLocation(out.path);
        if (QString why = inputRefusal(out, scenario); !why.isEmpty())
            return why;
        if (QString why = kindRefusal(out, location); !why.isEmpty())
            return why;
        // Two directories may be one: --png and --svg (and --csv) files have distinct names.
        const OutputTarget *other = taken.value(location);
        if (other && !(other->directory && out.directory))
            return QStringLiteral("%1: %2 and %3 name the same file; one would overwrite the other")
                .arg(other->path, QLatin1String(other->option), QLatin1String(out.option));
        taken.insert(location, &out);
        if (!out.directory && (qstrcmp(out.option, "--json") == 0 || qstrcmp(out.option, "--trace") == 0)) {
            const QString parent = parentOf(location);
            if (!QFileInfo(parent).isDir())
                return QStringLiteral("%1: %2: the directory %3 does not exist")
                    .arg(out.path, QLatin1String(out.option), parent);
        }
    }
    return QString();
}

QString unwritableOutput(const QList<OutputTarget> &targets)
{
    QSet<QString> checked;
    for (const OutputTarget &out : targets) {
        const QString location = canonicalLocation(out.path);
        const QString dir = out.directory ? location : parentOf(location);
        if (checked.contains(dir))
            continue;
        checked.insert(dir);
        // A read-only mount answers EROFS here, even to root.
        if (::access(QFile::encodeName(dir).constData(), W_OK | X_OK) != 0) {
            const QString reason = QString::fromLocal8Bit(std::strerror(errno));
            return QStringLiteral("%1: %2: cannot write in the directory %3: %4")
                .arg(out.path, QLatin1String(out.option), dir, reason);
        }
    }
    return QString();
}

} // namespace cs
