#pragma once

#include "ganttdata.h"

#include <QBrush>
#include <QList>
#include <QPointer>
#include <QSet>
#include <QWidget>

#include <QImage>

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdint>
#include <functional>
#include <vector>

namespace cs {

class TimeAxis;

// One row per worker, one bar per task, each bar split into its phases. Painted directly with
// QPainter, antialiasing off. Only bars in the visible window are visited (binary search on the
// sorted rows), and bars narrower than a few pixels are folded: each pixel column of a row gets at
// most one fill, coloured by the segment that took most of the time in it, so a frame with a million
// tasks costs about as much as one with a hundred. On screen the bars are kept in an image of the
// plot: while the time scale stays, a refresh draws only the bars added since the last one (and the
// last pixel columns they share), then the running tasks and the cursor over it, so a live run's
// refresh costs what its new tasks cost, not what all its tasks cost. A run on object storage also
// shows each task's requests inside its bar (ganttrequests.cpp), where the bar is wide enough.
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
    QRect rowRect(int worker) const; // the bar band of a worker's row; empty when its rank is collapsed
    int rowAt(int y) const; // -1 outside the rows

    // The rows of an MPI job's run, grouped by rank: each group's rows under a header that names the
    // rank, which a click collapses to the header alone and expands again (ganttranks.cpp). Without
    // groups, a run of one process, the chart has no headers.
    static constexpr int kRankHeaderHeight = 22;
    struct RankGroup {
        int rank = 0;
        QString label; // "rank 1 · node7 · 2 workers"
        int firstRow = 0;
        int rows = 0;
    };
    void setRankGroups(QList<RankGroup> groups);
    const QList<RankGroup> &rankGroups() const { return m_rankGroups; }
    void setRankCollapsed(int rank, bool collapsed);
    bool isRankCollapsed(int rank) const { return m_collapsedRanks.contains(rank); }
    QRect rankHeaderRect(int rank) const; // empty when the chart has no such group
    // The group of a row, or nullptr.
    const RankGroup *groupOfRow(int row) const;

    // Shown in place of bars when there are none ("profiling was off").
    void setPlaceholderText(const QString &text);
    // The run's own duration, for "% busy"; 0 (a live run) takes the latest time its tasks reach.
    void setRunDuration(int64_t ns) { m_runNs = ns; }
    // How busy a worker was over its run's own duration, whatever the visible window or the runs it
    // is compared with, 0 to 100; -1 before the run has any time.
    double busyPercent(int worker) const;
    void setShowTimeLabels(bool show);
    // In a compact comparison each run's rows are a group under one legend: the first group shows the
    // legend, every group a heading with the run's name and its colour in the overlaid charts.
    void setShowLegend(bool show);
    void setHeading(const QString &text, const QColor &color);
    // The legend names the request marks even though this chart's run made no requests: in a compact
    // comparison the first group's legend serves every group.
    void setLegendListsRequests(bool list);
    QString heading() const { return m_heading; }

    // Paints the widget's whole area, every visible bar; the benchmark and vector exports use it.
    void paint(QPainter &painter);
    // The same picture, drawing into the image of bars only what changed since the last call; what
    // the widget paints on screen and into raster exports. Pixel for pixel what paint() gives.
    void paintCached(QPainter &painter);
    // Bars and folded pixel runs drawn into rows by the last paint: what a refresh cost.
    int64_t barsDrawnLastPaint() const { return m_barsDrawn; }
    // Paint events handled so far, for tests of what a hidden view does.
    int64_t paintCount() const { return m_paintCount; }
    // Paints that drew the legend: a live refresh that changes only bars leaves it as it is.
    int64_t legendPaintCount() const { return m_legendPaintCount; }

    QSize sizeHint() const override;
    QSize minimumSizeHint() const override;

    // Clicking a phase in the legend hides it from the bars (its time is left blank), and again shows it.
    void setSegmentShown(int segment, bool shown);
    bool isSegmentShown(int segment) const { return !m_hidden[size_t(segment)]; }
    // Where the legend drew a segment's entry (empty before the first paint, or when not shown).
    QRect legendRect(int segment) const;

    // Outlines the bar of task `task` (Ctrl+F in the view); false, and no outline, when this run has no
    // such finished task. -1 clears it.
    bool highlightTask(int64_t task);
    int64_t highlightedTask() const { return m_highlightTask; }
    // The highlighted task's event; meaningless when there is none.
    TaskEvent highlightedEvent() const;

    // The tooltip text for the task at widget position pos, empty when there is none.
    QString toolTipAt(const QPoint &pos) const;

signals:
    // The user clicked a legend entry: compared runs' charts follow.
    void segmentToggled(int segment, bool shown);
    void rankCollapsedChanged(int rank, bool collapsed);

protected:
    void paintEvent(QPaintEvent *event) override;
    void resizeEvent(QResizeEvent *event) override;
    void mousePressEvent(QMouseEvent *event) override;
    void mouseMoveEvent(QMouseEvent *event) override;
    void mouseReleaseEvent(QMouseEvent *event) override;
    void mouseDoubleClickEvent(QMouseEvent *event) override;
    void wheelEvent(QWheelEvent *event) override;
    void leaveEvent(QEvent *event) override;

private:
    // How a part of a bar is filled: its phase's colour while the thread ran on a CPU, hatched while
    // it waited for one, pale while it was blocked.
    enum CpuState { OnCpu, Queued, Blocked };
    struct Fold {
        int x0 = 0;
        int x1 = 0;
        int segment = -1;
        CpuState state = OnCpu;
    };
    // Where a row's drawing can go on once bars are added: the second-to-last group of bars drawn
    // (a pixel-column fold or a wide bar) no longer changes, the last one may. Everything drawn
    // before `index` lies left of column + 1 when `resumable`.
    struct RowResume {
        size_t index = 0;
        int column = 0;
        size_t drawn = 0; // bars of the row when it was drawn
        bool resumable = false;
    };
    struct BarImage {
        QImage image; // the rows' bars on transparency, covering the plot rectangle
        QRect plot;
        double t0 = 0;
        double t1 = 0;
        qreal ratio = 0;
        int workers = -1;
        uint64_t layoutVersion = 0;
        uint64_t rowsVersion = 0;
        std::array<bool, kSegmentCount> hidden{};
        std::vector<RowResume> rows;
    };
    // Where every row's span and every rank's header lie, top to bottom, in the plot.
    struct RowsLayout {
        std::vector<std::pair<int, int>> rows; // [top, bottom) of each row; top == bottom when collapsed
        std::vector<QRect> headers; // one per rank group
    };
    RowsLayout layoutRows() const;
    void paintRankHeaders(QPainter &p) const;
    // The rank group whose header is at pos, or -1.
    int rankHeaderAt(const QPoint &pos) const;
    void paintBackground(QPainter &p, const QRect &plot);
    void paintOverlay(QPainter &p, const QRect &plot);
    void updateBarImage(const QRect &plot, qreal ratio);
    // One entry of the legend: a phase, "running", the rule before the CPU states, or a CPU state.
    struct LegendEntry {
        enum Kind { Phase, Running, Rule, OnCpu, Queued, Blocked, Passthrough, Request } kind;
        int segment; // the phase, for Phase; the RequestPart, for Request
        QString text;
    };
    std::vector<LegendEntry> legendEntries() const;
    bool listsRequests() const { return m_data.hasRequests() || m_legendListsRequests; }
    // Places every entry, wrapping at the widget's width; returns the number of lines.
    int layoutLegend(const std::function<void(const LegendEntry &, const QRect &)> &place) const;
    void paintLegend(QPainter &p) const;
    void paintHeading(QPainter &p) const;
    int headingHeight() const;
    int legendHeight() const;
    void paintGrid(QPainter &p, const QRect &plot) const;
    void paintRow(QPainter &p, int worker, const QRect &band, size_t from = SIZE_MAX,
                  RowResume *resume = nullptr) const;
    // A task that moved its chunk as stored: a white line through the middle of its bar.
    static void markPassthrough(QPainter &p, int left, int right, const QRect &band);
    void paintBar(QPainter &p, const GanttData::SegmentTimes &s, const GanttData::OffCpuTimes &off, double x0,
                  double x1, const QRect &band) const;
    void fill(QPainter &p, const QRect &r, int segment, CpuState state) const;
    // A bar narrower than this has no room for its requests: a pixel or two each would only be noise.
    static constexpr double kMinRequestBarPx = 12.0;
    // The requests of `task` along the bottom of its bar, which spans columns [left, right).
    void paintRequests(QPainter &p, int64_t task, int left, int right, const QRect &band) const;
    // Its tooltip's rows for them: method, status, connect, first byte, transfer, bytes, retry.
    QString requestsToolTip(int64_t task) const;
    void paintInFlight(QPainter &p) const;
    void flush(QPainter &p, Fold &fold, const QRect &band) const;
    double xNs(int64_t ns) const;
    // Pixel positions far outside the widget would overflow QRect's ints when zoomed in deeply.
    static int clampPx(double x) { return int(std::lround(std::clamp(x, -1e6, 1e6))); }
    int64_t nsAt(double x) const;

    TimeAxis *m_axis;
    GanttData m_data;
    QString m_placeholder;
    int64_t m_runNs = 0;
    bool m_showTimeLabels = true;
    bool m_showLegend = true;
    bool m_legendListsRequests = false;
    QString m_heading;
    QColor m_headingColor;
    std::array<QBrush, kSegmentCount> m_brushes;
    std::array<QBrush, kSegmentCount> m_queuedBrushes; // the hatching, over m_paleBrushes
    std::array<QBrush, kSegmentCount> m_paleBrushes;
    QBrush m_runningBrush;
    enum class Drag { None, Pan, Zoom, Select };
    QPoint m_dragFrom;
    Drag m_drag = Drag::None;
    int m_rangeFrom = 0; // the columns a zoom or selection drag spans
    int m_rangeTo = 0;
    BarImage m_bars;
    int64_t m_highlightTask = -1;
    int m_highlightWorker = -1;
    size_t m_highlightIndex = 0;
    std::array<bool, kSegmentCount> m_hidden{};
    QList<RankGroup> m_rankGroups;
    QSet<int> m_collapsedRanks;
    uint64_t m_rowsVersion = 0; // changes when the rows move: groups set, a rank collapsed or expanded
    mutable std::array<QRect, kSegmentCount> m_legendRects; // set by paintLegend, for clicks
    mutable int m_legendLinesKey = -1; // what m_legendLines was laid out for
    mutable int m_legendLines = 1;
    mutable int64_t m_barsDrawn = 0;
    int64_t m_paintCount = 0;
    int64_t m_legendPaintCount = 0;
    QRect m_paintRect; // what the paint event being handled asks for; null: everything (exports)
};

} // namespace cs
