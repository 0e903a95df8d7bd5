#include "profilepane.h"

#include "array/chunkgrid.h"
#include "engine/copyrun.h"
#include "figureline.h"
#include "ganttchart.h"
#include "rankbarchart.h"
#include "rankrows.h"
#include "resourcechart.h"
#include "results/runranks.h"
#include "runner/runstage.h"
#include "timeaxis.h"
#include "units.h"
#include "verdictlabel.h"

#include <QComboBox>
#include <QElapsedTimer>
#include <QHBoxLayout>
#include <QLabel>
#include <QTextDocumentFragment>
#include <QTimer>
#include <QVBoxLayout>

#include <algorithm>

namespace cs {

ProfilePane::ProfilePane(TimeAxis *axis, Parts parts, QWidget *parent)
    : QWidget(parent)
    , m_axis(axis)
    , m_parts(parts)
{
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(0);
    if (parts & Title) {
        m_title = new FigureLine(this);
        m_title->setContentsMargins(TimeAxis::kLeftMargin, 8, 8, 2);
        layout->addWidget(m_title);
    }
    if (parts & Title) {
        m_banner = new QLabel(this);
        m_banner->setObjectName(QStringLiteral("errorBanner"));
        m_banner->setTextFormat(Qt::PlainText);
        m_banner->setWordWrap(true);
        m_banner->setTextInteractionFlags(Qt::TextSelectableByMouse);
        m_banner->setStyleSheet(QStringLiteral("background: #fdecea; color: #8a1c1c; border: 1px solid #f5c2c0; "
                                               "padding: 8px; margin: 4px %1px 4px %2px;")
                                    .arg(TimeAxis::kRightMargin)
                                    .arg(TimeAxis::kLeftMargin));
        m_banner->hide();
        layout->addWidget(m_banner);
    }
    if (parts & Verdict) {
        m_verdict = new VerdictLabel(this);
        m_verdict->hide();
        layout->addWidget(m_verdict);
    }
    if (parts & Gantt) {
        m_rankBars = new RankBarChart(this);
        m_rankBars->setObjectName(QStringLiteral("rankBars"));
        m_rankBars->hide();
        layout->addWidget(m_rankBars);
        m_gantt = new GanttChart(axis, this);
        layout->addWidget(m_gantt, 3);
    }
    if (parts & Resources) {
        m_rankPicker = new QWidget(this);
        auto *row = new QHBoxLayout(m_rankPicker);
        row->setContentsMargins(TimeAxis::kLeftMargin, 4, TimeAxis::kRightMargin, 0);
        auto *label = new QLabel(tr("Samples of"), m_rankPicker);
        m_rankCombo = new QComboBox(m_rankPicker);
        m_rankCombo->setObjectName(QStringLiteral("rankSamples"));
        label->setBuddy(m_rankCombo);
        row->addWidget(label);
        row->addWidget(m_rankCombo);
        row->addStretch(1);
        m_rankPicker->hide();
        layout->addWidget(m_rankPicker);
        connect(m_rankCombo, &QComboBox::activated, this, [this] { showRankSamples(); });
        m_resources = new ResourceChart(axis, ResourceChart::Kind::CpuMemory, this);
        layout->addWidget(m_resources, 3);
        m_wire = new ResourceChart(axis, ResourceChart::Kind::Wire, this);
        m_wire->hide();
        layout->addWidget(m_wire, 2);
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
    QWidget *lowest = m_gantt;
    for (ResourceChart *c : {m_resources, m_wire, m_faults}) // top to bottom
        if (c && c->isVisibleTo(this))
            lowest = c;
    if (m_gantt)
        m_gantt->setShowTimeLabels(show && lowest == m_gantt);
    for (ResourceChart *c : {m_resources, m_wire, m_faults})
        if (c)
            c->setShowTimeLabels(show && lowest == c);
}

void ProfilePane::setShowFaults(bool show)
{
    m_showFaults = show;
    updateChartVisibility();
}

void ProfilePane::setCompact(bool compact, const QColor &runColor, bool legend)
{
    m_compact = compact;
    m_runColor = runColor;
    if (m_gantt) {
        m_gantt->setShowLegend(!compact || legend);
        updateHeading();
    }
    updateChartVisibility();
}

void ProfilePane::updateHeading()
{
    if (!m_gantt)
        return;
    // The title's text without its markup: a heading is one line in the chart's own font.
    const QString text = m_compact && m_result
        ? QTextDocumentFragment::fromHtml(FigureLine::join(resultFigures(*m_result))).toPlainText()
        : QString();
    m_gantt->setHeading(text, m_runColor);
}

void ProfilePane::updateChartVisibility()
{
    // A group without charts (a failed run's banner) keeps its title, which names the run.
    if (m_title)
        m_title->setVisible(!m_compact || !m_chartsShown || !m_gantt);
    if (m_verdict)
        m_verdict->setVisible(m_chartsShown && !m_compact && m_result != nullptr);
    if (m_gantt)
        m_gantt->setVisible(m_chartsShown);
    if (m_resources)
        m_resources->setVisible(m_chartsShown && !m_compact);
    const bool ranked = m_result && m_result->ranks && m_chartsShown && !m_compact;
    if (m_rankBars)
        m_rankBars->setVisible(ranked);
    if (m_rankPicker)
        m_rankPicker->setVisible(ranked && m_resources);
    if (m_faults)
        m_faults->setVisible(m_chartsShown && m_showFaults && !m_compact);
    if (m_wire)
        m_wire->setVisible(m_chartsShown && !m_compact && ResourceChart::measuresWire(m_wire->samples()));
    // Without charts a pane is its title and banner, as high as they are: the rest of the view stays
    // empty below them rather than spreading them apart.
    setSizePolicy(QSizePolicy::Preferred, m_chartsShown ? QSizePolicy::Preferred : QSizePolicy::Maximum);
    // In a compact comparison the overlaid chart under the groups prints the times.
    setShowTimeLabels(!m_compact);
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
        if (profiled)
            d.reserveTasks(d.grid().chunkCount());
        m_gantt->setPlaceholderText(profiled ? QString()
                                             : QStringLiteral("profiling was off for this run: no task events"));
        m_gantt->setRankGroups({});
        m_gantt->dataChanged();
    }
    // A pane is reused for the next run: no scale shared with runs compared before.
    for (ResourceChart *c : {m_resources, m_wire, m_faults})
        if (c)
            c->reset(100.0 * std::max(1, workers));
    updateWireVisibility();
}

void ProfilePane::showResult(const std::shared_ptr<const RunResult> &run)
{
    m_result = run;
    if (!run)
        return;
    resetCharts(ganttRows(*run), run->shape, run->chunks, run->profiled);
    if (m_gantt) {
        // An MPI job's workers of each rank get rows of their own under the rank's header.
        if (run->ranks) {
            m_gantt->setRankGroups(rankGroups(*run));
            m_gantt->data().append(eventsInRankRows(*run));
        } else {
            m_gantt->data().append(run->events);
        }
        m_gantt->data().setRequests(run->requests);
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
    for (ResourceChart *c : {m_resources, m_wire, m_faults})
        if (c)
            c->fitToSamples();
    m_gantt->data().setInFlight({}, 0); // a finished run's data ends with its tasks, not "now"
    m_gantt->data().setRequests(run->requests); // recorded per task, they come with the result only
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
    showRanks(run);
    m_dataEnd = run.wallSeconds;
    if (m_gantt) {
        m_gantt->setRunDuration(int64_t(run.wallSeconds * 1e9));
        m_dataEnd = std::max(m_dataEnd, double(m_gantt->data().endNs()) / 1e9);
    }
    if (m_title)
        m_title->setFigures(resultFigures(run));
    const bool failed = run.status != RunResult::Status::Ok;
    // Nothing to draw: no task finished and no interval was sampled. Empty charts with made-up axes
    // would only hide the reason.
    const bool empty = run.events.empty() && run.samples.size() < 2;
    if (m_banner) {
        m_banner->setText(failed ? QStringLiteral("%1: %2").arg(statusName(run.status), run.error) : QString());
        m_banner->setVisible(failed);
    }
    m_chartsShown = !(failed && empty);
    updateChartVisibility();
    if (m_verdict) {
        m_verdict->setVerdict(verdict);
        m_verdict->setVisible(m_chartsShown && !m_compact);
    }
    updateHeading();
}

void ProfilePane::showRanks(const RunResult &run)
{
    const bool ranked = run.ranks != nullptr;
    if (m_rankBars)
        m_rankBars->setRanks(ranked ? run.ranks->figures : QList<RankFigures>());
    if (m_rankCombo) {
        const int kept = m_rankCombo->currentIndex();
        m_rankCombo->clear();
        if (ranked) {
            m_rankCombo->addItem(tr("all %1 ranks, summed").arg(run.ranks->count()), -1);
            for (int r = 0; r < run.ranks->count(); ++r)
                m_rankCombo->addItem(tr("rank %1 (%2)").arg(r).arg(run.ranks->hosts.at(r)), r);
            m_rankCombo->setCurrentIndex(kept >= 0 && kept < m_rankCombo->count() ? kept : 0);
        }
    }
    updateChartVisibility();
    if (ranked && m_rankCombo) {
        showRankSamples();
        return;
    }
    showSamples(run.samples);
}

void ProfilePane::showRankSamples()
{
    if (!m_result || !m_rankCombo)
        return;
    showSamples(rankSamples(*m_result, m_rankCombo->currentData().toInt()));
}

void ProfilePane::showSamples(const std::vector<ResourceSample> &samples)
{
    for (ResourceChart *c : {m_resources, m_wire, m_faults})
        if (c)
            c->setSamples(samples);
    updateWireVisibility();
}

void ProfilePane::updateWireVisibility()
{
    // Shown once samples counted the wire (a run on object storage), hidden again without them.
    if (m_wire && m_wire->isHidden() == (m_chartsShown && !m_compact && ResourceChart::measuresWire(m_wire->samples())))
        updateChartVisibility();
}

void ProfilePane::beginLive(const LiveRunInfo &info)
{
    m_result.reset();
    m_live = info;
    m_titleClock.invalidate();
    m_doneSeen = 0;
    m_samplesSeen = 0;
    m_dataEnd = 0;
    resetCharts(info.workers, info.shape, info.chunks, info.profile);
    if (info.expectedPeaks)
        for (ResourceChart *c : {m_resources, m_wire, m_faults})
            if (c)
                c->expectPeaks(*info.expectedPeaks);
    if (m_verdict) {
        m_verdict->clear();
        m_verdict->hide();
    }
    if (m_banner)
        m_banner->hide();
    m_chartsShown = true;
    updateChartVisibility(); // a live run is one process's: no rank widgets
    // The figures a running copy shows, at their start: the title keeps its lines, and the pane its
    // height, when the first counters come, rather than laying out the view again during the copy.
    if (m_title) {
        RunSnapshot start;
        start.tasksTotal = ChunkGrid(info.shape, info.chunks).chunkCount();
        m_title->setFigures(liveFigures(start));
    }
}

QStringList ProfilePane::liveFigures(const RunSnapshot &s) const
{
    const double seconds = double(s.elapsedNs) / 1e9;
    const double gbps = seconds > 0 ? double(s.bytesDone) / seconds / 1e9 : 0;
    // Verifying: the copy's figures stay as the copy ended, beside how far verification got.
    return {QStringLiteral("<b>%1</b>").arg(m_live.name.toHtmlEscaped()),
            QStringLiteral("%1 → %2").arg(m_live.sourceStore, m_live.targetStore),
            formatWorkers(m_live.workers),
            QStringLiteral("lock %1").arg(lockModeName(m_live.lock)),
            copyStage(s).text(),
            formatSeconds(seconds, 2),
            formatRate(gbps)};
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
        for (ResourceChart *c : {m_resources, m_wire, m_faults})
            if (c)
                c->appendSamples(s.samples.data() + m_samplesSeen, s.samples.size() - m_samplesSeen);
        m_samplesSeen = s.samples.size();
        updateWireVisibility();
    }
    m_dataEnd = double(s.elapsedNs) / 1e9;
    // The title's figures are rich text, laid out again whenever they change: four times a second
    // reads as live, and a refresh then costs what its new tasks and samples cost. The last task's
    // figures show at once.
    constexpr qint64 kTitleEveryMs = 250;
    const bool last = s.finished || s.tasksDone >= s.tasksTotal;
    if (m_title && (last || !m_titleClock.isValid() || m_titleClock.elapsed() >= kTitleEveryMs)) {
        m_titleClock.start();
        m_title->setFigures(liveFigures(s));
    }
}

QString ProfilePane::titleText() const
{
    return m_title ? FigureLine::join(m_title->figures()) : QString();
}

QString ProfilePane::runLabel(const RunResult &run)
{
    return run.repeatIndex > 0 ? QStringLiteral("%1 (repeat %2)").arg(run.name).arg(run.repeatIndex + 1) : run.name;
}

QStringList ProfilePane::resultFigures(const RunResult &run)
{
    // The name in bold, then what the label adds to it.
    QStringList figures{
        QStringLiteral("<b>%1</b>%2").arg(run.name.toHtmlEscaped(), runLabel(run).mid(run.name.size()).toHtmlEscaped()),
        QStringLiteral("%1 → %2").arg(run.source.store, run.target.store),
        // An MPI job's run: each rank had that many workers.
        run.ranks ? QStringLiteral("%1 ranks × %2").arg(run.ranks->count()).arg(formatWorkers(run.workers))
                  : formatWorkers(run.workers),
        QStringLiteral("lock %1").arg(lockModeName(run.lock))};
    // A run that ended before any task finished has no time, rate or memory to show, only zeros.
    const bool copied = run.status == RunResult::Status::Ok || !run.events.empty();
    if (copied) {
        figures << QStringLiteral("%1 tasks").arg(run.tasks) << formatSeconds(run.wallSeconds, 3)
                << QStringLiteral("<b>%1</b>").arg(formatRate(run.throughputGbps()));
        if (run.profiled) {
            figures << QStringLiteral("CPU %1").arg(run.cpuMeasured() ? formatPercent(run.cpuMeanPercent)
                                                                      : QStringLiteral("—"));
            figures << QStringLiteral("peak RSS %1").arg(formatMemory(run.peakRssBytes));
        }
    }
    if (run.status != RunResult::Status::Ok) // the error itself, whole and wrapped, is in the banner below
        figures << QStringLiteral("<span style='color:#c53030'>%1</span>").arg(statusName(run.status));
    else if (run.verified.has_value())
        figures << (*run.verified ? QStringLiteral("verified")
                                  : QStringLiteral("<span style='color:#c53030'>NOT verified</span>"));
    return figures;
}

} // namespace cs
