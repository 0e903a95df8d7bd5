#include "timeaxis.h"

#include <QString>

#include <algorithm>
#include <cmath>
#include <limits>

namespace cs {

namespace {
constexpr double kMinSpan = 1e-6; // one microsecond across the plot: finer than any task
constexpr double kMinEnd = 1e-3; // an empty or just-started run still gets a usable scale
} // namespace

TimeAxis::TimeAxis(QObject *parent)
    : QObject(parent)
    , m_cursor(std::numeric_limits<double>::quiet_NaN())
{
    updateScale();
}

void TimeAxis::setPlotGeometry(int left, int width)
{
    width = std::max(width, 1);
    if (left == m_left && width == m_width)
        return;
    m_left = left;
    m_width = width;
    updateScale();
    emit rangeChanged();
}

void TimeAxis::setDataEnd(double end)
{
    if (!std::isfinite(end))
        return;
    end = std::max(end, kMinEnd);
    if (end == m_end)
        return;
    m_end = end;
    if (!m_zoomed)
        clampAndApply(0, m_end);
    else
        clampAndApply(m_t0, m_t1);
}

void TimeAxis::setRange(double t0, double t1)
{
    m_zoomed = !(t0 <= 0 && t1 >= m_end);
    clampAndApply(t0, t1);
}

void TimeAxis::resetZoom()
{
    m_zoomed = false;
    clampAndApply(0, m_end);
}

void TimeAxis::zoomAt(double x, double factor)
{
    if (!(factor > 0) || !std::isfinite(factor))
        return;
    const double anchor = t(x);
    const double newSpan = std::clamp(span() / factor, kMinSpan, m_end);
    const double frac = std::clamp((x - m_left) / double(m_width), 0.0, 1.0);
    const double t0 = anchor - frac * newSpan;
    m_zoomed = newSpan < m_end;
    clampAndApply(t0, t0 + newSpan);
}

void TimeAxis::panPixels(double dx)
{
    if (!m_zoomed)
        return;
    const double dt = dx / m_scale;
    clampAndApply(m_t0 - dt, m_t1 - dt);
}

void TimeAxis::setSelection(double t0, double t1)
{
    if (t1 < t0)
        std::swap(t0, t1);
    t0 = std::clamp(t0, 0.0, m_end);
    t1 = std::clamp(t1, 0.0, m_end);
    if (t1 <= t0)
        t0 = t1 = 0;
    if (t0 == m_selection0 && t1 == m_selection1)
        return;
    m_selection0 = t0;
    m_selection1 = t1;
    emit selectionChanged();
}

void TimeAxis::setCursor(double t)
{
    if (t == m_cursor || (std::isnan(t) && std::isnan(m_cursor)))
        return;
    m_cursor = t;
    emit cursorChanged();
}

void TimeAxis::clampAndApply(double t0, double t1)
{
    double s = std::clamp(t1 - t0, kMinSpan, m_end);
    t0 = std::clamp(t0, 0.0, m_end - s);
    t1 = t0 + s;
    if (t0 == m_t0 && t1 == m_t1)
        return;
    m_t0 = t0;
    m_t1 = t1;
    updateScale();
    emit rangeChanged();
}

void TimeAxis::updateScale()
{
    m_scale = double(m_width) / std::max(m_t1 - m_t0, kMinSpan);
}

double TimeAxis::tickStep(double minPixels) const
{
    const double raw = minPixels / m_scale; // seconds per minPixels
    const double decade = std::pow(10.0, std::floor(std::log10(raw)));
    for (double m : {1.0, 2.0, 5.0, 10.0})
        if (m * decade >= raw)
            return m * decade;
    return 10 * decade;
}

std::vector<double> TimeAxis::ticks(double minPixels) const
{
    std::vector<double> out;
    const double step = tickStep(minPixels);
    for (double k = std::ceil(m_t0 / step); k * step <= m_t1 + step * 1e-9; k += 1)
        out.push_back(k * step);
    return out;
}

int TimeAxis::decimalsFor(double step)
{
    return std::clamp(int(std::ceil(-std::log10(step) - 1e-9)), 0, 6);
}

QString TimeAxis::formatTime(double seconds, double step)
{
    return QString::number(seconds, 'f', decimalsFor(step)) + QStringLiteral(" s");
}

} // namespace cs
