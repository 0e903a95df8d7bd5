#pragma once

#include "results/sweepsummary.h"

#include <QAbstractTableModel>
#include <QColor>

namespace cs {

// The colour of a sweep's i-th line, shared by the chart, the table's swatches and exports.
QColor scalingLineColor(int index);

// The scaling chart's table: one row per point of every line (lines in the chart's order, points in
// ascending workers) with its workers, lock, chunks, GB/s, speed-up, parallel efficiency and what
// bounds it (the verdict of its typical run).
class ScalingTableModel : public QAbstractTableModel {
    Q_OBJECT
public:
    enum Column {
        WorkersColumn,
        LockColumn,
        ChunksColumn,
        ThroughputColumn,
        SpeedupColumn,
        EfficiencyColumn,
        BoundColumn, // what the verdict says bounds the point's typical run
        ColumnCount
    };
    // The number behind a cell (DisplayRole holds formatted text): workers as int, the rest as double.
    static constexpr int ValueRole = Qt::UserRole + 1;
    // The index of the row's line in the summary.
    static constexpr int LineRole = Qt::UserRole + 2;
    // The colour of the row's line in the chart (a QColor): the table paints it as a swatch.
    static constexpr int ColorRole = Qt::UserRole + 3;

    explicit ScalingTableModel(QObject *parent = nullptr);

    void setSummary(const SweepSummary &summary);
    const SweepSummary &summary() const { return m_summary; }

    int rowCount(const QModelIndex &parent = QModelIndex()) const override;
    int columnCount(const QModelIndex &parent = QModelIndex()) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

private:
    struct Row {
        int line;
        int point;
    };
    SweepSummary m_summary;
    QList<Row> m_rows;
};

} // namespace cs
