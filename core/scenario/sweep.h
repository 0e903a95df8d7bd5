#pragma once

#include "scenario.h"

#include <QList>
#include <QString>

#include <vector>

namespace cs {

// The values a run of a scenario takes for its sweepable keys. A key that is not swept has exactly
// one value; a swept one has the list the file gave, in its order.
struct SweepAxes {
    QList<int> workers{0};
    QList<LockMode> locks{LockMode::Target};
    QList<std::vector<int64_t>> chunks{std::vector<int64_t>()};
    QList<PassthroughMode> passthroughs{PassthroughMode::Never};
    bool workersSwept = false;
    bool lockSwept = false;
    bool chunksSwept = false;
    bool passthroughSwept = false;

    // The number of runs the expansion gives, saturated at INT64_MAX.
    int64_t combinations() const;
};

// One run per combination, workers outermost, then lock, then chunks, then passthrough. Every other field comes from
// `base`. When nothing is swept the result is `base` with the single values and no SweepInfo;
// otherwise each run is named "NAME [workers=1 lock=target chunks=65536]" (only the swept keys)
// and carries SweepInfo{of: NAME, values: {"workers": 1, "lock": "target", "chunks": [65536]}}
// ("passthrough=auto" and "passthrough": "auto" when that is swept).
QList<RunSpec> expandSweep(const RunSpec &base, const SweepAxes &axes);

// "65536" for one dimension, "64x64" for more: chunks as a sweep names them.
QString chunksLabel(const std::vector<int64_t> &chunks);

} // namespace cs
