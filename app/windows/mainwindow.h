#pragma once

#include "memoryquestion.h"
#include "results/runresult.h"

#include <QElapsedTimer>
#include <QHash>
#include <QMainWindow>
#include <QSet>
#include <QSize>

#include <memory>

class QAction;
class QLabel;
class QMenu;
class QModelIndex;
class QProgressBar;
class QScrollArea;
class QTabWidget;
class QTableView;
class QTimer;

namespace cs {

class ArrayInfoPanel;
class ProfileView;
class RecentFiles;
class RunController;
class RunStatus;
class RunsTableModel;
class ScalingPanel;
class ScenarioDocument;
class ScenarioPanel;

// The desktop app: the scenario on the left, the profile of the live or selected runs in the
// middle, the finished runs and their arrays below. It opens on the built-in default scenario.
class MainWindow : public QMainWindow {
    Q_OBJECT
public:
    explicit MainWindow(QWidget *parent = nullptr);
    ~MainWindow() override;

    // Opens a scenario file (`chunkscope SCENARIO`). Without `error`, failures are shown in a
    // message box; with it, they are only reported there.
    bool openScenario(const QString &path, QString *error = nullptr);
    bool saveScenario(const QString &path, QString *error = nullptr);
    bool openResults(const QString &path, QString *error = nullptr);
    bool exportResults(const QString &path, QString *error = nullptr);
    // The selected runs (in the table's order) as a Chrome trace file, or as CSV files in `dir`.
    bool exportTrace(const QString &path, QString *error = nullptr);
    bool exportCsv(const QString &dir, QString *error = nullptr);
    // Runs the run selected in the scenario panel (all of a sweep's runs), or every run.
    bool runSelected();
    bool runAll();
    void cancelRun();
    bool isRunning() const;
    // Runs finished in this window whose results were not exported since (closing asks about them).
    int unexportedRuns() const { return int(m_unexported.size()); }
    // How runs that need more memory than is available are answered: by asking (the default).
    void setMemoryAnswer(MemoryAnswer answer) { m_memoryAnswer = answer; }

    ScenarioDocument *document() const { return m_doc; }
    ScenarioPanel *scenarioPanel() const { return m_panel; }
    ProfileView *profileView() const { return m_profile; }
    RunsTableModel *runsModel() const { return m_runs; }
    QTableView *runsView() const { return m_runsView; }
    ArrayInfoPanel *arrayInfo() const { return m_info; }
    // The central tabs: "Profile" (the profile view) and "Scaling" (the scaling panel).
    QTabWidget *tabs() const { return m_tabs; }
    ScalingPanel *scalingPanel() const { return m_scaling; }
    // The runs selected in the runs table, in its order.
    QList<std::shared_ptr<const RunResult>> selectedRuns() const;
    RunController *controller() const { return m_controller; }
    QProgressBar *progressBar() const;
    // The status bar during runs: the stage, its progress and the copy's figures.
    RunStatus *runStatus() const { return m_runStatus; }
    // Actions by object name: "new", "open", "save", "saveAs", "runSelected", "runAll", "cancel",
    // "exportPng" (PNG or SVG), "exportResults", "exportTrace", "exportCsv", "openResults".
    QAction *action(const QString &name) const;
    // The examples File › Open example offers: the built-in scenario, then resources/examples.
    static QStringList examples();
    // Opens one of them (a resource path) as an untitled scenario, its summary shown.
    bool openExample(const QString &resource, QString *error = nullptr);
    // The text of Help › Keyboard shortcuts: every action that has a shortcut.
    QString shortcutsText() const;

signals:
    // A batch of runs ended (all finished, failed or cancelled).
    void runsFinished();

protected:
    void closeEvent(QCloseEvent *event) override;
    void showEvent(QShowEvent *event) override;
    void changeEvent(QEvent *event) override;
    void dragEnterEvent(QDragEnterEvent *event) override;
    void dropEvent(QDropEvent *event) override;

private:
    void createActions();
    void createMenus();
    void createDocks();
    void createHelpMenu();
    void addExamplesMenu(QMenu *file);
    void loadDefaultScenario();
    bool maybeSave();
    // Asks before saving a scenario that does not validate; true to save it even so.
    bool confirmSaveInvalid();
    void newScenario();
    void openDialog();
    bool save();
    bool saveAs();
    void openResultsDialog();
    bool exportResultsDialog(); // true once written
    void exportPngDialog();
    void exportTraceDialog();
    void exportCsvDialog();
    void updateScaling(const QList<std::shared_ptr<const RunResult>> &selected);
    void updateActions();
    // Tells the run controller whether the live profile is in sight (its tab current, the window
    // not minimized): out of sight it refreshes nothing but the status bar.
    void updateLiveVisibility();
    void updateTitle();
    void startRuns(const QList<RunSpec> &runs);
    void onResult(const std::shared_ptr<const RunResult> &result);
    void addNewRows();
    void onBatchFinished();
    void onRunsSelected();
    void selectRow(int row); // of the runs model
    void fitColumnsToRows(const QModelIndex &parent, int first, int last);
    void showError(const QString &title, const QString &text);

    ScenarioDocument *m_doc;
    RunController *m_controller;
    RunsTableModel *m_runs;
    ScenarioPanel *m_panel = nullptr;
    ProfileView *m_profile = nullptr;
    QTabWidget *m_tabs = nullptr;
    ScalingPanel *m_scaling = nullptr;
    QScrollArea *m_profileScroll = nullptr;
    QTableView *m_runsView = nullptr;
    ArrayInfoPanel *m_info = nullptr;
    RunStatus *m_runStatus = nullptr;
    QLabel *m_statusText = nullptr; // the run status's text, for messages outside runs
    RecentFiles *m_recent = nullptr;
    QList<QAction *> m_actions;
    int m_batchResults = 0;
    bool m_batchSwept = false; // the running batch has finished a run of a sweep
    std::shared_ptr<const RunResult> m_batchLast; // the running batch's latest result
    QList<std::shared_ptr<const RunResult>> m_newResults; // not in the runs table yet
    QTimer *m_rowsTimer = nullptr;
    QElapsedTimer m_sinceRowsAdded;
    bool m_showsBuiltIn = false; // the built-in scenario, as loaded at start
    bool m_fittedToScreen = false; // with its frame, when first shown
    QSize m_openingSize; // restored or default, fitted to the screen without its frame
    MemoryAnswer m_memoryAnswer = MemoryAnswer::Ask;
    QSet<const RunResult *> m_unexported; // runs finished here and not in any results export since
    QHash<const RunResult *, QString> m_scenarioOf; // the scenario each row's run is of
    QString m_batchScenario; // the name of the scenario the running batch is of
};

} // namespace cs
