#pragma once

#include "profilepane.h"
#include "scenario/scenario.h"

#include <QList>
#include <QWidget>

#include <memory>

class QAction;
class QLabel;
class QVBoxLayout;
class QWidget;

namespace cs {

class OverviewStrip;
class ResourceChart;
class TimeAxis;

// The profile of one or more runs, stacked on one time scale: a pane per run (title, Gantt,
// resource charts), all driven by one TimeAxis so that zoom and pan in any chart move every chart,
// and time t lands on the same pixel column in each. The app shows it, and PNG export renders this
// very widget off screen.
class ProfileView : public QWidget {
    Q_OBJECT
public:
    explicit ProfileView(QWidget *parent = nullptr, ProfilePane::Parts parts = ProfilePane::All);

    TimeAxis *axis() const { return m_axis; }

    // Finished runs, one pane each, on the time scale of the longest. Results never change, so the
    // runs already shown stay as they are (zoom included).
    void showRuns(const QList<std::shared_ptr<const RunResult>> &runs);
    QList<std::shared_ptr<const RunResult>> runs() const;
    // One live run, fed snapshots at the caller's pace. A view out of sight does nothing with a
    // snapshot but keep it: the caller's snapshot only grows, and the view catches up from it when it
    // is shown. Its time axis runs to a horizon ahead of the run's end, moved rarely (by half again
    // each time the run reaches it), so that between moves a refresh only adds bars to the Gantt's
    // image and points to the charts.
    void beginLive(const LiveRunInfo &info);
    void updateLive(const RunSnapshot &snapshot);
    // The end of the live time axis for a run that has reached `seconds`, given the current one.
    static double liveHorizon(double seconds, double current);
    // The live run ended with `result`, whose verdict is given: its pane shows the finished run from
    // now on, keeping the tasks it already holds. Nothing happens when the view no longer shows the
    // live run.
    void finishLive(const std::shared_ptr<const RunResult> &result, const Verdict &verdict);
    bool isLive() const { return m_live; }
    // No runs: a hint in their place.
    void showMessage(const QString &text);
    // The scenario's run order, which a comparison of repeats states.
    void setRunOrder(RunOrder order);
    // Over the panes: how two compared runs differ, with its interval (runcomparison.h); hidden when
    // the runs shown are not the repeats of two runs.
    QLabel *comparisonLabel() const { return m_comparison; }

    // Compared runs stacked (a pane each with its own charts), or compact: one Gantt row group per
    // run under one legend, and the CPU and memory of every run overlaid in one chart, a colour per
    // run. The action is the toggle over the panes and in the window's View menu.
    QAction *compactAction() const { return m_compactAction; }
    void setCompact(bool compact);
    bool isCompact() const;
    // Under the header: the visible range, how to zoom and select, and what the selected range holds
    // in each run (tasks, bytes, GB/s, time per phase).
    QLabel *readoutLabel() const { return m_readout; }
    // Over the panes: the whole time range and the part in view.
    OverviewStrip *overview() const { return m_overview; }

    // Ctrl+F: asks for a chunk index and finds its task. findTask() outlines the task's bar in every
    // run shown that has it and brings it into view; false when none has it.
    QAction *findAction() const { return m_findAction; }
    bool findTask(int64_t task);

    // The overlaid chart of a compact comparison; hidden otherwise.
    ResourceChart *overlayChart() const { return m_overlay; }
    // The colour of the i-th run in a compact comparison.
    static QColor runColor(int index);

    int paneCount() const { return int(m_panes.size()); }
    ProfilePane *pane(int index) const { return m_panes.value(index); }

    void setShowFaults(bool show);
    bool showsFaults() const { return m_showFaults; }
    ProfilePane::Parts parts() const { return m_parts; }

    // Renders this view at `size` logical pixels into an image of size * devicePixelRatio, as it
    // would appear on screen. The view need not be visible.
    QImage renderImage(QSize size, qreal devicePixelRatio);

protected:
    void resizeEvent(QResizeEvent *event) override;
    void showEvent(QShowEvent *event) override;

private:
    // The overview strip shows while a pane shows charts.
    void updateOverview();
    void setPaneCount(int count);
    ProfilePane *addPane();
    void updateGeometryOfAxis();
    void applyCompact();
    void updateReadout();
    void updateSelectionSummary();

    TimeAxis *m_axis;
    ProfilePane::Parts m_parts;
    QVBoxLayout *m_layout;
    QVBoxLayout *m_paneLayout; // the panes and the lines between them
    QLabel *m_message;
    QWidget *m_header; // the comparison sentence and the compact toggle, over compared runs
    QLabel *m_comparison;
    QLabel *m_readout;
    QString m_selectionText; // the readout's lines about the selected range
    OverviewStrip *m_overview;
    QAction *m_compactAction;
    QAction *m_findAction;
    ResourceChart *m_overlay;
    RunOrder m_order = RunOrder::Interleaved;
    QList<ProfilePane *> m_panes;
    bool m_live = false;
    const RunSnapshot *m_unseen = nullptr; // the live snapshot last given while out of sight
    double m_horizon = 0;
    bool m_showFaults = true;
    int64_t m_lastFound = -1;
};

} // namespace cs
