#include "runstablemodel.h"

#include "charts/units.h"

#include <QColor>

#include <cmath>

namespace cs {

RunsTableModel::RunsTableModel(QObject *parent)
    : QAbstractTableModel(parent)
{
}

int RunsTableModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_runs.size());
}

int RunsTableModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QString RunsTableModel::storeSummary(const StoreInfo &info)
{
    if (info.id.isEmpty())
        return {};
    const double r = info.ratio();
    const QString ratio
        = std::isinf(r) ? QStringLiteral("empty") : QString::number(r, 'f', r < 10 ? 2 : 1) + QLatin1Char('x');
    return QStringLiteral("%1 (%2, %3)").arg(info.id, info.store, ratio);
}

QVariant RunsTableModel::display(const RunResult &run, int column) const
{
    // A run that failed or was cancelled while its arrays were built never copied: no figures.
    const bool ran = run.status == RunResult::Status::Ok || run.wallSeconds > 0;
    switch (column) {
    case NameColumn:
        return runDisplayName(run, m_runsWithName.value(run.name));
    case StatusColumn:
        return statusName(run.status);
    case WorkersColumn:
        return run.workers;
    case LockColumn:
        return lockModeName(run.lock);
    case TasksColumn:
        return QString::number(run.tasks);
    case WallColumn:
        return ran ? QString::number(run.wallSeconds, 'f', 3) : QString();
    case ThroughputColumn:
        return ran ? QString::number(run.throughputGbps(), 'f', 2) : QString();
    case CpuColumn:
        if (!run.profiled || !ran)
            return QString();
        return cpuPercentText(run);
    case PeakRssColumn:
        return ran ? formatMemory(run.peakRssBytes) : QString();
    case VerifiedColumn:
        return run.verified.has_value() ? (*run.verified ? tr("yes") : tr("NO")) : tr("off");
    case SourceColumn:
        return storeSummary(run.source);
    case TargetColumn:
        return storeSummary(run.target);
    case ErrorColumn: {
        // One line, short enough that fitting the column to its rows keeps the table readable.
        constexpr int kShownErrorChars = 80;
        QString line = run.error.simplified();
        if (line.size() > kShownErrorChars)
            line = line.left(kShownErrorChars - 1) + QChar(0x2026);
        return line;
    }
    }
    return {};
}

QVariant RunsTableModel::sortValue(const RunResult &run, int column) const
{
    switch (column) {
    case TasksColumn:
        return qlonglong(run.tasks);
    case WallColumn:
        return run.wallSeconds;
    case ThroughputColumn:
        return run.throughputGbps();
    case CpuColumn:
        return run.cpuMeanPercent;
    case PeakRssColumn:
        return qlonglong(run.peakRssBytes);
    case WorkersColumn:
        return run.workers;
    case SourceColumn:
        return run.source.ratio();
    case TargetColumn:
        return run.target.ratio();
    default:
        return display(run, column);
    }
}

QVariant RunsTableModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const RunResult &run = *m_runs[index.row()];
    const int column = index.column();
    switch (role) {
    case Qt::DisplayRole:
        return display(run, column);
    case SortRole:
        return sortValue(run, column);
    case Qt::TextAlignmentRole:
        if (column >= WorkersColumn && column <= PeakRssColumn && column != LockColumn)
            return QVariant(Qt::AlignRight | Qt::AlignVCenter);
        return QVariant(Qt::AlignLeft | Qt::AlignVCenter);
    case Qt::ForegroundRole:
        if (((column == StatusColumn || column == ErrorColumn) && run.status != RunResult::Status::Ok)
            || (column == VerifiedColumn && run.verified == false))
            return QColor(0xc5, 0x30, 0x30);
        return {};
    case Qt::ToolTipRole:
        if ((column == StatusColumn || column == ErrorColumn) && !run.error.isEmpty())
            return run.error;
        if (column == VerifiedColumn && !run.verifyMessage.isEmpty())
            return run.verifyMessage;
        if (column == SourceColumn)
            return run.source.describe();
        if (column == TargetColumn)
            return run.target.describe();
        return {};
    default:
        return {};
    }
}

QVariant RunsTableModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || section < 0 || section >= ColumnCount)
        return QAbstractTableModel::headerData(section, orientation, role);
    if (role == Qt::DisplayRole) {
        static const char *const names[ColumnCount]
            = {QT_TR_NOOP("Run"),      QT_TR_NOOP("Status"),   QT_TR_NOOP("Workers"), QT_TR_NOOP("Lock"),
               QT_TR_NOOP("Tasks"),    QT_TR_NOOP("Wall (s)"), QT_TR_NOOP("GB/s"),    QT_TR_NOOP("CPU %"),
               QT_TR_NOOP("Peak RSS"), QT_TR_NOOP("Verified"), QT_TR_NOOP("Source"),  QT_TR_NOOP("Target"),
               QT_TR_NOOP("Error")};
        return tr(names[section]);
    }
    if (role == Qt::ToolTipRole) {
        switch (section) {
        case ThroughputColumn:
            return tr("Bytes copied per second of the copy, in decimal units (1 GB = 1000³ bytes)");
        case CpuColumn:
            return tr("Mean process CPU over the copy; 100 % per busy core");
        case PeakRssColumn:
            return tr("Largest resident set size sampled during the copy, in binary units (1 MiB = 1024 × 1024 bytes)");
        case SourceColumn:
        case TargetColumn:
            return tr("Array (store, compression ratio nbytes / nbytes_stored) after the copy");
        default:
            return {};
        }
    }
    return {};
}

void RunsTableModel::append(const std::shared_ptr<const RunResult> &run)
{
    if (!run)
        return;
    const int row = int(m_runs.size());
    beginInsertRows(QModelIndex(), row, row);
    m_runs.append(run);
    endInsertRows();
    countNames({run});
}

void RunsTableModel::countNames(const QList<std::shared_ptr<const RunResult>> &added)
{
    // A name seen a second time gives its first run a "#1" too.
    bool renamed = false;
    for (const auto &r : added)
        renamed = ++m_runsWithName[r->name] == 2 || renamed;
    if (renamed && !m_runs.isEmpty())
        emit dataChanged(index(0, NameColumn), index(int(m_runs.size()) - 1, NameColumn), {Qt::DisplayRole});
}

void RunsTableModel::append(const QList<std::shared_ptr<const RunResult>> &runs)
{
    QList<std::shared_ptr<const RunResult>> valid;
    for (const auto &r : runs)
        if (r)
            valid.append(r);
    if (valid.isEmpty())
        return;
    const int first = int(m_runs.size());
    beginInsertRows(QModelIndex(), first, first + int(valid.size()) - 1);
    m_runs.append(valid);
    endInsertRows();
    countNames(valid);
}

void RunsTableModel::clear()
{
    if (m_runs.isEmpty())
        return;
    beginResetModel();
    m_runs.clear();
    m_runsWithName.clear();
    endResetModel();
}

} // namespace cs
