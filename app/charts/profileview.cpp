#include "profileview.h"

#include "pictureexport.h"
#include "resourcechart.h"
#include "timeaxis.h"

#include <QFrame>
#include <QLabel>
#include <QVBoxLayout>

#include <algorithm>

namespace cs {

ProfileView::ProfileView(QWidget *parent, ProfilePane::Parts parts)
    : QWidget(parent)
    , m_axis(new TimeAxis(this))
    , m_parts(parts)
    , m_layout(new QVBoxLayout(this))
    , m_message(new QLabel(this))
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
            // The separator above it belongs to the layout only.
            QLayoutItem *item = m_layout->takeAt(m_layout->count() - 1);
            delete item->widget();
            delete item;
        }
    }
    while (m_panes.size() < count)
        addPane();
    if (count > 0)
        m_message->hide();
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
        m_layout->addWidget(line);
    }
    auto *pane = new ProfilePane(m_axis, m_parts, this);
    pane->setShowFaults(m_showFaults);
    m_layout->addWidget(pane, 1);
    m_panes.append(pane);
    m_message->hide();
    return pane;
}

void ProfileView::showMessage(const QString &text)
{
    setPaneCount(0);
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
        }
    }
    m_axis->setDataEnd(end);
    m_axis->resetZoom();
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
    m_panes.first()->beginLive(info);
    m_live = true;
    m_unseen = nullptr;
    m_horizon = liveHorizon(0, 0);
    m_axis->setDataEnd(m_horizon);
    m_axis->resetZoom();
}

double ProfileView::liveHorizon(double seconds, double current)
{
    // A copy is shown live a quarter second in: the first horizon holds it for a while.
    constexpr double kFirstHorizon = 0.5;
    if (seconds <= current)
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
