#include "sweepsummary.h"

#include "repeatstats.h"
#include "scenario/sweep.h"
#include "verdict.h"

#include <QJsonArray>

#include <algorithm>
#include <cmath>
#include <map>

namespace cs {

namespace {

// The runs of one line before they are reduced to points.
struct LineRuns {
    LockMode lock = LockMode::Target;
    Coords chunks;
    std::map<int, std::vector<const RunResult *>> byWorkers;
};

struct SweepRuns {
    QString name;
    bool workersSwept = false;
    bool lockSwept = false;
    bool chunksSwept = false;
    QList<LineRuns> lines;
};

QString lineLabel(const SweepRuns &s, LockMode lock, const Coords &chunks)
{
    QStringList parts;
    if (s.lockSwept || !s.chunksSwept)
        parts.append(QStringLiteral("lock=") + lockModeName(lock));
    if (s.chunksSwept)
        parts.append(QStringLiteral("chunks=") + chunksLabel(chunks.toVector()));
    return parts.join(QLatin1Char(' '));
}

ScalingLine reduce(const SweepRuns &s, const LineRuns &runs)
{
    ScalingLine line;
    line.lock = runs.lock;
    line.chunks = runs.chunks;
    line.label = lineLabel(s, runs.lock, runs.chunks);
    for (const auto &[workers, results] : runs.byWorkers) {
        ScalingPoint p;
        p.workers = workers;
        std::vector<double> gbps;
        std::vector<double> wall;
        for (const RunResult *r : results) {
            gbps.push_back(r->throughputGbps());
            wall.push_back(r->wallSeconds);
        }
        p.gbps = medianOf(gbps);
        p.wallSeconds = medianOf(wall);
        p.repeats = int(results.size());
        p.gbpsCi = medianInterval(gbps);
        const RunResult *typical = *std::min_element(results.begin(), results.end(), [&](auto *a, auto *b) {
            return std::abs(a->throughputGbps() - p.gbps) < std::abs(b->throughputGbps() - p.gbps);
        });
        p.bound = Verdict::boundKey(verdictFor(*typical).bound);
        line.points.append(p);
    }
    if (line.points.isEmpty())
        return line;
    // std::map keeps the points in ascending workers: the first is 1 when a 1-worker run exists.
    const ScalingPoint base = line.points.first();
    line.baselineWorkers = base.workers;
    for (ScalingPoint &p : line.points) {
        p.speedup = base.gbps > 0 ? p.gbps / base.gbps : 0;
        p.efficiency = p.workers > 0 ? p.speedup * double(base.workers) / double(p.workers) : 0;
    }
    return line;
}

} // namespace

const ScalingPoint *ScalingLine::point(int workers) const
{
    for (const ScalingPoint &p : points)
        if (p.workers == workers)
            return &p;
    return nullptr;
}

const ScalingLine *SweepSummary::line(LockMode lock, const Coords &chunks) const
{
    for (const ScalingLine &l : lines)
        if (l.lock == lock && l.chunks == chunks)
            return &l;
    return nullptr;
}

int SweepSummary::pointCount() const
{
    int n = 0;
    for (const ScalingLine &l : lines)
        n += int(l.points.size());
    return n;
}

QList<SweepSummary> summarizeSweeps(const QList<const RunResult *> &runs)
{
    QList<SweepRuns> sweeps;
    for (const RunResult *r : runs) {
        if (!r || !r->sweep || !comparable(*r) || r->workers <= 0)
            continue;
        auto sweep
            = std::find_if(sweeps.begin(), sweeps.end(), [&](const SweepRuns &s) { return s.name == r->sweep->of; });
        if (sweep == sweeps.end()) {
            sweeps.append(SweepRuns{r->sweep->of, false, false, false, {}});
            sweep = sweeps.end() - 1;
        }
        const QJsonObject &values = r->sweep->values;
        sweep->workersSwept = sweep->workersSwept || values.contains(QLatin1String("workers"));
        sweep->lockSwept = sweep->lockSwept || values.contains(QLatin1String("lock"));
        sweep->chunksSwept = sweep->chunksSwept || values.contains(QLatin1String("chunks"));
        auto line = std::find_if(sweep->lines.begin(), sweep->lines.end(),
                                 [&](const LineRuns &l) { return l.lock == r->lock && l.chunks == r->chunks; });
        if (line == sweep->lines.end()) {
            sweep->lines.append(LineRuns{r->lock, r->chunks, {}});
            line = sweep->lines.end() - 1;
        }
        line->byWorkers[r->workers].push_back(r);
    }

    QList<SweepSummary> out;
    for (const SweepRuns &s : std::as_const(sweeps)) {
        SweepSummary summary;
        summary.name = s.name;
        if (s.workersSwept)
            summary.swept.append(QStringLiteral("workers"));
        if (s.lockSwept)
            summary.swept.append(QStringLiteral("lock"));
        if (s.chunksSwept)
            summary.swept.append(QStringLiteral("chunks"));
        QStringList notes;
        for (const LineRuns &l : s.lines) {
            summary.lines.append(reduce(s, l));
            const ScalingLine &line = summary.lines.constLast();
            if (line.baselineWorkers != 1)
                notes.append(QStringLiteral("speed-up and efficiency of %1 are against %2 workers: the sweep has no "
                                            "1-worker run of it")
                                 .arg(line.label)
                                 .arg(line.baselineWorkers));
        }
        summary.note = notes.join(QLatin1Char('\n'));
        out.append(summary);
    }
    return out;
}

static bool sameDefinition(const StoreInfo &a, const StoreInfo &b)
{
    return a.id == b.id && a.store == b.store && a.dtype == b.dtype && a.shape == b.shape && a.chunks == b.chunks
        && a.codec == b.codec && a.location == b.location;
}

bool sameArrays(const RunResult &a, const RunResult &b)
{
    return sameDefinition(a.source, b.source) && sameDefinition(a.target, b.target);
}

QList<SweepSummary> summarizeSweeps(const QList<RunResult> &runs)
{
    QList<const RunResult *> pointers;
    pointers.reserve(runs.size());
    for (const RunResult &r : runs)
        pointers.append(&r);
    return summarizeSweeps(pointers);
}

QJsonObject scalingLineToJson(const ScalingLine &line)
{
    QJsonArray points;
    for (const ScalingPoint &p : line.points) {
        QJsonObject point{{QStringLiteral("workers"), p.workers},
                          {QStringLiteral("gbps"), p.gbps},
                          {QStringLiteral("wall_s"), p.wallSeconds},
                          {QStringLiteral("repeats"), p.repeats},
                          {QStringLiteral("n"), p.repeats},
                          {QStringLiteral("speedup"), p.speedup},
                          {QStringLiteral("efficiency"), p.efficiency},
                          {QStringLiteral("bound"), p.bound}};
        if (p.gbpsCi)
            point.insert(QStringLiteral("gbps_ci"), QJsonArray{p.gbpsCi->low, p.gbpsCi->high});
        points.append(point);
    }
    QJsonArray chunks;
    for (int i = 0; i < line.chunks.rank; ++i)
        chunks.append(qint64(line.chunks[i]));
    return QJsonObject{{QStringLiteral("label"), line.label},
                       {QStringLiteral("lock"), lockModeName(line.lock)},
                       {QStringLiteral("chunks"), chunks},
                       {QStringLiteral("baseline_workers"), line.baselineWorkers},
                       {QStringLiteral("points"), points}};
}

QJsonObject sweepSummaryToJson(const SweepSummary &summary)
{
    QJsonArray lines;
    for (const ScalingLine &l : summary.lines)
        lines.append(scalingLineToJson(l));
    QJsonObject o{{QStringLiteral("name"), summary.name},
                  {QStringLiteral("swept"), QJsonArray::fromStringList(summary.swept)},
                  {QStringLiteral("lines"), lines}};
    if (!summary.note.isEmpty())
        o.insert(QStringLiteral("note"), summary.note);
    return o;
}

} // namespace cs
