#include "profileview.h"

#include "ganttchart.h"
#include "overviewstrip.h"
#include "pictureexport.h"
#include "resourcechart.h"
#include "results/rangesummary.h"
#include "runcomparison.h"
#include "timeaxis.h"
#include "units.h"

#include <QAction>
#include <QFrame>
#include <QHBoxLayout>
#include <QInputDialog>
#include <QLabel>
#include <QToolButton>
#include <QVBoxLayout>

#include <algorithm>
#include <array>
#include <limits>

namespace cs {

ProfileView::ProfileView(QWidget *parent, ProfilePane::Parts parts)
    : QWidget(parent)
    , m_axis(new TimeAxis(this))
    , m_parts(parts)
    , m_layout(new QVBoxLayout(this))
    , m_paneLayout(new QVBoxLayout)
    , m_message(new QLabel(this))
    , m_header(new QWidget(this))
    , m_comparison(new QLabel(m_header))
    , m_readout(new QLabel(this))
    , m_overview(new OverviewStrip(m_axis, this))
    , m_compactAction(new QAction(tr("&Compact comparison"), this))
    , m_findAction(new QAction(tr("&Find task..."), this))
    , m_overlay(new ResourceChart(m_axis, ResourceChart::Kind::Overlay, this))
{
    setAutoFillBackground(true);
    QPalette pal = palette();
    pal.setColor(QPalette::Window, pal.color(QPalette::Base));
    setPalette(pal);
    m_layout->setContentsMargins(0, 0, 0, 0);
    m_layout->setSpacing(0);
    m_message->setAlignment(Qt::AlignCenter);
    m_message->setWordWrap(true);
    m_message->setStyleSheet(QStringLiteral("color: #777; font-size: 12pt; padding: 40px;"));
    m_layout->addWidget(m_message);
    m_header->setObjectName(QStringLiteral("comparisonHeader"));
    m_header->setStyleSheet(
        QStringLiteral("#comparisonHeader { background: #eef3f8; border-bottom: 1px solid #d0d8e0; }"));
    auto *header = new QHBoxLayout(m_header);
    header->setContentsMargins(TimeAxis::kLeftMargin, 4, 8, 4);
    m_comparison->setTextFormat(Qt::PlainText);
    m_comparison->setWordWrap(true);
    m_comparison->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_comparison->setStyleSheet(QStringLiteral("font-weight: 600;"));
    header->addWidget(m_comparison, 1);
    m_compactAction->setCheckable(true);
    m_compactAction->setToolTip(tr("Compared runs on shared charts: a Gantt row group per run, and the CPU and "
                                   "memory of every run in one chart"));
    auto *toggle = new QToolButton(m_header);
    toggle->setDefaultAction(m_compactAction);
    toggle->setToolButtonStyle(Qt::ToolButtonTextOnly);
    header->addWidget(toggle, 0, Qt::AlignRight | Qt::AlignTop);
    connect(m_compactAction, &QAction::toggled, this, &ProfileView::applyCompact);
    m_findAction->setShortcut(QKeySequence::Find);
    m_findAction->setToolTip(tr("Find a task by its chunk index and outline its bar"));
    addAction(m_findAction);
    connect(m_findAction, &QAction::triggered, this, [this] {
        if (m_panes.isEmpty())
            return;
        bool ok = false;
        const int task
            = QInputDialog::getInt(this, tr("Find task"), tr("Chunk index (the task's number):"),
                                   int(std::max<int64_t>(0, m_lastFound)), 0, std::numeric_limits<int>::max(), 1, &ok);
        if (ok && !findTask(task))
            m_readout->setText(m_readout->text() + tr("\nno finished task %1 in the runs shown").arg(task));
    });
    m_header->hide();
    m_layout->addWidget(m_header);
    m_readout->setTextFormat(Qt::PlainText);
    m_readout->setWordWrap(true);
    m_readout->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_readout->setContentsMargins(TimeAxis::kLeftMargin, 4, 8, 2);
    m_readout->setStyleSheet(QStringLiteral("color: #505050;"));
    m_readout->hide();
    m_layout->addWidget(m_readout);
    m_overview->hide();
    m_layout->addWidget(m_overview);
    connect(m_axis, &TimeAxis::rangeChanged, this, &ProfileView::updateReadout);
    connect(m_axis, &TimeAxis::selectionChanged, this, &ProfileView::updateSelectionSummary);
    m_paneLayout->setContentsMargins(0, 0, 0, 0);
    m_paneLayout->setSpacing(0);
    // Takes only what panes that do not grow (a failed run's banner) leave: they stay at the top.
    m_paneLayout->addStretch(0);
    m_layout->addLayout(m_paneLayout, 1);
    m_overlay->hide();
    m_layout->addWidget(m_overlay, 2);
    showMessage(tr("Run a copy (F5) or select finished runs to see their profiles."));
    updateGeometryOfAxis();
}

// Panes are kept rather than built again: a pane's two Qt Charts views take longer to build than a
// frame, and a batch of small copies starts and finishes several runs a second.
void ProfileView::setPaneCount(int count)
{
    while (m_panes.size() > count) {
        delete m_panes.takeLast(); // a deleted widget leaves the layout by itself
        if (!m_panes.isEmpty()) {
            // The separator above it belongs to the layout only; the stretch stays last.
            QLayoutItem *item = m_paneLayout->takeAt(m_paneLayout->count() - 2);
            delete item->widget();
            delete item;
        }
    }
    while (m_panes.size() < count)
        addPane();
    if (count > 0)
        m_message->hide();
    m_header->hide();
    m_axis->clearSelection();
    m_readout->hide();
    m_overview->setVisible(count > 0);
    m_live = false;
    m_unseen = nullptr;
}

ProfilePane *ProfileView::addPane()
{
    if (!m_panes.isEmpty()) {
        auto *line = new QFrame(this);
        line->setFrameShape(QFrame::HLine);
        line->setFrameShadow(QFrame::Plain);
        line->setStyleSheet(QStringLiteral("color: #d0d0d0;"));
        m_paneLayout->insertWidget(m_paneLayout->count() - 1, line);
    }
    auto *pane = new ProfilePane(m_axis, m_parts, this);
    pane->setShowFaults(m_showFaults);
    if (GanttChart *gantt = pane->gantt()) {
        // A phase hidden in one run's legend is hidden in every run's bars.
        connect(gantt, &GanttChart::segmentToggled, this, [this](int segment, bool shown) {
            for (ProfilePane *p : std::as_const(m_panes))
                if (p->gantt())
                    p->gantt()->setSegmentShown(segment, shown);
        });
        if (!m_panes.isEmpty() && m_panes.first()->gantt())
            for (int s = 0; s < kSegmentCount; ++s)
                gantt->setSegmentShown(s, m_panes.first()->gantt()->isSegmentShown(s));
    }
    m_paneLayout->insertWidget(m_paneLayout->count() - 1, pane, 1);
    m_panes.append(pane);
    m_message->hide();
    return pane;
}

void ProfileView::updateOverview()
{
    // The whole run above the Gantt charts, when there is one to show.
    bool charts = false;
    for (const ProfilePane *p : std::as_const(m_panes))
        charts = charts || p->showsCharts();
    m_overview->setVisible(charts);
}

void ProfileView::showMessage(const QString &text)
{
    setPaneCount(0);
    applyCompact();
    m_message->setText(text);
    m_message->show();
}

void ProfileView::showRuns(const QList<std::shared_ptr<const RunResult>> &runs)
{
    if (runs.isEmpty()) {
        showMessage(tr("Select one or more finished runs to see their profiles."));
        return;
    }
    if (!m_live && runs == this->runs())
        return;
    setPaneCount(int(runs.size()));
    double end = 0;
    double cpu = 100;
    double memory = 0;
    double faults = 0;
    double requests = 0;
    double wire = 0;
    for (qsizetype i = 0; i < runs.size(); ++i) {
        const auto &run = runs[i];
        ProfilePane *pane = m_panes[i];
        pane->showResult(run);
        end = std::max(end, pane->dataEnd());
        cpu = std::max(cpu, 100.0 * run->workers);
        for (const ResourceSample &s : run->samples) {
            cpu = std::max(cpu, s.cpuPercent);
            memory = std::max({memory, double(s.rssBytes), double(s.inflightBytes)});
            faults = std::max(faults, s.minorFaultsPerSec);
            requests = std::max(requests, double(s.requestsInFlight));
            wire = std::max(wire, s.wireBytesPerSec);
        }
    }
    // Compared runs share their value scales as they share the time scale.
    if (runs.size() > 1) {
        for (ProfilePane *pane : std::as_const(m_panes)) {
            if (ResourceChart *c = pane->resources()) {
                c->setCpuCeiling(cpu);
                c->setMemoryCeiling(memory);
            }
            if (ResourceChart *c = pane->faults())
                c->setFaultsCeiling(faults);
            if (ResourceChart *c = pane->wire())
                c->setWireCeiling(requests, wire);
        }
    }
    m_axis->setDataEnd(end);
    m_axis->resetZoom();
    std::vector<const std::vector<TaskEvent> *> events;
    int workers = 0;
    for (const auto &run : runs) {
        events.push_back(&run->events);
        workers += std::max(0, run->workers);
    }
    m_overview->setRuns(events, workers);
    updateOverview();
    updateSelectionSummary();
    m_comparison->setText(runComparisonText(runs, m_order));
    m_comparison->setVisible(!m_comparison->text().isEmpty());
    m_header->setVisible(runs.size() > 1);
    applyCompact();
}

bool ProfileView::findTask(int64_t task)
{
    bool found = false;
    TaskEvent event;
    for (ProfilePane *pane : std::as_const(m_panes)) {
        GanttChart *gantt = pane->gantt();
        if (gantt && gantt->highlightTask(task) && !found) {
            found = true;
            event = gantt->highlightedEvent();
        }
    }
    if (!found)
        return false;
    m_lastFound = task;
    // Centred, and at least a tenth of the plot wide when it is smaller than a few pixels now.
    const double start = double(event.startNs) / 1e9;
    const double end = double(event.endNs) / 1e9;
    double span = m_axis->span();
    if ((end - start) * m_axis->scale() < 6)
        span = std::max(10 * (end - start), 1e-6);
    const double mid = (start + end) / 2;
    if (span < m_axis->dataEnd())
        m_axis->setRange(mid - span / 2, mid + span / 2);
    return true;
}

void ProfileView::updateSelectionSummary()
{
    // Summed over every task once per selection, not on every pan or zoom.
    m_selectionText.clear();
    if (m_axis->hasSelection()) {
        const int decimals = std::max(3, TimeAxis::decimalsFor(m_axis->tickStep()) + 1);
        const int64_t a = int64_t(std::llround(m_axis->selectionStart() * 1e9));
        const int64_t b = int64_t(std::llround(m_axis->selectionEnd() * 1e9));
        m_selectionText = tr("\nselected %1–%2 (%3):")
                              .arg(QString::number(m_axis->selectionStart(), 'f', decimals),
                                   formatSeconds(m_axis->selectionEnd(), decimals), formatDurationNs(b - a));
        for (const ProfilePane *pane : std::as_const(m_panes)) {
            if (!pane->result())
                continue;
            const RangeSummary r = summarizeRange(pane->result()->events, a, b);
            QStringList phases;
            for (int p = 0; p < kPhaseCount; ++p)
                if (r.phaseNs[size_t(p)] >= 0.5)
                    phases.append(
                        QStringLiteral("%1 %2").arg(QString::fromLatin1(phaseLabel(Phase(p))),
                                                    formatDurationNs(int64_t(std::llround(r.phaseNs[size_t(p)])))));
            m_selectionText += tr("\n%1: %2 tasks, %3, %4")
                                   .arg(ProfilePane::runLabel(*pane->result()))
                                   .arg(r.tasks)
                                   .arg(formatMemory(int64_t(std::llround(r.bytes))), formatRate(r.gbps()));
            if (!phases.isEmpty())
                m_selectionText += QStringLiteral("; ") + phases.join(QStringLiteral(", "));
        }
    }
    updateReadout();
}

void ProfileView::updateReadout()
{
    // Only while zoomed or with a selection: the whole run needs no readout, and the line would take
    // its height from the charts.
    m_readout->setVisible(!m_panes.isEmpty() && (m_axis->isZoomed() || m_axis->hasSelection()));
    if (m_readout->isHidden()) {
        m_readout->clear();
        return;
    }
    const int decimals = std::max(3, TimeAxis::decimalsFor(m_axis->tickStep()) + 1);
    m_readout->setText(tr("visible %1–%2 of %3 · Shift+drag zooms to a range, right-drag selects one, "
                          "double-click shows the whole run")
                           .arg(QString::number(m_axis->t0(), 'f', decimals), formatSeconds(m_axis->t1(), decimals),
                                formatSeconds(m_axis->dataEnd(), decimals))
                       + m_selectionText);
}

QColor ProfileView::runColor(int index)
{
    // Dark, saturated colours that no Gantt phase uses, so a group's swatch never reads as a phase.
    static const std::array<QColor, 6> colors{
        QColor(0x2c, 0x3e, 0x9c), QColor(0xb0, 0x2e, 0x7c), QColor(0x0f, 0x76, 0x5e),
        QColor(0x8a, 0x5a, 0x00), QColor(0x5e, 0x2b, 0x8c), QColor(0x30, 0x30, 0x30),
    };
    return colors[size_t(std::max(0, index)) % colors.size()];
}

bool ProfileView::isCompact() const
{
    return !m_overlay->isHidden();
}

void ProfileView::setCompact(bool compact)
{
    m_compactAction->setChecked(compact);
}

void ProfileView::applyCompact()
{
    const bool compact = m_compactAction->isChecked() && m_panes.size() > 1 && !m_live;
    std::vector<ResourceChart::OverlayRun> overlay;
    double cpu = 100;
    bool legend = true; // on the first group that draws bars
    // That legend names the request marks when any group's run made requests.
    const bool requests = compact && std::any_of(m_panes.begin(), m_panes.end(), [](const ProfilePane *pane) {
                              return pane->result() && !pane->result()->requests.empty();
                          });
    for (qsizetype i = 0; i < m_panes.size(); ++i) {
        ProfilePane *pane = m_panes[i];
        if (pane->gantt())
            pane->gantt()->setLegendListsRequests(requests);
        pane->setCompact(compact, runColor(int(i)), legend && pane->showsCharts());
        legend = legend && !pane->showsCharts();
        const std::shared_ptr<const RunResult> &run = pane->result();
        // A run that sampled no interval (one that failed at once) has no line to draw.
        if (!compact || !run || run->samples.size() < 2)
            continue;
        // Named as the group's heading names it.
        overlay.push_back({ProfilePane::runLabel(*run), runColor(int(i)), run->samples});
        cpu = std::max(cpu, 100.0 * run->workers);
    }
    if (compact) {
        m_overlay->setCpuCeiling(cpu);
        m_overlay->setOverlay(std::move(overlay));
    } else if (!m_overlay->isHidden()) {
        m_overlay->setOverlay({}); // no copies of samples kept out of sight
    }
    m_overlay->setVisible(compact && !m_overlay->series().isEmpty());
}

void ProfileView::setRunOrder(RunOrder order)
{
    m_order = order;
    if (!m_header->isHidden())
        m_comparison->setText(runComparisonText(runs(), m_order));
}

QList<std::shared_ptr<const RunResult>> ProfileView::runs() const
{
    QList<std::shared_ptr<const RunResult>> out;
    for (ProfilePane *p : m_panes)
        if (p->result())
            out.append(p->result());
    return out;
}

void ProfileView::beginLive(const LiveRunInfo &info)
{
    setPaneCount(1);
    applyCompact();
    m_overview->setRuns({}, 0); // a live run's frame alone: no busy profile recomputed per refresh
    m_panes.first()->beginLive(info);
    m_live = true;
    m_unseen = nullptr;
    // A tenth beyond the expected length: a repeat that runs a little longer than the last one
    // still ends on the axis it started on.
    m_horizon = info.expectedSeconds > 0 ? 1.1 * info.expectedSeconds : liveHorizon(0, 0);
    m_axis->setDataEnd(m_horizon);
    m_axis->resetZoom();
}

double ProfileView::liveHorizon(double seconds, double current)
{
    // A copy is shown live a quarter second in: the first horizon holds it for a while.
    constexpr double kFirstHorizon = 0.5;
    if (current > 0 && seconds <= current)
        return current;
    double horizon = std::max(current, kFirstHorizon);
    while (horizon < seconds)
        horizon *= 1.5;
    return horizon;
}

void ProfileView::updateLive(const RunSnapshot &snapshot)
{
    if (!m_live || m_panes.isEmpty())
        return;
    if (!isVisible()) {
        m_unseen = &snapshot;
        return;
    }
    m_unseen = nullptr;
    ProfilePane *pane = m_panes.first();
    pane->updateLive(snapshot);
    m_horizon = liveHorizon(pane->dataEnd(), m_horizon);
    m_axis->setDataEnd(m_horizon);
}

void ProfileView::showEvent(QShowEvent *event)
{
    QWidget::showEvent(event);
    if (m_live && m_unseen)
        updateLive(*m_unseen);
}

void ProfileView::finishLive(const std::shared_ptr<const RunResult> &result, const Verdict &verdict)
{
    if (!m_live || m_panes.size() != 1 || !result)
        return;
    ProfilePane *pane = m_panes.first();
    // Tasks a hidden view never took are in the result.
    m_unseen = nullptr;
    pane->finishLive(result, verdict);
    m_overview->setRuns({&result->events}, result->workers);
    updateOverview();
    m_live = false;
    m_axis->setDataEnd(pane->dataEnd());
    m_axis->resetZoom();
}

void ProfileView::setShowFaults(bool show)
{
    m_showFaults = show;
    for (ProfilePane *p : std::as_const(m_panes))
        p->setShowFaults(show);
}

void ProfileView::resizeEvent(QResizeEvent *event)
{
    QWidget::resizeEvent(event);
    updateGeometryOfAxis();
}

void ProfileView::updateGeometryOfAxis()
{
    m_axis->setPlotGeometry(TimeAxis::kLeftMargin, width() - TimeAxis::kLeftMargin - TimeAxis::kRightMargin);
}

QImage ProfileView::renderImage(QSize size, qreal devicePixelRatio)
{
    return renderWidgetImage(this, size, devicePixelRatio);
}

} // namespace cs
