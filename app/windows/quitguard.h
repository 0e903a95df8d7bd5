#pragma once

class QWidget;

namespace cs {

enum class QuitChoice {
    Quit, // go on closing (a run in progress is cancelled)
    Stay, // keep the window open
    ExportFirst, // export the results, then close if that worked
};

// Asked as the window closes, as unsaved scenario changes are: a run in progress would be cancelled,
// and runs whose results were never exported would be lost. Asks nothing when neither is the case.
// The dialogs are named "quitWhileRunning" and "quitUnexported"; both default to staying.
QuitChoice askBeforeQuit(QWidget *parent, bool running, int unexportedRuns);

} // namespace cs
