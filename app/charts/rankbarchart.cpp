#include "rankbarchart.h"

#include "timeaxis.h"
#include "units.h"

#include <QPainter>

#include <algorithm>
#include <cmath>

namespace cs {

namespace {
constexpr int kTitleHeight = 20;
constexpr int kRowHeight = 20;
constexpr int kGap = 16; // between the two columns
constexpr int kValueWidth = 76; // the value printed after each bar
const QColor kWallColor(0x4c, 0x78, 0xa8);
const QColor kSlowColor(0xd9, 0x6a, 0x1f);
const QColor kBytesColor(0x8c, 0x9a, 0xa8);
const QColor kTrack(0xf1, 0xf1, 0xf1);
const QColor kTextColor(0x50, 0x50, 0x50);
} // namespace

RankBarChart::RankBarChart(QWidget *parent)
    : QWidget(parent)
{
    setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Fixed);
}

void RankBarChart::setRanks(const QList<RankFigures> &figures)
{
    m_figures = figures;
    m_maxWall = 0;
    m_maxBytes = 0;
    double sum = 0;
    m_slowest = -1;
    for (qsizetype i = 0; i < figures.size(); ++i) {
        sum += figures.at(i).wallSeconds;
        m_maxBytes = std::max(m_maxBytes, figures.at(i).bytes);
        if (figures.at(i).wallSeconds > m_maxWall) {
            m_maxWall = figures.at(i).wallSeconds;
            m_slowest = int(i);
        }
    }
    m_meanWall = figures.isEmpty() ? 0 : sum / double(figures.size());
    if (m_meanWall <= 0 || m_maxWall / m_meanWall < kRankBoundImbalance)
        m_slowest = -1;
    updateGeometry();
    update();
}

QString RankBarChart::wallTitle() const
{
    // The slowest rank named as the verdict names it, when it holds the run back.
    if (m_slowest < 0)
        return QStringLiteral("wall time per rank");
    return QStringLiteral("wall time per rank · rank %1 %2× the mean")
        .arg(m_figures.at(m_slowest).rank)
        .arg(m_maxWall / m_meanWall, 0, 'f', 2);
}

QSize RankBarChart::sizeHint() const
{
    return QSize(800, kTitleHeight + int(m_figures.size()) * kRowHeight + 6);
}

QSize RankBarChart::minimumSizeHint() const
{
    return QSize(300, sizeHint().height());
}

int RankBarChart::barSpan() const
{
    const int plot = width() - TimeAxis::kLeftMargin - TimeAxis::kRightMargin;
    return std::max(10, (plot - kGap) / 2 - kValueWidth);
}

int RankBarChart::wallColumn() const
{
    return TimeAxis::kLeftMargin;
}

int RankBarChart::bytesColumn() const
{
    return wallColumn() + barSpan() + kValueWidth + kGap;
}

QRect RankBarChart::rowBand(int index) const
{
    return QRect(0, kTitleHeight + index * kRowHeight, width(), kRowHeight);
}

QRect RankBarChart::barRect(int index, int column, double fraction) const
{
    if (index < 0 || index >= m_figures.size())
        return {};
    const QRect band = rowBand(index).adjusted(0, 4, 0, -4);
    const int length = int(std::lround(std::clamp(fraction, 0.0, 1.0) * barSpan()));
    return QRect(column, band.top(), std::max(1, length), band.height());
}

QRect RankBarChart::wallBarRect(int index) const
{
    const double wall = index >= 0 && index < m_figures.size() ? m_figures.at(index).wallSeconds : 0;
    return barRect(index, wallColumn(), m_maxWall > 0 ? wall / m_maxWall : 0);
}

QRect RankBarChart::bytesBarRect(int index) const
{
    const int64_t bytes = index >= 0 && index < m_figures.size() ? m_figures.at(index).bytes : 0;
    return barRect(index, bytesColumn(), m_maxBytes > 0 ? double(bytes) / double(m_maxBytes) : 0);
}

void RankBarChart::paintEvent(QPaintEvent *)
{
    QPainter p(this);
    p.fillRect(rect(), palette().color(QPalette::Base));
    p.setPen(kTextColor);
    QFont bold = font();
    bold.setBold(true);
    p.setFont(bold);
    const QRect title(0, 0, width(), kTitleHeight);
    p.drawText(title.adjusted(wallColumn(), 0, 0, 0), Qt::AlignLeft | Qt::AlignVCenter, wallTitle());
    p.drawText(title.adjusted(bytesColumn(), 0, 0, 0), Qt::AlignLeft | Qt::AlignVCenter,
               QStringLiteral("bytes copied per rank"));
    p.setFont(font());
    for (int i = 0; i < int(m_figures.size()); ++i) {
        const RankFigures &f = m_figures.at(i);
        const QRect band = rowBand(i);
        p.setPen(kTextColor);
        p.drawText(QRect(0, band.top(), wallColumn() - 6, band.height()), Qt::AlignRight | Qt::AlignVCenter,
                   QStringLiteral("rank %1").arg(f.rank));
        const QRect wall = wallBarRect(i);
        const QRect bytes = bytesBarRect(i);
        p.fillRect(QRect(wall.left(), wall.top(), barSpan(), wall.height()), kTrack);
        p.fillRect(QRect(bytes.left(), bytes.top(), barSpan(), bytes.height()), kTrack);
        p.fillRect(wall, i == m_slowest ? kSlowColor : kWallColor);
        p.fillRect(bytes, kBytesColor);
        p.setPen(kTextColor);
        p.drawText(QRect(wall.left() + barSpan() + 6, band.top(), kValueWidth - 6, band.height()),
                   Qt::AlignLeft | Qt::AlignVCenter, formatSeconds(f.wallSeconds));
        p.drawText(QRect(bytes.left() + barSpan() + 6, band.top(), kValueWidth - 6, band.height()),
                   Qt::AlignLeft | Qt::AlignVCenter, formatMemory(f.bytes));
    }
}

} // namespace cs
