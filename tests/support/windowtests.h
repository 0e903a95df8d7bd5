#pragma once

// What tests of the main window share: settings of their own, and a run taken to its end.

#include "windows/mainwindow.h"

#include <QSettings>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QString>

// The window keeps its recent files and layout in QSettings; a test starts it from empty settings in
// QtTest's own location, so neither the user's settings nor an earlier test's change what the window
// shows, and the test touches no settings of the user's.
inline void startFromEmptySettings()
{
    QStandardPaths::setTestModeEnabled(true);
    QSettings(QStringLiteral("Chunkscope"), QStringLiteral("Chunkscope")).clear();
}

// Runs the window's selected runs and waits for them to end; false when none started or they had not
// ended after `timeoutMs`.
inline bool runSelectedToTheEnd(cs::MainWindow &w, int timeoutMs)
{
    QSignalSpy finished(&w, &cs::MainWindow::runsFinished);
    return w.runSelected() && finished.wait(timeoutMs);
}

// Opens `path` in the window, runs all its runs and waits for them to end; false when it did not
// open, none started, or they had not ended after `timeoutMs`.
inline bool openAndRunAll(cs::MainWindow &w, const QString &path, int timeoutMs)
{
    QString error;
    if (!w.openScenario(path, &error))
        return false;
    QSignalSpy finished(&w, &cs::MainWindow::runsFinished);
    return w.runAll() && finished.wait(timeoutMs);
}
