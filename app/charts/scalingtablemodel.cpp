#include "scalingtablemodel.h"

#include "scenario/sweep.h"

#include <algorithm>
#include <array>

namespace cs {

QColor scalingLineColor(int index)
{
    // Tableau 10 in an order that puts lock on (red) and off (blue) first, as the Gantt's lock wait is red.
    static const std::array<QColor, 8> colors{
        QColor(0xe1, 0x57, 0x59), QColor(0x4e, 0x79, 0xa7), QColor(0x59, 0xa1, 0x4f), QColor(0xf2, 0x8e, 0x2b),
        QColor(0xb0, 0x7a, 0xa1), QColor(0x76, 0xb7, 0xb2), QColor(0x9c, 0x75, 0x5f), QColor(0xed, 0xc9, 0x48),
    };
    return colors[size_t(std::max(0, index)) % colors.size()];
}

ScalingTableModel::ScalingTableModel(QObject *parent)
    : QAbstractTableModel(parent)
{
}

void ScalingTableModel::setSummary(const SweepSummary &summary)
{
    beginResetModel();
    m_summary = summary;
    m_rows.clear();
    for (int l = 0; l < m_summary.lines.size(); ++l)
        for (int p = 0; p < m_summary.lines[l].points.size(); ++p)
            m_rows.append({l, p});
    endResetModel();
}

int ScalingTableModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

int ScalingTableModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant ScalingTableModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid))
        return {};
    const Row row = m_rows.at(index.row());
    const ScalingLine &line = m_summary.lines.at(row.line);
    const ScalingPoint &p = line.points.at(row.point);
    if (role == LineRole)
        return row.line;
    if (role == ColorRole)
        return scalingLineColor(row.line);
    if (role == Qt::TextAlignmentRole)
        return (index.column() == LockColumn || index.column() == BoundColumn ? Qt::AlignLeft | Qt::AlignVCenter
                                                                              : Qt::AlignRight | Qt::AlignVCenter)
            .toInt();
    if (role == Qt::ToolTipRole) {
        if (index.column() == SpeedupColumn || index.column() == EfficiencyColumn)
            return tr("against %1 worker(s) of %2; %3")
                .arg(line.baselineWorkers)
                .arg(line.label, p.repeats > 1 ? tr("the median of %1 runs").arg(p.repeats) : tr("one run, no median"));
        return {};
    }
    if (role == ValueRole) {
        switch (index.column()) {
        case WorkersColumn:
            return p.workers;
        case LockColumn:
            return lockModeName(line.lock);
        case ChunksColumn:
            return chunksLabel(line.chunks.toVector());
        case ThroughputColumn:
            return p.gbps;
        case SpeedupColumn:
            return p.speedup;
        case EfficiencyColumn:
            return p.efficiency;
        case BoundColumn:
            return p.bound;
        }
        return {};
    }
    if (role != Qt::DisplayRole)
        return {};
    switch (index.column()) {
    case WorkersColumn:
        return QString::number(p.workers);
    case LockColumn:
        return lockModeName(line.lock);
    case ChunksColumn:
        return chunksLabel(line.chunks.toVector());
    case ThroughputColumn:
        return QString::number(p.gbps, 'f', 2);
    case SpeedupColumn:
        return QString(QString::number(p.speedup, 'f', 2) + QStringLiteral("×"));
    case EfficiencyColumn:
        return QString(QString::number(100 * p.efficiency, 'f', 0) + QStringLiteral(" %"));
    case BoundColumn:
        return p.bound == QLatin1String("unknown") ? QStringLiteral("–")
                                                   : QString(p.bound).replace(QLatin1Char('_'), QLatin1Char(' '));
    }
    return {};
}

QVariant ScalingTableModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractTableModel::headerData(section, orientation, role);
    switch (section) {
    case WorkersColumn:
        return tr("workers");
    case LockColumn:
        return tr("lock");
    case ChunksColumn:
        return tr("chunks");
    case ThroughputColumn:
        return tr("GB/s");
    case SpeedupColumn:
        return tr("speed-up");
    case EfficiencyColumn:
        return tr("efficiency");
    case BoundColumn:
        return tr("bound by");
    }
    return {};
}

} // namespace cs
