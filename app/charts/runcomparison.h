#pragma once

#include "results/runresult.h"
#include "scenario/scenario.h"

#include <QList>
#include <QString>

#include <memory>

namespace cs {

// What the profile view says about the runs it compares: when they are the repeats of exactly two
// runs, how much faster one is, with its interval ("lock none is 1.41× faster than lock target (95 %
// CI 1.35–1.48, n = 5, interleaved)"), as the command line says it (ratioSentence); when either has
// fewer than 3 finished repeats, what it takes to get one. Empty for anything else. `order` is the
// scenario's run order, which the sentence states.
QString runComparisonText(const QList<std::shared_ptr<const RunResult>> &runs, RunOrder order);

} // namespace cs
