#include "scenariodraft.h"

#include "io/jsoncheck.h"
#include "scenarioparser.h"
#include "scenariowriter.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

namespace cs {

std::optional<Scenario> parseScenarioDraft(const QByteArray &json)
{
    if (json.size() > kMaxScenarioFileBytes)
        return std::nullopt;
    const std::optional<QJsonObject> root = parseJsonObject(json, QString(), nullptr);
    if (!root)
        return std::nullopt;
    const JsonTextScan scan = scanJsonText(json, QStringLiteral("arrays"));
    if (scan.duplicate || !root->value(QStringLiteral("arrays")).isObject()
        || !root->value(QStringLiteral("runs")).isArray())
        return std::nullopt;
    Scenario s;
    s.name = root->value(QStringLiteral("name")).toString();
    s.description = root->value(QStringLiteral("description")).toString();
    if (root->contains(QStringLiteral("order"))) {
        const std::optional<RunOrder> order = runOrderFromName(root->value(QStringLiteral("order")));
        s.order = order.value_or(RunOrder::Interleaved);
        s.orderGiven = true; // an order the draft cannot hold fails the comparison below
    }
    const QJsonObject arrays = root->value(QStringLiteral("arrays")).toObject();
    QStringList order = scan.memberKeys;
    if (order.size() != arrays.size())
        order = arrays.keys();
    for (const QString &id : std::as_const(order)) {
        ArraySpec a;
        a.id = id;
        a.given = arrays.value(id).toObject();
        s.arrays.append(a);
    }
    s.givenRuns = root->value(QStringLiteral("runs")).toArray();
    // Whatever the draft cannot hold (a wrong version, a name that is not text, an array that is
    // not an object, an unknown top-level key) would be dropped by the next save: not a draft then.
    if (QJsonDocument::fromJson(scenarioToJson(s)).object() != *root)
        return std::nullopt;
    return s;
}

} // namespace cs
