#pragma once

#include <QString>

#include <cstdint>

namespace cs {

class CopyRun;
struct RunSnapshot;

// Where a run stands, read from the counters its copies publish (CopyRun::snapshot), in the words the
// window's status bar, its live view and the command line's progress line all use.
struct RunStage {
    enum class Kind { Filling, Copying, Verifying, Done };
    Kind kind = Kind::Copying;
    QString array; // the array being filled
    int64_t done = 0; // chunks filled, tasks copied or chunks verified
    int64_t total = 0;

    // "filling a1: 120 of 382 chunks", "running: 120 of 382 tasks", "verifying: 40 %", and once
    // the run ended "380 of 382 tasks".
    QString text() const;
    // Whole percent, rounded down: a bar never shows 100 % before the last chunk.
    int percent() const;
};

// The stage of an array's fill, from the snapshot of the copy that fills it.
RunStage fillStage(const QString &arrayId, const RunSnapshot &fill);
// The stage of a run's timed copy: copying until the copy ends, then verifying when the run verifies.
RunStage copyStage(const RunSnapshot &run);

// The counters of a copy, without its events or samples: what a progress line needs.
RunSnapshot countersOf(const CopyRun &run);

} // namespace cs
