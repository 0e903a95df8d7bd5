#include "cli/checkcommand.h"
#include "cli/commandline.h"
#include "cli/runcommand.h"
#include "windows/mainwindow.h"

#include <QApplication>

#include <cstdio>
#include <memory>

namespace {

bool wantsHeadless(int argc, char **argv)
{
    for (int i = 1; i < argc; ++i) {
        const QByteArray arg(argv[i]);
        if (arg == "run" || arg == "check" || arg == "--help" || arg == "-h" || arg == "--version" || arg == "-v")
            return true;
        if (!arg.startsWith('-'))
            return false;
    }
    return false;
}

// --png and --svg draw the app's charts, which needs a QApplication even off screen.
bool wantsPictures(int argc, char **argv)
{
    for (int i = 1; i < argc; ++i) {
        const QByteArray arg(argv[i]);
        if (arg.startsWith("--png") || arg.startsWith("--svg"))
            return true;
    }
    return false;
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
    // Headless commands draw charts (for --png and --svg) off screen and never need a display.
    const bool headless = wantsHeadless(argc, argv);
    if (headless && qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM"))
        qputenv("QT_QPA_PLATFORM", "offscreen");
    if (headless)
        qInstallMessageHandler(headlessMessages);

    std::unique_ptr<QCoreApplication> app;
    if (!headless || wantsPictures(argc, argv))
        app = std::make_unique<QApplication>(argc, argv);
    else
        app = std::make_unique<QCoreApplication>(argc, argv);
    QCoreApplication::setApplicationName(QStringLiteral("chunkscope"));
    QCoreApplication::setApplicationVersion(QStringLiteral(CHUNKSCOPE_VERSION));
    QCoreApplication::setOrganizationName(QStringLiteral("Chunkscope"));

    const cs::CommandLine cl = cs::parseCommandLine(QCoreApplication::arguments());
    switch (cl.command) {
    case cs::CommandLine::Command::Exit:
        return cl.exitCode;
    case cs::CommandLine::Command::Run:
        return cs::runRunCommand(cl);
    case cs::CommandLine::Command::Check:
        return cs::runCheckCommand(cl);
    case cs::CommandLine::Command::Gui:
        break;
    }

    cs::MainWindow window;
    if (!cl.scenario.isEmpty())
        window.openScenario(cl.scenario);
    window.show();
    return app->exec();
}
