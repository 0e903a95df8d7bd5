#pragma once

#include <QString>

namespace cs {

// Prints "error: MESSAGE" as one line on stderr. Names the user gave (run names, paths) may hold
// control characters: escapeControls writes them as JSON does (\n, \u0000), so that every
// error stays one line that a script can read.
void printError(const QString &message);

// Flushes stdout and returns 0, or the errno of a write to it that failed (EPIPE once the reader
// of a pipe went away, SIGPIPE being ignored by the headless commands). A write can fail before
// the flush, so the caller sets errno to 0 before it prints.
int flushStandardOutput();

} // namespace cs
