#include "runcomparison.h"

#include "results/repeatstats.h"

#include <QObject>

#include <vector>

namespace cs {

QString runComparisonText(const QList<std::shared_ptr<const RunResult>> &runs, RunOrder order)
{
    QStringList names;
    std::vector<double> walls[2];
    for (const auto &r : runs) {
        if (!r || r->status != RunResult::Status::Ok || r->wallSeconds <= 0)
            continue;
        qsizetype i = names.indexOf(r->name);
        if (i < 0) {
            if (names.size() == 2)
                return {};
            names.append(r->name);
            i = names.size() - 1;
        }
        walls[i].push_back(r->wallSeconds);
    }
    if (names.size() != 2)
        return {};
    if (const std::optional<SpeedRatio> ratio = speedRatio(walls[0], walls[1]))
        return ratioSentence(names[0], names[1], *ratio,
                             order == RunOrder::Interleaved ? QStringLiteral("interleaved")
                                                            : QStringLiteral("sequential"));
    return QObject::tr("%1 against %2: select at least 3 finished runs of each (now %3 and %4) to compare them "
                       "with an interval")
        .arg(names[0], names[1])
        .arg(walls[0].size())
        .arg(walls[1].size());
}

} // namespace cs
