#pragma once

#include "scenario.h"

#include <QString>

namespace cs {

// Checks a parsed scenario against the disk before anything is created, filled or overwritten:
// - no two arrays on one location (however spelt) or one inside another's, unless both only read
//   it (fill "existing" and no run's target);
// - the data an "existing" fill opens is there (on disk; a server is asked when the store opens);
// - "overwrite" would replace only an array of the array's own store kind, and in HDF5 only a
//   dataset, never a group;
// - no run writes into an HDF5 virtual dataset (that would write into its source datasets).
// Throws JsonError at the array's "path", "file" or "rootdir", for example
// "/arrays/dst/path: the same location as /arrays/src", or at its "dataset".
void checkScenarioStorage(const Scenario &scenario);

// For an array about to be created (the scenario may have been edited since it was checked): why
// its location clashes with another array's, as "array dst: its path P is the same location as
// array src", or why a run may not write into it ("array v: F:/v is a virtual dataset; ..."), or an
// empty string.
QString storageClash(const Scenario &scenario, const QString &id);

} // namespace cs
