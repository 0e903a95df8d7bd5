#include "rankmerge.h"

#include <algorithm>
#include <limits>
#include <map>

namespace cs {

namespace {

struct Part {
    const RankReport *report;
    const RunResult *result;
    int64_t originOnRoot; // the rank's copy start, on rank 0's clock
    bool started;
};

int severity(RunResult::Status s)
{
    return s == RunResult::Status::Failed ? 2 : s == RunResult::Status::Cancelled ? 1 : 0;
}

MergedRun mergeRepeat(const std::vector<Part> &parts)
{
    MergedRun m;
    // A rank whose copy never started (its arrays failed to open) has no origin; it joins at the
    // first rank's start, with no events to place.
    int64_t origin = std::numeric_limits<int64_t>::max();
    for (const Part &p : parts)
        if (p.started)
            origin = std::min(origin, p.originOnRoot);
    if (origin == std::numeric_limits<int64_t>::max())
        origin = 0;

    // The first rank's result carries what every rank shares (name, grid, stores as rank 0 saw them).
    m.result = *parts.front().result;
    RunResult &r = m.result;
    r.events.clear();
    r.samples.clear();
    r.bytes = 0;
    r.cpuMeanPercent = 0;
    r.peakRssBytes = 0;
    r.status = RunResult::Status::Ok;
    r.error.clear();
    r.verified.reset();
    r.verifyMessage.clear();
    int64_t endNs = 0;
    std::vector<std::pair<TaskEvent, int>> events;
    std::vector<std::pair<ResourceSample, int>> samples;
    for (const Part &p : parts) {
        const RunResult &own = *p.result;
        const int rank = p.report->rank;
        const int64_t shift = p.started ? p.originOnRoot - origin : 0;
        RankFigures f;
        f.rank = rank;
        f.host = p.report->host;
        f.status = own.status;
        f.error = own.error;
        f.tasks = p.report->tasks;
        f.bytes = own.bytes;
        f.startSeconds = double(shift) / 1e9;
        f.wallSeconds = own.wallSeconds;
        m.ranks.append(f);
        if (m.rankOf.hosts.size() <= rank)
            m.rankOf.hosts.resize(rank + 1);
        m.rankOf.hosts[rank] = f.host;

        endNs = std::max(endNs, shift + int64_t(own.wallSeconds * 1e9 + 0.5));
        r.bytes += own.bytes;
        // The job's CPU is the sum of its processes'; its memory peak the largest one's.
        r.cpuMeanPercent += own.cpuMeanPercent;
        r.peakRssBytes = std::max(r.peakRssBytes, own.peakRssBytes);
        // The worst status of any rank is the run's, with the first such rank's error.
        if (severity(own.status) > severity(r.status)) {
            r.status = own.status;
            r.error = QStringLiteral("rank %1: %2").arg(rank).arg(own.error);
        }
        // Verified only when every rank verified its chunks; the first rank that did not says why.
        if (own.verified.has_value() && r.verified.value_or(true)) {
            r.verified = *own.verified;
            if (!*own.verified)
                r.verifyMessage = QStringLiteral("rank %1: %2").arg(rank).arg(own.verifyMessage);
        }
        for (TaskEvent e : own.events) {
            e.startNs += shift;
            e.endNs += shift;
            events.emplace_back(e, rank);
        }
        for (ResourceSample s : own.samples) {
            s.tNs += shift;
            samples.emplace_back(s, rank);
        }
    }
    r.wallSeconds = double(endNs) / 1e9;
    // Task indices are the grid's, and each task belongs to one rank: sorted by task as in one process.
    std::stable_sort(events.begin(), events.end(),
                     [](const auto &a, const auto &b) { return a.first.task < b.first.task; });
    std::stable_sort(samples.begin(), samples.end(),
                     [](const auto &a, const auto &b) { return a.first.tNs < b.first.tNs; });
    for (const auto &[e, rank] : events) {
        r.events.push_back(e);
        m.rankOf.events.push_back(rank);
    }
    for (const auto &[s, rank] : samples) {
        r.samples.push_back(s);
        m.rankOf.samples.push_back(rank);
    }

    double sum = 0;
    qsizetype slowest = 0;
    for (qsizetype i = 0; i < m.ranks.size(); ++i) {
        sum += m.ranks[i].wallSeconds;
        if (m.ranks[i].wallSeconds > m.ranks[slowest].wallSeconds)
            slowest = i;
    }
    m.slowestRank = m.ranks[slowest].rank;
    const double mean = sum / double(m.ranks.size());
    m.imbalance = mean > 0 ? m.ranks[slowest].wallSeconds / mean : 1;
    // The merged run carries its ranks as one read back from the document does, for the pictures.
    m.rankOf.figures = m.ranks;
    r.ranks = std::make_shared<const RunRanks>(m.rankOf);
    return m;
}

} // namespace

QList<MergedRun> mergeRankReports(const QList<RankReport> &reports, const QList<ClockOffset> &offsets)
{
    std::map<int, std::vector<Part>> byRepeat;
    for (const RankReport &report : reports) {
        const int64_t offset = report.rank < offsets.size() ? offsets.at(report.rank).offsetNs : 0;
        for (const RunResult &result : report.results) {
            const auto origin = report.originNs.constFind(result.repeatIndex);
            const bool started = origin != report.originNs.cend() && *origin != 0;
            byRepeat[result.repeatIndex].push_back(Part{&report, &result, started ? *origin - offset : 0, started});
        }
    }
    QList<MergedRun> merged;
    for (const auto &[repeat, parts] : byRepeat)
        merged.append(mergeRepeat(parts));
    return merged;
}

QString MergedRun::rankVerdict() const
{
    // Nothing to compare when fewer than two ranks reported, or no rank's copy ran.
    const bool anyRan
        = std::any_of(ranks.cbegin(), ranks.cend(), [](const RankFigures &f) { return f.wallSeconds > 0; });
    if (ranks.size() < 2 || !anyRan)
        return {};
    QString host;
    for (const RankFigures &f : ranks)
        if (f.rank == slowestRank)
            host = f.host;
    const QString factor = QString::number(imbalance, 'f', 2);
    if (imbalance >= kRankBoundImbalance)
        return QStringLiteral("bound by rank %1 (%2), %3× the mean wall time of %4 ranks")
            .arg(slowestRank)
            .arg(host, factor)
            .arg(ranks.size());
    return QStringLiteral("balanced across %1 ranks: the slowest, rank %2, took %3× the mean")
        .arg(ranks.size())
        .arg(slowestRank)
        .arg(factor);
}

} // namespace cs
