#pragma once

#include "scenario/scenario.h"
#include "scenario/scenarioparser.h"

#include <QStringList>

#include <optional>

namespace cs {

// Parses the scenario file named on the command line, from the bytes read of it, keeps only the runs
// named by --run and checks that the machine has the memory the scenario will need: as rank `rank` of
// an MPI job of `ranks`, what that rank will hold. Prints "error: ..." and returns nullopt when the
// scenario cannot be used (the command then exits with status 2).
std::optional<Scenario> loadScenarioForCommand(const ScenarioBytes &file, const QStringList &onlyRuns, bool allowLarge,
                                               int rank = 0, int ranks = 1);

// The allocation table `check` prints and the memory check uses; for an MPI job of `ranks`, as its
// rank 0 holds it (another rank's share of a partition differs from rank 0's by at most one chunk).
QString allocationReport(const Scenario &scenario, int ranks = 1);

} // namespace cs
