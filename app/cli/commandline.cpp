#include "commandline.h"

#include "charts/pictureexport.h"
#include "errorline.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QRegularExpression>

#include <cstdio>

namespace cs {

namespace {
bool parsePictureSize(const QString &text, QSize *size, QString *error)
{
    const QRegularExpressionMatch m
        = QRegularExpression(QStringLiteral("^([0-9]{1,6})[xX]([0-9]{1,6})$")).match(text.trimmed());
    if (!m.hasMatch()) {
        *error = QStringLiteral("--png-size: \"%1\" is not WIDTHxHEIGHT, for example 1600x900").arg(text);
        return false;
    }
    *size = QSize(m.captured(1).toInt(), m.captured(2).toInt());
    return checkPictureSize(*size, QStringLiteral("--png-size"), error);
}

bool parsePictureScale(const QString &text, QSize size, qreal *scale, QString *error)
{
    bool ok = false;
    const double v = text.trimmed().toDouble(&ok);
    if (!ok || !(v >= 0.5 && v <= 4)) {
        *error = QStringLiteral("--png-scale: \"%1\" is not a number from 0.5 to 4").arg(text);
        return false;
    }
    *scale = v;
    return checkPictureMemory(size, v, QStringLiteral("--png-scale"), error);
}
} // namespace

// More ranks than any machine runs, and few enough that a share's arithmetic stays small.
constexpr int kMaxRanks = 1 << 20;

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
                       "  chunkscope check SCENARIO          validate only; print what the scenario would allocate\n"
                       "    [--ranks N]                      ... on each rank of an MPI job of N ranks"));
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
    const QCommandLineOption pngSizeOption(
        QStringLiteral("png-size"),
        QStringLiteral("Size of every --png and --svg picture in logical pixels (default 1600x900, a profile taller "
                       "where its charts need it)."),
        QStringLiteral("WxH"));
    const QCommandLineOption pngScaleOption(
        QStringLiteral("png-scale"),
        QStringLiteral("Device pixels per logical pixel of every --png picture, 0.5 to 4 (default 1; 2 for sharp "
                       "text on high-DPI screens)."),
        QStringLiteral("N"));
    const QCommandLineOption traceOption(QStringLiteral("trace"),
                                         QStringLiteral("Write every run as a Chrome trace event file."),
                                         QStringLiteral("FILE"));
    const QCommandLineOption csvOption(
        QStringLiteral("csv"),
        QStringLiteral("Write each run's tasks and samples as CSV, and its requests on object storage."),
        QStringLiteral("DIR"));
    const QCommandLineOption quietOption(QStringLiteral("quiet"), QStringLiteral("No progress output."));
    const QCommandLineOption allowLargeOption(
        QStringLiteral("allow-large"),
        QStringLiteral("Run even when the scenario needs more memory than the machine has available."));
    const QCommandLineOption ranksOption(
        QStringLiteral("ranks"),
        QStringLiteral("Check: the memory each rank of an MPI job of N ranks holds (under mpirun, the job's)."),
        QStringLiteral("N"));
    const QCommandLineOption runAllOption(QStringLiteral("run-all"),
                                          QStringLiteral("Window: run every run of the scenario once it opens."));
    const QCommandLineOption writeResultsOption(QStringLiteral("write-results"),
                                                QStringLiteral("Window: write the results document when the runs end."),
                                                QStringLiteral("FILE"));
    const QCommandLineOption quitWhenDoneOption(
        QStringLiteral("quit-when-done"),
        QStringLiteral("Window: quit when the runs end, with the exit status of \"run\"."));
    const QCommandLineOption tabOption(
        QStringLiteral("tab"),
        QStringLiteral("Window: the tab in view while --run-all runs: profile (the default) or scaling."),
        QStringLiteral("NAME"));
    parser.addOptions({runOption, jsonOption, pngOption, svgOption, pngSizeOption, pngScaleOption, traceOption,
                       csvOption, quietOption, allowLargeOption, ranksOption, runAllOption, writeResultsOption,
                       quitWhenDoneOption, tabOption});
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
    for (const QCommandLineOption &o : {runOption, jsonOption, pngOption, svgOption, pngSizeOption, pngScaleOption,
                                        traceOption, csvOption, quietOption}) {
        if (parser.isSet(o) && !headless)
            return fail(QStringLiteral("--%1 applies to \"run\" only").arg(o.names().constFirst()));
    }
    for (const QCommandLineOption &o : {runAllOption, writeResultsOption, quitWhenDoneOption, tabOption}) {
        if (parser.isSet(o) && cl.command != CommandLine::Command::Gui)
            return fail(QStringLiteral("--%1 applies to the window only").arg(o.names().constFirst()));
    }
    if ((parser.isSet(writeResultsOption) || parser.isSet(quitWhenDoneOption) || parser.isSet(tabOption))
        && !parser.isSet(runAllOption))
        return fail(QStringLiteral("--write-results, --quit-when-done and --tab need --run-all"));
    if (parser.isSet(tabOption)) {
        const QString tab = parser.value(tabOption);
        if (tab == QLatin1String("scaling"))
            cl.liveProfileHidden = true;
        else if (tab != QLatin1String("profile"))
            return fail(QStringLiteral("--tab must be profile or scaling, not \"%1\"").arg(tab));
    }
    cl.runAll = parser.isSet(runAllOption);
    cl.writeResults = parser.value(writeResultsOption);
    cl.quitWhenDone = parser.isSet(quitWhenDoneOption);
    cl.runs = parser.values(runOption);
    cl.jsonFile = parser.value(jsonOption);
    cl.pngDir = parser.value(pngOption);
    cl.svgDir = parser.value(svgOption);
    if (parser.isSet(pngSizeOption) || parser.isSet(pngScaleOption)) {
        if (cl.pngDir.isEmpty() && cl.svgDir.isEmpty())
            return fail(QStringLiteral("--png-size and --png-scale need --png or --svg"));
        QString why;
        cl.pngSizeGiven = parser.isSet(pngSizeOption);
        if (parser.isSet(pngSizeOption) && !parsePictureSize(parser.value(pngSizeOption), &cl.pngSize, &why))
            return fail(why);
        if (parser.isSet(pngScaleOption)
            && !parsePictureScale(parser.value(pngScaleOption), cl.pngSize, &cl.pngScale, &why))
            return fail(why);
    }
    cl.traceFile = parser.value(traceOption);
    cl.csvDir = parser.value(csvOption);
    cl.quiet = parser.isSet(quietOption);
    cl.allowLarge = parser.isSet(allowLargeOption);
    if (parser.isSet(ranksOption)) {
        if (cl.command != CommandLine::Command::Check)
            return fail(QStringLiteral("--ranks applies to \"check\" only (under MPI, \"run\" takes its ranks from the "
                                       "launcher)"));
        bool ok = false;
        cl.ranks = parser.value(ranksOption).toInt(&ok);
        if (!ok || cl.ranks < 1 || cl.ranks > kMaxRanks)
            return fail(QStringLiteral("--ranks must be a whole number from 1 to %1, not \"%2\"")
                            .arg(kMaxRanks)
                            .arg(parser.value(ranksOption)));
    }
    return cl;
}

} // namespace cs
