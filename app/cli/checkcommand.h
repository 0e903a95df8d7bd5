#pragma once

#include "commandline.h"

namespace cs {

// `chunkscope check SCENARIO`: validates the scenario and prints what it would allocate. Exit 0 or 2.
int runCheckCommand(const CommandLine &cl);

} // namespace cs
