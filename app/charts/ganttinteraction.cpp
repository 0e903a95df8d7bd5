// What a Gantt chart answers to: tooltips, legend clicks, the task found with Ctrl+F, and the mouse
// (pan, zoom to a range, select a range, wheel zoom). Its painting is in ganttchart.cpp.
#include "ganttchart.h"

#include "profiler/cpusplit.h"
#include "timeaxis.h"
#include "units.h"

#include <QMouseEvent>
#include <QToolTip>
#include <QWheelEvent>

#include <algorithm>
#include <cmath>

namespace cs {

// "on CPU 4.000 ms, waiting for a CPU 1.000 ms, blocked 3.000 ms" and the thread's context switches
// and page faults over the task, when they were measured.
static QString cpuUsageText(const TaskEvent &e)
{
    CpuSplit split;
    if (!cpuSplit(e, &split))
        return {};
    const TaskUsage &u = e.usage;
    QString text = QStringLiteral("<br>on CPU %1").arg(formatDurationNs(split.onCpuNs));
    text += u.runqNs >= 0 ? QStringLiteral(", waiting for a CPU %1").arg(formatDurationNs(split.runqNs))
                          : QStringLiteral(", waiting for a CPU: not measured");
    text += QStringLiteral(", blocked %1").arg(formatDurationNs(split.blockedNs + split.waitNs));
    text += QStringLiteral("<br>context switches %1 voluntary, %2 involuntary<br>page faults %3")
                .arg(u.volCs)
                .arg(u.involCs)
                .arg(u.minflt);
    return text;
}

QString GanttChart::toolTipAt(const QPoint &pos) const
{
    const int worker = rowAt(pos.y());
    if (worker < 0 || !plotRect().contains(pos))
        return {};
    const int64_t t = int64_t(m_axis->t(pos.x()) * 1e9);
    const int64_t tolerance = int64_t(2e9 / m_axis->scale()) + 1; // two pixels
    TaskEvent e;
    const int64_t index = m_data.hit(worker, t, tolerance);
    bool found = index >= 0;
    if (found)
        e = m_data.event(worker, size_t(index));
    for (const TaskEvent &f : m_data.inFlight()) {
        const int64_t end = f.isRunning() ? m_data.nowNs() : f.endNs;
        if (f.worker == worker && t >= f.startNs - tolerance && t <= end + tolerance) {
            e = f;
            found = true;
        }
    }
    if (!found)
        return {};

    QString region;
    QString chunk;
    const ChunkGrid &grid = m_data.grid();
    if (grid.rank() > 0 && e.task >= 0 && e.task < grid.chunkCount()) {
        chunk = grid.chunkCoords(e.task).toString();
        region = grid.chunkRegion(e.task).toString();
    }
    QString html = QStringLiteral("<b>task %1</b>").arg(e.task);
    if (!chunk.isEmpty())
        html += QStringLiteral(" &nbsp;chunk %1<br>region %2").arg(chunk, region);
    if (const RankGroup *g = groupOfRow(e.worker))
        html += QStringLiteral("<br>rank %1, worker %2<br>").arg(g->rank).arg(e.worker - g->firstRow);
    else
        html += QStringLiteral("<br>worker %1<br>").arg(e.worker);
    if (e.isRunning()) {
        html += QStringLiteral("start %1, running for %2")
                    .arg(formatSeconds(double(e.startNs) / 1e9, 6), formatDurationNs(m_data.nowNs() - e.startNs));
        return html;
    }
    html += QStringLiteral("start %1<br>end %2<br>duration %3<br>bytes %4 (%5)")
                .arg(formatSeconds(double(e.startNs) / 1e9, 6), formatSeconds(double(e.endNs) / 1e9, 6),
                     formatDurationNs(e.durationNs()), formatMemory(e.bytes))
                .arg(e.bytes);
    html += cpuUsageText(e);
    if (e.passthrough)
        html += QStringLiteral("<br>passed through: its chunk moved as stored, not decoded");
    html += QStringLiteral("<table cellspacing=0 cellpadding=1>");
    const auto s = segmentTimes(e);
    for (int k = 0; k < kSegmentCount; ++k) {
        if (s[size_t(k)] <= 0)
            continue;
        html += QStringLiteral("<tr><td><font color='%1'>&#9632;</font> %2</td><td align=right>&nbsp;%3</td></tr>")
                    .arg(segmentColor(k).name(), segmentLabel(k), formatDurationNs(s[size_t(k)]));
    }
    html += QStringLiteral("</table>");
    return html;
}

void GanttChart::setSegmentShown(int segment, bool shown)
{
    if (segment < 0 || segment >= kSegmentCount)
        return;
    m_hidden[size_t(segment)] = !shown;
    update();
}

bool GanttChart::highlightTask(int64_t task)
{
    m_highlightTask = -1;
    for (int w = 0; task >= 0 && w < m_data.workers() && m_highlightTask < 0; ++w) {
        const std::vector<int64_t> &tasks = m_data.row(w).task;
        const auto it = std::find(tasks.begin(), tasks.end(), task);
        if (it != tasks.end()) {
            m_highlightTask = task;
            m_highlightWorker = w;
            m_highlightIndex = size_t(it - tasks.begin());
        }
    }
    update();
    return m_highlightTask >= 0;
}

TaskEvent GanttChart::highlightedEvent() const
{
    // The data may have been cleared or re-sorted since: then nothing is highlighted.
    if (m_highlightTask < 0 || m_highlightWorker >= m_data.workers()
        || m_highlightIndex >= m_data.row(m_highlightWorker).size()
        || m_data.row(m_highlightWorker).task[m_highlightIndex] != m_highlightTask)
        return TaskEvent();
    return m_data.event(m_highlightWorker, m_highlightIndex);
}

QRect GanttChart::legendRect(int segment) const
{
    return m_showLegend && segment >= 0 && segment < kSegmentCount ? m_legendRects[size_t(segment)] : QRect();
}

void GanttChart::mousePressEvent(QMouseEvent *event)
{
    if (event->button() == Qt::LeftButton && m_showLegend) {
        for (int s = 0; s < kSegmentCount; ++s) {
            if (m_legendRects[size_t(s)].contains(event->position().toPoint())) {
                setSegmentShown(s, m_hidden[size_t(s)]);
                emit segmentToggled(s, isSegmentShown(s));
                return;
            }
        }
    }
    // Drag pans; Shift+drag zooms to the range dragged over; a right-drag selects a range.
    const QPoint pos = event->position().toPoint();
    if (const int rank = rankHeaderAt(pos); rank >= 0 && event->button() == Qt::LeftButton) {
        setRankCollapsed(rank, !isRankCollapsed(rank));
        return;
    }
    if (event->button() == Qt::LeftButton && !(event->modifiers() & Qt::ShiftModifier)) {
        m_drag = Drag::Pan;
        setCursor(Qt::ClosedHandCursor);
    } else if (event->button() == Qt::LeftButton || event->button() == Qt::RightButton) {
        m_drag = event->button() == Qt::LeftButton ? Drag::Zoom : Drag::Select;
        m_rangeFrom = m_rangeTo = std::clamp(pos.x(), plotRect().left(), plotRect().right());
        setCursor(Qt::SizeHorCursor);
    }
    m_dragFrom = pos;
}

void GanttChart::mouseMoveEvent(QMouseEvent *event)
{
    const QPoint pos = event->position().toPoint();
    const QRect plot = plotRect();
    if (m_drag == Drag::Pan) {
        m_axis->panPixels(pos.x() - m_dragFrom.x());
        m_dragFrom = pos;
    } else if (m_drag != Drag::None) {
        m_rangeTo = std::clamp(pos.x(), plot.left(), plot.right());
        update();
    }
    if (pos.x() >= plot.left() && pos.x() <= plot.right())
        m_axis->setCursor(m_axis->t(pos.x()));
    else
        m_axis->setCursor(std::nan(""));
    const QString tip = m_drag != Drag::None ? QString() : toolTipAt(pos);
    if (tip.isEmpty())
        QToolTip::hideText();
    else
        QToolTip::showText(event->globalPosition().toPoint(), tip, this);
}

void GanttChart::mouseReleaseEvent(QMouseEvent *)
{
    const Drag drag = m_drag;
    m_drag = Drag::None;
    unsetCursor();
    // A range narrower than a few pixels is a click: it clears a selection and zooms nowhere.
    const bool range = std::abs(m_rangeTo - m_rangeFrom) >= 3;
    const double a = m_axis->t(std::min(m_rangeFrom, m_rangeTo));
    const double b = m_axis->t(std::max(m_rangeFrom, m_rangeTo));
    if (drag == Drag::Zoom && range)
        m_axis->setRange(a, b);
    else if (drag == Drag::Select)
        range ? m_axis->setSelection(a, b) : m_axis->clearSelection();
    update();
}

void GanttChart::mouseDoubleClickEvent(QMouseEvent *)
{
    m_axis->resetZoom();
}

void GanttChart::wheelEvent(QWheelEvent *event)
{
    const double steps = event->angleDelta().y() / 120.0;
    if (steps != 0)
        m_axis->zoomAt(event->position().x(), std::pow(1.25, steps));
    event->accept();
}

void GanttChart::leaveEvent(QEvent *)
{
    m_axis->setCursor(std::nan(""));
}

} // namespace cs
