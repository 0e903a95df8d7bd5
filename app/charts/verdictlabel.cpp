#include "verdictlabel.h"

#include "phasepalette.h"
#include "timeaxis.h"
#include "units.h"

#include <QEvent>
#include <QPainter>
#include <QResizeEvent>

namespace cs {

namespace {
constexpr int kPadTop = 2;
constexpr int kPadBottom = 6;
constexpr double kSmallestShare = 0.005; // shares under half a percent are left out of the line
const QColor kTextColor(0x30, 0x30, 0x30);
const QColor kMutedColor(0x60, 0x60, 0x60);

QString percent(double share)
{
    return QString::number(100 * share, 'f', 0) + QLatin1Char('%');
}
} // namespace

VerdictLabel::VerdictLabel(QWidget *parent)
    : QWidget(parent)
{
    setSizePolicy(QSizePolicy::Ignored, QSizePolicy::Fixed);
}

void VerdictLabel::setRun(const RunResult &run)
{
    setVerdict(verdictFor(run));
}

void VerdictLabel::setVerdict(const Verdict &verdict)
{
    m_verdict = verdict;
    m_hasVerdict = true;
    m_laidOut.width = -1;
    setToolTip(m_verdict.headline + QStringLiteral("\n\n") + m_verdict.details.trimmed());
    updateGeometry();
    update();
}

void VerdictLabel::clear()
{
    m_verdict = Verdict();
    m_hasVerdict = false;
    m_laidOut.width = -1;
    setToolTip(QString());
    update();
}

QList<VerdictLabel::Share> VerdictLabel::shares() const
{
    QList<Share> out;
    const TimeBreakdown &b = m_verdict.breakdown;
    if (b.poolSeconds <= 0)
        return out;
    for (int s = 0; s < kSegmentCount; ++s) {
        const double seconds = s == kOtherSegment ? b.otherSeconds : b.phaseSeconds(Phase(s));
        if (b.share(seconds) >= kSmallestShare)
            out.append({s, segmentLabel(s), b.share(seconds)});
    }
    if (b.share(b.idleSeconds) >= kSmallestShare)
        out.append({-1, QStringLiteral("idle"), b.share(b.idleSeconds)});
    return out;
}

QString VerdictLabel::headlineText() const
{
    return m_hasVerdict ? QStringLiteral("verdict: ") + m_verdict.headline : QString();
}

QString VerdictLabel::breakdownIntro() const
{
    const TimeBreakdown &b = m_verdict.breakdown;
    return QStringLiteral("where the time went (%1 × %2 s): ")
        .arg(formatWorkers(b.workers))
        .arg(b.wallSeconds, 0, 'f', 3);
}

QString VerdictLabel::breakdownText() const
{
    if (!m_hasVerdict || m_verdict.breakdown.poolSeconds <= 0 || m_verdict.breakdown.taskSeconds <= 0)
        return {};
    QStringList parts;
    for (const Share &s : shares())
        parts.append(s.label + QLatin1Char(' ') + percent(s.share));
    return breakdownIntro() + parts.join(QStringLiteral(" · "));
}

QList<VerdictLabel::Piece> VerdictLabel::pieces() const
{
    QList<Piece> out;
    if (!m_hasVerdict)
        return out;
    const int space = fontMetrics().horizontalAdvance(QLatin1Char(' '));
    out.append({QStringLiteral("verdict:"), kNoSwatch, true, false, true, 0});
    for (const QString &word : m_verdict.headline.split(QLatin1Char(' '), Qt::SkipEmptyParts))
        out.append({word, kNoSwatch, false, false, false, space});
    if (breakdownText().isEmpty())
        return out;
    bool first = true;
    for (const QString &word : breakdownIntro().split(QLatin1Char(' '), Qt::SkipEmptyParts)) {
        out.append({word, kNoSwatch, false, true, first, space});
        first = false;
    }
    for (const Share &share : shares())
        out.append({share.label + QLatin1Char(' ') + percent(share.share),
                    share.segment >= 0 ? share.segment : kIdleSwatch, false, false, false, 14});
    return out;
}

int VerdictLabel::textLeft(int width) const
{
    // In line with the charts' plot area, unless the pane is too narrow to spare the margin.
    return width >= 3 * TimeAxis::kLeftMargin ? TimeAxis::kLeftMargin : 4;
}

int VerdictLabel::swatchSize() const
{
    return std::max(6, fontMetrics().ascent() - 3);
}

QList<VerdictLabel::Placed> VerdictLabel::layoutFor(int width, int *lineCount) const
{
    // Layouts ask for the height at a width many times over, and each paint lays the text out again:
    // the text is measured once per verdict, font and width.
    if (width != m_laidOut.width) {
        m_laidOut.placed = layOut(width, &m_laidOut.lines);
        m_laidOut.width = width;
    }
    if (lineCount)
        *lineCount = m_laidOut.lines;
    return m_laidOut.placed;
}

void VerdictLabel::changeEvent(QEvent *event)
{
    QWidget::changeEvent(event);
    if (event->type() == QEvent::FontChange)
        m_laidOut.width = -1;
}

QList<VerdictLabel::Placed> VerdictLabel::layOut(int width, int *lineCount) const
{
    QList<Placed> placed;
    const QFontMetrics fm = fontMetrics();
    QFont boldFont = font();
    boldFont.setBold(true);
    const QFontMetrics bold(boldFont);
    const int left = textLeft(width);
    const int right = std::max(left + 1, width - 8);
    const int box = swatchSize();
    int line = -1;
    int x = left;
    const QList<Piece> all = pieces();
    for (int i = 0; i < int(all.size()); ++i) {
        const Piece &piece = all[i];
        const QFontMetrics &metrics = piece.bold ? bold : fm;
        const int lead = piece.swatch != kNoSwatch ? box + 4 : 0;
        const int w = lead + metrics.horizontalAdvance(piece.text);
        if (line < 0 || piece.startsLine || x + piece.gap + w > right) {
            if (line < 0 || piece.startsLine || x > left) {
                ++line;
                x = left;
            }
        } else {
            x += piece.gap;
        }
        // A piece wider than a whole line is broken where the line ends, never cut short.
        QString rest = piece.text;
        for (;;) {
            const int room = right - x - lead;
            int fit = int(rest.size());
            while (fit > 1 && metrics.horizontalAdvance(rest.left(fit)) > room)
                --fit;
            placed.append({i, rest.left(fit), x, line});
            x += lead + metrics.horizontalAdvance(rest.left(fit));
            rest = rest.mid(fit);
            if (rest.isEmpty())
                break;
            ++line;
            x = left;
        }
    }
    if (lineCount)
        *lineCount = line + 1;
    return placed;
}

QStringList VerdictLabel::lines(int width) const
{
    int count = 0;
    const QList<Placed> placed = layoutFor(width, &count);
    QStringList out(count);
    for (const Placed &p : placed) {
        QString &text = out[p.line];
        if (!text.isEmpty())
            text += QLatin1Char(' ');
        text += p.text;
    }
    return out;
}

int VerdictLabel::heightForWidth(int width) const
{
    int count = 0;
    layoutFor(width, &count);
    return kPadTop + kPadBottom + std::max(1, count) * fontMetrics().lineSpacing();
}

QSize VerdictLabel::sizeHint() const
{
    const int w = width() > 0 ? width() : 600;
    return QSize(600, heightForWidth(w));
}

QSize VerdictLabel::minimumSizeHint() const
{
    return QSize(100, heightForWidth(width() > 0 ? width() : 600));
}

void VerdictLabel::resizeEvent(QResizeEvent *event)
{
    QWidget::resizeEvent(event);
    // Layouts that ask only for the size hint learn the height the new width needs.
    if (heightForWidth(width()) != height())
        updateGeometry();
}

void VerdictLabel::paintEvent(QPaintEvent *)
{
    if (!m_hasVerdict)
        return;
    QPainter p(this);
    const QFontMetrics fm = fontMetrics();
    QFont boldFont = font();
    boldFont.setBold(true);
    const int box = swatchSize();
    const QList<Piece> all = pieces();
    const QList<Placed> placed = layoutFor(width(), nullptr);
    for (qsizetype i = 0; i < placed.size(); ++i) {
        const Piece &piece = all[placed[i].piece];
        const int y = kPadTop + placed[i].line * fm.lineSpacing();
        int x = placed[i].x;
        if (piece.swatch != kNoSwatch) {
            // Each share after a swatch of its Gantt colour; idle an empty box, as the Gantt's
            // background shows idle time.
            const QRect swatch(x, y + (fm.lineSpacing() - box) / 2, box, box);
            if (piece.swatch >= 0) {
                p.fillRect(swatch, segmentColor(piece.swatch));
            } else {
                p.setPen(kMutedColor);
                p.drawRect(swatch.adjusted(0, 0, -1, -1));
            }
            x += box + 4;
        }
        // The words of a line that look alike are drawn as one run of text, as they read: an SVG
        // export then holds the sentence, not its words one by one.
        QString text = placed[i].text;
        while (piece.swatch == kNoSwatch && i + 1 < placed.size() && placed[i + 1].line == placed[i].line) {
            const Piece &next = all[placed[i + 1].piece];
            if (next.swatch != kNoSwatch || next.bold != piece.bold || next.muted != piece.muted)
                break;
            text += QLatin1Char(' ') + placed[++i].text;
        }
        p.setFont(piece.bold ? boldFont : font());
        p.setPen(piece.muted ? kMutedColor : kTextColor);
        p.drawText(QRect(x, y, width() - x, fm.lineSpacing()), Qt::AlignLeft | Qt::AlignVCenter, text);
    }
}

} // namespace cs
