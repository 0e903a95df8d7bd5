#include "memoryquestion.h"

#include "runner/memorycheck.h"

#include <QMessageBox>
#include <QPushButton>

namespace cs {

bool confirmMemoryFor(QWidget *parent, const Scenario &scenario, const QList<RunSpec> &runs, MemoryAnswer answer)
{
    if (answer == MemoryAnswer::RunAnyway)
        return true;
    Scenario planned = scenario;
    planned.runs = runs;
    const MemoryCheck memory = checkMemory(planned);
    if (!memory.exceedsAvailable())
        return true;
    if (answer == MemoryAnswer::Refuse)
        return false;
    QMessageBox box(QMessageBox::Warning, QObject::tr("Not enough memory"),
                    QObject::tr("The scenario %1.").arg(memory.text()), QMessageBox::NoButton, parent);
    box.setInformativeText(QObject::tr("Running it anyway may make the machine swap heavily, or the system may "
                                       "stop Chunkscope."));
    QPushButton *run = box.addButton(QObject::tr("Run anyway"), QMessageBox::AcceptRole);
    QPushButton *dontRun = box.addButton(QObject::tr("Don't run"), QMessageBox::RejectRole);
    box.setDefaultButton(dontRun);
    box.setEscapeButton(dontRun);
    box.exec();
    return box.clickedButton() == run;
}

} // namespace cs
