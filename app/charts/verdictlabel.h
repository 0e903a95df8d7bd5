#pragma once

#include "results/verdict.h"

#include <QWidget>

namespace cs {

// Two lines under a run's title, readable without the charts: the verdict's headline, and where the
// pool's time went (each phase summed over the workers, then the time no task ran) as shares with
// the Gantt's colours. Painted by hand so that a line too long for the width is cut with "…" rather
// than widening the pane; the tooltip holds the whole text.
class VerdictLabel : public QWidget {
    Q_OBJECT
public:
    explicit VerdictLabel(QWidget *parent = nullptr);

    void setRun(const RunResult &run);
    // A verdict computed elsewhere: a million tasks take a while to sum.
    void setVerdict(const Verdict &verdict);
    void clear();

    bool hasVerdict() const { return m_hasVerdict; }
    const Verdict &verdict() const { return m_verdict; }
    // "verdict: bound by the lock: …", the first line as text.
    QString headlineText() const;
    // "where the time went (2 workers × 0.152 s): read 10% · write 52% · … · idle 8%".
    QString breakdownText() const;

    QSize sizeHint() const override;
    QSize minimumSizeHint() const override;

protected:
    void paintEvent(QPaintEvent *event) override;

private:
    // "where the time went (2 workers × 0.152 s): ", which the text and the painted line both start with.
    QString breakdownIntro() const;
    struct Share {
        int segment; // a Gantt segment, or -1 for idle
        QString label;
        double share;
    };
    QList<Share> shares() const;

    Verdict m_verdict;
    bool m_hasVerdict = false;
};

} // namespace cs
