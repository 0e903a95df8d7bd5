#include "scenarioparser.h"

#include "array/coords.h"
#include "io/jsoncheck.h"
#include "storagecheck.h"
#include "sweep.h"

#include <QFile>
#include <QFileInfo>
#include <QHash>
#include <QThread>

#include <algorithm>
#include <set>

namespace cs {

namespace {

QString shapeText(const std::vector<int64_t> &v)
{
    return Coords::fromVector(v).toString();
}

LockMode parseLock(const QJsonValue &v, const QString &p)
{
    if (v.isBool())
        return v.toBool() ? LockMode::Target : LockMode::None;
    if (v.isString()) {
        const auto mode = lockModeFromName(v.toString());
        if (mode)
            return *mode;
    }
    failAt(p, QStringLiteral("must be true, false, \"target\", \"none\" or \"io\""));
}

PassthroughMode parsePassthrough(const QJsonValue &v, const QString &p)
{
    const auto mode = v.isString() ? passthroughModeFromName(v.toString()) : std::nullopt;
    if (!mode)
        failAt(p, QStringLiteral("must be \"never\", \"auto\" or \"require\""));
    return *mode;
}

int parseWorkers(const QJsonValue &v, const QString &p)
{
    return int(requireInteger(v, p, 0, kMaxWorkers));
}

// A copy chunk shape; `array` is whichever side of the run knows its shape (nullptr if neither).
std::vector<int64_t> parseChunkList(const QJsonValue &v, const QString &p, const ArraySpec *array)
{
    const QJsonArray a = requireArray(v, p);
    if (a.isEmpty() || a.size() > kMaxRank)
        failAt(p, QStringLiteral("must list 1 to %1 dimensions").arg(kMaxRank));
    std::vector<int64_t> chunks;
    for (qsizetype i = 0; i < a.size(); ++i)
        chunks.push_back(requireInteger(a.at(i), jsonPointer(p, i), 1, kMaxExactJsonInteger,
                                        QStringLiteral("must be a positive integer")));
    if (array && chunks.size() != array->shape.size())
        failAt(p,
               QStringLiteral("rank %1 differs from the rank %2 of %3")
                   .arg(chunks.size())
                   .arg(array->shape.size())
                   .arg(array->id));
    return chunks;
}

// A sweepable key: a list is a sweep (non-empty, no value twice), anything else one value.
template <typename T, typename ParseOne>
QList<T> sweepValues(const QJsonValue &v, const QString &p, bool isSweep, ParseOne parseOne, bool *swept)
{
    if (!isSweep)
        return {parseOne(v, p)};
    const QJsonArray a = v.toArray();
    if (a.isEmpty())
        failAt(p, QStringLiteral("a sweep must list at least one value"));
    QList<T> values;
    values.reserve(a.size());
    std::set<T> seen;
    for (qsizetype i = 0; i < a.size(); ++i) {
        const T value = parseOne(a.at(i), jsonPointer(p, i));
        if (!seen.insert(value).second)
            failAt(jsonPointer(p, i), QStringLiteral("repeats an earlier value of the sweep"));
        values.append(value);
    }
    *swept = true;
    return values;
}

// Raw chunk I/O moves whole dataset chunks, so a copy on other chunks cannot take the direct path;
// asking for it there is refused here rather than timing the library path instead. What only the
// file can tell (a contiguous dataset, another filter) is refused when the run starts.
void checkDirectPath(const RunSpec &run, const ArraySpec &src, const ArraySpec &tgt, const QString &p)
{
    for (const ArraySpec *a : {&src, &tgt})
        if (a->kind() && a->kind()->takesHdf5Path() && !a->chunks.empty() && !run.chunks.empty()
            && run.chunks != a->chunks)
            failAt(p,
                   QStringLiteral("\"direct\" needs the copy's chunks %1 to be %2's chunks %3")
                       .arg(shapeText(run.chunks), a->id, shapeText(a->chunks)));
}

[[noreturn]] void failRunLimit(const QString &ptr)
{
    failAt(ptr, QStringLiteral("the scenario would hold more than %1 runs; sweep fewer values").arg(kMaxScenarioRuns));
}

QList<RunSpec> parseRuns(const QJsonArray &runs, const QHash<QString, const ArraySpec *> &arrays)
{
    QList<RunSpec> out;
    QHash<QString, QString> names; // run name -> pointer of the run that has it
    for (qsizetype i = 0; i < runs.size(); ++i) {
        const QString ptr = jsonPointer(QStringLiteral("/runs"), i);
        const auto at = [&](const QString &key) { return jsonPointer(ptr, key); };
        const QJsonObject o = requireObject(runs.at(i), ptr);
        checkKeys(o, ptr, scenarioRunKeys());
        for (const QString &key : {QStringLiteral("name"), QStringLiteral("source"), QStringLiteral("target")})
            requireKey(o, ptr, key);

        RunSpec base;
        base.name = requireString(o.value(QStringLiteral("name")), at(QStringLiteral("name")));
        base.source = requireString(o.value(QStringLiteral("source")), at(QStringLiteral("source")));
        if (!arrays.contains(base.source))
            failAt(at(QStringLiteral("source")), QStringLiteral("unknown array \"%1\"").arg(base.source.left(64)));
        base.target = requireString(o.value(QStringLiteral("target")), at(QStringLiteral("target")));
        if (!arrays.contains(base.target))
            failAt(at(QStringLiteral("target")), QStringLiteral("unknown array \"%1\"").arg(base.target.left(64)));
        if (base.target == base.source)
            failAt(at(QStringLiteral("target")), QStringLiteral("is the source; a run copies to a different array"));
        const ArraySpec &src = *arrays.value(base.source);
        const ArraySpec &tgt = *arrays.value(base.target);
        if (!src.shape.empty() && !tgt.shape.empty() && src.shape != tgt.shape)
            failAt(at(QStringLiteral("target")),
                   QStringLiteral("shape %1 differs from source %2's %3")
                       .arg(shapeText(tgt.shape), src.id, shapeText(src.shape)));
        if (src.dtypeKnown && tgt.dtypeKnown && src.dtype != tgt.dtype)
            failAt(at(QStringLiteral("target")),
                   QStringLiteral("dtype %1 differs from source %2's %3")
                       .arg(tgt.dtype.typestr(), src.id, src.dtype.typestr()));
        const ArraySpec *ranked = !src.shape.empty() ? &src : !tgt.shape.empty() ? &tgt : nullptr;

        const auto isChunkSweep
            = [](const QJsonValue &v) { return v.isArray() && !v.toArray().isEmpty() && v.toArray().at(0).isArray(); };
        // The limit is checked on the lists' lengths first, so that a list far too long is refused
        // before each of its values is parsed and compared with the others.
        int64_t planned = 1;
        for (const QString &key : {QStringLiteral("chunks"), QStringLiteral("workers"), QStringLiteral("lock"),
                                   QStringLiteral("passthrough")}) {
            const QJsonValue v = o.value(key);
            if (v.isArray() && (key != QLatin1String("chunks") || isChunkSweep(v)))
                planned *= std::min<int64_t>(v.toArray().size(), kMaxScenarioRuns + 1);
            if (planned > kMaxScenarioRuns - out.size())
                failRunLimit(ptr);
        }

        SweepAxes axes;
        axes.chunks = {src.chunks};
        if (o.contains(QStringLiteral("chunks"))) {
            const QJsonValue v = o.value(QStringLiteral("chunks"));
            const bool isSweep = isChunkSweep(v);
            axes.chunks = sweepValues<std::vector<int64_t>>(
                v, at(QStringLiteral("chunks")), isSweep,
                [&](const QJsonValue &x, const QString &p) { return parseChunkList(x, p, ranked); }, &axes.chunksSwept);
        }
        if (o.contains(QStringLiteral("workers"))) {
            const QJsonValue v = o.value(QStringLiteral("workers"));
            axes.workers
                = sweepValues<int>(v, at(QStringLiteral("workers")), v.isArray(), parseWorkers, &axes.workersSwept);
        }
        if (o.contains(QStringLiteral("lock"))) {
            const QJsonValue v = o.value(QStringLiteral("lock"));
            axes.locks = sweepValues<LockMode>(v, at(QStringLiteral("lock")), v.isArray(), parseLock, &axes.lockSwept);
        }
        if (o.contains(QStringLiteral("passthrough"))) {
            const QJsonValue v = o.value(QStringLiteral("passthrough"));
            axes.passthroughs = sweepValues<PassthroughMode>(v, at(QStringLiteral("passthrough")), v.isArray(),
                                                             parsePassthrough, &axes.passthroughSwept);
        }
        if (o.contains(QStringLiteral("profile")))
            base.profile = requireBool(o.value(QStringLiteral("profile")), at(QStringLiteral("profile")));
        if (o.contains(QStringLiteral("sample_ms")))
            base.sampleMs
                = int(requireInteger(o.value(QStringLiteral("sample_ms")), at(QStringLiteral("sample_ms")), 1, 60000));
        if (o.contains(QStringLiteral("verify")))
            base.verify = requireBool(o.value(QStringLiteral("verify")), at(QStringLiteral("verify")));
        if (o.contains(QStringLiteral("hdf5_path"))) {
            const QJsonValue v = o.value(QStringLiteral("hdf5_path"));
            const auto path = v.isString() ? hdf5PathFromName(v.toString()) : std::nullopt;
            if (!path)
                failAt(at(QStringLiteral("hdf5_path")), QStringLiteral("must be \"auto\", \"library\" or \"direct\""));
            base.hdf5Path = *path;
        }
        if (o.contains(QStringLiteral("distribution"))) {
            const QJsonValue v = o.value(QStringLiteral("distribution"));
            const auto d = v.isString() ? distributionFromName(v.toString()) : std::nullopt;
            if (!d)
                failAt(at(QStringLiteral("distribution")), QStringLiteral("must be \"block\" or \"cyclic\""));
            base.distribution = *d;
        }
        if (o.contains(QStringLiteral("repeat")))
            base.repeat = int(requireInteger(o.value(QStringLiteral("repeat")), at(QStringLiteral("repeat")), 1, 1000));
        if (o.contains(QStringLiteral("warmup")))
            base.warmup = int(requireInteger(o.value(QStringLiteral("warmup")), at(QStringLiteral("warmup")), 0, 1000));
        if (o.contains(QStringLiteral("prefault")))
            base.prefault = requireBool(o.value(QStringLiteral("prefault")), at(QStringLiteral("prefault")));
        if (o.contains(QStringLiteral("fork_during_copy")))
            base.forkDuringCopy
                = requireBool(o.value(QStringLiteral("fork_during_copy")), at(QStringLiteral("fork_during_copy")));
        if (o.contains(QStringLiteral("leave_one_core")))
            base.leaveOneCore
                = requireBool(o.value(QStringLiteral("leave_one_core")), at(QStringLiteral("leave_one_core")));

        const int64_t count = axes.combinations();
        if (count > kMaxScenarioRuns - out.size())
            failRunLimit(ptr);
        QList<RunSpec> expanded = expandSweep(base, axes);
        // A sweep's runs share their arrays: one untimed copy before the first, unless the file says
        // otherwise, so that no point of the sweep is timed against a fresh target.
        if (expanded.size() > 1 && !o.contains(QStringLiteral("warmup"))) {
            for (RunSpec &run : expanded)
                run.warmup = 0;
            expanded.first().warmup = 1;
        } else if (expanded.size() > 1) {
            for (qsizetype i = 1; i < expanded.size(); ++i)
                expanded[i].warmup = 0;
        }
        for (RunSpec &run : expanded)
            if (run.leaveOneCore && run.workers == 0)
                run.workers = std::max(1, QThread::idealThreadCount() - 1);
        for (const RunSpec &run : expanded) {
            if (run.hdf5Path == Hdf5Path::Direct)
                checkDirectPath(run, src, tgt, at(QStringLiteral("hdf5_path")));
            const auto taken = names.constFind(run.name);
            if (taken != names.constEnd())
                failAt(at(QStringLiteral("name")),
                       QStringLiteral("run name \"%1\" is already used by %2").arg(run.name.left(80), *taken));
            names.insert(run.name, ptr);
        }
        out += expanded;
    }
    return out;
}

} // namespace

const QStringList &scenarioTopKeys()
{
    static const QStringList k = {QStringLiteral("chunkscope"), QStringLiteral("name"),   QStringLiteral("description"),
                                  QStringLiteral("order"),      QStringLiteral("arrays"), QStringLiteral("runs")};
    return k;
}

const QStringList &scenarioRunKeys()
{
    static const QStringList k
        = {QStringLiteral("name"),         QStringLiteral("source"),           QStringLiteral("target"),
           QStringLiteral("chunks"),       QStringLiteral("workers"),          QStringLiteral("lock"),
           QStringLiteral("profile"),      QStringLiteral("sample_ms"),        QStringLiteral("verify"),
           QStringLiteral("hdf5_path"),    QStringLiteral("repeat"),           QStringLiteral("warmup"),
           QStringLiteral("prefault"),     QStringLiteral("fork_during_copy"), QStringLiteral("leave_one_core"),
           QStringLiteral("distribution"), QStringLiteral("passthrough")};
    return k;
}

std::optional<Scenario> parseScenario(const QByteArray &json, const QString &fileLabel, QString *error,
                                      const QString &baseDir)
{
    if (json.size() > kMaxScenarioFileBytes) {
        if (error)
            *error = escapeControls(fileLabel)
                + QStringLiteral(": larger than %1 MiB, too large for a scenario").arg(kMaxScenarioFileBytes >> 20);
        return std::nullopt;
    }
    const std::optional<QJsonObject> parsed = parseJsonObject(json, fileLabel, error);
    if (!parsed)
        return std::nullopt;
    const QJsonObject &root = *parsed;
    try {
        const JsonTextScan scan = scanJsonText(json, QStringLiteral("arrays"));
        if (scan.duplicate)
            throw *scan.duplicate;
        if (root.contains(QStringLiteral("chunkscope_results")) && !root.contains(QStringLiteral("chunkscope")))
            failAt(QString(), QStringLiteral("this is a results document, not a scenario"));
        checkKeys(root, QString(), scenarioTopKeys());
        requireKey(root, QString(), QStringLiteral("chunkscope"));
        int64_t version = 0;
        if (!exactInteger(root.value(QStringLiteral("chunkscope")), &version) || version < 1)
            failAt(QStringLiteral("/chunkscope"),
                   QStringLiteral("must be the format version, %1").arg(kScenarioFormatVersion));
        if (version != kScenarioFormatVersion)
            failAt(QStringLiteral("/chunkscope"),
                   QStringLiteral("unsupported format version %1 (this Chunkscope reads "
                                  "version %2)")
                       .arg(version)
                       .arg(kScenarioFormatVersion));
        Scenario s;
        if (root.contains(QStringLiteral("name")))
            s.name = requireString(root.value(QStringLiteral("name")), QStringLiteral("/name"), true);
        if (root.contains(QStringLiteral("description"))) {
            const QJsonValue d = root.value(QStringLiteral("description"));
            if (!d.isString())
                failAt(QStringLiteral("/description"), QStringLiteral("must be a string"));
            s.description = d.toString();
        }
        if (root.contains(QStringLiteral("order"))) {
            const std::optional<RunOrder> order = runOrderFromName(root.value(QStringLiteral("order")));
            if (!order)
                failAt(QStringLiteral("/order"), QStringLiteral("must be \"interleaved\" or \"sequential\""));
            s.order = *order;
            s.orderGiven = true;
        }
        requireKey(root, QString(), QStringLiteral("arrays"));
        const QJsonObject arrays = requireObject(root.value(QStringLiteral("arrays")), QStringLiteral("/arrays"));
        requireKey(root, QString(), QStringLiteral("runs"));
        const QJsonArray runs = requireArray(root.value(QStringLiteral("runs")), QStringLiteral("/runs"));

        // QJsonObject sorts its keys; the arrays keep the order the file lists them in.
        QStringList order = scan.memberKeys;
        if (order.size() != arrays.size())
            order = arrays.keys();
        s.arrays = parseScenarioArrays(arrays, order, baseDir);
        s.indexArrays();
        QHash<QString, const ArraySpec *> byId;
        for (const ArraySpec &a : std::as_const(s.arrays))
            byId.insert(a.id, &a);
        s.runs = parseRuns(runs, byId);
        checkScenarioStorage(s);
        s.givenRuns = runs;
        return s;
    } catch (const JsonError &e) {
        if (error)
            *error = formatJsonError(fileLabel, e);
        return std::nullopt;
    }
}

std::optional<QByteArray> readScenarioFile(const QString &path, QString *error)
{
    const auto fail = [&](const QString &message) -> std::optional<QByteArray> {
        if (error)
            *error = escapeControls(path + QStringLiteral(": ") + message);
        return std::nullopt;
    };
    const QFileInfo info(path);
    if (info.isDir())
        return fail(QStringLiteral("is a directory, not a scenario file"));
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        return fail(QStringLiteral("cannot open: ") + f.errorString());
    // Read in pieces with a cap, so that a device or a FIFO given by mistake cannot exhaust memory.
    QByteArray data;
    while (data.size() <= kMaxScenarioFileBytes) {
        const QByteArray piece = f.read(1 << 16);
        if (piece.isEmpty())
            break;
        data += piece;
    }
    if (f.error() != QFileDevice::NoError)
        return fail(QStringLiteral("cannot read: ") + f.errorString());
    return data;
}

ScenarioBytes ScenarioBytes::read(const QString &path)
{
    ScenarioBytes file;
    file.path = path;
    file.data = readScenarioFile(path, &file.error);
    return file;
}

std::optional<Scenario> parseScenarioBytes(const ScenarioBytes &file, QString *error)
{
    if (!file.data) {
        if (error)
            *error = file.error;
        return std::nullopt;
    }
    const QFileInfo info(file.path);
    std::optional<Scenario> s = parseScenario(*file.data, file.path, error, info.absolutePath());
    if (s)
        s->filePath = info.absoluteFilePath();
    return s;
}

std::optional<Scenario> loadScenarioFile(const QString &path, QString *error)
{
    return parseScenarioBytes(ScenarioBytes::read(path), error);
}

} // namespace cs
