#include "clusterresults.h"

#include "results/resultsjson.h"

#include <QJsonArray>
#include <QJsonDocument>

namespace cs {

namespace {

QJsonValue seconds(int64_t ns)
{
    return double(ns) / 1e9;
}

void addRanks(QJsonObject &run, const MergedRun &m, Distribution distribution, const QStringList &hosts)
{
    run.insert(QStringLiteral("distribution"), distributionName(distribution));
    QJsonArray ranks;
    for (const RankFigures &f : m.ranks) {
        ranks.append(QJsonObject{{QStringLiteral("rank"), f.rank},
                                 {QStringLiteral("host"), f.host},
                                 {QStringLiteral("status"), statusName(f.status)},
                                 {QStringLiteral("error"), f.error.isEmpty() ? QJsonValue() : QJsonValue(f.error)},
                                 {QStringLiteral("tasks"), double(f.tasks)},
                                 {QStringLiteral("bytes"), double(f.bytes)},
                                 {QStringLiteral("start_s"), f.startSeconds},
                                 {QStringLiteral("wall_s"), f.wallSeconds}});
    }
    run.insert(QStringLiteral("ranks"), ranks);
    run.insert(QStringLiteral("imbalance"), m.imbalance);
    run.insert(QStringLiteral("slowest_rank"), m.slowestRank);
    run.insert(QStringLiteral("aggregate_gbps"), m.result.throughputGbps());
    if (const QString sentence = m.rankVerdict(); !sentence.isEmpty()) {
        QJsonObject verdict = run.value(QStringLiteral("verdict")).toObject();
        verdict.insert(QStringLiteral("ranks"), sentence);
        run.insert(QStringLiteral("verdict"), verdict);
    }

    // The writer keeps the order of result.events and result.samples, which rankOf follows.
    QJsonArray events = run.value(QStringLiteral("task_events")).toArray();
    for (qsizetype i = 0; i < events.size() && size_t(i) < m.rankOf.events.size(); ++i) {
        QJsonObject e = events.at(i).toObject();
        const int rank = m.rankOf.events[size_t(i)];
        e.insert(QStringLiteral("rank"), rank);
        e.insert(QStringLiteral("host"), hosts.value(rank));
        events.replace(i, e);
    }
    run.insert(QStringLiteral("task_events"), events);
    QJsonArray samples = run.value(QStringLiteral("samples")).toArray();
    for (qsizetype i = 0; i < samples.size() && size_t(i) < m.rankOf.samples.size(); ++i) {
        QJsonObject s = samples.at(i).toObject();
        s.insert(QStringLiteral("rank"), m.rankOf.samples[size_t(i)]);
        samples.replace(i, s);
    }
    run.insert(QStringLiteral("samples"), samples);
}

} // namespace

QByteArray clusterResultsJson(const QString &scenarioName, const HostInfo &host, const QList<MergedRun> &merged,
                              const QList<Distribution> &distributions, const JobClocks &clocks)
{
    QList<RunResult> results;
    for (const MergedRun &m : merged)
        results.append(m.result);
    QJsonObject doc = QJsonDocument::fromJson(resultsToJson(scenarioName, host, results)).object();

    QJsonArray runs = doc.value(QStringLiteral("runs")).toArray();
    for (qsizetype i = 0; i < runs.size() && i < merged.size(); ++i) {
        QJsonObject run = runs.at(i).toObject();
        addRanks(run, merged.at(i), distributions.value(i), clocks.hosts);
        runs.replace(i, run);
    }
    doc.insert(QStringLiteral("runs"), runs);

    QJsonArray clock;
    for (qsizetype rank = 0; rank < clocks.offsets.size(); ++rank) {
        const ClockOffset &o = clocks.offsets.at(rank);
        clock.append(QJsonObject{{QStringLiteral("rank"), int(rank)},
                                 {QStringLiteral("host"), clocks.hosts.value(rank)},
                                 {QStringLiteral("offset_s"), seconds(o.offsetNs)},
                                 {QStringLiteral("uncertainty_s"), seconds(o.uncertaintyNs)},
                                 {QStringLiteral("exchanges"), o.exchanges}});
    }
    doc.insert(QStringLiteral("mpi"),
               QJsonObject{{QStringLiteral("ranks"), int(clocks.hosts.size())},
                           {QStringLiteral("hosts"), QJsonArray::fromStringList(clocks.hosts)},
                           {QStringLiteral("clock"), clock}});
    return QJsonDocument(doc).toJson(QJsonDocument::Indented);
}

} // namespace cs
