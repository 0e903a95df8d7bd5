#pragma once

#include <QObject>

#include <vector>

namespace cs {

// The one time scale every chart of a profile view shares. It maps seconds to pixel columns of a
// plot rectangle whose left edge and width are the same for every chart (the Gantt's rows and the
// Qt Charts plot areas line up on it), so time t lands on the same column in each. Zooming or
// panning in any chart changes this object, and every chart repaints from it.
class TimeAxis : public QObject {
    Q_OBJECT
public:
    explicit TimeAxis(QObject *parent = nullptr);

    // Margins left and right of the plot area, wide enough for row labels and value axes.
    static constexpr int kLeftMargin = 84;
    static constexpr int kRightMargin = 84;

    double t0() const { return m_t0; }
    double t1() const { return m_t1; }
    double span() const { return m_t1 - m_t0; }
    // The extent of the data: [0, end] seconds. Zoom and pan stay inside it.
    double dataEnd() const { return m_end; }

    int plotLeft() const { return m_left; }
    int plotWidth() const { return m_width; }
    // The plot area of a widget `widgetWidth` pixels wide.
    void setPlotGeometry(int left, int width);

    // The pixel column (widget x, fractional) where time t lands, and its inverse.
    double x(double t) const { return m_left + (t - m_t0) * m_scale; }
    double t(double x) const { return m_t0 + (x - m_left) / m_scale; }
    // Pixels per second.
    double scale() const { return m_scale; }

    // Sets the data's extent. While the view shows everything (not zoomed), it follows the end, so a
    // live run's charts grow to the right; a zoomed view stays where the user put it.
    void setDataEnd(double end);
    void setRange(double t0, double t1);
    bool isZoomed() const { return m_zoomed; }
    void resetZoom();
    // Zooms by `factor` (> 1 zooms in) keeping the time under pixel column x where it is.
    void zoomAt(double x, double factor);
    void panPixels(double dx);

    // The time under the mouse in any chart, drawn as a cursor line in all of them; NaN for none.
    double cursor() const { return m_cursor; }
    void setCursor(double t);

    // A range of time the user selected (right-drag in the Gantt chart), shaded in every chart and
    // summarised by the view; empty when none.
    bool hasSelection() const { return m_selection1 > m_selection0; }
    double selectionStart() const { return m_selection0; }
    double selectionEnd() const { return m_selection1; }
    void setSelection(double t0, double t1);
    void clearSelection() { setSelection(0, 0); }

    // Tick positions: a 1-2-5 step giving at least `minPixels` between ticks, and the ticks in view.
    double tickStep(double minPixels = 90) const;
    std::vector<double> ticks(double minPixels = 90) const;
    // "0.25 s": seconds with as many decimals as the tick step needs.
    static QString formatTime(double seconds, double step);
    static int decimalsFor(double step);

signals:
    void rangeChanged();
    void cursorChanged();
    void selectionChanged();

private:
    void clampAndApply(double t0, double t1);
    void updateScale();

    double m_t0 = 0;
    double m_t1 = 1;
    double m_end = 1;
    bool m_zoomed = false;
    int m_left = kLeftMargin;
    int m_width = 100;
    double m_scale = 100;
    double m_cursor;
    double m_selection0 = 0;
    double m_selection1 = 0;
};

} // namespace cs
