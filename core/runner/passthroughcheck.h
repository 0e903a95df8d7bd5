#pragma once

#include "scenario/scenario.h"

#include <QString>

namespace cs {

// Why a run with "passthrough": "require" cannot pass its chunks through, found before the run from
// what its arrays' kinds say (a new array's codecs, an existing one's metadata), in
// requireRefusalMessage()'s words; empty when it can, for any other run, and when a kind cannot tell
// before its store is built (the run then refuses as it starts). Creates and writes nothing.
QString passthroughRefusalBeforeRun(const Scenario &scenario, const RunSpec &run);

} // namespace cs
