#include "verdictlabel.h"

#include "phasepalette.h"
#include "timeaxis.h"
#include "units.h"

#include <QPainter>

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
    setToolTip(m_verdict.headline + QStringLiteral("\n\n") + m_verdict.details.trimmed());
    updateGeometry();
    update();
}

void VerdictLabel::clear()
{
    m_verdict = Verdict();
    m_hasVerdict = false;
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

QSize VerdictLabel::sizeHint() const
{
    const int lines = breakdownText().isEmpty() ? 1 : 2;
    return QSize(600, kPadTop + kPadBottom + lines * fontMetrics().lineSpacing());
}

QSize VerdictLabel::minimumSizeHint() const
{
    return QSize(100, sizeHint().height());
}

void VerdictLabel::paintEvent(QPaintEvent *)
{
    if (!m_hasVerdict)
        return;
    QPainter p(this);
    const QFontMetrics fm = fontMetrics();
    const int left = TimeAxis::kLeftMargin;
    const int right = width() - 8;
    int y = kPadTop;

    // First line: "verdict:" in bold, then the headline, cut to the width.
    QFont bold = font();
    bold.setBold(true);
    const QString lead = QStringLiteral("verdict: ");
    const int leadWidth = QFontMetrics(bold).horizontalAdvance(lead);
    p.setPen(kTextColor);
    p.setFont(bold);
    p.drawText(QRect(left, y, leadWidth, fm.lineSpacing()), Qt::AlignLeft | Qt::AlignVCenter, lead);
    p.setFont(font());
    const QString headline = fm.elidedText(m_verdict.headline, Qt::ElideRight, std::max(0, right - left - leadWidth));
    p.drawText(QRect(left + leadWidth, y, right - left - leadWidth, fm.lineSpacing()), Qt::AlignLeft | Qt::AlignVCenter,
               headline);
    y += fm.lineSpacing();
    if (breakdownText().isEmpty())
        return;

    // Second line: each share after a swatch of its Gantt colour (idle: an empty box, as the Gantt's
    // background shows idle time), until the width runs out.
    const QString intro = breakdownIntro();
    p.setPen(kMutedColor);
    int x = left;
    p.drawText(QRect(x, y, fm.horizontalAdvance(intro), fm.lineSpacing()), Qt::AlignLeft | Qt::AlignVCenter, intro);
    x += fm.horizontalAdvance(intro);
    const int box = std::max(6, fm.ascent() - 3);
    for (const Share &s : shares()) {
        const QString text = s.label + QLatin1Char(' ') + percent(s.share);
        const int w = box + 4 + fm.horizontalAdvance(text) + 14;
        if (x + w > right) {
            p.drawText(QRect(x, y, fm.horizontalAdvance(QStringLiteral("…")) + 2, fm.lineSpacing()),
                       Qt::AlignLeft | Qt::AlignVCenter, QStringLiteral("…"));
            break;
        }
        const QRect swatch(x, y + (fm.lineSpacing() - box) / 2, box, box);
        if (s.segment >= 0) {
            p.fillRect(swatch, segmentColor(s.segment));
        } else {
            p.setPen(kMutedColor);
            p.drawRect(swatch.adjusted(0, 0, -1, -1));
        }
        p.setPen(kTextColor);
        p.drawText(QRect(x + box + 4, y, w - box - 4, fm.lineSpacing()), Qt::AlignLeft | Qt::AlignVCenter, text);
        x += w;
    }
}

} // namespace cs
