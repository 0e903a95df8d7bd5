// The window's results files: past runs opened, runs and pictures exported.
#include "mainwindow.h"

#include "charts/scalingchart.h"
#include "exportdialog.h"
#include "filedialogs.h"
#include "results/csvexport.h"
#include "results/filestems.h"
#include "results/resultsjson.h"
#include "results/traceexport.h"
#include "runstablemodel.h"
#include "scalingpanel.h"
#include "scenariodocument.h"

#include <QDir>
#include <QItemSelection>
#include <QLabel>
#include <QSortFilterProxyModel>
#include <QTabWidget>
#include <QTableView>

#include <algorithm>

namespace cs {

bool MainWindow::openResults(const QString &path, QString *error)
{
    QString message;
    const std::optional<ResultsDocument> doc = readResultsFile(path, &message);
    if (!doc) {
        if (error)
            *error = message;
        else
            showError(tr("Open results"), message);
        return false;
    }
    const int first = m_runs->rowCount();
    QList<std::shared_ptr<const RunResult>> runs;
    for (const RunResult &r : doc->runs)
        runs.append(std::make_shared<const RunResult>(r));
    for (const auto &r : std::as_const(runs))
        m_scenarioOf.insert(r.get(), doc->scenario);
    m_runs->append(runs);
    auto *proxy = static_cast<QSortFilterProxyModel *>(m_runsView->model());
    QItemSelection selection;
    for (int row = first; row < m_runs->rowCount(); ++row) {
        const QModelIndex i = proxy->mapFromSource(m_runs->index(row, 0));
        selection.select(i, i);
    }
    m_runsView->selectionModel()->select(selection, QItemSelectionModel::ClearAndSelect | QItemSelectionModel::Rows);
    m_statusText->setText(tr("Opened %1 runs of \"%2\" from %3").arg(doc->runs.size()).arg(doc->scenario, path));
    updateActions();
    return true;
}

void MainWindow::openResultsDialog()
{
    const QString path = getOpenFileName(this, tr("Open results"), QString(), tr("Results (*.json);;All files (*)"));
    if (!path.isEmpty())
        openResults(path);
}

bool MainWindow::exportResults(const QString &path, QString *error)
{
    // A results document names one scenario. Runs of several go out as those of the current scenario
    // (or, when none is of it, of the latest run's), and the status bar says what was left out.
    const QList<std::shared_ptr<const RunResult>> all = m_runs->runs();
    QString scenario = m_doc->scenario().name;
    const auto ofScenario = [this](const std::shared_ptr<const RunResult> &r) { return m_scenarioOf.value(r.get()); };
    if (!all.isEmpty()
        && std::none_of(all.begin(), all.end(), [&](const auto &r) { return ofScenario(r) == scenario; }))
        scenario = ofScenario(all.last());
    QList<RunResult> runs;
    QList<const RunResult *> written;
    for (const auto &r : all)
        if (ofScenario(r) == scenario) {
            runs.append(*r);
            written.append(r.get());
        }
    QString message;
    if (!writeResultsFile(path, scenario, HostInfo::current(), runs, &message)) {
        if (error)
            *error = message;
        else
            showError(tr("Export results"), message);
        return false;
    }
    for (const RunResult *r : std::as_const(written))
        m_unexported.remove(r);
    const qsizetype left = all.size() - runs.size();
    m_statusText->setText(left == 0 ? tr("Wrote %1 runs to %2").arg(runs.size()).arg(path)
                                    : tr("Wrote the %1 runs of \"%2\" to %3; %4 runs of other scenarios were left "
                                         "out (a results document holds one scenario)")
                                          .arg(runs.size())
                                          .arg(scenario, path)
                                          .arg(left));
    return true;
}

bool MainWindow::exportResultsDialog()
{
    const QString path = getSaveFileName(this, tr("Export results"),
                                         QDir::home().filePath(QStringLiteral("results.json")), tr("Results (*.json)"));
    return !path.isEmpty() && exportResults(path);
}

void MainWindow::exportPngDialog()
{
    QString saved;
    QString error;
    const bool ok = m_tabs->currentWidget() == m_scaling
        ? ExportDialog::exportScaling(m_scaling->chart(), this, &saved, &error)
        : ExportDialog::exportProfile(m_profile, this, &saved, &error);
    if (ok)
        m_statusText->setText(tr("Saved %1").arg(saved));
    else if (!error.isEmpty())
        showError(tr("Export picture"), error);
}

bool MainWindow::exportTrace(const QString &path, QString *error)
{
    QList<RunResult> runs;
    for (const auto &r : selectedRuns())
        runs.append(*r);
    QString message = tr("no runs are selected");
    if (runs.isEmpty() || !writeChromeTrace(path, runs, &message)) {
        if (error)
            *error = message;
        else
            showError(tr("Export Chrome trace"), message);
        return false;
    }
    m_statusText->setText(
        tr("Wrote %1 runs to %2 (open it in Perfetto or chrome://tracing)").arg(runs.size()).arg(path));
    return true;
}

bool MainWindow::exportCsv(const QString &dir, QString *error)
{
    QList<RunResult> runs;
    for (const auto &r : selectedRuns())
        runs.append(*r);
    QString message = tr("no runs are selected");
    if (!runs.isEmpty() && !QDir().mkpath(dir))
        message = tr("%1: cannot create the directory").arg(dir);
    else if (!runs.isEmpty() && writeCsvFiles(dir, runs, &message)) {
        m_statusText->setText(tr("Wrote the tasks and samples of %1 runs to %2").arg(runs.size()).arg(dir));
        return true;
    }
    if (error)
        *error = message;
    else
        showError(tr("Export CSV"), message);
    return false;
}

void MainWindow::exportTraceDialog()
{
    const QList<std::shared_ptr<const RunResult>> runs = selectedRuns();
    if (runs.isEmpty())
        return;
    const QString stem = runs.size() == 1
        ? fileStem(runs.first()->name, runs.first()->repeatIndex, QStringLiteral("run"))
        : QStringLiteral("runs");
    const QString path
        = getSaveFileName(this, tr("Export Chrome trace"), QDir::home().filePath(stem + QStringLiteral(".trace.json")),
                          tr("Chrome trace (*.json)"));
    if (!path.isEmpty())
        exportTrace(path);
}

void MainWindow::exportCsvDialog()
{
    if (selectedRuns().isEmpty())
        return;
    const QString dir = getExistingDirectory(this, tr("Export CSV into"), QDir::homePath());
    if (!dir.isEmpty())
        exportCsv(dir);
}

} // namespace cs
