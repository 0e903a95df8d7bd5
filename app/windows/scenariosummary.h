#pragma once

#include "scenario/scenario.h"

#include <QHash>
#include <QString>

#include <cstdint>

namespace cs {

// The scenario at a glance, as rich text for the scenario's page: what each run copies (source and
// target, their stores and the bytes), the memory the arrays and runs need against what is available,
// and a rough time for "Run all" taken from runs of the same names already finished here, when there
// are any. `estimateBytes` is the allocation estimate of `check`; `secondsByRun` a finished run's wall
// time (fill and verification excluded) by its name.
QString scenarioSummary(const Scenario &valid, int64_t estimateBytes, const QHash<QString, double> &secondsByRun);

} // namespace cs
