#pragma once

#include "commandline.h"

namespace cs {

// `chunkscope run SCENARIO`: every selected run in order, a progress line on a terminal, the summary
// table, and the files asked for. Exit 0 when every run finished and verified, 1 otherwise, 2 when
// the scenario or the command line is invalid.
int runRunCommand(const CommandLine &cl);

} // namespace cs
