// What the pointer does over a resource chart (ResourceChart): the cursor line shared with the view's
// other charts, the nearest sample as a tooltip, drag to pan and the wheel to zoom the shared time
// axis. The rest of the chart is in resourcechart.cpp.
#include "resourcechart.h"

#include "timeaxis.h"
#include "units.h"

#include <QGraphicsLineItem>
#include <QMouseEvent>
#include <QToolTip>
#include <QWheelEvent>

#include <algorithm>
#include <cmath>

namespace cs {

void ResourceChart::updateCursor()
{
    const double t = m_axis->cursor();
    const QRectF plot = chart()->plotArea();
    if (std::isnan(t) || t < m_axis->t0() || t > m_axis->t1()) {
        m_cursorLine->hide();
        return;
    }
    const double x = std::floor(m_axis->x(t)) + 0.5;
    m_cursorLine->setLine(x, plot.top(), x, plot.bottom());
    m_cursorLine->show();
}

namespace {
// The sample nearest to time t (ns); null when there are none.
const ResourceSample *nearestSample(const std::vector<ResourceSample> &samples, int64_t t)
{
    if (samples.empty())
        return nullptr;
    auto it = std::lower_bound(samples.begin(), samples.end(), t,
                               [](const ResourceSample &s, int64_t v) { return s.tNs < v; });
    if (it == samples.end() || (it != samples.begin() && t - std::prev(it)->tNs < it->tNs - t))
        it = it == samples.begin() ? it : std::prev(it);
    return &*it;
}
} // namespace

QString ResourceChart::toolTipFor(double seconds) const
{
    const int64_t t = int64_t(seconds * 1e9);
    if (m_kind == Kind::Overlay) {
        QString text = QStringLiteral("<b>samples at %1</b>").arg(formatSeconds(seconds, 3));
        for (const OverlayRun &run : m_overlay)
            if (const ResourceSample *s = nearestSample(run.samples, t))
                text += QStringLiteral("<br><font color='%1'>&#9632;</font> %2: CPU %3, RSS %4")
                            .arg(run.color.name(), run.name.toHtmlEscaped(), formatPercent(s->cpuPercent),
                                 formatMemory(s->rssBytes));
        return m_overlay.empty() ? QString() : text;
    }
    const ResourceSample *nearest = nearestSample(m_samples, t);
    if (!nearest)
        return {};
    const ResourceSample &s = *nearest;
    if (m_kind == Kind::Wire)
        return wireToolTip(s);
    QString text
        = QStringLiteral("<b>sample at %1</b><br>CPU %2<br>RSS %3<br>in flight %4<br>minor faults %5/s")
              .arg(formatSeconds(double(s.tNs) / 1e9, 3), formatPercent(s.cpuPercent), formatMemory(s.rssBytes),
                   formatMemory(s.inflightBytes), QString::number(s.minorFaultsPerSec, 'f', 0));
    if (s.uiCpuPercent >= 0)
        text += QStringLiteral("<br>Chunkscope window %1").arg(formatPercent(s.uiCpuPercent));
    return text;
}

void ResourceChart::mousePressEvent(QMouseEvent *event)
{
    if (event->button() == Qt::LeftButton) {
        m_dragging = true;
        m_dragFrom = event->position().toPoint();
        setCursor(Qt::ClosedHandCursor);
    }
}

void ResourceChart::mouseMoveEvent(QMouseEvent *event)
{
    const QPoint pos = event->position().toPoint();
    if (m_dragging) {
        m_axis->panPixels(pos.x() - m_dragFrom.x());
        m_dragFrom = pos;
    }
    const QRectF plot = chart()->plotArea();
    if (pos.x() >= plot.left() && pos.x() <= plot.right()) {
        const double t = m_axis->t(pos.x());
        m_axis->setCursor(t);
        const QString tip = m_dragging ? QString() : toolTipFor(t);
        if (!tip.isEmpty() && plot.contains(pos)) {
            QToolTip::showText(event->globalPosition().toPoint(), tip, this);
            return;
        }
    } else {
        m_axis->setCursor(std::nan(""));
    }
    QToolTip::hideText();
}

void ResourceChart::mouseReleaseEvent(QMouseEvent *)
{
    m_dragging = false;
    unsetCursor();
}

void ResourceChart::mouseDoubleClickEvent(QMouseEvent *)
{
    m_axis->resetZoom();
}

void ResourceChart::wheelEvent(QWheelEvent *event)
{
    const double steps = event->angleDelta().y() / 120.0;
    if (steps != 0)
        m_axis->zoomAt(event->position().x(), std::pow(1.25, steps));
    event->accept();
}

void ResourceChart::leaveEvent(QEvent *)
{
    m_axis->setCursor(std::nan(""));
}

} // namespace cs
