#include "quitguard.h"

#include <QMessageBox>
#include <QPushButton>

namespace cs {

QuitChoice askBeforeQuit(QWidget *parent, bool running, int unexportedRuns)
{
    if (running) {
        QMessageBox box(QMessageBox::Question, QObject::tr("Quit"),
                        QObject::tr("A run is in progress. Quitting cancels it, and its results are lost."),
                        QMessageBox::NoButton, parent);
        box.setObjectName(QStringLiteral("quitWhileRunning"));
        QPushButton *quit = box.addButton(QObject::tr("Cancel the run and quit"), QMessageBox::DestructiveRole);
        QPushButton *stay = box.addButton(QObject::tr("Keep running"), QMessageBox::RejectRole);
        box.setDefaultButton(stay);
        box.exec();
        if (box.clickedButton() != quit)
            return QuitChoice::Stay;
    }
    if (unexportedRuns <= 0)
        return QuitChoice::Quit;
    QMessageBox box(
        QMessageBox::Question, QObject::tr("Quit"),
        unexportedRuns == 1
            ? QObject::tr("The results of 1 run have not been exported. Export them first?")
            : QObject::tr("The results of %1 runs have not been exported. Export them first?").arg(unexportedRuns),
        QMessageBox::NoButton, parent);
    box.setObjectName(QStringLiteral("quitUnexported"));
    box.setInformativeText(QObject::tr("Export › Results JSON keeps them; File › Open can show them again."));
    QPushButton *exportFirst = box.addButton(QObject::tr("Export…"), QMessageBox::AcceptRole);
    QPushButton *discard = box.addButton(QObject::tr("Quit without exporting"), QMessageBox::DestructiveRole);
    QPushButton *stay = box.addButton(QMessageBox::Cancel);
    box.setDefaultButton(exportFirst);
    box.setEscapeButton(stay);
    box.exec();
    if (box.clickedButton() == exportFirst)
        return QuitChoice::ExportFirst;
    return box.clickedButton() == discard ? QuitChoice::Quit : QuitChoice::Stay;
}

} // namespace cs
