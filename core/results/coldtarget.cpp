#include "coldtarget.h"

#include "repeatstats.h"

#include <QHash>

namespace cs {

namespace {

// How far the first copy must stand out before it is called cold: slower by half again than the
// median later copy, with four times its page faults, and faults that map at least a quarter of what
// it left in the target (one fault per 4 KiB page written is first touch).
constexpr double kSlower = 1.5;
constexpr double kMoreFaults = 4;
constexpr double kFaultedShare = 0.25;
constexpr double kPageBytes = 4096;

} // namespace

TimedCopy timedCopyOf(const RunResult &run)
{
    TimedCopy c;
    c.ok = run.status == RunResult::Status::Ok && run.wallSeconds > 0;
    c.wallSeconds = run.wallSeconds;
    c.faults = run.minorFaults();
    c.targetBytes = run.target.nbytesStored > 0 ? run.target.nbytesStored : run.bytes;
    return c;
}

QString copyKey(const RunResult &run)
{
    // A copy that passes its chunks through is another copy than one that decodes them.
    return QStringLiteral("%1\n%2\n%3 %4 %5 %6 %7")
        .arg(run.target.id, run.target.location)
        .arg(run.workers)
        .arg(lockModeName(run.lock), run.chunks.toString())
        .arg(run.forkDuringCopy ? 1 : 0)
        .arg(passthroughModeName(run.passthrough));
}

int CopyHistory::add(const TimedCopy &copy)
{
    const std::lock_guard<std::mutex> lock(m_mutex);
    m_copies.push_back(copy);
    return int(m_copies.size()) - 1;
}

std::vector<TimedCopy> CopyHistory::copies() const
{
    const std::lock_guard<std::mutex> lock(m_mutex);
    return m_copies;
}

std::optional<ColdTarget> coldTargetOf(const RunResult &run)
{
    if (!run.history || run.copyIndex != 0)
        return std::nullopt;
    const std::vector<TimedCopy> copies = run.history->copies();
    if (copies.empty() || !copies.front().ok)
        return std::nullopt;
    const TimedCopy &first = copies.front();
    std::vector<double> walls, faults;
    for (size_t i = 1; i < copies.size(); ++i)
        if (copies[i].ok) {
            walls.push_back(copies[i].wallSeconds);
            faults.push_back(copies[i].faults);
        }
    if (walls.empty())
        return std::nullopt;
    ColdTarget cold;
    cold.faults = first.faults;
    cold.wallSeconds = first.wallSeconds;
    cold.laterWallSeconds = medianOf(walls);
    cold.laterCopies = int(walls.size());
    if (cold.wallSeconds < kSlower * cold.laterWallSeconds)
        return std::nullopt;
    if (first.faults < kMoreFaults * std::max(1.0, medianOf(faults)))
        return std::nullopt;
    if (first.faults * kPageBytes < kFaultedShare * double(first.targetBytes))
        return std::nullopt;
    return cold;
}

QString coldTargetText(const ColdTarget &cold)
{
    const QString faults = cold.faults >= 10000 ? QStringLiteral("%1 k").arg(cold.faults / 1000, 0, 'f', 0)
                                                : QString::number(cold.faults, 'f', 0);
    return QStringLiteral("first touch of a fresh target: %1 page faults; later copies %2× faster")
        .arg(faults)
        .arg(cold.speedup(), 0, 'f', 1);
}

void linkCopyHistories(QList<RunResult> &runs)
{
    QHash<QString, std::shared_ptr<CopyHistory>> byKey;
    for (RunResult &r : runs) {
        std::shared_ptr<CopyHistory> &history = byKey[copyKey(r)];
        if (!history)
            history = std::make_shared<CopyHistory>();
        recordCopy(r, history);
    }
}

void recordCopy(RunResult &run, const std::shared_ptr<CopyHistory> &history)
{
    run.history = history;
    run.copyIndex = history->add(timedCopyOf(run));
}

} // namespace cs
