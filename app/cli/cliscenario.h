#pragma once

#include "scenario/scenario.h"

#include <QStringList>

#include <optional>

namespace cs {

// Loads the scenario named on the command line, keeps only the runs named by --run and checks that
// the machine has the memory the scenario will need. Prints "error: ..." and returns nullopt when the
// scenario cannot be used (the command then exits with status 2).
std::optional<Scenario> loadScenarioForCommand(const QString &path, const QStringList &onlyRuns, bool allowLarge);

// The allocation table `check` prints and the memory check uses.
QString allocationReport(const Scenario &scenario);

} // namespace cs
