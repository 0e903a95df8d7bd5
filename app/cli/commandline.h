#pragma once

#include <QSize>
#include <QString>
#include <QStringList>

namespace cs {

// The parsed command line of the contract:
//   chunkscope [SCENARIO [--run-all] [--write-results FILE] [--quit-when-done]]
//   | run SCENARIO [options] | check SCENARIO [--ranks N] | --help | --version
struct CommandLine {
    enum class Command { Gui, Run, Check, Exit };
    Command command = Command::Gui;
    QString scenario; // empty for the GUI's built-in default
    QStringList runs; // --run, repeatable
    QString jsonFile;
    QString pngDir;
    QString svgDir; // --svg: the --png pictures as SVG drawings
    QSize pngSize{1600, 900}; // --png-size WxH: logical pixels of every picture, PNG and SVG
    bool pngSizeGiven = false; // without --png-size a profile's picture grows taller to show every chart
    qreal pngScale = 1; // --png-scale N: device pixels per logical pixel of a PNG
    QString traceFile;
    QString csvDir;
    bool quiet = false;
    bool allowLarge = false; // run even when the scenario needs more memory than is available
    int ranks = 0; // check --ranks N: the memory of each rank of an MPI job of N; 0 when not given
    // The window driven without clicks, so that it can be measured and tested as users run it:
    // --run-all starts every run once shown, --write-results writes the results document when the
    // batch ends, --quit-when-done then exits with `run`'s status. --tab scaling keeps the live profile
    // out of sight, to measure what the window costs when it only watches.
    bool runAll = false;
    QString writeResults;
    bool quitWhenDone = false;
    bool liveProfileHidden = false;
    int exitCode = 0; // for Command::Exit: 0 after --help/--version, 2 after an error
};

// Parses argv (options in any order, before or after the command word); prints help, version and
// errors itself ("error: ..." on stderr). Needs no application object, so that the result can decide
// which one to create.
CommandLine parseCommandLine(const QStringList &arguments);

} // namespace cs
