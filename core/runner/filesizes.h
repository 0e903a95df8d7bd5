#pragma once

#include "scenario/scenario.h"

namespace cs {

// The scenario as the memory estimate (check, run, the window) should see it: an array opened from existing data whose
// scenario leaves its dtype, shape or chunks to the file takes them from the file, so that the
// estimate counts the tasks and chunk sizes the file announces. An array whose file cannot be opened
// keeps what the scenario says (its run reports why). Opens and closes each such file once.
Scenario withSizesFromFiles(const Scenario &scenario);

} // namespace cs
