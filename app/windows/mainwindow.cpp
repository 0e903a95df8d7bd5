#include "mainwindow.h"

#include "arrayinfopanel.h"
#include "charts/ganttchart.h"
#include "charts/profileexport.h"
#include "charts/profileview.h"
#include "charts/resourcechart.h"
#include "charts/scalingchart.h"
#include "charts/timeaxis.h"
#include "charts/units.h"
#include "exportdialog.h"
#include "filedialogs.h"
#include "longtext.h"
#include "memoryquestion.h"
#include "observerpool.h"
#include "quitguard.h"
#include "recentfiles.h"
#include "results/csvexport.h"
#include "results/filestems.h"
#include "results/resultsjson.h"
#include "results/sweepsummary.h"
#include "results/traceexport.h"
#include "runcontroller.h"
#include "runstablemodel.h"
#include "runstatus.h"
#include "scalingpanel.h"
#include "scenariodocument.h"
#include "scenariopanel.h"

#include <QAction>
#include <QApplication>
#include <QCloseEvent>
#include <QDir>
#include <QDockWidget>
#include <QFile>
#include <QFileInfo>
#include <QHeaderView>
#include <QLabel>
#include <QMenuBar>
#include <QMessageBox>
#include <QMimeData>
#include <QProgressBar>
#include <QPushButton>
#include <QRegularExpression>
#include <QScreen>
#include <QScrollArea>
#include <QSettings>
#include <QSortFilterProxyModel>
#include <QStatusBar>
#include <QStyle>
#include <QTabWidget>
#include <QTableView>
#include <QTimer>
#include <QToolBar>

namespace cs {

namespace {
QSettings settings()
{
    return QSettings(QStringLiteral("Chunkscope"), QStringLiteral("Chunkscope"));
}

// Geometry saved on a larger screen, or by a window a long value once widened, must not reopen the
// window past the screen it opens on.
void fitToScreen(QWidget *window)
{
    if (window->isMaximized() || window->isFullScreen())
        return;
    const QScreen *screen = QGuiApplication::screenAt(window->geometry().center());
    if (!screen)
        screen = window->screen();
    const QRect available = screen->availableGeometry();
    // Before the window is first shown its frame is not known yet: the client area is fitted then,
    // the frame once it is shown.
    const QRect frame = window->frameGeometry();
    const QSize extra = frame.size() - window->size();
    const QSize size = window->size().boundedTo(available.size() - extra);
    const int x = std::clamp(frame.x(), available.left(), available.right() + 1 - size.width() - extra.width());
    const int y = std::clamp(frame.y(), available.top(), available.bottom() + 1 - size.height() - extra.height());
    if (size != window->size())
        window->resize(size);
    if (QPoint(x, y) != frame.topLeft())
        window->move(x, y);
}
} // namespace

MainWindow::MainWindow(QWidget *parent)
    : QMainWindow(parent)
    , m_doc(new ScenarioDocument(this))
    , m_controller(new RunController(this))
    , m_runs(new RunsTableModel(this))
{
    setObjectName(QStringLiteral("MainWindow"));
    // The window measures itself: every run's samples carry its threads' CPU beside the process's.
    watchFromThisThread();
    setAcceptDrops(true);
    setDockNestingEnabled(true);

    // No fixed minimum height: the panes' own minimums decide, so that many compared runs scroll
    // rather than squeeze their charts to nothing.
    m_profile = new ProfileView;
    m_profileScroll = new QScrollArea(this);
    m_profileScroll->setWidgetResizable(true);
    m_profileScroll->setFrameShape(QFrame::NoFrame);
    m_profileScroll->setWidget(m_profile);
    m_scaling = new ScalingPanel(this);
    m_tabs = new QTabWidget(this);
    m_tabs->setDocumentMode(true);
    m_tabs->addTab(m_profileScroll, tr("Profile"));
    m_tabs->addTab(m_scaling, tr("Scaling"));
    m_tabs->setTabToolTip(1, tr("How a sweep's throughput scales with workers, per lock mode or chunk shape"));
    connect(m_tabs, &QTabWidget::currentChanged, this, &MainWindow::updateActions);
    connect(m_tabs, &QTabWidget::currentChanged, this, &MainWindow::updateLiveVisibility);
    setCentralWidget(m_tabs);

    createActions();
    createDocks();
    createMenus();

    m_runStatus = new RunStatus(statusBar());
    m_statusText = m_runStatus->label();

    connect(m_doc, &ScenarioDocument::changed, this, [this] {
        updateActions();
        updateTitle();
    });
    connect(m_doc, &ScenarioDocument::modifiedChanged, this, &MainWindow::setWindowModified);
    connect(m_panel, &ScenarioPanel::selectionChanged, this, &MainWindow::updateActions);
    connect(m_controller, &RunController::runStarted, this, [this](const LiveRunInfo &info) {
        // Live first: clearing the selection then leaves the profile as it is.
        m_profile->beginLive(info);
        m_runsView->clearSelection();
        m_runStatus->copyStarted(info.name);
    });
    connect(m_controller, &RunController::liveUpdated, m_profile, &ProfileView::updateLive);
    connect(m_controller, &RunController::copyStarted, m_runStatus, &RunStatus::copyStarted);
    // The last copy's rows join the table before the next copy's clock starts, not while it runs.
    connect(m_controller, &RunController::copyStarted, this, &MainWindow::addNewRows);
    connect(m_controller, &RunController::progressUpdated, m_runStatus, &RunStatus::copyProgress);
    connect(m_controller, &RunController::fillUpdated, m_runStatus, &RunStatus::fillProgress);
    connect(m_controller, &RunController::liveRunFinished, m_profile, &ProfileView::finishLive);
    connect(m_controller, &RunController::resultReady, this, &MainWindow::onResult);
    connect(m_controller, &RunController::statusChanged, this, [this](const QString &text) {
        if (text.isEmpty())
            return;
        m_runStatus->building(text);
    });
    connect(m_controller, &RunController::batchFinished, this, &MainWindow::onBatchFinished);
    m_rowsTimer = new QTimer(this);
    m_rowsTimer->setSingleShot(true);
    connect(m_rowsTimer, &QTimer::timeout, this, &MainWindow::addNewRows);

    const QSettings s = settings();
    if (!restoreGeometry(s.value(QStringLiteral("geometry")).toByteArray()))
        resize(1500, 950);
    restoreState(s.value(QStringLiteral("windowState")).toByteArray());
    fitToScreen(this);
    m_openingSize = size();
    // A window that opens without a saved layout gives the runs table a fifth of its height, not the
    // 220 pixels of a large screen: at 1024x700 the profile needs the rest.
    if (s.value(QStringLiteral("windowState")).isNull())
        if (auto *runsDock = findChild<QDockWidget *>(QStringLiteral("runsDock")))
            resizeDocks({runsDock}, {std::clamp(height() / 5, 110, 220)}, Qt::Vertical);
    m_profile->setShowFaults(s.value(QStringLiteral("showFaults"), true).toBool());
    action(QStringLiteral("showFaults"))->setChecked(m_profile->showsFaults());

    loadDefaultScenario();
    updateActions();
}

MainWindow::~MainWindow() = default;

void MainWindow::createActions()
{
    const QStyle *st = style();
    auto make = [this](const QString &name, const QString &text, const QIcon &icon, const QList<QKeySequence> &keys,
                       auto slot) {
        auto *a = new QAction(icon, text, this);
        a->setObjectName(name);
        a->setShortcuts(keys);
        if (!keys.isEmpty())
            a->setToolTip(QStringLiteral("%1 (%2)").arg(QString(text).remove(QLatin1Char('&')),
                                                        keys.first().toString(QKeySequence::NativeText)));
        connect(a, &QAction::triggered, this, slot);
        m_actions.append(a);
        return a;
    };
    make(QStringLiteral("new"), tr("&New"), st->standardIcon(QStyle::SP_FileIcon), {QKeySequence::New},
         [this] { newScenario(); });
    make(QStringLiteral("open"), tr("&Open…"), st->standardIcon(QStyle::SP_DialogOpenButton), {QKeySequence::Open},
         [this] { openDialog(); });
    make(QStringLiteral("save"), tr("&Save"), st->standardIcon(QStyle::SP_DialogSaveButton), {QKeySequence::Save},
         [this] { save(); });
    make(QStringLiteral("saveAs"), tr("Save &As…"), QIcon(), {QKeySequence(QStringLiteral("Ctrl+Shift+S"))},
         [this] { saveAs(); });
    make(QStringLiteral("runSelected"), tr("&Run selected"), st->standardIcon(QStyle::SP_MediaPlay),
         {QKeySequence(Qt::Key_F5)}, [this] { runSelected(); });
    make(QStringLiteral("runAll"), tr("Run &all"), st->standardIcon(QStyle::SP_MediaSeekForward),
         {QKeySequence(Qt::CTRL | Qt::Key_F5), QKeySequence(Qt::SHIFT | Qt::Key_F5)}, [this] { runAll(); });
    make(QStringLiteral("cancel"), tr("&Cancel"), st->standardIcon(QStyle::SP_MediaStop),
         {QKeySequence(Qt::Key_Escape)}, [this] { cancelRun(); });
    make(QStringLiteral("exportPng"), tr("&Picture (PNG, SVG)…"), st->standardIcon(QStyle::SP_DriveFDIcon),
         {QKeySequence(QStringLiteral("Ctrl+E"))}, [this] { exportPngDialog(); })
        ->setIconText(tr("Export picture"));
    make(QStringLiteral("exportResults"), tr("Results &JSON…"), QIcon(), {QKeySequence(QStringLiteral("Ctrl+Shift+E"))},
         [this] { exportResultsDialog(); });
    make(QStringLiteral("exportTrace"), tr("Chrome &trace…"), QIcon(), {}, [this] {
        exportTraceDialog();
    })->setToolTip(tr("The selected runs as a Chrome trace event file, for Perfetto or chrome://tracing"));
    make(QStringLiteral("exportCsv"), tr("&CSV…"), QIcon(), {}, [this] {
        exportCsvDialog();
    })->setToolTip(tr("The selected runs' tasks and samples as CSV files"));
    make(QStringLiteral("openResults"), tr("Open r&esults…"), st->standardIcon(QStyle::SP_DirOpenIcon),
         {QKeySequence(QStringLiteral("Ctrl+Shift+O"))}, [this] { openResultsDialog(); });
    make(QStringLiteral("quit"), tr("&Quit"), QIcon(), {QKeySequence::Quit}, [this] { close(); });
    make(QStringLiteral("resetZoom"), tr("&Reset zoom"), QIcon(), {QKeySequence(QStringLiteral("Ctrl+0"))},
         [this] { m_profile->axis()->resetZoom(); });
    QAction *faults = make(QStringLiteral("showFaults"), tr("Show &page faults chart"), QIcon(), {},
                           [this](bool on) { m_profile->setShowFaults(on); });
    faults->setCheckable(true);
    // Escape must reach the action from anywhere in the window, forms included.
    action(QStringLiteral("cancel"))->setShortcutContext(Qt::WindowShortcut);
}

QAction *MainWindow::action(const QString &name) const
{
    for (QAction *a : m_actions)
        if (a->objectName() == name)
            return a;
    return nullptr;
}

void MainWindow::createMenus()
{
    QMenu *file = menuBar()->addMenu(tr("&File"));
    for (const char *n : {"new", "open"})
        file->addAction(action(QString::fromLatin1(n)));
    m_recent = new RecentFiles(file->addMenu(tr("Open &recent")), this);
    connect(m_recent, &RecentFiles::openRequested, this, [this](const QString &path) {
        if (!m_controller->isRunning() && maybeSave())
            openScenario(path);
    });
    addExamplesMenu(file);
    for (const char *n : {"save", "saveAs"})
        file->addAction(action(QString::fromLatin1(n)));
    file->addSeparator();
    file->addAction(action(QStringLiteral("openResults")));
    file->addSeparator();
    file->addAction(action(QStringLiteral("quit")));

    QMenu *exportMenu = menuBar()->addMenu(tr("&Export"));
    exportMenu->addAction(action(QStringLiteral("exportPng")));
    exportMenu->addSeparator();
    for (const char *n : {"exportResults", "exportTrace", "exportCsv"})
        exportMenu->addAction(action(QString::fromLatin1(n)));

    QMenu *run = menuBar()->addMenu(tr("&Run"));
    for (const char *n : {"runSelected", "runAll", "cancel"})
        run->addAction(action(QString::fromLatin1(n)));

    QMenu *view = menuBar()->addMenu(tr("&View"));
    view->addAction(action(QStringLiteral("resetZoom")));
    view->addAction(action(QStringLiteral("showFaults")));
    view->addAction(m_profile->compactAction());
    view->addAction(m_profile->findAction());
    view->addSeparator();
    for (QDockWidget *dock : findChildren<QDockWidget *>())
        view->addAction(dock->toggleViewAction());
    createHelpMenu();

    QToolBar *bar = addToolBar(tr("Main"));
    bar->setObjectName(QStringLiteral("mainToolBar"));
    bar->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
    for (const char *n :
         {"new", "open", "save", "", "runSelected", "runAll", "cancel", "", "exportPng", "openResults"}) {
        if (*n)
            bar->addAction(action(QString::fromLatin1(n)));
        else
            bar->addSeparator();
    }
}

void MainWindow::createDocks()
{
    m_panel = new ScenarioPanel(m_doc, this);
    auto *scenarioDock = new QDockWidget(tr("Scenario"), this);
    scenarioDock->setObjectName(QStringLiteral("scenarioDock"));
    scenarioDock->setWidget(m_panel);
    scenarioDock->setMinimumWidth(380);
    addDockWidget(Qt::LeftDockWidgetArea, scenarioDock);

    m_runsView = new QTableView(this);
    auto *proxy = new QSortFilterProxyModel(this);
    proxy->setSourceModel(m_runs);
    proxy->setSortRole(RunsTableModel::SortRole);
    m_runsView->setModel(proxy);
    m_runsView->setSortingEnabled(true);
    m_runsView->sortByColumn(-1, Qt::AscendingOrder);
    m_runsView->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_runsView->setSelectionMode(QAbstractItemView::ExtendedSelection);
    m_runsView->setAlternatingRowColors(true);
    m_runsView->verticalHeader()->hide();
    m_runsView->horizontalHeader()->setStretchLastSection(true);
    m_runsView->setWordWrap(false);
    m_runsView->setToolTip(tr("Select two or more runs to compare their profiles on one time scale"));
    connect(m_runsView->selectionModel(), &QItemSelectionModel::selectionChanged, this, &MainWindow::onRunsSelected);
    connect(m_runs, &QAbstractItemModel::rowsInserted, this, &MainWindow::fitColumnsToRows);
    auto *runsDock = new QDockWidget(tr("Runs"), this);
    runsDock->setObjectName(QStringLiteral("runsDock"));
    runsDock->setWidget(m_runsView);
    addDockWidget(Qt::BottomDockWidgetArea, runsDock);

    m_info = new ArrayInfoPanel(this);
    auto *infoDock = new QDockWidget(tr("Array info"), this);
    infoDock->setObjectName(QStringLiteral("infoDock"));
    infoDock->setWidget(m_info);
    addDockWidget(Qt::BottomDockWidgetArea, infoDock);
    splitDockWidget(runsDock, infoDock, Qt::Horizontal);
    resizeDocks({runsDock, infoDock}, {900, 500}, Qt::Horizontal);
    resizeDocks({runsDock}, {220}, Qt::Vertical);
}

void MainWindow::fitColumnsToRows(const QModelIndex &, int first, int last)
{
    if (first == 0) {
        m_runsView->resizeColumnsToContents(); // the header's widths too
        return;
    }
    // Widen columns to the new rows only: measuring every row again for each finished run would make
    // a batch's n-th run cost n times the first.
    const auto *proxy = static_cast<const QSortFilterProxyModel *>(m_runsView->model());
    const int grid = m_runsView->showGrid() ? 1 : 0;
    for (int column = 0; column < m_runs->columnCount(); ++column) {
        int width = m_runsView->columnWidth(column);
        for (int row = first; row <= last; ++row)
            width = std::max(
                width, m_runsView->sizeHintForIndex(proxy->mapFromSource(m_runs->index(row, column))).width() + grid);
        if (width > m_runsView->columnWidth(column))
            m_runsView->setColumnWidth(column, width);
    }
}

void MainWindow::loadDefaultScenario()
{
    QString error;
    if (!openExample(examples().constFirst(), &error))
        m_statusText->setText(tr("The built-in scenario did not load: %1").arg(error));
}

void MainWindow::updateTitle()
{
    const QString path = m_doc->filePath();
    setWindowFilePath(path);
    const QString name = path.isEmpty() ? m_doc->scenario().name : QFileInfo(path).fileName();
    setWindowTitle(QStringLiteral("%1[*] — Chunkscope").arg(name));
    setWindowModified(m_doc->isModified());
}

void MainWindow::updateActions()
{
    const bool running = m_controller->isRunning();
    const bool valid = m_doc->isValid();
    action(QStringLiteral("runSelected"))->setEnabled(valid && !running && m_panel->selectedRunIndex() >= 0);
    action(QStringLiteral("runAll"))->setEnabled(valid && !running && !m_doc->validScenario()->runs.isEmpty());
    action(QStringLiteral("cancel"))->setEnabled(running);
    const bool scaling = m_tabs->currentWidget() == m_scaling;
    action(QStringLiteral("exportPng"))
        ->setEnabled(scaling ? m_scaling->chart()->hasSummary() : !m_profile->runs().isEmpty());
    action(QStringLiteral("exportResults"))->setEnabled(m_runs->rowCount() > 0);
    const bool selected = m_runsView->selectionModel()->hasSelection();
    action(QStringLiteral("exportTrace"))->setEnabled(selected);
    action(QStringLiteral("exportCsv"))->setEnabled(selected);
    for (const char *n : {"new", "open", "openResults"})
        action(QString::fromLatin1(n))->setEnabled(!running);
}

void MainWindow::showError(const QString &title, const QString &text)
{
    QMessageBox::warning(this, title, text);
}

bool MainWindow::maybeSave()
{
    if (!m_doc->isModified())
        return true;
    const auto answer
        = QMessageBox::question(this, tr("Unsaved changes"), tr("The scenario has unsaved changes. Save them first?"),
                                QMessageBox::Save | QMessageBox::Discard | QMessageBox::Cancel, QMessageBox::Save);
    if (answer == QMessageBox::Save)
        return save();
    return answer == QMessageBox::Discard;
}

void MainWindow::newScenario()
{
    if (!maybeSave())
        return;
    m_doc->newScenario();
    m_showsBuiltIn = false;
    m_controller->setScenario(m_doc->scenario());
    updateTitle();
}

bool MainWindow::openScenario(const QString &path, QString *error)
{
    QString message;
    if (!m_doc->load(path, &message)) {
        // File › Open, a recent file, a drop or the command line may name a results document: it
        // opens as past runs, beside those in the table, and the scenario stays as it is.
        if (message.endsWith(QLatin1String("this is a results document, not a scenario")))
            return openResults(path, error);
        // The file asked for did not open: the untouched built-in scenario (1.6 GB of arrays) must
        // not stand in for it, ready to run.
        if (m_showsBuiltIn && !m_doc->isModified()) {
            m_doc->newScenario();
            m_showsBuiltIn = false;
            updateTitle();
            updateActions();
        }
        if (error)
            *error = message;
        else
            showError(tr("Open scenario"), message);
        return false;
    }
    m_showsBuiltIn = false;
    m_recent->add(m_doc->filePath());
    if (!m_doc->scenario().givenRuns.isEmpty())
        m_panel->selectRun(0);
    updateTitle();
    updateActions();
    return true;
}

void MainWindow::openDialog()
{
    if (!maybeSave())
        return;
    const QString path = getOpenFileName(this, tr("Open scenario"), QFileInfo(m_doc->filePath()).path(),
                                         tr("Scenarios and results (*.json);;All files (*)"));
    if (!path.isEmpty())
        openScenario(path);
}

bool MainWindow::saveScenario(const QString &path, QString *error)
{
    QString message;
    if (!m_doc->save(path, &message)) {
        if (error)
            *error = message;
        else
            showError(tr("Save scenario"), message);
        return false;
    }
    m_recent->add(m_doc->filePath());
    updateTitle();
    return true;
}

bool MainWindow::save()
{
    return m_doc->filePath().isEmpty() ? saveAs() : confirmSaveInvalid() && saveScenario(m_doc->filePath());
}

bool MainWindow::confirmSaveInvalid()
{
    if (m_doc->isValid())
        return true;
    QMessageBox box(QMessageBox::Warning, tr("Save scenario"), QString(), QMessageBox::Cancel, this);
    box.setObjectName(QStringLiteral("saveInvalid"));
    box.setTextFormat(Qt::PlainText);
    const QString where = m_doc->errorPointer().isEmpty() ? QString() : m_doc->errorPointer() + QStringLiteral(": ");
    box.setText(tr("The scenario is not valid:\n%1").arg(shortenedText(where + m_doc->errorMessage())));
    box.setInformativeText(tr("Saved as it is, it opens here again with the error shown, but chunkscope run and "
                              "chunkscope check refuse it until the field is fixed."));
    QPushButton *anyway = box.addButton(tr("Save anyway"), QMessageBox::AcceptRole);
    box.setDefaultButton(QMessageBox::Cancel);
    box.exec();
    return box.clickedButton() == anyway;
}

bool MainWindow::saveAs()
{
    if (!confirmSaveInvalid())
        return false;
    QString suggested = m_doc->filePath();
    if (suggested.isEmpty())
        suggested = QDir::home().filePath(QStringLiteral("scenario.json"));
    QString path = getSaveFileName(this, tr("Save scenario"), suggested, tr("Scenarios (*.json)"));
    if (path.isEmpty())
        return false;
    if (!path.endsWith(QLatin1String(".json"), Qt::CaseInsensitive))
        path += QStringLiteral(".json");
    return saveScenario(path);
}

bool MainWindow::runSelected()
{
    const int index = m_panel->selectedRunIndex();
    if (index < 0 || !m_doc->isValid() || m_controller->isRunning())
        return false;
    startRuns(m_doc->expandedRuns(index));
    return m_controller->isRunning();
}

bool MainWindow::runAll()
{
    if (!m_doc->isValid() || m_controller->isRunning())
        return false;
    startRuns(m_doc->validScenario()->runs);
    return m_controller->isRunning();
}

void MainWindow::startRuns(const QList<RunSpec> &runs)
{
    if (!confirmMemoryFor(this, *m_doc->validScenario(), runs, m_memoryAnswer))
        return;
    m_controller->setScenario(*m_doc->validScenario());
    m_batchResults = 0;
    m_batchScenario = m_doc->validScenario()->name;
    m_batchSwept = false;
    m_batchLast.reset();
    if (!m_controller->start(runs))
        return;
    m_runStatus->batchStarted();
    updateActions();
}

void MainWindow::cancelRun()
{
    if (!m_controller->isRunning())
        return;
    m_controller->cancel();
    m_statusText->setText(tr("Cancelling…"));
}

bool MainWindow::isRunning() const
{
    return m_controller->isRunning();
}

void MainWindow::onResult(const std::shared_ptr<const RunResult> &result)
{
    ++m_batchResults;
    m_batchSwept = m_batchSwept || (result->sweep && result->status == RunResult::Status::Ok);
    m_batchLast = result;
    m_newResults.append(result);
    // Rows join the table on a timer, at most once per refresh: a batch of small copies finishes runs
    // faster than the table can be laid out for each one, and timer ticks do not pile up while the
    // window is busy the way queued results do.
    if (!m_rowsTimer->isActive()) {
        const int interval = m_controller->refreshInterval();
        const qint64 wait = m_sinceRowsAdded.isValid() ? interval - m_sinceRowsAdded.elapsed() : 0;
        m_rowsTimer->start(int(std::clamp<qint64>(wait, 0, interval)));
    }
}

void MainWindow::addNewRows()
{
    m_rowsTimer->stop();
    if (m_newResults.isEmpty())
        return;
    m_sinceRowsAdded.start();
    const QList<std::shared_ptr<const RunResult>> results = std::exchange(m_newResults, {});
    const int first = m_runs->rowCount();
    m_runs->append(results);
    // A live view that has just become one of these runs' finished profile: select its row, which
    // shows it as it is. Runs too short to have been shown live are only listed (the batch's last run
    // is selected when the batch ends), so that a batch of small copies does not build a profile per
    // copy.
    const QList<std::shared_ptr<const RunResult>> shown = m_profile->runs();
    const qsizetype live = shown.size() == 1 ? results.indexOf(shown.first()) : -1;
    if (live >= 0)
        selectRow(first + int(live));
    else
        m_runsView->scrollTo(static_cast<QSortFilterProxyModel *>(m_runsView->model())
                                 ->mapFromSource(m_runs->index(m_runs->rowCount() - 1, 0)));
    QHash<QString, double> seconds;
    for (const auto &r : results) {
        m_unexported.insert(r.get());
        m_scenarioOf.insert(r.get(), m_batchScenario);
        if (r->status == RunResult::Status::Ok)
            seconds.insert(r->name, r->wallSeconds);
    }
    m_panel->addRunTimes(seconds);
    const RunResult &last = *results.last();
    m_statusText->setText(tr("%1: %2, %3 s, %4")
                              .arg(last.name, statusName(last.status))
                              .arg(last.wallSeconds, 0, 'f', 3)
                              .arg(formatRate(last.throughputGbps())));
    updateActions();
}

void MainWindow::selectRow(int row)
{
    auto *proxy = static_cast<QSortFilterProxyModel *>(m_runsView->model());
    const QModelIndex index = proxy->mapFromSource(m_runs->index(row, 0));
    m_runsView->selectionModel()->select(index, QItemSelectionModel::ClearAndSelect | QItemSelectionModel::Rows);
    m_runsView->scrollTo(index);
}

void MainWindow::onBatchFinished()
{
    addNewRows();
    m_runStatus->batchFinished();
    if (m_batchLast && selectedRuns() != QList<std::shared_ptr<const RunResult>>{m_batchLast}) {
        const qsizetype row = m_runs->runs().lastIndexOf(m_batchLast);
        if (row >= 0)
            selectRow(int(row));
    }
    m_batchLast.reset();
    // A sweep was run to see how the copy scales: show that once it is complete.
    if (m_batchSwept && m_scaling->chart()->hasSummary() && m_scaling->chart()->summary().pointCount() > 1)
        m_tabs->setCurrentWidget(m_scaling);
    updateActions();
    emit runsFinished();
}

QProgressBar *MainWindow::progressBar() const
{
    return m_runStatus->progressBar();
}

QList<std::shared_ptr<const RunResult>> MainWindow::selectedRuns() const
{
    QList<std::shared_ptr<const RunResult>> runs;
    const auto *proxy = static_cast<const QSortFilterProxyModel *>(m_runsView->model());
    QModelIndexList rows = m_runsView->selectionModel()->selectedRows();
    std::sort(rows.begin(), rows.end(), [](const QModelIndex &a, const QModelIndex &b) { return a.row() < b.row(); });
    for (const QModelIndex &i : rows)
        runs.append(m_runs->run(proxy->mapToSource(i).row()));
    return runs;
}

void MainWindow::onRunsSelected()
{
    const QList<std::shared_ptr<const RunResult>> runs = selectedRuns();
    m_info->showRuns(runs);
    m_profile->setRunOrder(m_doc->scenario().order);
    if (!runs.isEmpty() || !m_profile->isLive())
        m_profile->showRuns(runs);
    updateScaling(runs);
    updateActions();
}

void MainWindow::updateScaling(const QList<std::shared_ptr<const RunResult>> &selected)
{
    // A run starting clears the selection: the chart keeps the sweep it shows until a run is selected.
    if (selected.isEmpty())
        return;
    QStringList names;
    for (const auto &r : selected)
        if (r->sweep && !names.contains(r->sweep->of))
            names.append(r->sweep->of);
    if (names.isEmpty()) {
        m_scaling->showMessage(tr("The selected runs are not part of a sweep: select a run of one (a run with lists "
                                  "of workers, lock or chunks) to see how it scales."));
        return;
    }
    // Every finished run of those sweeps counts, selected or not, so the chart grows as a sweep runs;
    // but only runs over the arrays as the latest selected run of the sweep had them defined.
    QHash<QString, const RunResult *> definedBy;
    for (const auto &r : selected)
        if (r->sweep)
            definedBy.insert(r->sweep->of, r.get());
    QList<const RunResult *> all;
    for (const auto &r : m_runs->runs())
        if (r->sweep && definedBy.contains(r->sweep->of) && sameArrays(*r, *definedBy.value(r->sweep->of)))
            all.append(r.get());
    QList<SweepSummary> sweeps;
    const QList<SweepSummary> summaries = summarizeSweeps(all);
    for (const QString &name : std::as_const(names))
        for (const SweepSummary &s : summaries)
            if (s.name == name)
                sweeps.append(s);
    m_scaling->showSweeps(sweeps);
}

void MainWindow::closeEvent(QCloseEvent *event)
{
    const QuitChoice choice = askBeforeQuit(this, m_controller->isRunning(), int(m_unexported.size()));
    if (choice == QuitChoice::Stay || (choice == QuitChoice::ExportFirst && !exportResultsDialog()) || !maybeSave()) {
        event->ignore();
        return;
    }
    m_controller->abandon();
    QSettings s = settings();
    s.setValue(QStringLiteral("geometry"), saveGeometry());
    s.setValue(QStringLiteral("windowState"), saveState());
    s.setValue(QStringLiteral("showFaults"), m_profile->showsFaults());
    event->accept();
}

void MainWindow::updateLiveVisibility()
{
    m_controller->setLiveViewVisible(m_tabs->currentWidget() == m_profileScroll && !isMinimized());
}

void MainWindow::changeEvent(QEvent *event)
{
    QMainWindow::changeEvent(event);
    if (event->type() == QEvent::WindowStateChange)
        updateLiveVisibility();
}

void MainWindow::showEvent(QShowEvent *event)
{
    QMainWindow::showEvent(event);
    // Only the size the window opened with, restored or default: a size set since is meant.
    if (!std::exchange(m_fittedToScreen, true) && size() == m_openingSize)
        fitToScreen(this);
}

void MainWindow::dragEnterEvent(QDragEnterEvent *event)
{
    const QList<QUrl> urls = event->mimeData()->urls();
    if (urls.size() == 1 && urls.first().isLocalFile()
        && urls.first().toLocalFile().endsWith(QLatin1String(".json"), Qt::CaseInsensitive))
        event->acceptProposedAction();
}

void MainWindow::dropEvent(QDropEvent *event)
{
    const QString path = event->mimeData()->urls().value(0).toLocalFile();
    event->acceptProposedAction();
    if (looksLikeResultsFile(path))
        openResults(path);
    else if (!m_controller->isRunning() && maybeSave())
        openScenario(path);
}

} // namespace cs
