// Where a Gantt chart's rows lie: one band per worker, and for an MPI job's run a header per rank
// above its workers' rows, which a click collapses to the header alone.
#include "ganttchart.h"

#include "timeaxis.h"

#include <QPainter>

#include <algorithm>
#include <cmath>
#include <tuple>

namespace cs {

namespace {
const QColor kHeaderFill(0xe6, 0xec, 0xf3);
const QColor kHeaderEdge(0xc4, 0xcf, 0xdc);
const QColor kHeaderText(0x2a, 0x3a, 0x4e);
} // namespace

GanttChart::RowsLayout GanttChart::layoutRows() const
{
    RowsLayout l;
    const QRect plot = plotRect();
    const int workers = m_data.workers();
    l.rows.assign(size_t(std::max(0, workers)), {plot.top(), plot.top()});
    if (m_rankGroups.isEmpty())
        return l; // rowRect() and rowAt() place the rows of one process themselves
    // Headers keep their height; the rows of expanded ranks share what is left.
    int shown = 0;
    for (const RankGroup &g : m_rankGroups)
        shown += isRankCollapsed(g.rank) ? 0 : g.rows;
    const int headers = int(m_rankGroups.size()) * kRankHeaderHeight;
    const double h = double(std::max(0, plot.height() - headers)) / std::max(1, shown);
    double y = plot.top();
    for (const RankGroup &g : m_rankGroups) {
        l.headers.push_back(QRect(0, int(std::lround(y)), width(), kRankHeaderHeight));
        y += kRankHeaderHeight;
        const bool collapsed = isRankCollapsed(g.rank);
        for (int r = g.firstRow; r < g.firstRow + g.rows && r < workers; ++r) {
            const int top = int(std::lround(y));
            if (!collapsed)
                y += h;
            l.rows[size_t(r)] = {top, int(std::lround(y))};
        }
    }
    return l;
}

QRect GanttChart::rowRect(int worker) const
{
    const QRect plot = plotRect();
    int top = 0;
    int bottom = 0;
    if (m_rankGroups.isEmpty()) {
        // Every row alike: computed alone, as the painting asks for one row after another.
        const double h = double(plot.height()) / std::max(1, m_data.workers());
        top = plot.top() + int(std::lround(worker * h));
        bottom = plot.top() + int(std::lround((worker + 1) * h));
    } else {
        const RowsLayout l = layoutRows();
        if (worker < 0 || size_t(worker) >= l.rows.size())
            return {};
        std::tie(top, bottom) = l.rows[size_t(worker)];
        if (bottom <= top)
            return {};
    }
    const int pad = std::max(1, int((bottom - top) * 0.14));
    return QRect(plot.left(), top + pad, plot.width(), std::max(1, bottom - top - 2 * pad));
}

int GanttChart::rowAt(int y) const
{
    const QRect plot = plotRect();
    if (y < plot.top() || y > plot.bottom() || m_data.workers() == 0)
        return -1;
    if (m_rankGroups.isEmpty())
        return std::clamp(int((y - plot.top()) * m_data.workers() / plot.height()), 0, m_data.workers() - 1);
    const RowsLayout l = layoutRows();
    for (size_t w = 0; w < l.rows.size(); ++w)
        if (y >= l.rows[w].first && y < l.rows[w].second)
            return int(w);
    return -1;
}

void GanttChart::setRankGroups(QList<RankGroup> groups)
{
    m_rankGroups = std::move(groups);
    m_collapsedRanks.clear();
    ++m_rowsVersion;
    updateGeometry();
    update();
}

void GanttChart::setRankCollapsed(int rank, bool collapsed)
{
    if (isRankCollapsed(rank) == collapsed)
        return;
    if (collapsed)
        m_collapsedRanks.insert(rank);
    else
        m_collapsedRanks.remove(rank);
    ++m_rowsVersion;
    updateGeometry();
    update();
    emit rankCollapsedChanged(rank, collapsed);
}

QRect GanttChart::rankHeaderRect(int rank) const
{
    const RowsLayout l = layoutRows();
    for (qsizetype i = 0; i < m_rankGroups.size(); ++i)
        if (m_rankGroups.at(i).rank == rank)
            return l.headers[size_t(i)];
    return {};
}

const GanttChart::RankGroup *GanttChart::groupOfRow(int row) const
{
    for (const RankGroup &g : m_rankGroups)
        if (row >= g.firstRow && row < g.firstRow + g.rows)
            return &g;
    return nullptr;
}

int GanttChart::rankHeaderAt(const QPoint &pos) const
{
    const RowsLayout l = layoutRows();
    for (size_t i = 0; i < l.headers.size(); ++i)
        if (l.headers[i].contains(pos))
            return m_rankGroups.at(qsizetype(i)).rank;
    return -1;
}

void GanttChart::paintRankHeaders(QPainter &p) const
{
    const RowsLayout l = layoutRows();
    QFont bold = font();
    bold.setBold(true);
    p.save();
    p.setFont(bold);
    for (size_t i = 0; i < l.headers.size(); ++i) {
        const RankGroup &g = m_rankGroups.at(qsizetype(i));
        const QRect r = l.headers[i].adjusted(0, 1, 0, -1);
        p.fillRect(r, kHeaderFill);
        p.setPen(kHeaderEdge);
        p.drawLine(r.bottomLeft(), r.bottomRight());
        // A disclosure triangle, pointing down while the rank's rows show, right while collapsed.
        const int cx = 12;
        const int cy = r.center().y();
        QPolygon triangle;
        if (isRankCollapsed(g.rank))
            triangle << QPoint(cx - 3, cy - 5) << QPoint(cx + 3, cy) << QPoint(cx - 3, cy + 5);
        else
            triangle << QPoint(cx - 5, cy - 3) << QPoint(cx + 5, cy - 3) << QPoint(cx, cy + 3);
        p.setPen(Qt::NoPen);
        p.setBrush(kHeaderText);
        p.drawPolygon(triangle);
        p.setPen(kHeaderText);
        p.drawText(r.adjusted(24, 0, -TimeAxis::kRightMargin, 0), Qt::AlignLeft | Qt::AlignVCenter, g.label);
    }
    p.restore();
}

} // namespace cs
