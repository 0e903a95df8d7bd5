#include "summarytable.h"

#include "array/memorysize.h"
#include "results/repeatstats.h"
#include "results/verdict.h"

#include <QHash>
#include <QStringList>

#include <algorithm>

namespace cs {

namespace {

QString verifiedText(const RunResult &r)
{
    if (r.status != RunResult::Status::Ok)
        return statusName(r.status);
    if (!r.verified)
        return QStringLiteral("off");
    return *r.verified ? QStringLiteral("yes") : QStringLiteral("NO");
}

} // namespace

QString summaryTable(const QList<RunResult> &runs, RunOrder order)
{
    const QStringList header
        = {QStringLiteral("run"),      QStringLiteral("stores"),  QStringLiteral("workers"), QStringLiteral("lock"),
           QStringLiteral("tasks"),    QStringLiteral("wall s"),  QStringLiteral("GB/s"),    QStringLiteral("CPU %"),
           QStringLiteral("peak RSS"), QStringLiteral("verified")};
    QList<QStringList> rows;
    QHash<QString, qsizetype> runsWithName;
    for (const RunResult &r : runs)
        ++runsWithName[r.name];
    for (const RunResult &r : runs) {
        const QString name = runDisplayName(r, runsWithName.value(r.name));
        const QString stores
            = r.source.store.isEmpty() ? QStringLiteral("-") : r.source.store + QStringLiteral(" -> ") + r.target.store;
        rows.append({name, stores, QString::number(r.workers), lockModeName(r.lock), QString::number(r.tasks),
                     QString::number(r.wallSeconds, 'f', 3), QString::number(r.throughputGbps(), 'f', 2),
                     cpuPercentText(r), formatMemory(r.peakRssBytes), verifiedText(r)});
    }
    QList<int> widths;
    for (int c = 0; c < header.size(); ++c) {
        int w = int(header[c].size());
        for (const QStringList &row : rows)
            w = std::max(w, int(row[c].size()));
        widths.append(w);
    }
    // Text columns flush left, numbers flush right.
    auto line = [&](const QStringList &cells) {
        QStringList out;
        for (int c = 0; c < cells.size(); ++c)
            out.append(c <= 1 || c == 3 ? cells[c].leftJustified(widths[c]) : cells[c].rightJustified(widths[c]));
        return out.join(QStringLiteral("  ")).trimmed();
    };
    QStringList lines = {line(header)};
    QStringList rule;
    for (int w : widths)
        rule.append(QString(w, QLatin1Char('-')));
    lines.append(rule.join(QStringLiteral("  ")));
    for (const QStringList &row : rows)
        lines.append(line(row));
    QString text = lines.join(QLatin1Char('\n')) + QLatin1Char('\n');
    for (const RunResult &r : runs) {
        if (!r.error.isEmpty())
            text += QStringLiteral("%1: %2\n").arg(r.name, r.error);
        else if (r.verified && !*r.verified)
            text += QStringLiteral("%1: %2\n").arg(r.name, r.verifyMessage);
    }
    // Where the time went, in one sentence per finished run.
    QString verdicts;
    for (const RunResult &r : runs)
        if (r.status == RunResult::Status::Ok)
            verdicts += QStringLiteral("%1: %2\n")
                            .arg(runDisplayName(r, runsWithName.value(r.name)), verdictFor(r).headline);
    if (!verdicts.isEmpty())
        text += QLatin1Char('\n') + verdicts;
    // Lock modes compared with an interval, and whether their repeats ran back to back.
    const QStringList comparisons = lockComparisons(runs, runOrderName(order));
    if (!comparisons.isEmpty())
        text += QLatin1Char('\n') + comparisons.join(QLatin1Char('\n')) + QLatin1Char('\n');
    return text;
}

} // namespace cs
