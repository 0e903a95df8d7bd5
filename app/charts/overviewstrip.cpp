#include "overviewstrip.h"

#include "timeaxis.h"

#include <QMouseEvent>
#include <QPainter>

#include <algorithm>
#include <cmath>

namespace cs {

namespace {
constexpr int kHeight = 18;
constexpr int kBuckets = 1000; // finer than any plot is wide
constexpr size_t kMaxTasks = 100000;
const QColor kBusy(0x4a, 0x55, 0x68);
const QColor kFrame(0x2c, 0x6c, 0xb0);
} // namespace

OverviewStrip::OverviewStrip(TimeAxis *axis, QWidget *parent)
    : QWidget(parent)
    , m_axis(axis)
{
    setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Fixed);
    setToolTip(tr("The whole run: darker where the workers were busier. The frame is the part the charts "
                  "show; click or drag to move it.\nIn the Gantt chart: drag pans, Shift+drag zooms to a range, "
                  "right-drag selects one, double-click shows the whole run, Ctrl+F finds a task."));
    connect(m_axis, &TimeAxis::rangeChanged, this, qOverload<>(&QWidget::update));
}

QSize OverviewStrip::sizeHint() const
{
    return QSize(800, kHeight + 6);
}

QSize OverviewStrip::minimumSizeHint() const
{
    return QSize(300, kHeight + 6);
}

void OverviewStrip::setRuns(const std::vector<const std::vector<TaskEvent> *> &events, int workers)
{
    m_busy.assign(kBuckets, 0.0);
    m_end = 0;
    for (const auto *list : events)
        for (const TaskEvent &e : *list)
            if (!e.isRunning())
                m_end = std::max(m_end, double(e.endNs) / 1e9);
    if (m_end <= 0 || workers <= 0) {
        m_busy.clear();
        update();
        return;
    }
    // Each task adds its time to the buckets it spans, cut at their edges. Past kMaxTasks tasks every
    // stride-th one stands for its neighbours: a shade per pixel needs no more, and a million tasks
    // must not hold up the window when a run ends.
    const double bucket = m_end / kBuckets;
    size_t total = 0;
    for (const auto *list : events)
        total += list->size();
    const size_t stride = std::max<size_t>(1, total / kMaxTasks);
    for (const auto *list : events) {
        for (size_t i = 0; i < list->size(); i += stride) {
            const TaskEvent &e = (*list)[i];
            if (e.isRunning() || e.endNs <= e.startNs)
                continue;
            const double a = std::max(0.0, double(e.startNs) / 1e9);
            const double b = double(e.endNs) / 1e9;
            const int first = std::clamp(int(a / bucket), 0, kBuckets - 1);
            const int last = std::clamp(int(b / bucket), 0, kBuckets - 1);
            for (int k = first; k <= last; ++k)
                m_busy[size_t(k)]
                    += double(stride) * std::max(0.0, std::min(b, (k + 1) * bucket) - std::max(a, k * bucket));
        }
    }
    for (double &v : m_busy)
        v = std::clamp(v / (bucket * workers), 0.0, 1.0);
    update();
}

double OverviewStrip::xFor(double seconds) const
{
    const double end = m_axis->dataEnd();
    return m_axis->plotLeft() + (end > 0 ? seconds / end : 0) * m_axis->plotWidth();
}

QRect OverviewStrip::frameRect() const
{
    const int a = int(std::floor(xFor(m_axis->t0())));
    const int b = std::max(a + 3, int(std::ceil(xFor(m_axis->t1()))));
    return QRect(a, 2, b - a, kHeight);
}

void OverviewStrip::paintEvent(QPaintEvent *)
{
    QPainter p(this);
    p.fillRect(rect(), palette().color(QPalette::Base));
    const QRect strip(m_axis->plotLeft(), 2, m_axis->plotWidth(), kHeight);
    p.fillRect(strip, QColor(0xf1, 0xf1, 0xf1));
    if (!m_busy.empty() && m_axis->dataEnd() > 0) {
        // One column per pixel, its shade the busiest bucket under it, so short bursts survive.
        for (int x = strip.left(); x <= strip.right(); ++x) {
            const double t0 = (x - strip.left()) * m_axis->dataEnd() / strip.width();
            const double t1 = (x + 1 - strip.left()) * m_axis->dataEnd() / strip.width();
            const int k0 = std::clamp(int(t0 / m_end * kBuckets), 0, kBuckets - 1);
            const int k1 = std::clamp(int(std::ceil(t1 / m_end * kBuckets)) - 1, k0, kBuckets - 1);
            if (t0 >= m_end)
                break;
            const double v = *std::max_element(m_busy.begin() + k0, m_busy.begin() + k1 + 1);
            if (v <= 0)
                continue;
            QColor c = kBusy;
            c.setAlphaF(0.1 + 0.6 * v);
            p.fillRect(QRect(x, strip.top(), 1, strip.height()), c);
        }
    }
    // The visible part: a frame, and the rest veiled when zoomed.
    const QRect frame = frameRect();
    if (m_axis->isZoomed()) {
        const QColor veil(255, 255, 255, 150);
        p.fillRect(QRect(strip.left(), strip.top(), frame.left() - strip.left(), strip.height()), veil);
        p.fillRect(QRect(frame.right() + 1, strip.top(), strip.right() - frame.right(), strip.height()), veil);
    }
    p.setPen(QPen(kFrame, 2));
    p.drawRect(frame.adjusted(1, 1, -1, -1));
}

void OverviewStrip::centreAt(double x)
{
    const double end = m_axis->dataEnd();
    if (end <= 0 || m_axis->plotWidth() <= 0)
        return;
    const double t = (x - m_axis->plotLeft()) / m_axis->plotWidth() * end;
    const double span = m_axis->span();
    m_axis->setRange(t - span / 2, t + span / 2);
}

void OverviewStrip::mousePressEvent(QMouseEvent *event)
{
    if (event->button() == Qt::LeftButton)
        centreAt(event->position().x());
}

void OverviewStrip::mouseMoveEvent(QMouseEvent *event)
{
    if (event->buttons() & Qt::LeftButton)
        centreAt(event->position().x());
}

} // namespace cs
