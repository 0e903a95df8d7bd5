#include "windowautomation.h"

#include "cli/commandline.h"
#include "cli/errorline.h"
#include "mainwindow.h"
#include "runstablemodel.h"
#include "scalingpanel.h"
#include "scenariodocument.h"

#include <QCoreApplication>
#include <QTabWidget>
#include <QTimer>

namespace cs {

namespace {
void finish(const CommandLine &cl, int status)
{
    if (cl.quitWhenDone)
        QCoreApplication::exit(status);
}

int batchStatus(const MainWindow *window)
{
    for (const auto &r : window->runsModel()->runs())
        if (r->status != RunResult::Status::Ok || (r->verified && !*r->verified))
            return 1;
    return 0;
}
} // namespace

void automateWindow(MainWindow *window, const CommandLine &commandLine)
{
    if (!commandLine.runAll)
        return;
    // Without a user to answer it, the question about memory is answered by --allow-large, as for `run`.
    window->setMemoryAnswer(commandLine.allowLarge ? MemoryAnswer::RunAnyway : MemoryAnswer::Refuse);
    QObject::connect(window, &MainWindow::runsFinished, window, [window, cl = commandLine] {
        int status = batchStatus(window);
        QString error;
        if (!cl.writeResults.isEmpty() && !window->exportResults(cl.writeResults, &error)) {
            printError(error);
            status = 1;
        }
        finish(cl, status);
    });
    // Once the event loop runs, so that the window is on screen (and laid out) before the first copy.
    QTimer::singleShot(0, window, [window, cl = commandLine] {
        if (cl.liveProfileHidden)
            window->tabs()->setCurrentWidget(window->scalingPanel());
        if (window->runAll())
            return;
        const ScenarioDocument *doc = window->document();
        if (!doc->isValid())
            printError(QStringLiteral("%1: %2").arg(doc->errorPointer(), doc->errorMessage()));
        else
            printError(QStringLiteral("the runs were not started (they need more memory than is available; "
                                      "--allow-large runs them anyway)"));
        finish(cl, 2);
    });
}

} // namespace cs
