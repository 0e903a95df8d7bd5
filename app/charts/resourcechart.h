#pragma once

#include "profiler/taskevent.h"

#include <QChartView>
#include <QColor>
#include <QPair>
#include <QPen>
#include <QStringList>

#include <array>
#include <vector>

class QGraphicsLineItem;
class QLineSeries;
class QValueAxis;

namespace cs {

class TimeAxis;

// A Qt Charts view of a run's resource samples on the shared time axis. CpuMemory is dask's
// ResourceProfiler plot: CPU % on the left axis, memory (RSS, and the bytes tasks hold in flight)
// on the right. Faults shows minor page faults per second, which tell a first touch of fresh
// memory from a copy into pages already mapped. Its plot area is set by hand to the columns of the
// shared TimeAxis, so time t lands on the same pixel column as in the Gantt chart above it.
// Overlay draws the CPU % (solid) and RSS (dashed) of several runs in one chart, a colour per run,
// for a compact comparison. Wire shows a run on object storage: its requests in flight on the left
// axis and the body bytes per second its requests moved on the right (resourcewire.cpp).
// Each series keeps at most one point per pixel column (and never more than 2000), each the
// maximum of its bucket so that peaks survive, and is updated with replace().
class ResourceChart : public QChartView {
    Q_OBJECT
public:
    enum class Kind { CpuMemory, Faults, Overlay, Wire };
    static constexpr int kWindowSeries = 3;
    static constexpr int kMachineSeries = 4;

    ResourceChart(TimeAxis *axis, Kind kind, QWidget *parent = nullptr);

    Kind kind() const { return m_kind; }
    // Whether samples counted a run's requests and wire (a run on object storage): what a Wire chart
    // shows, and whether it is shown at all.
    static bool measuresWire(const std::vector<ResourceSample> &samples);
    // An Overlay chart's runs: series 2 i is run i's CPU %, series 2 i + 1 its RSS.
    struct OverlayRun {
        QString name;
        QColor color;
        std::vector<ResourceSample> samples;
    };
    void setOverlay(std::vector<OverlayRun> runs);
    void setSamples(std::vector<ResourceSample> samples);
    // No samples, the CPU axis at `cpuCeiling` and no other ceiling: a chart reused for the next run,
    // its axes laid out once rather than once per setting.
    void reset(double cpuCeiling);
    void appendSamples(const ResourceSample *samples, size_t count);
    const std::vector<ResourceSample> &samples() const { return m_samples; }
    // The value axes reach at least these, so that compared runs share their scales (and the CPU
    // axis shows 100 % per worker).
    void setCpuCeiling(double percent);
    void setMemoryCeiling(double bytes);
    void setFaultsCeiling(double perSecond);
    void setWireCeiling(double requests, double bytesPerSec);
    // The value axes reach at least what `peaks` shows (each figure's peak in the run's previous
    // repeat), so that a live chart's axes are set once, not grown sample by sample, and the window's
    // line is there from the start when that repeat measured it. Until fitToSamples(), which fits
    // them to the samples alone.
    void expectPeaks(const ResourceSample &peaks);
    void fitToSamples();
    void setShowTimeLabels(bool show);

    // The series drawn: CPU (or faults/s) first, then for CpuMemory RSS, in-flight bytes, the machine's
    // CPU and the CPU of the window's own GUI thread ("Chunkscope window", shown when the samples
    // measured it).
    QList<QLineSeries *> series() const { return m_series; }
    // Clicking a series in the legend hides its line, and again shows it. A hidden line keeps its
    // legend entry, greyed, to be clicked again.
    void setSeriesShown(int series, bool shown);
    bool isSeriesShown(int series) const;

    // The widget position of a value at time t (seconds) on the first series' axes.
    QPointF positionFor(double seconds, double value) const;
    // The sample nearest to time t, as tooltip text; empty when there are no samples.
    QString toolTipFor(double seconds) const;

    QSize sizeHint() const override;
    QSize minimumSizeHint() const override;

protected:
    void resizeEvent(QResizeEvent *event) override;
    void mousePressEvent(QMouseEvent *event) override;
    void mouseMoveEvent(QMouseEvent *event) override;
    void mouseReleaseEvent(QMouseEvent *event) override;
    void mouseDoubleClickEvent(QMouseEvent *event) override;
    void wheelEvent(QWheelEvent *event) override;
    void leaveEvent(QEvent *event) override;

private:
    bool isRightSeries(int series) const;
    const std::vector<ResourceSample> &samplesOf(int series) const;
    void addSeries(QLineSeries *series);
    void connectLegend();
    void addPeaks(const ResourceSample *samples, size_t count);
    void updateWindowSeries();
    void layoutPlotArea();
    // Lays the legend out over the plot's width, above `plot`, and returns the height it takes.
    int layoutLegend(const QRectF &plot);
    int topMargin() const;
    void rebuildPoints();
    void updateValueAxes();
    void updateWireAxes(double requestsPeak, double bytesPerSecPeak);
    QString wireToolTip(const ResourceSample &s) const;
    void updateCursor();

    TimeAxis *m_axis;
    Kind m_kind;
    std::vector<ResourceSample> m_samples;
    std::vector<OverlayRun> m_overlay;
    std::vector<double> m_peaks; // each series' largest value
    QList<QColor> m_colors; // each series' own colour, for a line shown again
    QList<QPen> m_markerPens;
    QList<bool> m_shown;
    QList<QLineSeries *> m_series;
    QValueAxis *m_timeAxis = nullptr;
    QValueAxis *m_leftAxis = nullptr;
    QValueAxis *m_rightAxis = nullptr;
    QGraphicsLineItem *m_cursorLine = nullptr;
    double m_cpuCeiling = 100;
    double m_memoryCeiling = 0;
    double m_faultsCeiling = 0;
    double m_requestsCeiling = 0;
    double m_wireCeiling = 0; // bytes per second
    double m_rightUnit = 1; // bytes (per second, for Wire) per unit of the right axis
    double m_faultUnit = 1; // faults per unit of the faults axis
    bool m_showTimeLabels = true;
    bool m_expectsWindow = false; // expectPeaks() came from a run the window watched
    int m_valueSteps = 5; // steps of the value axes, fewer when the chart is low
    int m_legendHeight = 26; // one row
    QPair<qreal, QStringList> m_legendLaidOut; // the width and entries m_legendHeight holds for
    QPoint m_dragFrom;
    bool m_dragging = false;
};

} // namespace cs
