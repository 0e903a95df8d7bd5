#pragma once

#include "commandline.h"
#include "scenario/scenario.h"

namespace cs {

// Refuses outputs of `run` (--json, --trace, --csv, --png, --svg) that would write over the
// scenario file or into an array's storage, before anything runs. Prints one "error: ..." line
// for the first and returns false (the command then exits with status 2).
bool checkOutputPaths(const CommandLine &cl, const Scenario &scenario);

} // namespace cs
