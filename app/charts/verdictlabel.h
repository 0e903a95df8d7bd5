#pragma once

#include "results/verdict.h"

#include <QWidget>

namespace cs {

// Two paragraphs under a run's title, readable without the charts: the verdict's headline, and where
// the pool's time went (each phase summed over the workers, then the time no task ran) as shares with
// the Gantt's colours. Painted by hand, and wrapped at the width it is given rather than widening the
// pane: a narrow pane shows the whole text on more lines (its height follows its width), never "…".
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

    // The text as laid out at `width`, one string per line: what a pane that wide shows.
    QStringList lines(int width) const;

    bool hasHeightForWidth() const override { return true; }
    int heightForWidth(int width) const override;
    QSize sizeHint() const override;
    QSize minimumSizeHint() const override;

protected:
    void paintEvent(QPaintEvent *event) override;
    void resizeEvent(QResizeEvent *event) override;
    void changeEvent(QEvent *event) override;

private:
    // A word of the text, or a share with its swatch; laid out whole unless it is wider than a line.
    struct Piece {
        QString text;
        int swatch = kNoSwatch; // a Gantt segment, kIdleSwatch, or none
        bool bold = false;
        bool muted = false;
        bool startsLine = false; // the breakdown starts on a line of its own
        int gap = 0; // before it, when it follows another piece on its line
    };
    struct Placed {
        int piece;
        QString text; // the piece's text, or the part of it that fits the line
        int x;
        int line;
    };
    static constexpr int kNoSwatch = -2;
    static constexpr int kIdleSwatch = -1;
    QList<Piece> pieces() const;
    QList<Placed> layoutFor(int width, int *lineCount) const;
    QList<Placed> layOut(int width, int *lineCount) const;
    int textLeft(int width) const;
    int swatchSize() const;

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
    struct LaidOut {
        int width = -1; // none yet
        int lines = 0;
        QList<Placed> placed;
    };
    mutable LaidOut m_laidOut;
};

} // namespace cs
