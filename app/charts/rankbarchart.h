#pragma once

#include "results/runranks.h"

#include <QWidget>

namespace cs {

// Each rank of an MPI job's run as two horizontal bars, its own wall time and the bytes it copied,
// scaled to the largest rank's, so an imbalance shows as one bar longer than the others. The slowest
// rank's wall bar is drawn in the verdict's colour when it holds the run back (kRankBoundImbalance).
class RankBarChart : public QWidget {
    Q_OBJECT
public:
    explicit RankBarChart(QWidget *parent = nullptr);

    void setRanks(const QList<RankFigures> &figures);
    const QList<RankFigures> &ranks() const { return m_figures; }
    // "wall time per rank · rank 1 1.11× the mean" when the slowest rank holds the run back.
    QString wallTitle() const;

    // Where the bars of the rank at `index` are drawn; empty when there is none.
    QRect wallBarRect(int index) const;
    QRect bytesBarRect(int index) const;
    // The full length a bar of the largest value takes.
    int barSpan() const;

    QSize sizeHint() const override;
    QSize minimumSizeHint() const override;

protected:
    void paintEvent(QPaintEvent *event) override;

private:
    // The band of the rank at `index`, and the left edge and width of the two bar columns.
    QRect rowBand(int index) const;
    int wallColumn() const;
    int bytesColumn() const;
    QRect barRect(int index, int column, double fraction) const;

    QList<RankFigures> m_figures;
    double m_maxWall = 0;
    double m_meanWall = 0;
    int64_t m_maxBytes = 0;
    int m_slowest = -1; // index of the rank to mark, or -1
};

} // namespace cs
