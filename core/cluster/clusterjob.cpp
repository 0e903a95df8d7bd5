#include "clusterjob.h"

#include "results/resultsjson.h"

#include <QJsonDocument>
#include <QJsonObject>

namespace cs {

namespace {

// A rank's report travels as one line of JSON (rank, host, share, origins) and the results document
// of its runs, which rank 0 reads back with the same reader as any results file.
QByteArray encodeReport(int rank, const QString &host, const QList<RunResult> &results,
                        const QHash<int, int64_t> &originNs, int64_t shareTasks)
{
    QJsonObject origins;
    for (auto it = originNs.cbegin(); it != originNs.cend(); ++it)
        origins.insert(QString::number(it.key()), QString::number(it.value()));
    const QJsonObject head{{QStringLiteral("rank"), rank},
                           {QStringLiteral("host"), host},
                           {QStringLiteral("tasks"), QString::number(shareTasks)},
                           {QStringLiteral("origins"), origins}};
    return QJsonDocument(head).toJson(QJsonDocument::Compact) + '\n' + resultsToJson(QString(), HostInfo(), results);
}

RankReport decodeReport(const QByteArray &bytes, int fromRank)
{
    RankReport report;
    report.rank = fromRank;
    const qsizetype newline = bytes.indexOf('\n');
    const QJsonObject head = QJsonDocument::fromJson(bytes.left(newline)).object();
    report.host = head.value(QStringLiteral("host")).toString();
    report.tasks = head.value(QStringLiteral("tasks")).toString().toLongLong();
    const QJsonObject origins = head.value(QStringLiteral("origins")).toObject();
    for (auto it = origins.constBegin(); it != origins.constEnd(); ++it)
        report.originNs.insert(it.key().toInt(), it.value().toString().toLongLong());
    QString error;
    const std::optional<ResultsDocument> doc
        = parseResults(bytes.mid(newline + 1), QStringLiteral("rank %1").arg(fromRank), &error);
    if (doc) {
        report.results = doc->runs;
    } else {
        // Cannot happen short of a bug: the document was written by the same code a moment ago.
        RunResult lost;
        lost.status = RunResult::Status::Failed;
        lost.error = QStringLiteral("its results did not reach rank 0: ") + error;
        report.results.append(lost);
    }
    return report;
}

} // namespace

ClusterJob::ClusterJob(std::unique_ptr<Communicator> comm)
    : m_comm(std::move(comm))
{
}

QString ClusterJob::scenarioDisagreement(const QByteArray &fingerprint)
{
    const QList<QByteArray> all = m_comm->allGather(fingerprint);
    QStringList differ;
    for (qsizetype r = 1; r < all.size(); ++r)
        if (all.at(r) != all.at(0))
            differ.append(QString::number(r));
    if (differ.isEmpty())
        return {};
    return QStringLiteral("the ranks read different scenarios: rank%1 %2 read another scenario file or --run than "
                          "rank 0 (compared by SHA-256)")
        .arg(differ.size() > 1 ? QStringLiteral("s") : QString(), differ.join(QStringLiteral(", ")));
}

int ClusterJob::agree(int exitCode)
{
    int worst = exitCode;
    for (const QByteArray &code : m_comm->allGather(QByteArray::number(exitCode)))
        worst = std::max(worst, code.toInt());
    return worst;
}

void ClusterJob::measureClocks(int exchanges)
{
    m_clocks.offsets = measureClockOffsets(*m_comm, exchanges);
    m_clocks.hosts.clear();
    for (const QByteArray &h : m_comm->gatherToRoot(m_comm->host().toUtf8()).value_or(QList<QByteArray>()))
        m_clocks.hosts.append(QString::fromUtf8(h));
}

bool ClusterJob::barrier()
{
    if (!m_lost && !m_comm->barrier(m_giveUp))
        m_lost = true;
    return !m_lost;
}

QList<MergedRun> ClusterJob::gatherRun(const QList<RunResult> &results, const QHash<int, int64_t> &originNs,
                                       int64_t shareTasks)
{
    const QByteArray mine = encodeReport(rank(), host(), results, originNs, shareTasks);
    const std::optional<QList<QByteArray>> all = m_lost ? std::nullopt : m_comm->gatherToRoot(mine, m_giveUp);
    m_lost = m_lost || !all;
    if (!isRoot())
        return {};
    QList<RankReport> reports;
    if (all) {
        for (qsizetype r = 0; r < all->size(); ++r)
            reports.append(decodeReport(all->at(r), int(r)));
        return mergeRankReports(reports, m_clocks.offsets);
    }
    reports.append(decodeReport(mine, 0));
    QList<MergedRun> merged = mergeRankReports(reports, m_clocks.offsets);
    for (MergedRun &m : merged) {
        m.result.status = RunResult::Status::Failed;
        m.result.error = QStringLiteral("the job was ended before the other ranks reported (a rank died or was "
                                        "stopped): these results hold rank 0's share alone, %1 of the copy's %2 tasks")
                             .arg(shareTasks)
                             .arg(m.result.tasks);
        // Rank 0's share may have verified, but the target as a whole was not.
        m.result.verified.reset();
        m.result.verifyMessage.clear();
    }
    return merged;
}

} // namespace cs
