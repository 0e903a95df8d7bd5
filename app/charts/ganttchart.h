#pragma once

#include "ganttdata.h"

#include <QBrush>
#include <QPointer>
#include <QWidget>

#include <array>

namespace cs {

class TimeAxis;

// One row per worker, one bar per task, each bar split into its phases. Painted directly with
// QPainter, antialiasing off. Only bars in the visible window are visited (binary search on the
// sorted rows), and bars narrower than a few pixels are folded: each pixel column of a row gets at
// most one fill, coloured by the segment that took most of the time in it, so a frame with a million
// tasks costs about as much as one with a hundred.
class GanttChart : public QWidget {
    Q_OBJECT
public:
    explicit GanttChart(TimeAxis *axis, QWidget *parent = nullptr);

    GanttData &data() { return m_data; }
    const GanttData &data() const { return m_data; }
    // Call after changing data(): repaints.
    void dataChanged();

    TimeAxis *axis() const { return m_axis; }
    // The pixel column (widget x) where time t, in seconds, lands.
    double xForTime(double seconds) const;
    // Where the bars are drawn: the shared plot columns, between the legend and the time labels.
    QRect plotRect() const;
    QRect rowRect(int worker) const; // the bar band of a worker's row
    int rowAt(int y) const; // -1 outside the rows

    // Shown in place of bars when there are none ("profiling was off").
    void setPlaceholderText(const QString &text);
    // The run's own duration, for "% busy"; 0 (a live run) takes the latest time its tasks reach.
    void setRunDuration(int64_t ns) { m_runNs = ns; }
    // How busy a worker was over its run's own duration, whatever the visible window or the runs it
    // is compared with, 0 to 100; -1 before the run has any time.
    double busyPercent(int worker) const;
    void setShowTimeLabels(bool show);

    // Paints the widget's whole area; paintEvent and the benchmark call it.
    void paint(QPainter &painter);

    QSize sizeHint() const override;
    QSize minimumSizeHint() const override;

    // The tooltip text for the task at widget position pos, empty when there is none.
    QString toolTipAt(const QPoint &pos) const;

protected:
    void paintEvent(QPaintEvent *event) override;
    void mousePressEvent(QMouseEvent *event) override;
    void mouseMoveEvent(QMouseEvent *event) override;
    void mouseReleaseEvent(QMouseEvent *event) override;
    void mouseDoubleClickEvent(QMouseEvent *event) override;
    void wheelEvent(QWheelEvent *event) override;
    void leaveEvent(QEvent *event) override;

private:
    struct Fold {
        int x0 = 0;
        int x1 = 0;
        int segment = -1;
    };
    void paintLegend(QPainter &p) const;
    void paintGrid(QPainter &p, const QRect &plot) const;
    void paintRow(QPainter &p, int worker, const QRect &band) const;
    void paintBar(QPainter &p, const GanttData::SegmentTimes &s, double x0, double x1, const QRect &band) const;
    void paintInFlight(QPainter &p) const;
    void flush(QPainter &p, Fold &fold, const QRect &band) const;
    double xNs(int64_t ns) const;
    int64_t nsAt(double x) const;

    TimeAxis *m_axis;
    GanttData m_data;
    QString m_placeholder;
    int64_t m_runNs = 0;
    bool m_showTimeLabels = true;
    std::array<QBrush, kSegmentCount> m_brushes;
    QBrush m_runningBrush;
    QPoint m_dragFrom;
    bool m_dragging = false;
};

} // namespace cs
