#pragma once

#include "results/runresult.h"

#include <QAbstractTableModel>
#include <QHash>
#include <QList>

#include <memory>

namespace cs {

// Every finished run with its figures, one row per repeat, in the order they finished. Rows hold
// shared, immutable results: a million task events are never copied to show a row.
class RunsTableModel : public QAbstractTableModel {
    Q_OBJECT
public:
    enum Column {
        NameColumn,
        StatusColumn,
        WorkersColumn,
        LockColumn,
        TasksColumn,
        WallColumn,
        ThroughputColumn,
        CpuColumn,
        PeakRssColumn,
        VerifiedColumn,
        SourceColumn,
        TargetColumn,
        ErrorColumn, // why a run failed or was cancelled; the whole text in its tooltip
        ColumnCount
    };
    // Numbers for sorting (DisplayRole holds formatted text).
    static constexpr int SortRole = Qt::UserRole + 1;

    explicit RunsTableModel(QObject *parent = nullptr);

    int rowCount(const QModelIndex &parent = QModelIndex()) const override;
    int columnCount(const QModelIndex &parent = QModelIndex()) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

    void append(const std::shared_ptr<const RunResult> &run);
    void append(const QList<std::shared_ptr<const RunResult>> &runs);
    void clear();

    std::shared_ptr<const RunResult> run(int row) const { return m_runs.value(row); }
    const QList<std::shared_ptr<const RunResult>> &runs() const { return m_runs; }

    // "z1 (zarr, 3.4x)": the store and its compression ratio as zarr's info prints it.
    static QString storeSummary(const StoreInfo &info);

private:
    QVariant display(const RunResult &run, int column) const;
    QVariant sortValue(const RunResult &run, int column) const;

    void countNames(const QList<std::shared_ptr<const RunResult>> &added);

    QList<std::shared_ptr<const RunResult>> m_runs;
    QHash<QString, qsizetype> m_runsWithName; // for runDisplayName
};

} // namespace cs
