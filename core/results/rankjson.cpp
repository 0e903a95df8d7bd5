#include "rankjson.h"

#include "runranks.h"

#include <QHash>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

namespace cs {

namespace {

std::optional<RunResult::Status> statusFromName(const QString &name)
{
    for (const RunResult::Status s : {RunResult::Status::Ok, RunResult::Status::Failed, RunResult::Status::Cancelled})
        if (statusName(s) == name)
            return s;
    return std::nullopt;
}

std::shared_ptr<const RunRanks> readRanks(const QJsonObject &run, const RunResult &result, const QStringList &hosts)
{
    auto ranks = std::make_shared<RunRanks>();
    ranks->hosts = hosts;
    // By task rather than by position: the parser may take the events out of the text its own way.
    QHash<int64_t, int> rankOfTask;
    for (const QJsonValue &v : run.value(QStringLiteral("task_events")).toArray()) {
        const QJsonObject e = v.toObject();
        rankOfTask.insert(e.value(QStringLiteral("task")).toInteger(), e.value(QStringLiteral("rank")).toInt());
    }
    ranks->events.reserve(result.events.size());
    for (const TaskEvent &e : result.events)
        ranks->events.push_back(rankOfTask.value(e.task));
    for (const QJsonValue &v : run.value(QStringLiteral("samples")).toArray())
        ranks->samples.push_back(v.toObject().value(QStringLiteral("rank")).toInt());
    for (const QJsonValue &v : run.value(QStringLiteral("ranks")).toArray()) {
        const QJsonObject o = v.toObject();
        RankFigures f;
        f.rank = o.value(QStringLiteral("rank")).toInt();
        f.host = o.value(QStringLiteral("host")).toString();
        f.status = statusFromName(o.value(QStringLiteral("status")).toString()).value_or(RunResult::Status::Failed);
        f.error = o.value(QStringLiteral("error")).toString();
        f.tasks = o.value(QStringLiteral("tasks")).toInteger();
        f.bytes = o.value(QStringLiteral("bytes")).toInteger();
        f.startSeconds = o.value(QStringLiteral("start_s")).toDouble();
        f.wallSeconds = o.value(QStringLiteral("wall_s")).toDouble();
        ranks->figures.append(f);
    }
    return ranks;
}

} // namespace

void attachRunRanks(const QByteArray &json, QList<RunResult> &runs)
{
    // A second reading of the text, only for documents that may be an MPI job's.
    if (!json.contains("\"mpi\""))
        return;
    const QJsonObject root = QJsonDocument::fromJson(json).object();
    const QJsonValue mpi = root.value(QStringLiteral("mpi"));
    if (!mpi.isObject())
        return;
    QStringList hosts;
    for (const QJsonValue &h : mpi.toObject().value(QStringLiteral("hosts")).toArray())
        hosts.append(h.toString());
    const QJsonArray docRuns = root.value(QStringLiteral("runs")).toArray();
    for (qsizetype i = 0; i < runs.size() && i < docRuns.size(); ++i)
        runs[i].ranks = readRanks(docRuns.at(i).toObject(), runs.at(i), hosts);
}

} // namespace cs
