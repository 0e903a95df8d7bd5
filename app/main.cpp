#include "cli/checkcommand.h"
#include "cli/commandline.h"
#include "cli/errorline.h"
#include "cli/runcommand.h"
#include "results/resultsjson.h"
#include "windows/mainwindow.h"
#include "windows/windowautomation.h"

#include <QApplication>

#include <csignal>
#include <cstdio>
#include <memory>

namespace {

// Qt's platform plugins abort the process when there is no display to connect to; a clear error is
// kinder. Any QT_QPA_PLATFORM (offscreen, vnc, ...) is the user's explicit choice.
bool hasDisplay()
{
    return !qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM") || !qEnvironmentVariableIsEmpty("DISPLAY")
        || !qEnvironmentVariableIsEmpty("WAYLAND_DISPLAY");
}

// The offscreen platform used for headless PNG export warns about features it does not need; those
// lines would only be noise between the progress bar and the summary table.
void headlessMessages(QtMsgType type, const QMessageLogContext &context, const QString &message)
{
    if (type == QtWarningMsg
        && (message.contains(QLatin1String("propagateSizeHints"))
            || message.startsWith(QLatin1String("QStandardPaths"))))
        return;
    std::fputs(qPrintable(qFormatLogMessage(type, context, message) + QLatin1Char('\n')), stderr);
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication::setApplicationName(QStringLiteral("chunkscope"));
    QCoreApplication::setApplicationVersion(QStringLiteral(CHUNKSCOPE_VERSION));
    QCoreApplication::setOrganizationName(QStringLiteral("Chunkscope"));

    // The parsed command line, not a guess from argv, decides which application object to create: an
    // option's value ("--json out.json run ...") is never taken for a scenario to open in the window.
    QStringList arguments;
    for (int i = 0; i < argc; ++i)
        arguments.append(QString::fromLocal8Bit(argv[i]));
    const cs::CommandLine cl = cs::parseCommandLine(arguments);
    if (cl.command == cs::CommandLine::Command::Exit)
        return cl.exitCode;

    if (cl.command == cs::CommandLine::Command::Gui) {
        if (!hasDisplay()) {
            std::fputs("error: no display: none of DISPLAY, WAYLAND_DISPLAY and QT_QPA_PLATFORM is set "
                       "(`chunkscope run SCENARIO` runs without one)\n",
                       stderr);
            return 2;
        }
        QApplication app(argc, argv);
        cs::MainWindow window;
        if (!cl.scenario.isEmpty()) {
            QString error;
            // A results document opens as past runs, in the runs table and the profile.
            if (!cl.runAll && cs::looksLikeResultsFile(cl.scenario))
                window.openResults(cl.scenario);
            // Driven from the command line, a scenario that does not open is an error there, not a dialog.
            else if (!window.openScenario(cl.scenario, cl.runAll ? &error : nullptr) && cl.runAll) {
                cs::printError(error);
                return 2;
            }
        }
        window.show();
        cs::automateWindow(&window, cl);
        return app.exec();
    }

    // Headless commands draw charts (for --png and --svg) off screen and never need a display.
    if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM"))
        qputenv("QT_QPA_PLATFORM", "offscreen");
    qInstallMessageHandler(headlessMessages);
    // A reader that goes away (`| head`) must not kill a run before its outputs are written: a write
    // to the closed pipe fails with EPIPE instead, and the command reports it.
    std::signal(SIGPIPE, SIG_IGN);
    // --png and --svg draw the app's charts, which needs a QApplication even off screen.
    std::unique_ptr<QCoreApplication> app;
    if (!cl.pngDir.isEmpty() || !cl.svgDir.isEmpty())
        app = std::make_unique<QApplication>(argc, argv);
    else
        app = std::make_unique<QCoreApplication>(argc, argv);
    return cl.command == cs::CommandLine::Command::Run ? cs::runRunCommand(cl) : cs::runCheckCommand(cl);
}
