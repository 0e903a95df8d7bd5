#include "resourcechart.h"

#include "timeaxis.h"
#include "valueaxes.h"

#include <QGraphicsLayout>
#include <QGraphicsLineItem>
#include <QLegendMarker>
#include <QLineSeries>
#include <QValueAxis>

#include <algorithm>
#include <cmath>

namespace cs {

namespace {
constexpr int kMaxPoints = 2000;

double sampleValue(const ResourceSample &s, int series, ResourceChart::Kind kind)
{
    if (kind == ResourceChart::Kind::Faults)
        return s.minorFaultsPerSec;
    if (kind == ResourceChart::Kind::Overlay)
        return series % 2 == 0 ? s.cpuPercent : double(s.rssBytes);
    if (kind == ResourceChart::Kind::Wire) // -1 where not measured: no point
        return series == 0 ? double(s.requestsInFlight) : s.wireBytesPerSec;
    switch (series) {
    case 0:
        return s.cpuPercent;
    case 1:
        return double(s.rssBytes);
    case 2:
        return double(s.inflightBytes);
    case 3:
        return std::max(0.0, s.uiCpuPercent);
    default:
        return s.machineCpuPercent; // -1 where not measured: no point
    }
}

QLineSeries *makeSeries(const QString &name, const QColor &color, Qt::PenStyle style = Qt::SolidLine)
{
    auto *series = new QLineSeries;
    series->setName(name);
    QPen pen(color, 2);
    pen.setStyle(style);
    series->setPen(pen);
    return series;
}

} // namespace

ResourceChart::ResourceChart(TimeAxis *axis, Kind kind, QWidget *parent)
    : QChartView(parent)
    , m_axis(axis)
    , m_kind(kind)
{
    setFrameShape(QFrame::NoFrame);
    setRenderHint(QPainter::Antialiasing, true);
    setMouseTracking(true);
    setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Preferred);
    // QChartView sets an explicit minimum size from its chart's (a few pixels), which layouts prefer
    // to minimumSizeHint(): without this, compared runs in a scroll area squeeze the chart to nothing.
    setMinimumSize(minimumSizeHint());
    setDragMode(QGraphicsView::NoDrag);
    setRubberBand(QChartView::NoRubberBand);

    QChart *c = chart();
    c->setMargins(QMargins(0, 0, 0, 0));
    c->setBackgroundRoundness(0);
    c->layout()->setContentsMargins(0, 0, 0, 0);
    c->setAnimationOptions(QChart::NoAnimation);
    // The legend sits above the shared plot columns, out of the chart's own layout, which would
    // squeeze it into the left margin once the plot area is set by hand.
    c->legend()->detachFromChart();
    c->legend()->setBackgroundVisible(false);
    c->legend()->setAlignment(Qt::AlignTop); // entries flow left to right, wrapping onto more rows
    c->legend()->setMarkerShape(QLegend::MarkerShapeRectangle);

    m_timeAxis = new QValueAxis;
    m_timeAxis->setGridLineColor(QColor(0xdc, 0xdc, 0xdc));
    m_timeAxis->setMinorGridLineVisible(false);
    m_leftAxis = new QValueAxis;
    m_leftAxis->setGridLineColor(QColor(0xe8, 0xe8, 0xe8));
    c->addAxis(m_timeAxis, Qt::AlignBottom);
    c->addAxis(m_leftAxis, Qt::AlignLeft);

    if (kind == Kind::Faults) {
        m_series = {makeSeries(QStringLiteral("minor page faults/s"), QColor(0x4a, 0x55, 0x68))};
        m_leftAxis->setTitleText(QStringLiteral("faults/s"));
    } else if (kind == Kind::Wire) {
        // Requests in the near black of the Gantt's request transfers; the wire's rate on its own axis.
        m_series = {makeSeries(QStringLiteral("requests in flight"), QColor(0x26, 0x26, 0x26)),
                    makeSeries(QStringLiteral("on the wire"), QColor(0x31, 0x97, 0x95), Qt::DashLine)};
        m_leftAxis->setTitleText(QStringLiteral("requests"));
        m_rightAxis = new QValueAxis;
        m_rightAxis->setGridLineVisible(false);
        c->addAxis(m_rightAxis, Qt::AlignRight);
    } else {
        if (kind == Kind::CpuMemory) {
            // The machine beside the process: a process that gets less CPU than it asks for is
            // explained only by what else the machine did.
            m_series = {makeSeries(QStringLiteral("Chunkscope CPU %"), QColor(0x2b, 0x6c, 0xb0)),
                        makeSeries(QStringLiteral("RSS"), QColor(0xc0, 0x56, 0x21)),
                        makeSeries(QStringLiteral("in flight"), QColor(0x80, 0x5a, 0xd5), Qt::DashLine),
                        makeSeries(QStringLiteral("Chunkscope window"), QColor(0x2f, 0x85, 0x5a), Qt::DotLine),
                        makeSeries(QStringLiteral("machine CPU %"), QColor(0x8f, 0xb4, 0xda), Qt::DotLine)};
        }
        m_leftAxis->setTitleText(QStringLiteral("CPU %"));
        m_rightAxis = new QValueAxis;
        m_rightAxis->setGridLineVisible(false);
        c->addAxis(m_rightAxis, Qt::AlignRight);
    }
    for (QLineSeries *series : std::as_const(m_series))
        addSeries(series);
    m_peaks.assign(size_t(m_series.size()), 0.0);
    connectLegend();
    updateWindowSeries();
    for (QAbstractAxis *a : c->axes()) {
        QFont f = a->labelsFont();
        f.setPointSizeF(f.pointSizeF() * 0.9);
        a->setLabelsFont(f);
        a->setTitleFont(f);
    }

    m_cursorLine = new QGraphicsLineItem(c);
    m_cursorLine->setPen(QPen(QColor(0x30, 0x30, 0x30), 1));
    m_cursorLine->setZValue(100);
    m_cursorLine->hide();

    connect(m_axis, &TimeAxis::rangeChanged, this, [this] {
        layoutPlotArea();
        rebuildPoints();
    });
    connect(m_axis, &TimeAxis::cursorChanged, this, &ResourceChart::updateCursor);
    updateValueAxes();
    layoutPlotArea();
}

QSize ResourceChart::sizeHint() const
{
    return QSize(800, m_kind == Kind::CpuMemory ? 220 : 130); // Faults and Wire: a small chart
}

QSize ResourceChart::minimumSizeHint() const
{
    // Small enough that two compared runs fit one screen; the chart's own layout would ask for more.
    return QSize(300, m_kind == Kind::CpuMemory ? 160 : 140);
}

void ResourceChart::setShowTimeLabels(bool show)
{
    m_showTimeLabels = show;
    m_timeAxis->setLabelsVisible(show);
    layoutPlotArea();
}

void ResourceChart::setCpuCeiling(double percent)
{
    m_cpuCeiling = std::max(percent, 1.0);
    updateValueAxes();
}

void ResourceChart::setMemoryCeiling(double bytes)
{
    m_memoryCeiling = std::max(bytes, 0.0);
    updateValueAxes();
}

void ResourceChart::setFaultsCeiling(double perSecond)
{
    m_faultsCeiling = std::max(perSecond, 0.0);
    updateValueAxes();
}

void ResourceChart::setWireCeiling(double requests, double bytesPerSec)
{
    m_requestsCeiling = std::max(requests, 0.0);
    m_wireCeiling = std::max(bytesPerSec, 0.0);
    updateValueAxes();
}

bool ResourceChart::isRightSeries(int series) const
{
    if (m_kind == Kind::Overlay)
        return series % 2 == 1;
    if (m_kind == Kind::Wire)
        return series == 1;
    return m_kind == Kind::CpuMemory && (series == 1 || series == 2);
}

const std::vector<ResourceSample> &ResourceChart::samplesOf(int series) const
{
    return m_kind == Kind::Overlay ? m_overlay[size_t(series / 2)].samples : m_samples;
}

void ResourceChart::addSeries(QLineSeries *series)
{
    const int i = int(m_series.indexOf(series));
    chart()->addSeries(series);
    series->attachAxis(m_timeAxis);
    series->attachAxis(!isRightSeries(i) ? m_leftAxis : m_rightAxis);
}

void ResourceChart::connectLegend()
{
    m_colors.clear();
    m_markerPens.clear();
    m_shown.clear();
    for (int i = 0; i < m_series.size(); ++i) {
        m_colors.append(m_series[i]->pen().color());
        const QList<QLegendMarker *> markers = chart()->legend()->markers(m_series[i]);
        m_markerPens.append(markers.isEmpty() ? QPen() : markers.first()->pen());
        m_shown.append(true);
        for (QLegendMarker *marker : chart()->legend()->markers(m_series[i]))
            connect(marker, &QLegendMarker::clicked, this, [this, i] {
                const bool shown = !isSeriesShown(i);
                setSeriesShown(i, shown);
                if (m_kind == Kind::Overlay)
                    setSeriesShown(i + 1, shown); // a run's RSS goes with its CPU
            });
    }
}

bool ResourceChart::isSeriesShown(int series) const
{
    return m_shown.value(series, false);
}

void ResourceChart::setSeriesShown(int series, bool shown)
{
    if (series < 0 || series >= m_series.size())
        return;
    m_shown[series] = shown;
    // Hiding the series itself would take its legend entry away: the line turns transparent instead.
    QPen pen = m_series[series]->pen();
    QColor color = m_colors[series];
    if (!shown)
        color.setAlpha(0);
    pen.setColor(color);
    m_series[series]->setPen(pen);
    // The marker's box follows the pen (hollow while hidden, outlined in the line's colour); its label
    // turns grey.
    for (QLegendMarker *marker : chart()->legend()->markers(m_series[series])) {
        marker->setPen(shown ? m_markerPens[series] : QPen(m_colors[series]));
        marker->setLabelBrush(shown ? chart()->legend()->labelBrush() : QBrush(QColor(0xaa, 0xaa, 0xaa)));
    }
}

void ResourceChart::setOverlay(std::vector<OverlayRun> runs)
{
    for (QLineSeries *s : std::as_const(m_series)) {
        chart()->removeSeries(s);
        delete s;
    }
    m_series.clear();
    m_overlay = std::move(runs);
    for (const OverlayRun &run : m_overlay) {
        // The legend names each run once, by its CPU line; the axis titles say which line is which.
        m_series.append(makeSeries(run.name, run.color));
        m_series.append(makeSeries(run.name + QStringLiteral(" RSS"), run.color, Qt::DashLine));
    }
    for (QLineSeries *series : std::as_const(m_series))
        addSeries(series);
    connectLegend();
    for (int i = 1; i < m_series.size(); i += 2)
        for (QLegendMarker *marker : chart()->legend()->markers(m_series[i]))
            marker->setVisible(false);
    m_leftAxis->setTitleText(QStringLiteral("CPU % (solid)"));
    m_peaks.assign(size_t(m_series.size()), 0.0);
    for (int i = 0; i < m_series.size(); ++i)
        for (const ResourceSample &sample : samplesOf(i))
            m_peaks[size_t(i)] = std::max(m_peaks[size_t(i)], sampleValue(sample, i, m_kind));
    updateValueAxes();
    rebuildPoints();
}

void ResourceChart::updateWindowSeries()
{
    if (m_kind != Kind::CpuMemory)
        return;
    // Only runs watched by the window measured it; a headless run's chart shows no such line.
    const bool measured = m_samples.empty() ? m_expectsWindow : m_samples.back().uiCpuPercent >= 0;
    if (m_series[kWindowSeries]->isVisible() != measured)
        m_series[kWindowSeries]->setVisible(measured);
}

void ResourceChart::addPeaks(const ResourceSample *samples, size_t count)
{
    for (size_t k = 0; k < count; ++k)
        for (int i = 0; i < m_series.size() && size_t(i) < m_peaks.size(); ++i)
            m_peaks[size_t(i)] = std::max(m_peaks[size_t(i)], sampleValue(samples[k], i, m_kind));
}

void ResourceChart::expectPeaks(const ResourceSample &peaks)
{
    addPeaks(&peaks, 1);
    // The window's line and its legend entry are there before the first sample, not added with it.
    m_expectsWindow = peaks.uiCpuPercent >= 0;
    updateWindowSeries();
    updateValueAxes();
}

void ResourceChart::fitToSamples()
{
    m_expectsWindow = false;
    updateWindowSeries();
    std::fill(m_peaks.begin(), m_peaks.end(), 0.0);
    addPeaks(m_samples.data(), m_samples.size());
    updateValueAxes();
}

void ResourceChart::reset(double cpuCeiling)
{
    m_cpuCeiling = std::max(cpuCeiling, 1.0);
    m_memoryCeiling = 0;
    m_faultsCeiling = 0;
    m_requestsCeiling = 0;
    m_wireCeiling = 0;
    setSamples({});
}

void ResourceChart::setSamples(std::vector<ResourceSample> samples)
{
    m_samples = std::move(samples);
    fitToSamples();
    rebuildPoints();
}

void ResourceChart::appendSamples(const ResourceSample *samples, size_t count)
{
    if (count == 0)
        return;
    m_samples.insert(m_samples.end(), samples, samples + count);
    addPeaks(samples, count); // a live chart's refresh costs its new samples, not all of them
    updateWindowSeries();
    updateValueAxes();
    rebuildPoints();
}

QPointF ResourceChart::positionFor(double seconds, double value) const
{
    return chart()->mapToPosition(QPointF(seconds, value), m_series.first());
}

void ResourceChart::updateValueAxes()
{
    double valuePeak = 0; // CPU % or faults/s: the left axis
    double memPeak = 0;
    for (int i = 0; i < m_series.size() && size_t(i) < m_peaks.size(); ++i) {
        double &peak = isRightSeries(i) ? memPeak : valuePeak;
        peak = std::max(peak, m_peaks[size_t(i)]);
    }
    if (m_kind == Kind::Faults) {
        const double peak = std::max(valuePeak, m_faultsCeiling);
        // Thousands once the counts get long, so the labels stay narrower than the margin.
        const double unit = peak >= 1e4 ? 1e3 : 1;
        m_leftAxis->setTitleText(unit > 1 ? QStringLiteral("k faults/s") : QStringLiteral("faults/s"));
        setNiceRange(m_leftAxis, std::max(peak * 1.05 / unit, 10.0), m_valueSteps);
        if (unit != m_faultUnit) {
            m_faultUnit = unit;
            rebuildPoints();
        }
        return;
    }
    if (m_kind == Kind::Wire) {
        updateWireAxes(std::max(valuePeak, m_requestsCeiling), std::max(memPeak, m_wireCeiling));
        return;
    }
    setNiceRange(m_leftAxis, std::max(valuePeak * 1.05, m_cpuCeiling), m_valueSteps);
    // Memory in binary units as zarr and dask print them; the unit follows the peak.
    memPeak = std::max(memPeak, m_memoryCeiling);
    const bool gib = memPeak >= double(1ll << 30);
    const double unit = gib ? double(1ll << 30) : double(1ll << 20);
    const QString name = m_kind == Kind::Overlay ? QStringLiteral("RSS, dashed") : QStringLiteral("memory");
    m_rightAxis->setTitleText(name + (gib ? QStringLiteral(" (GiB)") : QStringLiteral(" (MiB)")));
    setNiceRange(m_rightAxis, std::max(memPeak * 1.05 / unit, 1.0), m_valueSteps);
    if (unit != m_rightUnit) {
        m_rightUnit = unit;
        rebuildPoints();
    }
}

namespace {
// The line between the samples either side of an edge of the time window, cut at the edge. Qt Charts
// clips to the plot area on screen, but an SVG export would draw the overhang into the margins.
void cutAtWindow(QList<QPointF> &points, double t0, double t1)
{
    auto at = [](const QPointF &a, const QPointF &b, double t) {
        return QPointF(t, a.y() + (b.y() - a.y()) * (t - a.x()) / (b.x() - a.x()));
    };
    const qsizetype n = points.size();
    if (n >= 2 && points[0].x() < t0 && points[1].x() > t0)
        points[0] = at(points[0], points[1], t0);
    if (n >= 2 && points[n - 1].x() > t1 && points[n - 2].x() < t1)
        points[n - 1] = at(points[n - 2], points[n - 1], t1);
}
} // namespace

void ResourceChart::rebuildPoints()
{
    // The samples in view plus one on each side, so the lines run to the plot's edges.
    auto byTime = [](const ResourceSample &s, int64_t t) { return s.tNs < t; };
    const int64_t t0 = int64_t(m_axis->t0() * 1e9);
    const int64_t t1 = int64_t(m_axis->t1() * 1e9);
    const size_t buckets = size_t(std::clamp(m_axis->plotWidth(), 16, kMaxPoints));

    for (int i = 0; i < m_series.size(); ++i) {
        const std::vector<ResourceSample> &samples = samplesOf(i);
        size_t first = size_t(std::lower_bound(samples.begin(), samples.end(), t0, byTime) - samples.begin());
        size_t last = size_t(std::lower_bound(samples.begin(), samples.end(), t1, byTime) - samples.begin());
        first = first > 0 ? first - 1 : 0;
        last = std::min(samples.size(), last + 1);
        const size_t count = last > first ? last - first : 0;
        const double scale = m_kind == Kind::Faults ? 1.0 / m_faultUnit : isRightSeries(i) ? 1.0 / m_rightUnit : 1.0;
        QList<QPointF> points;
        points.reserve(qsizetype(std::min(count, buckets + 2)));
        if (count <= buckets) {
            for (size_t k = first; k < last; ++k)
                if (sampleValue(samples[k], i, m_kind) >= 0)
                    points.append(QPointF(double(samples[k].tNs) / 1e9, sampleValue(samples[k], i, m_kind) * scale));
        } else {
            // Each bucket keeps its largest sample, at that sample's time, so no peak is lost.
            for (size_t b = 0; b < buckets; ++b) {
                const size_t from = first + count * b / buckets;
                const size_t to = first + count * (b + 1) / buckets;
                size_t best = from;
                for (size_t k = from + 1; k < to; ++k)
                    if (sampleValue(samples[k], i, m_kind) > sampleValue(samples[best], i, m_kind))
                        best = k;
                if (sampleValue(samples[best], i, m_kind) >= 0)
                    points.append(
                        QPointF(double(samples[best].tNs) / 1e9, sampleValue(samples[best], i, m_kind) * scale));
            }
        }
        cutAtWindow(points, m_axis->t0(), m_axis->t1());
        m_series[i]->replace(points);
    }
}

} // namespace cs
