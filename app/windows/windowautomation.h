#pragma once

namespace cs {

class MainWindow;
struct CommandLine;

// `chunkscope SCENARIO --run-all [--write-results FILE] [--quit-when-done] [--tab scaling]`: the window,
// shown, runs every run of its scenario with the live profile in view (or the Scaling tab, with --tab), as a user who
// pressed "Run all" would see it, so that the window's cost can be benchmarked and tested without clicks. Once the
// batch ends it writes the results document and quits with the exit status `chunkscope run` would give: 0 when every
// run finished and verified, 1 when one did not or the document could not be written, 2 when the scenario cannot run.
// Errors are printed as `run` prints them.
void automateWindow(MainWindow *window, const CommandLine &commandLine);

} // namespace cs
