#include "commandline.h"

#include "errorline.h"

#include <QCommandLineParser>
#include <QCoreApplication>

#include <cstdio>

namespace cs {

CommandLine parseCommandLine(const QStringList &arguments)
{
    CommandLine cl;
    QCommandLineParser parser;
    parser.setApplicationDescription(
        QStringLiteral("Chunkscope profiles chunked array copies between NumPy-like memory, Zarr, HDF5 and bcolz "
                       "stores.\n\n"
                       "  chunkscope [SCENARIO]              open the desktop app (the built-in default scenario "
                       "when none is given)\n"
                       "  chunkscope run SCENARIO [options]  run headless: every run of the scenario, in order\n"
                       "  chunkscope check SCENARIO          validate only; print what the scenario would allocate"));
    const QCommandLineOption helpOption = parser.addHelpOption();
    const QCommandLineOption versionOption = parser.addVersionOption();
    const QCommandLineOption runOption(QStringLiteral("run"), QStringLiteral("Only this run (repeatable)."),
                                       QStringLiteral("NAME"));
    const QCommandLineOption jsonOption(QStringLiteral("json"), QStringLiteral("Write the results document."),
                                        QStringLiteral("FILE"));
    const QCommandLineOption pngOption(
        QStringLiteral("png"),
        QStringLiteral("Write the charts of every run, and the scaling chart of every sweep, as PNG files."),
        QStringLiteral("DIR"));
    const QCommandLineOption svgOption(
        QStringLiteral("svg"), QStringLiteral("Write the same charts as --png as SVG files."), QStringLiteral("DIR"));
    const QCommandLineOption traceOption(QStringLiteral("trace"),
                                         QStringLiteral("Write every run as a Chrome trace event file."),
                                         QStringLiteral("FILE"));
    const QCommandLineOption csvOption(
        QStringLiteral("csv"), QStringLiteral("Write each run's tasks and samples as CSV."), QStringLiteral("DIR"));
    const QCommandLineOption quietOption(QStringLiteral("quiet"), QStringLiteral("No progress output."));
    const QCommandLineOption allowLargeOption(
        QStringLiteral("allow-large"),
        QStringLiteral("Run even when the scenario needs more memory than the machine has available."));
    const QCommandLineOption runAllOption(QStringLiteral("run-all"),
                                          QStringLiteral("Window: run every run of the scenario once it opens."));
    const QCommandLineOption writeResultsOption(QStringLiteral("write-results"),
                                                QStringLiteral("Window: write the results document when the runs end."),
                                                QStringLiteral("FILE"));
    const QCommandLineOption quitWhenDoneOption(
        QStringLiteral("quit-when-done"),
        QStringLiteral("Window: quit when the runs end, with the exit status of \"run\"."));
    parser.addOptions({runOption, jsonOption, pngOption, svgOption, traceOption, csvOption, quietOption,
                       allowLargeOption, runAllOption, writeResultsOption, quitWhenDoneOption});
    parser.addPositionalArgument(QStringLiteral("command"), QStringLiteral("run, check, or a scenario to open."),
                                 QStringLiteral("[run|check] [SCENARIO]"));

    auto fail = [&](const QString &message) {
        printError(message);
        cl.command = CommandLine::Command::Exit;
        cl.exitCode = 2;
        return cl;
    };
    if (!parser.parse(arguments))
        return fail(parser.errorText());
    if (parser.isSet(helpOption)) {
        // Parsed before any application object exists (which decides the kind it must be), so the
        // parser cannot name the program itself.
        std::fputs(qPrintable(parser.helpText().replace(QLatin1String("<executable_name>"), arguments.value(0))),
                   stdout);
        cl.command = CommandLine::Command::Exit;
        return cl;
    }
    if (parser.isSet(versionOption)) {
        std::printf("%s %s\n", qPrintable(QCoreApplication::applicationName()),
                    qPrintable(QCoreApplication::applicationVersion()));
        cl.command = CommandLine::Command::Exit;
        return cl;
    }

    const QStringList positional = parser.positionalArguments();
    const QString first = positional.value(0);
    if (first == QLatin1String("run") || first == QLatin1String("check")) {
        cl.command = first == QLatin1String("run") ? CommandLine::Command::Run : CommandLine::Command::Check;
        if (positional.size() < 2)
            return fail(QStringLiteral("%1: a scenario file is required").arg(first));
        if (positional.size() > 2)
            return fail(QStringLiteral("%1: unexpected argument \"%2\"").arg(first, positional.at(2)));
        cl.scenario = positional.at(1);
    } else {
        if (positional.size() > 1)
            return fail(QStringLiteral("unexpected argument \"%1\"").arg(positional.at(1)));
        cl.scenario = first;
    }
    const bool headless = cl.command == CommandLine::Command::Run;
    for (const QCommandLineOption &o :
         {runOption, jsonOption, pngOption, svgOption, traceOption, csvOption, quietOption}) {
        if (parser.isSet(o) && !headless)
            return fail(QStringLiteral("--%1 applies to \"run\" only").arg(o.names().constFirst()));
    }
    for (const QCommandLineOption &o : {runAllOption, writeResultsOption, quitWhenDoneOption}) {
        if (parser.isSet(o) && cl.command != CommandLine::Command::Gui)
            return fail(QStringLiteral("--%1 applies to the window only").arg(o.names().constFirst()));
    }
    if ((parser.isSet(writeResultsOption) || parser.isSet(quitWhenDoneOption)) && !parser.isSet(runAllOption))
        return fail(QStringLiteral("--write-results and --quit-when-done need --run-all"));
    cl.runAll = parser.isSet(runAllOption);
    cl.writeResults = parser.value(writeResultsOption);
    cl.quitWhenDone = parser.isSet(quitWhenDoneOption);
    cl.runs = parser.values(runOption);
    cl.jsonFile = parser.value(jsonOption);
    cl.pngDir = parser.value(pngOption);
    cl.svgDir = parser.value(svgOption);
    cl.traceFile = parser.value(traceOption);
    cl.csvDir = parser.value(csvOption);
    cl.quiet = parser.isSet(quietOption);
    cl.allowLarge = parser.isSet(allowLargeOption);
    return cl;
}

} // namespace cs
