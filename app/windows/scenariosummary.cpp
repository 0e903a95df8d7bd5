#include "scenariosummary.h"

#include "charts/units.h"
#include "longtext.h"
#include "runner/memorycheck.h"

#include <QCoreApplication>
#include <QStringList>

#include <algorithm>
#include <cstdint>

namespace cs {

namespace {
constexpr qsizetype kRunsListed = 6;

QString tr(const char *text)
{
    return QCoreApplication::translate("ScenarioSummary", text);
}

int64_t arrayBytes(const ArraySpec *a)
{
    if (!a || a->shape.empty())
        return 0;
    int64_t n = a->dtype.itemsize();
    for (int64_t d : a->shape)
        n = d > 0 && n > INT64_MAX / d ? INT64_MAX : n * d;
    return n;
}

QString escaped(const QString &text)
{
    return shortenedText(text, 60).toHtmlEscaped();
}
} // namespace

QString scenarioSummary(const Scenario &s, int64_t estimateBytes, const QHash<QString, double> &secondsByRun)
{
    QStringList lines;
    if (s.runs.isEmpty())
        lines.append(tr("No runs yet: add arrays and a run to copy between them."));
    int64_t copied = 0;
    double seconds = 0;
    qsizetype timed = 0;
    QStringList listed;
    for (const RunSpec &r : s.runs) {
        const ArraySpec *source = s.array(r.source);
        const ArraySpec *target = s.array(r.target);
        const int64_t bytes = arrayBytes(source);
        copied += bytes * std::max(1, r.repeat);
        if (const auto it = secondsByRun.constFind(r.name); it != secondsByRun.constEnd()) {
            seconds += *it * std::max(1, r.repeat);
            ++timed;
        }
        if (listed.size() < kRunsListed)
            listed.append(tr("<b>%1</b>: %2 (%3) → %4 (%5), %6")
                              .arg(escaped(r.name), escaped(r.source), source ? source->store : QString(),
                                   escaped(r.target), target ? target->store : QString(), formatMemory(bytes)));
    }
    if (!listed.isEmpty()) {
        if (s.runs.size() > listed.size())
            listed.append(tr("… and %1 more").arg(s.runs.size() - listed.size()));
        lines.append((s.runs.size() == 1 ? tr("<b>Run all</b> makes 1 copy, %1:")
                                         : tr("<b>Run all</b> makes %1 copies, %2 in all:").arg(s.runs.size()))
                         .arg(formatMemory(copied))
                     + QStringLiteral("<br>") + listed.join(QStringLiteral("<br>")));
    }
    const MemoryCheck host = checkMemory(Scenario());
    QString memory = tr("<b>Memory needed:</b> %1").arg(formatMemory(estimateBytes));
    if (host.availableBytes > 0)
        memory += estimateBytes > host.availableBytes
            ? tr(", <span style='color:#c53030'>more than the %1 available</span>")
                  .arg(formatMemory(host.availableBytes))
            : tr(" of %1 available").arg(formatMemory(host.availableBytes));
    lines.append(memory);
    if (timed == s.runs.size() && timed > 0)
        lines.append(tr("<b>Time:</b> about %1 for the copies, as they took here before; filling the arrays and "
                        "verifying add to it")
                         .arg(formatSeconds(seconds, 1)));
    else if (timed > 0)
        lines.append(tr("<b>Time:</b> at least %1 for the %2 runs timed here before; the others have not run yet")
                         .arg(formatSeconds(seconds, 1))
                         .arg(timed));
    else if (!s.runs.isEmpty())
        lines.append(tr("<b>Time:</b> not known before a first run; a run's row then gives its time"));
    return lines.join(QStringLiteral("<br><br>"));
}

} // namespace cs
