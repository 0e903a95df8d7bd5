#include "runstage.h"

#include "engine/copyrun.h"

#include <algorithm>
#include <cstdint>

namespace cs {

QString RunStage::text() const
{
    switch (kind) {
    case Kind::Filling:
        return QStringLiteral("filling %1: %2 of %3 chunks").arg(array).arg(done).arg(total);
    case Kind::Copying:
        return QStringLiteral("running: %1 of %2 tasks").arg(done).arg(total);
    case Kind::Verifying:
        return QStringLiteral("verifying: %1 %").arg(percent());
    case Kind::Done:
        break;
    }
    return QStringLiteral("%1 of %2 tasks").arg(done).arg(total);
}

int RunStage::percent() const
{
    return total > 0 ? int(100 * std::clamp<int64_t>(done, 0, total) / total) : 0;
}

RunStage fillStage(const QString &arrayId, const RunSnapshot &fill)
{
    RunStage s;
    s.kind = RunStage::Kind::Filling;
    s.array = arrayId;
    s.done = fill.tasksDone;
    s.total = fill.tasksTotal;
    return s;
}

RunStage copyStage(const RunSnapshot &run)
{
    RunStage s;
    if (run.finished) {
        s.kind = RunStage::Kind::Done;
        s.done = run.tasksDone;
        s.total = run.tasksTotal;
    } else if (run.copyEnded && run.verifyTotal > 0) {
        s.kind = RunStage::Kind::Verifying;
        s.done = run.verifyDone;
        s.total = run.verifyTotal;
    } else {
        s.done = run.tasksDone;
        s.total = run.tasksTotal;
    }
    return s;
}

RunSnapshot countersOf(const CopyRun &run)
{
    RunSnapshot snapshot;
    // Cursors past every event and sample: the snapshot takes the counters alone.
    snapshot.eventCursor = INT64_MAX;
    snapshot.sampleCursor = SIZE_MAX;
    run.snapshot(snapshot);
    return snapshot;
}

} // namespace cs
