#include "scalingchart.h"

#include "pictureexport.h"
#include "scalingtablemodel.h"
#include "units.h"

#include <QChart>
#include <QChartView>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLegend>
#include <QLegendMarker>
#include <QLineSeries>
#include <QPainter>
#include <QScrollBar>
#include <QStyledItemDelegate>
#include <QTableView>
#include <QToolTip>
#include <QVBoxLayout>
#include <QValueAxis>

#include <algorithm>
#include <cmath>
#include <limits>

namespace cs {

namespace {

// Paints each row's line colour as a swatch at the left of the workers cell. Drawn with fillRect
// rather than as a decoration icon, which would reach an SVG export only as a bitmap.
class SwatchDelegate : public QStyledItemDelegate {
public:
    using QStyledItemDelegate::QStyledItemDelegate;
    void paint(QPainter *painter, const QStyleOptionViewItem &option, const QModelIndex &index) const override
    {
        QStyledItemDelegate::paint(painter, option, index);
        const QColor color = index.data(ScalingTableModel::ColorRole).value<QColor>();
        if (!color.isValid())
            return;
        const int side = std::max(6, option.rect.height() / 2);
        painter->fillRect(QRect(option.rect.left() + 6, option.rect.center().y() - side / 2 + 1, side, side), color);
    }
    QSize sizeHint(const QStyleOptionViewItem &option, const QModelIndex &index) const override
    {
        const QSize size = QStyledItemDelegate::sizeHint(option, index);
        return QSize(size.width() + size.height() / 2 + 12, size.height());
    }
};

// A step between workers ticks that leaves at most about ten labels.
double workersStep(int span)
{
    for (const int step : {1, 2, 4, 5, 8, 10, 16, 20, 25, 32, 50, 64, 100})
        if (span / step <= 10)
            return step;
    return std::ceil(span / 10.0);
}

// The chart view that draws each point's 95 % interval as an error bar over the lines: Qt Charts has
// no error bar series, and the scene's own mapping keeps the bars on their points at any size.
class ErrorBarView : public QChartView {
public:
    ErrorBarView(QChart *chart, const ScalingChart *owner, QWidget *parent)
        : QChartView(chart, parent)
        , m_owner(owner)
    {
    }

protected:
    void drawForeground(QPainter *painter, const QRectF &rect) override
    {
        QChartView::drawForeground(painter, rect);
        if (!m_owner->hasSummary())
            return;
        painter->save();
        // Crisp, in the line's own colour, so the bar reads as part of its line.
        painter->setRenderHint(QPainter::Antialiasing, false);
        painter->setClipRect(chart()->plotArea());
        const QList<QLineSeries *> series = m_owner->series();
        const QList<ScalingLine> &lines = m_owner->summary().lines;
        for (int i = 0; i < lines.size() && i < series.size(); ++i) {
            painter->setPen(QPen(ScalingChart::lineColor(i), kErrorBarPen, Qt::SolidLine, Qt::FlatCap));
            for (const ScalingPoint &p : lines[i].points) {
                if (!p.gbpsCi)
                    continue;
                const QPointF low = chart()->mapToPosition(QPointF(p.workers, p.gbpsCi->low), series[i]);
                const QPointF high = chart()->mapToPosition(QPointF(p.workers, p.gbpsCi->high), series[i]);
                const double x = std::round(low.x());
                painter->drawLine(QPointF(x, low.y()), QPointF(x, high.y()));
                for (const double y : {low.y(), high.y()})
                    painter->drawLine(QPointF(x - kErrorBarCap, y), QPointF(x + kErrorBarCap, y));
            }
        }
        painter->restore();
    }

private:
    static constexpr double kErrorBarPen = 2;
    static constexpr double kErrorBarCap = 5;
    const ScalingChart *m_owner;
};

} // namespace

QColor ScalingChart::lineColor(int index)
{
    return scalingLineColor(index);
}

ScalingChart::ScalingChart(QWidget *parent)
    : QWidget(parent)
    , m_title(new QLabel(this))
    , m_message(new QLabel(this))
    , m_body(new QWidget(this))
    , m_chart(new QChart)
    , m_view(new ErrorBarView(m_chart, this, m_body))
    , m_workersAxis(new QValueAxis)
    , m_throughputAxis(new QValueAxis)
    , m_table(new QTableView(m_body))
    , m_model(new ScalingTableModel(this))
    , m_note(new QLabel(this))
{
    setAutoFillBackground(true);
    QPalette pal = palette();
    pal.setColor(QPalette::Window, pal.color(QPalette::Base));
    setPalette(pal);

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(12, 8, 12, 8);
    layout->setSpacing(6);
    m_title->setTextFormat(Qt::RichText);
    m_title->setSizePolicy(QSizePolicy::Ignored, QSizePolicy::Preferred);
    layout->addWidget(m_title);
    m_message->setAlignment(Qt::AlignCenter);
    m_message->setWordWrap(true);
    m_message->setStyleSheet(QStringLiteral("color: #777; font-size: 12pt; padding: 40px;"));
    layout->addWidget(m_message, 1);
    layout->addWidget(m_body, 1);

    m_chart->setBackgroundRoundness(0);
    m_chart->setMargins(QMargins(4, 4, 4, 4));
    m_chart->setAnimationOptions(QChart::NoAnimation);
    m_chart->legend()->setAlignment(Qt::AlignTop);
    m_chart->legend()->setMarkerShape(QLegend::MarkerShapeRectangle);
    m_workersAxis->setTitleText(tr("workers"));
    m_workersAxis->setLabelFormat(QStringLiteral("%.0f"));
    m_workersAxis->setTickType(QValueAxis::TicksDynamic);
    m_workersAxis->setTickAnchor(0);
    m_workersAxis->setMinorGridLineVisible(false);
    m_workersAxis->setGridLineColor(QColor(0xe4, 0xe4, 0xe4));
    m_throughputAxis->setTitleText(tr("GB/s"));
    m_throughputAxis->setGridLineColor(QColor(0xe4, 0xe4, 0xe4));
    m_chart->addAxis(m_workersAxis, Qt::AlignBottom);
    m_chart->addAxis(m_throughputAxis, Qt::AlignLeft);
    m_view->setRenderHint(QPainter::Antialiasing, true);
    m_view->setFrameShape(QFrame::NoFrame);
    m_view->setMinimumSize(320, 240);

    m_table->setModel(m_model);
    m_table->setItemDelegateForColumn(ScalingTableModel::WorkersColumn, new SwatchDelegate(m_table));
    m_table->verticalHeader()->hide();
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setAlternatingRowColors(true);
    m_table->setWordWrap(false);
    m_table->setSizePolicy(QSizePolicy::Preferred, QSizePolicy::Expanding);
    m_table->setHorizontalScrollBarPolicy(Qt::ScrollBarAsNeeded);
    m_table->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    m_table->horizontalHeader()->setStretchLastSection(true);
    // Plain sections: the style's gradient would reach an SVG only as a bitmap.
    m_table->horizontalHeader()->setStyleSheet(
        QStringLiteral("QHeaderView::section { background: #f2f2f2; border: none; border-bottom: 1px solid #c8c8c8; "
                       "border-right: 1px solid #dcdcdc; padding: 3px 6px; }"));
    m_table->setMinimumWidth(240);
    m_note->setWordWrap(true);
    m_note->setStyleSheet(QStringLiteral("color: #8a5a00;"));
    m_note->hide();

    m_side = new QWidget(m_body);
    auto *side = new QVBoxLayout(m_side);
    side->setContentsMargins(0, 0, 0, 0);
    side->setSpacing(6);
    side->addWidget(m_table, 100);
    auto *legend = new QLabel(tr("speed-up: the line's GB/s over its GB/s with 1 worker\n"
                                 "efficiency: speed-up ÷ workers (100 % is linear scaling)\n"
                                 "bound by: the verdict of the run nearest the median"),
                              m_side);
    legend->setWordWrap(true);
    legend->setStyleSheet(QStringLiteral("color: #666;"));
    side->addWidget(legend);
    side->addWidget(m_note);
    side->addStretch(1);
    auto *row = new QHBoxLayout(m_body);
    row->setContentsMargins(0, 0, 0, 0);
    row->setSpacing(12);
    row->addWidget(m_view, 3);
    row->addWidget(m_side, 2);

    for (QHeaderView *h : {m_table->horizontalHeader(), m_table->verticalHeader()}) {
        connect(h, &QHeaderView::sectionResized, this, &ScalingChart::fitTable);
        connect(h, &QHeaderView::geometriesChanged, this, &ScalingChart::fitTable);
    }
    showMessage(tr("Run a sweep (a run with lists of workers, lock or chunks) and select its runs to see how the "
                   "copy scales."));
}

ScalingChart::~ScalingChart()
{
    // The table's headers outlive this object's own destructor and may still report sections.
    for (QHeaderView *h : {m_table->horizontalHeader(), m_table->verticalHeader()})
        disconnect(h, nullptr, this, nullptr);
}

QSize ScalingChart::sizeHint() const
{
    return QSize(1000, 560);
}

void ScalingChart::showMessage(const QString &text)
{
    m_hasSummary = false;
    m_summary = SweepSummary();
    m_model->setSummary(m_summary);
    rebuildSeries();
    m_title->clear();
    m_title->hide();
    m_body->hide();
    m_message->setText(text);
    m_message->show();
}

QString ScalingChart::throughputAxisTitle() const
{
    return m_throughputAxis->titleText();
}

void ScalingChart::setSummary(const SweepSummary &summary)
{
    bool sameLines = m_hasSummary && summary.lines.size() == m_summary.lines.size();
    for (int i = 0; sameLines && i < summary.lines.size(); ++i)
        sameLines = summary.lines[i].label == m_summary.lines[i].label;
    m_summary = summary;
    m_hasSummary = true;
    m_model->setSummary(summary);
    if (sameLines) {
        for (int i = 0; i < m_series.size(); ++i) {
            QList<QPointF> points;
            for (const ScalingPoint &p : m_summary.lines[i].points)
                points.append(QPointF(p.workers, p.gbps));
            m_series[i]->replace(points);
        }
    } else {
        rebuildSeries();
    }
    updateAxes();

    int runs = 0;
    int fewest = std::numeric_limits<int>::max();
    int most = 0;
    for (const ScalingLine &l : m_summary.lines)
        for (const ScalingPoint &p : l.points) {
            runs += p.repeats;
            fewest = std::min(fewest, p.repeats);
            most = std::max(most, p.repeats);
        }
    bool intervals = false;
    for (const ScalingLine &l : m_summary.lines)
        for (const ScalingPoint &p : l.points)
            intervals = intervals || p.gbpsCi.has_value();
    // A point of one run is that run, not a median.
    QString axisTitle = most <= 1 ? tr("GB/s")
        : fewest == most          ? tr("GB/s (median of %1)").arg(most)
                                  : tr("GB/s (median of up to %1)").arg(most);
    if (intervals)
        axisTitle.insert(axisTitle.size() - 1, tr("; bars: 95 % CI"));
    m_throughputAxis->setTitleText(axisTitle);
    m_view->viewport()->update(); // the error bars, drawn over the scene
    QString title = tr("<b>Scaling of %1</b>").arg(m_summary.name.toHtmlEscaped());
    title += tr(" &nbsp;·&nbsp; throughput against workers, one line per %1")
                 .arg(m_summary.swept.contains(QLatin1String("chunks"))
                          ? (m_summary.swept.contains(QLatin1String("lock")) ? tr("lock mode and chunk shape")
                                                                             : tr("chunk shape"))
                          : tr("lock mode"));
    title += tr(" &nbsp;·&nbsp; %1 finished runs").arg(runs);
    m_title->setText(title);
    m_title->show();
    m_note->setText(m_summary.note);
    m_note->setVisible(!m_summary.note.isEmpty());
    m_table->resizeColumnsToContents();
    fitTable();
    m_message->hide();
    m_body->show();
}

void ScalingChart::rebuildSeries()
{
    for (QLineSeries *s : std::as_const(m_series)) {
        m_chart->removeSeries(s);
        delete s;
    }
    m_series.clear();
    for (int i = 0; i < m_summary.lines.size(); ++i) {
        const ScalingLine &line = m_summary.lines[i];
        auto *s = new QLineSeries;
        s->setName(line.label);
        QPen pen(lineColor(i), 2.5);
        pen.setCapStyle(Qt::RoundCap);
        s->setPen(pen);
        s->setColor(lineColor(i));
        s->setPointsVisible(true);
        s->setMarkerSize(9);
        for (const ScalingPoint &p : line.points)
            s->append(p.workers, p.gbps);
        m_chart->addSeries(s);
        m_series.append(s);
        s->attachAxis(m_workersAxis);
        s->attachAxis(m_throughputAxis);
        connect(s, &QLineSeries::hovered, this, [this, i](const QPointF &at, bool state) {
            if (!state || i >= m_summary.lines.size()) {
                QToolTip::hideText();
                return;
            }
            const ScalingLine &l = m_summary.lines[i];
            const ScalingPoint *p = l.point(int(std::lround(at.x())));
            if (!p)
                return;
            QString rate = formatRate(p->gbps);
            if (p->gbpsCi)
                rate += tr(" (95 % CI %1–%2, n = %3)")
                            .arg(p->gbpsCi->low, 0, 'f', 2)
                            .arg(p->gbpsCi->high, 0, 'f', 2)
                            .arg(p->repeats);
            QToolTip::showText(QCursor::pos(),
                               tr("%1, %2 workers: %3, speed-up %4×, efficiency %5 %")
                                   .arg(l.label)
                                   .arg(p->workers)
                                   .arg(rate)
                                   .arg(p->speedup, 0, 'f', 2)
                                   .arg(100 * p->efficiency, 0, 'f', 0),
                               m_view);
        });
    }
}

void ScalingChart::updateAxes()
{
    int lo = 0;
    int hi = 0;
    double top = 0;
    for (const ScalingLine &l : std::as_const(m_summary.lines)) {
        for (const ScalingPoint &p : l.points) {
            lo = lo == 0 ? p.workers : std::min(lo, p.workers);
            hi = std::max(hi, p.workers);
            top = std::max(top, p.gbpsCi ? std::max(p.gbps, p.gbpsCi->high) : p.gbps);
        }
    }
    if (hi == 0) {
        lo = 1;
        hi = 2;
    }
    const double step = workersStep(std::max(1, hi - lo));
    // Half a step either side keeps the end points' markers inside the plot.
    m_workersAxis->setTickInterval(step);
    m_workersAxis->setRange(lo - 0.35 * step, hi + 0.35 * step);
    m_throughputAxis->setRange(0, top > 0 ? top * 1.12 : 1);
    m_throughputAxis->applyNiceNumbers();
    const double yStep
        = (m_throughputAxis->max() - m_throughputAxis->min()) / std::max(1, m_throughputAxis->tickCount() - 1);
    m_throughputAxis->setLabelFormat(yStep < 0.1     ? QStringLiteral("%.2f")
                                         : yStep < 1 ? QStringLiteral("%.1f")
                                                     : QStringLiteral("%.0f"));
}

void ScalingChart::fitTable()
{
    // The table as wide as its columns, the chart taking the rest, and as tall as its rows, so that what
    // the columns mean sits right under them (a long sweep scrolls). Called whenever a section's size
    // changes: the columns size to their contents once the header's style sheet and font apply.
    const int frame = 2 * m_table->frameWidth();
    m_tableWidth
        = std::max(m_table->minimumWidth(),
                   frame + m_table->horizontalHeader()->length() + m_table->verticalScrollBar()->sizeHint().width());
    fitSide();
    m_table->setMaximumHeight(frame + m_table->horizontalHeader()->sizeHint().height()
                              + m_table->verticalHeader()->length() + 2);
}

void ScalingChart::fitSide()
{
    // The whole table when the chart keeps at least its minimum width beside it; less (it scrolls)
    // only in a narrow window.
    const QMargins m = layout()->contentsMargins();
    const int room = width() - m.left() - m.right() - m_body->layout()->spacing() - m_view->minimumWidth();
    m_side->setMinimumWidth(std::clamp(room, m_table->minimumWidth(), std::max(m_table->minimumWidth(), m_tableWidth)));
    m_side->setMaximumWidth(std::max(m_table->minimumWidth(), m_tableWidth));
}

void ScalingChart::resizeEvent(QResizeEvent *event)
{
    QWidget::resizeEvent(event);
    fitSide();
}

QString ScalingChart::titleText() const
{
    return m_title->text();
}

QString ScalingChart::noteText() const
{
    return m_note->text();
}

QImage ScalingChart::renderImage(QSize size, qreal devicePixelRatio)
{
    return renderWidgetImage(this, size, devicePixelRatio);
}

bool exportScalingPicture(const SweepSummary &summary, const QString &path, QSize size, qreal devicePixelRatio,
                          QString *error)
{
    if (!checkPictureSize(size, path, error) || !checkPictureMemory(size, devicePixelRatio, path, error))
        return false;
    ScalingChart chart;
    chart.setSummary(summary);
    return saveWidgetPicture(&chart, size, devicePixelRatio, QStringLiteral("Scaling of ") + summary.name, path, error);
}

} // namespace cs
