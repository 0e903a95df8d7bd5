#pragma once

#include <QString>

namespace cs {

// Prints "error: MESSAGE" as one line on stderr. Names the user gave (run names, paths) may hold
// control characters: escapeControls writes them as JSON does (\n, \u0000), so that every
// error stays one line that a script can read.
void printError(const QString &message);

} // namespace cs
