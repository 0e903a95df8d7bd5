// Where a resource chart's parts go (ResourceChart): the plot area under a legend that wraps onto as
// many rows as the chart's width needs, the time axis lined up with the view's, and fewer value steps
// on a low chart. The rest of the chart is in resourcechart.cpp.
#include "resourcechart.h"

#include "timeaxis.h"
#include "valueaxes.h"

#include <QGraphicsLayout>
#include <QGraphicsTextItem>
#include <QLegendMarker>
#include <QValueAxis>

#include <algorithm>
#include <cmath>
#include <functional>
#include <limits>

namespace cs {

namespace {
// The legend's height above the plot: one row, or more when its entries do not fit the chart's width.
constexpr int kLegendOneRow = 26;
constexpr int kBottomWithLabels = 24;
// Without time labels the bottom still leaves half a value label's height: Qt Charts hides a label
// that does not fit, and that would be the 0 tick.
constexpr int kBottomBare = 10;
} // namespace

void ResourceChart::resizeEvent(QResizeEvent *event)
{
    QChartView::resizeEvent(event);
    layoutPlotArea();
    // Qt Charts elides value labels to "…" once they overlap: a lower chart gets fewer, wider steps.
    constexpr int kLabelSpacing = 26;
    const int bottom = m_showTimeLabels ? kBottomWithLabels : kBottomBare;
    const int steps = std::clamp((height() - topMargin() - bottom) / kLabelSpacing, 1, 5);
    if (steps != m_valueSteps) {
        m_valueSteps = steps;
        updateValueAxes();
    }
}

int ResourceChart::topMargin() const
{
    return m_legendHeight;
}

void ResourceChart::layoutPlotArea()
{
    const int bottom = m_showTimeLabels ? kBottomWithLabels : kBottomBare;
    // The plot starts below however many rows the legend takes at this width: a second pass when
    // that changed.
    for (int pass = 0; pass < 2; ++pass) {
        const QRectF plot(m_axis->plotLeft(), topMargin(), m_axis->plotWidth(),
                          std::max(10, height() - topMargin() - bottom));
        if (chart()->plotArea() != plot)
            chart()->setPlotArea(plot);
        const int height = layoutLegend(plot);
        if (height == m_legendHeight)
            break;
        m_legendHeight = height;
    }
    const double step = m_axis->tickStep();
    setRangeAndStep(m_timeAxis, m_axis->t0(), m_axis->t1(), step);
    m_timeAxis->setLabelFormat(QStringLiteral("%.") + QString::number(TimeAxis::decimalsFor(step))
                               + QStringLiteral("f s"));
    updateCursor();
}

int ResourceChart::layoutLegend(const QRectF &plot)
{
    QLegend *legend = chart()->legend();
    // Qt wraps a detached legend before an entry by the width of the entry before it, so an entry
    // wider than the one before may run past the edge: the legend gets that much less than the plot.
    const QFontMetrics metrics(legend->font());
    int widest = 0;
    int narrowest = std::numeric_limits<int>::max();
    QStringList shown;
    for (const QLegendMarker *marker : legend->markers()) {
        if (!marker->isVisible())
            continue;
        shown.append(marker->label());
        const int w = metrics.horizontalAdvance(marker->label());
        widest = std::max(widest, w);
        narrowest = std::min(narrowest, w);
    }
    const qreal slack = widest > 0 ? widest - narrowest : 0;
    const qreal width = std::max(plot.width() - slack, qreal(widest + 40));
    legend->setGeometry(QRectF(plot.left() - 6, 0, width, plot.top()));
    // The time axis moves a dozen times in a live run: the entries wrap again only when the width or
    // the entries changed.
    if (width == m_legendLaidOut.first && shown == m_legendLaidOut.second)
        return m_legendHeight;
    m_legendLaidOut = {width, shown};
    legend->layout()->activate();
    // Down to its lowest label: a row of labels is as high as one would be alone.
    qreal lowest = 0;
    const std::function<void(QGraphicsItem *)> collect = [&](QGraphicsItem *item) {
        for (QGraphicsItem *child : item->childItems()) {
            if (!child->isVisible())
                continue;
            if (dynamic_cast<QGraphicsTextItem *>(child))
                lowest = std::max(lowest, child->mapRectToItem(legend, child->boundingRect()).bottom());
            collect(child);
        }
    };
    collect(legend);
    return std::max(kLegendOneRow, int(std::ceil(lowest)));
}

} // namespace cs
