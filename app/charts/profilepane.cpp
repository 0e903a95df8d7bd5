#include "profilepane.h"

#include "engine/copyrun.h"
#include "ganttchart.h"
#include "resourcechart.h"
#include "timeaxis.h"
#include "units.h"
#include "verdictlabel.h"

#include <QElapsedTimer>
#include <QLabel>
#include <QTimer>
#include <QVBoxLayout>

#include <algorithm>

namespace cs {

namespace {
QString figure(const QString &text)
{
    return QStringLiteral(" &nbsp;·&nbsp; ") + text;
}
} // namespace

ProfilePane::ProfilePane(TimeAxis *axis, Parts parts, QWidget *parent)
    : QWidget(parent)
    , m_axis(axis)
    , m_parts(parts)
{
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(0);
    if (parts & Title) {
        m_title = new QLabel(this);
        m_title->setTextFormat(Qt::RichText);
        m_title->setContentsMargins(TimeAxis::kLeftMargin, 8, 8, 2);
        m_title->setWordWrap(false); // a height-for-width label would make the scroll area keep panes at full height
        layout->addWidget(m_title);
    }
    if (parts & Verdict) {
        m_verdict = new VerdictLabel(this);
        m_verdict->hide();
        layout->addWidget(m_verdict);
    }
    if (parts & Gantt) {
        m_gantt = new GanttChart(axis, this);
        layout->addWidget(m_gantt, 3);
    }
    if (parts & Resources) {
        m_resources = new ResourceChart(axis, ResourceChart::Kind::CpuMemory, this);
        layout->addWidget(m_resources, 3);
    }
    if (parts & Faults) {
        m_faults = new ResourceChart(axis, ResourceChart::Kind::Faults, this);
        layout->addWidget(m_faults, 2);
    }
    setShowTimeLabels(true);
}

void ProfilePane::setShowTimeLabels(bool show)
{
    // Only the lowest chart prints times; the ones above share its grid lines.
    QWidget *lowest = m_faults && m_faults->isVisibleTo(this) ? static_cast<QWidget *>(m_faults)
        : m_resources                                         ? static_cast<QWidget *>(m_resources)
                                                              : static_cast<QWidget *>(m_gantt);
    if (m_gantt)
        m_gantt->setShowTimeLabels(show && lowest == m_gantt);
    if (m_resources)
        m_resources->setShowTimeLabels(show && lowest == m_resources);
    if (m_faults)
        m_faults->setShowTimeLabels(show && lowest == m_faults);
}

void ProfilePane::setShowFaults(bool show)
{
    if (!m_faults)
        return;
    m_faults->setVisible(show);
    setShowTimeLabels(true);
}

void ProfilePane::resetCharts(int workers, const Coords &shape, const Coords &chunks, bool profiled)
{
    m_pending.reset();
    if (m_gantt) {
        GanttData &d = m_gantt->data();
        d.clear();
        m_gantt->setRunDuration(0);
        d.setWorkers(workers);
        d.setGrid(shape, chunks);
        m_gantt->setPlaceholderText(profiled ? QString()
                                             : QStringLiteral("profiling was off for this run: no task events"));
        m_gantt->dataChanged();
    }
    // A pane is reused for the next run: no scale shared with runs compared before.
    for (ResourceChart *c : {m_resources, m_faults}) {
        if (!c)
            continue;
        c->setCpuCeiling(100.0 * std::max(1, workers));
        c->setMemoryCeiling(0);
        c->setFaultsCeiling(0);
        c->setSamples({});
    }
}

void ProfilePane::showResult(const std::shared_ptr<const RunResult> &run)
{
    m_result = run;
    if (!run)
        return;
    resetCharts(run->workers, run->shape, run->chunks, run->profiled);
    if (m_gantt) {
        m_gantt->data().append(run->events);
        m_gantt->dataChanged();
    }
    showFigures(*run, verdictFor(*run));
}

void ProfilePane::finishLive(const std::shared_ptr<const RunResult> &run, const cs::Verdict &verdict)
{
    // The snapshots' finished tasks are tasks 0..n-1, up to the first gap, and so are the result's
    // first n events: what the live Gantt lacks is the rest of the result.
    const std::vector<TaskEvent> &events = run->events;
    const bool prefix
        = m_doneSeen <= events.size() && (m_doneSeen == 0 || events[m_doneSeen - 1].task == int64_t(m_doneSeen - 1));
    if (!m_gantt || !prefix) {
        showResult(run);
        return;
    }
    m_result = run;
    m_gantt->data().setInFlight({}, 0); // a finished run's data ends with its tasks, not "now"
    m_pending = run;
    m_pendingFrom = m_doneSeen;
    appendPending();
    showFigures(*run, verdict);
}

void ProfilePane::appendPending()
{
    constexpr qint64 kSliceNs = 8'000'000;
    constexpr size_t kStep = 4096;
    if (!m_pending)
        return;
    QElapsedTimer clock;
    clock.start();
    const std::vector<TaskEvent> &events = m_pending->events;
    while (m_pendingFrom < events.size()) {
        const size_t n = std::min(kStep, events.size() - m_pendingFrom);
        m_gantt->data().append(events.data() + m_pendingFrom, n);
        m_pendingFrom += n;
        if (clock.nsecsElapsed() >= kSliceNs)
            break;
    }
    m_gantt->dataChanged();
    if (m_pendingFrom < events.size()) {
        if (!m_appendScheduled) {
            m_appendScheduled = true;
            QTimer::singleShot(0, this, [this] {
                m_appendScheduled = false;
                appendPending();
            });
        }
    } else {
        m_pending.reset();
    }
}

void ProfilePane::showFigures(const RunResult &run, const cs::Verdict &verdict)
{
    for (ResourceChart *c : {m_resources, m_faults})
        if (c)
            c->setSamples(run.samples);
    m_dataEnd = run.wallSeconds;
    if (m_gantt) {
        m_gantt->setRunDuration(int64_t(run.wallSeconds * 1e9));
        m_dataEnd = std::max(m_dataEnd, double(m_gantt->data().endNs()) / 1e9);
    }
    if (m_title)
        m_title->setText(resultTitle(run));
    if (m_verdict) {
        m_verdict->setVerdict(verdict);
        m_verdict->show();
    }
}

void ProfilePane::beginLive(const LiveRunInfo &info)
{
    m_result.reset();
    m_live = info;
    m_doneSeen = 0;
    m_samplesSeen = 0;
    m_dataEnd = 0;
    resetCharts(info.workers, info.shape, info.chunks, info.profile);
    if (m_verdict) {
        m_verdict->clear();
        m_verdict->hide();
    }
    if (m_title)
        m_title->setText(QStringLiteral("<b>%1</b>").arg(info.name.toHtmlEscaped())
                         + figure(QStringLiteral("starting")));
}

void ProfilePane::updateLive(const RunSnapshot &s)
{
    if (m_gantt) {
        GanttData &d = m_gantt->data();
        if (s.done.size() > m_doneSeen)
            d.append(s.done.data() + m_doneSeen, s.done.size() - m_doneSeen);
        d.setInFlight(s.pending, s.elapsedNs);
        m_gantt->dataChanged();
    }
    m_doneSeen = s.done.size();
    if (s.samples.size() > m_samplesSeen) {
        for (ResourceChart *c : {m_resources, m_faults})
            if (c)
                c->appendSamples(s.samples.data() + m_samplesSeen, s.samples.size() - m_samplesSeen);
        m_samplesSeen = s.samples.size();
    }
    m_dataEnd = double(s.elapsedNs) / 1e9;
    if (m_title) {
        const double seconds = double(s.elapsedNs) / 1e9;
        const double gbps = seconds > 0 ? double(s.bytesDone) / seconds / 1e9 : 0;
        QString text = QStringLiteral("<b>%1</b>").arg(m_live.name.toHtmlEscaped());
        text += figure(QStringLiteral("%1 → %2").arg(m_live.sourceStore, m_live.targetStore));
        text += figure(QStringLiteral("%1 workers").arg(m_live.workers));
        text += figure(QStringLiteral("lock %1").arg(lockModeName(m_live.lock)));
        text += figure(QStringLiteral("running: %1 of %2 tasks").arg(s.tasksDone).arg(s.tasksTotal));
        text += figure(formatSeconds(seconds, 2)) + figure(formatRate(gbps));
        m_title->setText(text);
    }
}

QString ProfilePane::titleText() const
{
    return m_title ? m_title->text() : QString();
}

QString ProfilePane::resultTitle(const RunResult &run)
{
    QString text = QStringLiteral("<b>%1</b>").arg(run.name.toHtmlEscaped());
    if (run.repeatIndex > 0)
        text += QStringLiteral(" (repeat %1)").arg(run.repeatIndex + 1);
    text += figure(QStringLiteral("%1 → %2").arg(run.source.store, run.target.store));
    text += figure(QStringLiteral("%1 workers").arg(run.workers));
    text += figure(QStringLiteral("lock %1").arg(lockModeName(run.lock)));
    text += figure(QStringLiteral("%1 tasks").arg(run.tasks));
    text += figure(formatSeconds(run.wallSeconds, 3))
        + figure(QStringLiteral("<b>%1</b>").arg(formatRate(run.throughputGbps())));
    if (run.profiled) {
        text += figure(
            QStringLiteral("CPU %1").arg(run.cpuMeasured() ? formatPercent(run.cpuMeanPercent) : QStringLiteral("—")));
        text += figure(QStringLiteral("peak RSS %1").arg(formatBytes(run.peakRssBytes)));
    }
    if (run.status != RunResult::Status::Ok)
        text += figure(QStringLiteral("<span style='color:#c53030'>%1: %2</span>")
                           .arg(statusName(run.status), run.error.toHtmlEscaped()));
    else if (run.verified.has_value())
        text += figure(*run.verified ? QStringLiteral("verified")
                                     : QStringLiteral("<span style='color:#c53030'>NOT verified</span>"));
    return text;
}

} // namespace cs
