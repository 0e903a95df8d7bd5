#include "ganttchart.h"

#include "requestmarks.h"
#include "timeaxis.h"
#include "units.h"

#include <QPaintEngine>
#include <QPaintEvent>
#include <QPainter>
#include <QScopeGuard>

#include <algorithm>
#include <climits>
#include <cmath>
#include <cstdint>

namespace cs {

namespace {
constexpr int kLegendHeight = 22;
constexpr int kHeadingHeight = 20;
constexpr int kRulerHeight = 18;
constexpr int kPreferredRowHeight = 26;
constexpr double kMinBarPx = 3.0; // narrower bars are folded, as Tracy folds zones under 3 px
const QColor kPlotBackground(0xfa, 0xfa, 0xfa);
const QColor kStripe(0xf1, 0xf1, 0xf1);
const QColor kGridColor(0xdc, 0xdc, 0xdc);
const QColor kTextColor(0x50, 0x50, 0x50);
const QColor kCursorColor(0x30, 0x30, 0x30);
const QColor kHighlightColor(0x11, 0x11, 0x11);
const QColor kSelectionFill(0x2c, 0x6c, 0xb0, 40);
const QColor kSelectionEdge(0x2c, 0x6c, 0xb0);
} // namespace

GanttChart::GanttChart(TimeAxis *axis, QWidget *parent)
    : QWidget(parent)
    , m_axis(axis)
    , m_runningBrush(runningColor())
{
    for (int s = 0; s < kSegmentCount; ++s) {
        m_brushes[size_t(s)] = QBrush(segmentColor(s));
        m_queuedBrushes[size_t(s)] = QBrush(segmentColor(s), kQueuedHatch);
        m_paleBrushes[size_t(s)] = QBrush(blockedColor(s));
    }
    setMouseTracking(true);
    setAttribute(Qt::WA_OpaquePaintEvent);
    setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Preferred);
    connect(m_axis, &TimeAxis::rangeChanged, this, qOverload<>(&QWidget::update));
    connect(m_axis, &TimeAxis::cursorChanged, this, qOverload<>(&QWidget::update));
    connect(m_axis, &TimeAxis::selectionChanged, this, qOverload<>(&QWidget::update));
}

void GanttChart::dataChanged()
{
    // No maximum height: in a pane the Gantt takes as much height as the CPU and memory chart below
    // it, so that an exported picture gives the tasks as much room as the samples.
    updateGeometry();
    // The legend's entries change with the data only when, say, the first task starts running: a
    // refresh that adds bars repaints what is under the legend, not the legend's text.
    const int key = m_legendLinesKey;
    const int top = headingHeight() + legendHeight();
    if (key == m_legendLinesKey)
        update(QRect(0, top, width(), height() - top));
    else
        update();
}

double GanttChart::xForTime(double seconds) const
{
    return m_axis->x(seconds);
}

int GanttChart::headingHeight() const
{
    return m_heading.isEmpty() ? 0 : kHeadingHeight;
}

int GanttChart::legendHeight() const
{
    if (!m_showLegend)
        return 2;
    // Laid out again only when what it depends on changes: the width and which entries it has.
    const int key = width() * 8 + (listsRequests() ? 4 : 0) + (m_data.runningCount() > 0 ? 2 : 0)
        + (m_data.hasCpuUsage() ? 1 : 0);
    if (m_legendLinesKey != key) {
        m_legendLinesKey = key;
        m_legendLines = layoutLegend({});
    }
    return m_legendLines * kLegendHeight;
}

void GanttChart::resizeEvent(QResizeEvent *event)
{
    const int before = m_legendLines;
    QWidget::resizeEvent(event);
    legendHeight();
    if (m_legendLines != before)
        updateGeometry(); // the legend wrapped onto more or fewer lines
}

QRect GanttChart::plotRect() const
{
    const int bottom = m_showTimeLabels ? kRulerHeight : 4;
    const int top = headingHeight() + legendHeight();
    return QRect(m_axis->plotLeft(), top, m_axis->plotWidth(), std::max(1, height() - top - bottom));
}

void GanttChart::setPlaceholderText(const QString &text)
{
    m_placeholder = text;
    update();
}

void GanttChart::setShowTimeLabels(bool show)
{
    m_showTimeLabels = show;
    updateGeometry();
    update();
}

void GanttChart::setShowLegend(bool show)
{
    m_showLegend = show;
    updateGeometry();
    update();
}

void GanttChart::setLegendListsRequests(bool list)
{
    m_legendListsRequests = list;
    m_legendLinesKey = -1; // laid out again
    updateGeometry();
    update();
}

void GanttChart::setHeading(const QString &text, const QColor &color)
{
    m_heading = text;
    m_headingColor = color;
    updateGeometry();
    update();
}

QSize GanttChart::sizeHint() const
{
    int rows = std::max(1, m_data.workers());
    for (const RankGroup &g : m_rankGroups)
        rows -= isRankCollapsed(g.rank) ? g.rows : 0;
    const int headers = int(m_rankGroups.size()) * kRankHeaderHeight;
    return QSize(800,
                 headingHeight() + legendHeight() + kRulerHeight + headers + std::max(1, rows) * kPreferredRowHeight);
}

QSize GanttChart::minimumSizeHint() const
{
    int rows = std::max(1, m_data.workers());
    for (const RankGroup &g : m_rankGroups)
        rows -= isRankCollapsed(g.rank) ? g.rows : 0;
    const int headers = int(m_rankGroups.size()) * kRankHeaderHeight;
    // Rows stay readable: compared runs scroll rather than squeeze a row below this.
    constexpr int kMinRowHeight = 14;
    return QSize(300, headingHeight() + legendHeight() + kRulerHeight + headers + std::max(1, rows) * kMinRowHeight);
}

double GanttChart::xNs(int64_t ns) const
{
    return m_axis->x(double(ns) * 1e-9);
}

int64_t GanttChart::nsAt(double x) const
{
    return int64_t(std::ceil(m_axis->t(x) * 1e9));
}

void GanttChart::paintEvent(QPaintEvent *event)
{
    ++m_paintCount;
    m_paintRect = event->rect();
    const QScopeGuard everything([this] { m_paintRect = QRect(); });
    QPainter p(this);
    // A vector export must get vector bars; a fractional pixel ratio would round differently in the
    // image than on the device.
    const qreal ratio = p.device()->devicePixelRatio();
    if (p.paintEngine() && p.paintEngine()->type() == QPaintEngine::Raster && ratio == std::floor(ratio))
        paintCached(p);
    else
        paint(p);
}

void GanttChart::paint(QPainter &p)
{
    m_barsDrawn = 0;
    const QRect plot = plotRect();
    paintBackground(p, plot);
    p.save();
    p.setClipRect(plot);
    for (int w = 0; w < m_data.workers(); ++w)
        if (const QRect band = rowRect(w); !band.isEmpty())
            paintRow(p, w, band);
    p.restore();
    paintOverlay(p, plot);
}

void GanttChart::paintCached(QPainter &p)
{
    m_barsDrawn = 0;
    const QRect plot = plotRect();
    paintBackground(p, plot);
    updateBarImage(plot, p.device()->devicePixelRatio());
    p.drawImage(plot.topLeft(), m_bars.image);
    paintOverlay(p, plot);
}

void GanttChart::updateBarImage(const QRect &plot, qreal ratio)
{
    BarImage &c = m_bars;
    const bool same = c.plot == plot && c.t0 == m_axis->t0() && c.t1 == m_axis->t1() && c.ratio == ratio
        && c.workers == m_data.workers() && c.layoutVersion == m_data.layoutVersion() && c.hidden == m_hidden
        && c.rowsVersion == m_rowsVersion;
    if (!same) {
        if (c.image.size() != plot.size() * ratio) {
            c.image = QImage(plot.size() * ratio, QImage::Format_ARGB32_Premultiplied);
            c.image.setDevicePixelRatio(ratio);
        }
        c.image.fill(Qt::transparent);
        c.plot = plot;
        c.t0 = m_axis->t0();
        c.t1 = m_axis->t1();
        c.ratio = ratio;
        c.workers = m_data.workers();
        c.layoutVersion = m_data.layoutVersion();
        c.rowsVersion = m_rowsVersion;
        c.hidden = m_hidden;
        c.rows.assign(size_t(std::max(0, m_data.workers())), RowResume());
    }
    QPainter ip(&c.image);
    ip.setRenderHint(QPainter::Antialiasing, false);
    ip.translate(-plot.topLeft());
    ip.setClipRect(plot);
    for (int w = 0; w < m_data.workers(); ++w) {
        RowResume &r = c.rows[size_t(w)];
        const size_t n = m_data.row(w).size();
        const QRect band = rowRect(w);
        if ((same && r.drawn == n) || band.isEmpty())
            continue;
        // Clear what the changing groups drew, right of the last stable column; the stable group
        // there is drawn again over its own pixels.
        const int clearFrom = same && r.resumable ? r.column + 1 : plot.left();
        ip.setCompositionMode(QPainter::CompositionMode_Source);
        ip.fillRect(QRect(clearFrom, band.top(), plot.right() + 1 - clearFrom, band.height()), Qt::transparent);
        ip.setCompositionMode(QPainter::CompositionMode_SourceOver);
        paintRow(ip, w, band, same && r.resumable ? r.index : SIZE_MAX, &r);
        r.drawn = n;
    }
}

void GanttChart::paintBackground(QPainter &p, const QRect &plot)
{
    p.setRenderHint(QPainter::Antialiasing, false);
    p.fillRect(rect(), palette().color(QPalette::Base));
    p.fillRect(plot, kPlotBackground);
    for (int w = 0; w < m_data.workers(); ++w) {
        // Every other row of a rank, so that each rank's first row looks alike.
        const RankGroup *g = groupOfRow(w);
        const QRect band = rowRect(w);
        if ((w - (g ? g->firstRow : 0)) % 2 == 1 && !band.isEmpty())
            p.fillRect(QRect(plot.left(), band.top() - 1, plot.width(), band.height() + 2), kStripe);
    }
    paintGrid(p, plot);
    paintRankHeaders(p);
    paintHeading(p);
    if (m_showLegend
        && (m_paintRect.isNull() || m_paintRect.intersects(QRect(0, headingHeight(), width(), legendHeight())))) {
        ++m_legendPaintCount;
        paintLegend(p);
    }
}

void GanttChart::paintHeading(QPainter &p) const
{
    if (m_heading.isEmpty())
        return;
    const int box = 10;
    const int x = m_axis->plotLeft();
    p.fillRect(QRect(x, (kHeadingHeight - box) / 2 + 1, box, box), m_headingColor);
    QFont bold = font();
    bold.setBold(true);
    p.save();
    p.setFont(bold);
    p.setPen(kTextColor);
    p.drawText(QRect(x + box + 6, 0, width() - x - box - 6, kHeadingHeight), Qt::AlignLeft | Qt::AlignVCenter,
               m_heading);
    p.restore();
}

void GanttChart::paintOverlay(QPainter &p, const QRect &plot)
{
    p.save();
    p.setClipRect(plot);
    paintInFlight(p);
    if (const TaskEvent e = highlightedEvent(); e.task >= 0 && !rowRect(m_highlightWorker).isEmpty()) {
        // Two pixels outside the bar, so the bar's own colours stay readable, and never thinner than
        // a few pixels, so a sub-pixel task is still found.
        const QRect band = rowRect(m_highlightWorker);
        const int a = clampPx(xNs(e.startNs)) - 2;
        const int b = std::max(a + 6, clampPx(xNs(e.endNs)) + 2);
        p.setPen(QPen(kHighlightColor, 2));
        p.drawRect(QRect(a, band.top() - 2, b - a, band.height() + 3));
    }
    if (m_axis->hasSelection()) {
        const int a = clampPx(m_axis->x(m_axis->selectionStart()));
        const int b = clampPx(m_axis->x(m_axis->selectionEnd()));
        p.fillRect(QRect(a, plot.top(), std::max(1, b - a), plot.height()), kSelectionFill);
        p.setPen(kSelectionEdge);
        p.drawLine(a, plot.top(), a, plot.bottom());
        p.drawLine(b, plot.top(), b, plot.bottom());
    }
    if (m_drag == Drag::Zoom || m_drag == Drag::Select) {
        const int a = std::min(m_rangeFrom, m_rangeTo);
        const int b = std::max(m_rangeFrom, m_rangeTo);
        p.fillRect(QRect(a, plot.top(), std::max(1, b - a), plot.height()), kSelectionFill);
        p.setPen(QPen(kCursorColor, 1, Qt::DashLine));
        p.drawRect(QRect(a, plot.top(), std::max(1, b - a), plot.height() - 1));
    }
    const double cursor = m_axis->cursor();
    if (!std::isnan(cursor)) {
        p.setPen(kCursorColor);
        const int x = int(std::floor(m_axis->x(cursor)));
        p.drawLine(x, plot.top(), x, plot.bottom());
    }
    p.restore();

    // Row labels on the left, and on the right how busy each worker was over its run.
    p.setPen(kTextColor);
    for (int w = 0; w < m_data.workers(); ++w) {
        const QRect band = rowRect(w);
        if (band.isEmpty())
            continue;
        const QRect label(0, band.top() - 4, plot.left() - 6, band.height() + 8);
        const RankGroup *g = groupOfRow(w);
        p.drawText(label, Qt::AlignRight | Qt::AlignVCenter, QStringLiteral("worker %1").arg(g ? w - g->firstRow : w));
        const double percent = busyPercent(w);
        if (percent < 0 || (percent == 0 && m_data.row(w).size() == 0))
            continue;
        const QRect right(plot.right() + 6, band.top() - 4, width() - plot.right() - 8, band.height() + 8);
        p.drawText(right, Qt::AlignLeft | Qt::AlignVCenter, QStringLiteral("%1 % busy").arg(percent, 0, 'f', 0));
    }

    if (m_data.barCount() == 0 && m_data.inFlight().empty() && !m_placeholder.isEmpty()) {
        p.setPen(kTextColor);
        p.drawText(plot, Qt::AlignCenter, m_placeholder);
    }
}

double GanttChart::busyPercent(int worker) const
{
    const int64_t runNs = m_runNs > 0 ? m_runNs : m_data.endNs();
    if (runNs <= 0 || worker < 0 || worker >= m_data.workers())
        return -1;
    // Finished bars from the running sums; tasks still running count up to now.
    int64_t busy = 0;
    const GanttData::Row &r = m_data.row(worker);
    for (int64_t v : r.sum(0, r.size()))
        busy += v;
    for (const TaskEvent &e : m_data.inFlight())
        if (e.worker == worker)
            busy += std::max<int64_t>(0, (e.isRunning() ? m_data.nowNs() : e.endNs) - e.startNs);
    return std::clamp(100.0 * double(busy) / double(runNs), 0.0, 100.0);
}

void GanttChart::paintGrid(QPainter &p, const QRect &plot) const
{
    const double step = m_axis->tickStep();
    p.setPen(kGridColor);
    for (double t : m_axis->ticks()) {
        const int x = int(std::floor(m_axis->x(t)));
        p.drawLine(x, plot.top(), x, plot.bottom());
    }
    if (!m_showTimeLabels)
        return;
    p.setPen(kTextColor);
    const QFontMetrics fm(font());
    for (double t : m_axis->ticks()) {
        const int x = int(std::floor(m_axis->x(t)));
        const QString text = TimeAxis::formatTime(t, step);
        const int w = fm.horizontalAdvance(text);
        p.drawText(QRect(x - w / 2 - 2, plot.bottom() + 2, w + 4, kRulerHeight - 2), Qt::AlignCenter, text);
    }
}

std::vector<GanttChart::LegendEntry> GanttChart::legendEntries() const
{
    std::vector<LegendEntry> entries;
    for (int s = 0; s < kSegmentCount; ++s)
        entries.push_back({LegendEntry::Phase, s, segmentLabel(s)});
    if (m_data.runningCount() > 0)
        entries.push_back({LegendEntry::Running, -1, QStringLiteral("running")});
    if (m_data.hasPassthrough())
        entries.push_back({LegendEntry::Passthrough, -1, QStringLiteral("passed through, not decoded")});
    if (m_data.hasCpuUsage()) {
        // How any phase looks on and off CPU, shown on a neutral grey that no phase uses, after a rule.
        entries.push_back({LegendEntry::Rule, -1, QString()});
        entries.push_back({LegendEntry::OnCpu, -1, QStringLiteral("on CPU")});
        entries.push_back({LegendEntry::Queued, -1, QStringLiteral("waiting for a CPU")});
        entries.push_back({LegendEntry::Blocked, -1, QStringLiteral("blocked")});
    }
    if (listsRequests()) {
        // The strip along the bars' bottom edge: only a run whose stores made requests has it.
        entries.push_back({LegendEntry::Rule, -1, QString()});
        for (int part = 0; part < kRequestPartCount; ++part)
            entries.push_back({LegendEntry::Request, part, requestPartLabel(RequestPart(part))});
    }
    return entries;
}

int GanttChart::layoutLegend(const std::function<void(const LegendEntry &, const QRect &)> &place) const
{
    // Entries run left to right from the plot's left edge and wrap where the widget ends, so that a
    // narrow window shows every entry rather than cutting the last ones off.
    const QFontMetrics fm(font());
    constexpr int box = 10;
    const int left = m_axis->plotLeft();
    const int right = std::max(left + 1, width() - 4);
    int x = left;
    int line = 0;
    for (const LegendEntry &e : legendEntries()) {
        const int w = e.kind == LegendEntry::Rule ? 16 : box + 4 + fm.horizontalAdvance(e.text) + 4;
        if (x > left && x + w > right && e.kind != LegendEntry::Rule) {
            x = left;
            ++line;
        }
        if (place)
            place(e, QRect(x, headingHeight() + line * kLegendHeight, w, kLegendHeight));
        x += w + (e.kind == LegendEntry::Rule ? 0 : 10);
    }
    return line + 1;
}

void GanttChart::paintLegend(QPainter &p) const
{
    const QFontMetrics fm(font());
    constexpr int box = 10;
    const QColor neutral(0x60, 0x60, 0x60);
    layoutLegend([&](const LegendEntry &e, const QRect &r) {
        const QRect swatch(r.left(), r.top() + (kLegendHeight - box) / 2, box, box);
        const QRect text(r.left() + box + 4, r.top(), r.width() - box - 4, kLegendHeight);
        p.setPen(kTextColor);
        switch (e.kind) {
        case LegendEntry::Phase:
            m_legendRects[size_t(e.segment)] = r;
            if (m_hidden[size_t(e.segment)]) {
                // Hidden: a hollow box and grey text, still there to be clicked again.
                p.setPen(segmentColor(e.segment));
                p.drawRect(swatch.adjusted(0, 0, -1, -1));
                p.setPen(kGridColor.darker(130));
            } else {
                p.fillRect(swatch, segmentColor(e.segment));
            }
            break;
        case LegendEntry::Running:
            p.fillRect(swatch, runningColor());
            break;
        case LegendEntry::Rule:
            p.setPen(kGridColor);
            p.drawLine(r.left() + 2, r.top() + 4, r.left() + 2, r.bottom() - 5);
            return;
        case LegendEntry::OnCpu:
            p.fillRect(swatch, neutral);
            break;
        case LegendEntry::Queued:
            p.fillRect(swatch, queuedTint(neutral));
            p.fillRect(swatch, QBrush(neutral, kQueuedHatch));
            break;
        case LegendEntry::Blocked:
            p.fillRect(swatch, blockedColor(neutral));
            break;
        case LegendEntry::Passthrough:
            p.fillRect(swatch, neutral);
            markPassthrough(p, swatch.left(), swatch.right() + 1, swatch);
            break;
        case LegendEntry::Request:
            // Framed, so that the light grey of the wait for the first byte shows on the background.
            p.fillRect(swatch, requestPartColor(RequestPart(e.segment)));
            p.setPen(requestPartColor(RequestPart::Connect));
            p.drawRect(swatch.adjusted(0, 0, -1, -1));
            p.setPen(kTextColor);
            break;
        }
        p.drawText(text, Qt::AlignLeft | Qt::AlignVCenter, e.text);
    });
}

void GanttChart::flush(QPainter &p, Fold &fold, const QRect &band) const
{
    if (fold.segment >= 0 && fold.x1 > fold.x0)
        fill(p, QRect(fold.x0, band.top(), fold.x1 - fold.x0, band.height()), fold.segment, fold.state);
    fold.segment = -1;
}

void GanttChart::fill(QPainter &p, const QRect &r, int segment, CpuState state) const
{
    if (m_hidden[size_t(segment)])
        return;
    switch (state) {
    case OnCpu:
        p.fillRect(r, m_brushes[size_t(segment)]);
        return;
    case Queued:
        p.fillRect(r, queuedTint(segment));
        p.fillRect(r, m_queuedBrushes[size_t(segment)]);
        return;
    case Blocked:
        p.fillRect(r, m_paleBrushes[size_t(segment)]);
        return;
    }
}

void GanttChart::markPassthrough(QPainter &p, int left, int right, const QRect &band)
{
    if (right - left > 5)
        right -= 1; // paintBar's gap between neighbouring tasks
    const int thick = std::max(2, band.height() / 6);
    p.fillRect(QRect(left, band.center().y() - thick / 2, std::max(1, right - left), thick), passthroughMarkColor());
}

void GanttChart::paintBar(QPainter &p, const GanttData::SegmentTimes &s, const GanttData::OffCpuTimes &off, double x0,
                          double x1, const QRect &band) const
{
    int64_t total = 0;
    int64_t working = 0;
    for (size_t k = 0; k < s.size(); ++k) {
        total += s[k];
        if (!isLockWaitSegment(int(k)))
            working += s[k];
    }
    const int left = clampPx(x0);
    int right = clampPx(x1);
    if (right - left > 5)
        right -= 1; // a one-pixel gap keeps neighbouring tasks apart
    if (total <= 0) {
        fill(p, QRect(left, band.top(), std::max(1, right - left), band.height()), kOtherSegment, OnCpu);
        return;
    }
    // Each working phase shows its on-CPU share first, then its share of the wait for a CPU, then of
    // the blocked time: when within the phase the thread was off CPU is not known, how much is.
    const double queued = working > 0 ? double(off[GanttData::kRunq]) / double(working) : 0.0;
    const double blocked = working > 0 ? double(off[GanttData::kBlocked]) / double(working) : 0.0;
    const auto part = [&](double a, double b, int segment, CpuState state) {
        const int pa = std::clamp(clampPx(a), left, right);
        const int pb = std::clamp(clampPx(b), left, right);
        if (pb > pa)
            fill(p, QRect(pa, band.top(), pb - pa, band.height()), segment, state);
    };
    // Segments are laid out in proportion to their share of the task, so the bar's ends stay exact
    // even if the phases add up to more than the task's duration.
    const double width = x1 - x0;
    double acc = x0;
    for (size_t k = 0; k < s.size(); ++k) {
        if (s[k] <= 0)
            continue;
        const double w = width * double(s[k]) / double(total);
        const double next = acc + w;
        if (isLockWaitSegment(int(k))) {
            part(acc, next, int(k), OnCpu);
        } else {
            const double onEnd = next - w * (queued + blocked);
            const double queuedEnd = onEnd + w * queued;
            part(acc, onEnd, int(k), OnCpu);
            part(onEnd, queuedEnd, int(k), Queued);
            part(queuedEnd, next, int(k), Blocked);
        }
        acc = next;
    }
}

// The first index in [from, n) whose value is >= v, searching outwards from `from` first: the next
// pixel column's bars are usually close by, so this costs O(log distance) rather than O(log n).
static size_t gallop(const int64_t *values, size_t from, size_t n, int64_t v)
{
    size_t lo = from;
    size_t step = 1;
    size_t hi = from;
    while (hi < n && values[hi] < v) {
        lo = hi + 1;
        hi += step;
        step *= 2;
    }
    hi = std::min(hi, n);
    while (lo < hi) {
        const size_t mid = lo + (hi - lo) / 2;
        if (values[mid] < v)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

void GanttChart::paintRow(QPainter &p, int worker, const QRect &band, size_t from, RowResume *resume) const
{
    const GanttData::Row &r = m_data.row(worker);
    const size_t n = r.size();
    if (n == 0)
        return;
    const int64_t *start = r.start.data();
    const int64_t *end = r.end.data();
    const int64_t *reach = r.reach.data();
    const GanttData::SegmentTimes *cum = r.cum.data();
    // x(ns) = a + b * ns, the TimeAxis mapping folded into two constants for the loop.
    const double b = m_axis->scale() * 1e-9;
    const double a = m_axis->plotLeft() - m_axis->t0() * m_axis->scale();
    const int64_t t1 = int64_t(std::ceil(m_axis->t1() * 1e9));
    Fold fold;
    size_t i = from != SIZE_MAX ? from : r.firstEndingAfter(int64_t(std::floor(m_axis->t0() * 1e9)));
    // The groups of bars drawn: each starts at an index and reaches right to a pixel column. The
    // last two are where a later drawing resumes.
    size_t last = SIZE_MAX;
    size_t beforeLast = SIZE_MAX;
    int lastColumn = 0;
    int beforeLastColumn = 0;
    int lastRight = INT_MIN;
    int reachBefore = INT_MIN; // right edge of everything drawn before beforeLast
    int beforeLastRight = INT_MIN;
    const bool requests = m_data.hasRequests(); // a run without any pays nothing per bar
    auto group = [&](size_t index, int column, int right) {
        reachBefore = std::max(reachBefore, beforeLastRight);
        beforeLast = last;
        beforeLastColumn = lastColumn;
        beforeLastRight = lastRight;
        last = index;
        lastColumn = column;
        lastRight = right;
        ++m_barsDrawn;
    };
    while (i < n && start[i] <= t1) {
        const double x0 = a + b * double(start[i]);
        const double x1 = a + b * double(end[i]);
        if (x1 - x0 >= kMinBarPx) {
            flush(p, fold, band);
            paintBar(p, r.sum(i, i + 1), r.offCpu(i, i + 1), x0, x1, band);
            if (r.passthrough[i])
                markPassthrough(p, clampPx(x0), clampPx(x1), band);
            if (requests && x1 - x0 >= kMinRequestBarPx)
                paintRequests(p, r.task[i], clampPx(x0), clampPx(x1), band);
            group(i, clampPx(std::floor(x0)), clampPx(x1));
            ++i;
            continue;
        }
        // Every bar that starts in this pixel column joins one fill; a wide last one is drawn alone.
        const double column = std::floor(x0);
        size_t j = gallop(start, i + 1, n, int64_t(std::ceil((column + 1 - a) / b)));
        if (j - 1 > i && b * double(end[j - 1] - start[j - 1]) >= kMinBarPx)
            --j;
        int segment = 0;
        int64_t most = -1;
        int64_t working = 0;
        for (int k = 0; k < kSegmentCount; ++k) {
            const int64_t v = cum[j][size_t(k)] - cum[i][size_t(k)];
            if (!isLockWaitSegment(k))
                working += v;
            if (v > most) {
                most = v;
                segment = k;
            }
        }
        // The column's fill says what the thread mostly did in it: ran, waited for a CPU, or blocked.
        CpuState state = OnCpu;
        if (!isLockWaitSegment(segment)) {
            const GanttData::OffCpuTimes off = r.offCpu(i, j);
            const int64_t on = working - off[GanttData::kRunq] - off[GanttData::kBlocked];
            if (off[GanttData::kRunq] > on && off[GanttData::kRunq] >= off[GanttData::kBlocked])
                state = Queued;
            else if (off[GanttData::kBlocked] > on)
                state = Blocked;
        }
        const int c0 = clampPx(column);
        int c1 = clampPx(std::ceil(a + b * double(reach[j - 1])));
        if (j < n)
            c1 = std::min(c1, clampPx(std::floor(a + b * double(start[j])))); // the next column is the next bar's
        c1 = std::max(c0 + 1, c1);
        if (fold.segment == segment && fold.state == state && c0 <= fold.x1) {
            fold.x1 = std::max(fold.x1, c1);
        } else {
            flush(p, fold, band);
            fold = Fold{c0, c1, segment, state};
        }
        group(i, c0, c1);
        i = j;
    }
    flush(p, fold, band);
    if (!resume)
        return;
    // Resuming at the second-to-last group redraws it over its own pixels; only bars before it
    // must stay left of the columns cleared.
    if (beforeLast == SIZE_MAX) {
        resume->resumable = false;
        return;
    }
    resume->index = beforeLast;
    resume->column = beforeLastColumn;
    resume->resumable = reachBefore <= beforeLastColumn + 1;
}

void GanttChart::paintInFlight(QPainter &p) const
{
    const int64_t now = m_data.nowNs();
    for (const TaskEvent &e : m_data.inFlight()) {
        if (e.worker < 0 || e.worker >= m_data.workers())
            continue;
        const QRect band = rowRect(e.worker);
        if (band.isEmpty())
            continue;
        if (e.isRunning()) {
            const int a = clampPx(xNs(e.startNs));
            const int b = std::max(a + 1, clampPx(xNs(std::max(now, e.startNs))));
            p.fillRect(QRect(a, band.top(), b - a, band.height()), m_runningBrush);
        } else {
            const double x0 = xNs(e.startNs);
            const double x1 = std::max(x0 + 1, xNs(e.endNs));
            paintBar(p, segmentTimes(e), offCpuTimes(e), x0, x1, band);
            if (e.passthrough)
                markPassthrough(p, clampPx(x0), clampPx(x1), band);
            if (m_data.hasRequests() && x1 - x0 >= kMinRequestBarPx)
                paintRequests(p, e.task, clampPx(x0), clampPx(x1), band);
        }
    }
}

} // namespace cs
