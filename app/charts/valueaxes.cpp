#include "valueaxes.h"

#include <QValueAxis>

#include <algorithm>
#include <cmath>

namespace cs {

double niceCeiling(double v)
{
    if (!(v > 0))
        return 1;
    const double decade = std::pow(10.0, std::floor(std::log10(v)));
    for (double m : {1.0, 2.0, 2.5, 5.0, 10.0})
        if (m * decade >= v)
            return m * decade;
    return 10 * decade;
}

void setRangeAndStep(QValueAxis *axis, double min, double max, double step)
{
    // Each change lays the axis out again, text and all: a chart reset for the next run of a batch
    // mostly sets what is already there.
    if (axis->min() == min && axis->max() == max && axis->tickInterval() == step && axis->tickAnchor() == 0
        && axis->tickType() == QValueAxis::TicksDynamic)
        return;
    axis->setTickType(QValueAxis::TicksFixed);
    axis->setRange(min, max);
    axis->setTickAnchor(0);
    axis->setTickInterval(step);
    axis->setTickType(QValueAxis::TicksDynamic);
}

void setNiceRange(QValueAxis *axis, double peak, int maxSteps)
{
    const double max = niceCeiling(peak);
    const double step = niceCeiling(max / maxSteps);
    setRangeAndStep(axis, 0, max, step);
    // 50 -> "%.0f", 0.5 -> "%.1f", 0.25 -> "%.2f": a step of 2.5 units needs one decimal more.
    const double decade = std::floor(std::log10(step) + 1e-9);
    const bool quarter = std::abs(step / std::pow(10.0, decade) - 2.5) < 1e-9;
    const int decimals = std::max(0, int(-decade) + (quarter ? 1 : 0));
    // Setting even the same format lays the axis out again.
    const QString format = QStringLiteral("%.") + QString::number(decimals) + QStringLiteral("f");
    if (axis->labelFormat() != format)
        axis->setLabelFormat(format);
}

} // namespace cs
