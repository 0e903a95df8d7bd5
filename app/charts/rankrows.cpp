#include "rankrows.h"

#include "results/runranks.h"
#include "units.h"

#include <algorithm>
#include <unordered_map>

namespace cs {

QList<GanttChart::RankGroup> rankGroups(const RunResult &run)
{
    QList<GanttChart::RankGroup> groups;
    if (!run.ranks)
        return groups;
    const RunRanks &ranks = *run.ranks;
    for (int r = 0; r < ranks.count(); ++r) {
        GanttChart::RankGroup g;
        g.rank = r;
        g.firstRow = r * run.workers;
        g.rows = run.workers;
        g.label = QStringLiteral("rank %1 · %2 · %3").arg(r).arg(ranks.hosts.at(r), formatWorkers(run.workers));
        if (r < ranks.figures.size()) {
            const RankFigures &f = ranks.figures.at(r);
            g.label += QStringLiteral(" · %1 tasks · %2").arg(f.tasks).arg(formatSeconds(f.wallSeconds));
            if (f.status != RunResult::Status::Ok)
                g.label += QStringLiteral(" · ") + statusName(f.status);
        }
        groups.append(g);
    }
    return groups;
}

int ganttRows(const RunResult &run)
{
    return run.ranks && run.ranks->count() > 0 ? run.workers * run.ranks->count() : run.workers;
}

std::vector<TaskEvent> eventsInRankRows(const RunResult &run)
{
    std::vector<TaskEvent> events = run.events;
    if (!run.ranks)
        return events;
    for (size_t i = 0; i < events.size(); ++i)
        events[i].worker += run.ranks->eventRank(i) * run.workers;
    return events;
}

std::vector<ResourceSample> rankSamples(const RunResult &run, int rank)
{
    if (!run.ranks)
        return run.samples;
    std::vector<ResourceSample> out;
    if (rank >= 0) {
        for (size_t i = 0; i < run.samples.size(); ++i)
            if (run.ranks->sampleRank(i) == rank)
                out.push_back(run.samples[i]);
        return out;
    }
    std::unordered_map<int, ResourceSample> latest;
    out.reserve(run.samples.size());
    for (size_t i = 0; i < run.samples.size(); ++i) {
        latest[run.ranks->sampleRank(i)] = run.samples[i];
        ResourceSample sum;
        sum.tNs = run.samples[i].tNs;
        sum.machineCpuPercent = 0;
        sum.loadAverage = 0;
        int machine = 0;
        int load = 0;
        for (const auto &[r, s] : latest) {
            sum.cpuPercent += s.cpuPercent;
            sum.rssBytes += s.rssBytes;
            sum.inflightBytes += s.inflightBytes;
            sum.minorFaultsPerSec += s.minorFaultsPerSec;
            if (s.machineCpuPercent >= 0) {
                sum.machineCpuPercent += s.machineCpuPercent;
                ++machine;
            }
            if (s.loadAverage >= 0) {
                sum.loadAverage += s.loadAverage;
                ++load;
            }
            // Every rank's requests and wire: a rank on object storage measured both.
            if (s.requestsInFlight >= 0) {
                sum.requestsInFlight = std::max(sum.requestsInFlight, 0) + s.requestsInFlight;
                sum.wireBytesPerSec = std::max(sum.wireBytesPerSec, 0.0) + s.wireBytesPerSec;
            }
        }
        sum.machineCpuPercent = machine > 0 ? sum.machineCpuPercent / machine : -1;
        sum.loadAverage = load > 0 ? sum.loadAverage / load : -1;
        out.push_back(sum);
    }
    return out;
}

} // namespace cs
