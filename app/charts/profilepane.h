#pragma once

#include "results/runresult.h"
#include "results/verdict.h"

#include <QElapsedTimer>
#include <QWidget>

#include <memory>
#include <optional>

class QComboBox;
class QLabel;

namespace cs {

class FigureLine;
class GanttChart;
class RankBarChart;
class ResourceChart;
class TimeAxis;
class VerdictLabel;
struct RunSnapshot;

// What a live pane needs to know about its run before the first snapshot.
struct LiveRunInfo {
    QString name;
    QString sourceStore;
    QString targetStore;
    int workers = 1;
    LockMode lock = LockMode::Target;
    Coords shape;
    Coords chunks;
    bool profile = true;
    // How long the copy is expected to run (its run's last repeat), 0 when unknown: the live time axis
    // starts there, so that it need not move while the copy runs.
    double expectedSeconds = 0;
    // Each figure's peak in that repeat's samples (resourcesampler.h's peaksOf()), when it had samples:
    // the live value axes start there, so they are not laid out again, text and all, as the copy's
    // memory grows. The finished run's axes fit its own samples.
    std::optional<ResourceSample> expectedPeaks;
};

// One run in a profile view: a title with its key figures, its Gantt chart, and its resource charts,
// all on the view's shared time axis. It shows either a finished run or a live one fed snapshots.
class ProfilePane : public QWidget {
    Q_OBJECT
public:
    // Verdict: the verdict and where the time went, under the title (finished runs only).
    enum Part { Title = 1, Gantt = 2, Resources = 4, Faults = 8, Verdict = 16, All = 31 };
    Q_DECLARE_FLAGS(Parts, Part)

    ProfilePane(TimeAxis *axis, Parts parts, QWidget *parent = nullptr);

    void showResult(const std::shared_ptr<const RunResult> &run);
    void beginLive(const LiveRunInfo &info);
    // Appends what is new in the snapshot since the last call (the snapshot is the one the caller
    // keeps for this run, so its vectors only grow).
    void updateLive(const RunSnapshot &snapshot);
    // The live run ended with `run`, whose verdict is given: shows it as showResult() does, but keeps
    // the Gantt's bars, which are the run's first tasks, and adds the rest from the result a slice at
    // a time, between which the window paints and answers (a million tasks take a while to lay out).
    void finishLive(const std::shared_ptr<const RunResult> &run, const cs::Verdict &verdict);
    // Tasks of a finished live run still to join the Gantt.
    bool isCatchingUp() const { return m_pending != nullptr; }

    const std::shared_ptr<const RunResult> &result() const { return m_result; }
    GanttChart *gantt() const { return m_gantt; }
    ResourceChart *resources() const { return m_resources; }
    ResourceChart *faults() const { return m_faults; }
    // The requests in flight and the wire's rate, with the resources; shown for a run on object storage.
    ResourceChart *wire() const { return m_wire; }
    VerdictLabel *verdict() const { return m_verdict; }
    // For an MPI job's run: each rank's wall time and bytes, and which rank's samples (or their sum)
    // the resource charts show. Hidden for a run of one process.
    RankBarChart *rankBars() const { return m_rankBars; }
    QComboBox *rankSamplesBox() const { return m_rankCombo; }
    // Why a failed or cancelled run ended, in full and wrapped; hidden for other runs. A run that
    // ended before it copied anything shows it in place of its (empty) charts.
    QLabel *errorBanner() const { return m_banner; }
    FigureLine *titleLine() const { return m_title; }
    QString titleText() const;
    void setShowFaults(bool show);
    void setShowTimeLabels(bool show);
    // One row group of a compact comparison: the Gantt alone, under a heading with the run's name and
    // its colour in the overlaid charts; the legend only when `legend`. The resource charts, the
    // title and the verdict are left to the stacked layout.
    void setCompact(bool compact, const QColor &runColor = QColor(), bool legend = true);
    bool isCompact() const { return m_compact; }
    // False when the run shown failed before it had anything to draw: its banner stands instead.
    bool showsCharts() const { return m_chartsShown; }
    // The end of the pane's data in seconds (the run's wall time, or "now" while live).
    double dataEnd() const { return m_dataEnd; }

    // "numpy, lock", "2 workers", "lock target", "382 tasks", "0.152 s", "10.5 GB/s", ...: each figure as
    // rich text.
    static QStringList resultFigures(const RunResult &run);
    // "numpy, lock (repeat 2)": the run's name, and which repeat it is when not the first.
    static QString runLabel(const RunResult &run);

private:
    // A live run's title: its name, stores, workers and lock, then the snapshot's stage, time and rate.
    QStringList liveFigures(const RunSnapshot &s) const;
    void resetCharts(int workers, const Coords &shape, const Coords &chunks, bool profiled);
    void showFigures(const RunResult &run, const cs::Verdict &verdict);
    void appendPending();
    // Shows the charts unless the run shown failed before it had anything to draw.
    void updateChartVisibility();
    void updateHeading();
    // Fills the rank widgets from the run, and the resource charts with the samples they select.
    void showRanks(const RunResult &run);
    void showRankSamples();
    void showSamples(const std::vector<ResourceSample> &samples);
    void updateWireVisibility();

    TimeAxis *m_axis;
    Parts m_parts;
    FigureLine *m_title = nullptr;
    VerdictLabel *m_verdict = nullptr;
    QLabel *m_banner = nullptr;
    bool m_showFaults = true;
    bool m_compact = false;
    QColor m_runColor;
    bool m_chartsShown = true;
    GanttChart *m_gantt = nullptr;
    ResourceChart *m_resources = nullptr;
    ResourceChart *m_faults = nullptr;
    ResourceChart *m_wire = nullptr;
    RankBarChart *m_rankBars = nullptr;
    QWidget *m_rankPicker = nullptr;
    QComboBox *m_rankCombo = nullptr;
    std::shared_ptr<const RunResult> m_result;
    LiveRunInfo m_live;
    size_t m_doneSeen = 0;
    std::shared_ptr<const RunResult> m_pending; // the finished live run whose events from m_pendingFrom on are missing
    size_t m_pendingFrom = 0;
    bool m_appendScheduled = false;
    size_t m_samplesSeen = 0;
    double m_dataEnd = 0;
    QElapsedTimer m_titleClock; // since the live title last changed
};

Q_DECLARE_OPERATORS_FOR_FLAGS(ProfilePane::Parts)

} // namespace cs
