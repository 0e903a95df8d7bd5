#include "repeatstats.h"

#include "coldtarget.h"

#include <QHash>

#include <algorithm>
#include <random>

namespace cs {

namespace {

constexpr int kResamples = 10000;
constexpr size_t kMinValues = 3;

// The median of a resample of `values`, drawn with replacement.
double resampledMedian(const std::vector<double> &values, std::mt19937_64 &rng, std::vector<double> &scratch)
{
    std::uniform_int_distribution<size_t> pick(0, values.size() - 1);
    scratch.resize(values.size());
    for (double &v : scratch)
        v = values[pick(rng)];
    return medianOf(scratch);
}

Interval percentiles(std::vector<double> draws)
{
    std::sort(draws.begin(), draws.end());
    const auto at = [&](double q) { return draws[std::min(draws.size() - 1, size_t(q * double(draws.size())))]; };
    return {at(0.025), at(0.975)};
}

} // namespace

bool comparable(const RunResult &run)
{
    return run.status == RunResult::Status::Ok && !coldTargetOf(run);
}

double medianOf(std::vector<double> values)
{
    if (values.empty())
        return 0;
    std::sort(values.begin(), values.end());
    const size_t mid = values.size() / 2;
    return values.size() % 2 ? values[mid] : (values[mid - 1] + values[mid]) / 2;
}

std::optional<Interval> medianInterval(const std::vector<double> &values)
{
    if (values.size() < kMinValues)
        return std::nullopt;
    std::mt19937_64 rng(1);
    std::vector<double> scratch;
    std::vector<double> draws(kResamples);
    for (double &d : draws)
        d = resampledMedian(values, rng, scratch);
    return percentiles(std::move(draws));
}

QList<RepeatSummary> summarizeRepeats(const QList<RunResult> &runs)
{
    QStringList order;
    QHash<QString, std::pair<std::vector<double>, std::vector<double>>> byName; // wall, GB/s
    for (const RunResult &r : runs) {
        if (!comparable(r) || r.wallSeconds <= 0)
            continue;
        if (!byName.contains(r.name))
            order.append(r.name);
        byName[r.name].first.push_back(r.wallSeconds);
        byName[r.name].second.push_back(r.throughputGbps());
    }
    QList<RepeatSummary> out;
    for (const QString &name : order) {
        const auto &[wall, gbps] = byName[name];
        const std::optional<Interval> wallCi = medianInterval(wall);
        if (!wallCi)
            continue;
        RepeatSummary s;
        s.name = name;
        s.n = int(wall.size());
        s.wallMedian = medianOf(wall);
        s.wallCi = *wallCi;
        s.gbpsMedian = medianOf(gbps);
        s.gbpsCi = *medianInterval(gbps);
        out.append(s);
    }
    return out;
}

std::optional<SpeedRatio> speedRatio(const std::vector<double> &wallA, const std::vector<double> &wallB)
{
    if (wallA.size() < kMinValues || wallB.size() < kMinValues)
        return std::nullopt;
    const double a = medianOf(wallA);
    if (a <= 0)
        return std::nullopt;
    SpeedRatio r;
    r.ratio = medianOf(wallB) / a;
    r.n = int(std::min(wallA.size(), wallB.size()));
    std::mt19937_64 rng(1);
    std::vector<double> scratch;
    std::vector<double> draws(kResamples);
    for (double &d : draws) {
        const double ma = resampledMedian(wallA, rng, scratch);
        d = ma > 0 ? resampledMedian(wallB, rng, scratch) / ma : 0;
    }
    r.ci = percentiles(std::move(draws));
    return r;
}

QString ratioSentence(const QString &a, const QString &b, const SpeedRatio &r, const QString &order)
{
    const auto interval = [&](double low, double high) {
        return QStringLiteral("95 % CI %1–%2, n = %3%4")
            .arg(low, 0, 'f', 2)
            .arg(high, 0, 'f', 2)
            .arg(r.n)
            .arg(order.isEmpty() ? QString() : QStringLiteral(", ") + order);
    };
    if (r.ci.contains(1.0))
        return QStringLiteral("no clear difference between %1 and %2 (%1 is %3× as fast, %4)")
            .arg(a, b)
            .arg(r.ratio, 0, 'f', 2)
            .arg(interval(r.ci.low, r.ci.high));
    if (r.ratio >= 1)
        return QStringLiteral("%1 is %2× faster than %3 (%4)")
            .arg(a)
            .arg(r.ratio, 0, 'f', 2)
            .arg(b, interval(r.ci.low, r.ci.high));
    return QStringLiteral("%1 is %2× faster than %3 (%4)")
        .arg(b)
        .arg(1 / r.ratio, 0, 'f', 2)
        .arg(a, interval(1 / r.ci.high, 1 / r.ci.low));
}

QStringList lockComparisons(const QList<RunResult> &runs, const QString &order)
{
    // The runs of one sweep at one number of workers and one chunk shape, by lock mode, in the order
    // each first appears.
    struct Point {
        QString label;
        QList<LockMode> locks;
        QHash<int, std::vector<double>> walls;
    };
    QList<Point> points;
    QHash<QString, qsizetype> index;
    for (const RunResult &r : runs) {
        if (!r.sweep || !comparable(r) || r.wallSeconds <= 0)
            continue;
        QString label = QStringLiteral("%1 [workers=%2").arg(r.sweep->of).arg(r.workers);
        if (r.sweep->values.contains(QStringLiteral("chunks")))
            label += QStringLiteral(" chunks=") + r.chunks.toString();
        label += QLatin1Char(']');
        if (!index.contains(label)) {
            index.insert(label, points.size());
            points.append(Point{label, {}, {}});
        }
        Point &p = points[index.value(label)];
        if (!p.locks.contains(r.lock))
            p.locks.append(r.lock);
        p.walls[int(r.lock)].push_back(r.wallSeconds);
    }
    QStringList out;
    for (const Point &p : points)
        for (qsizetype i = 0; i < p.locks.size(); ++i)
            for (qsizetype j = i + 1; j < p.locks.size(); ++j)
                if (const auto ratio = speedRatio(p.walls.value(int(p.locks[i])), p.walls.value(int(p.locks[j]))))
                    out.append(p.label + QStringLiteral(": ")
                               + ratioSentence(QStringLiteral("lock ") + lockModeName(p.locks[i]),
                                               QStringLiteral("lock ") + lockModeName(p.locks[j]), *ratio, order));
    return out;
}

} // namespace cs
