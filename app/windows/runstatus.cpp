#include "runstatus.h"

#include "charts/units.h"
#include "engine/copyrun.h"
#include "runner/runstage.h"

#include <QLabel>
#include <QProgressBar>
#include <QStatusBar>

#include <algorithm>
#include <climits>

namespace cs {

namespace {
int clampedInt(int64_t v)
{
    return int(std::clamp<int64_t>(v, 0, INT_MAX));
}
} // namespace

RunStatus::RunStatus(QStatusBar *bar)
    : QObject(bar)
    , m_text(new QLabel(bar))
    , m_figures(new QLabel(bar))
    , m_bar(new QProgressBar(bar))
{
    // Run names and paths as typed: plain text, and never what sets the window's width.
    m_text->setTextFormat(Qt::PlainText);
    m_text->setSizePolicy(QSizePolicy::Ignored, QSizePolicy::Preferred);
    m_bar->setMaximumWidth(260);
    // Wide enough for its longest text on one line: a narrower bar wraps "65 / 382 chunks" in two.
    m_bar->setMinimumWidth(m_bar->fontMetrics().horizontalAdvance(QStringLiteral("000000 / 000000 chunks")) + 16);
    m_bar->hide();
    // As wide as its widest figures from the start, so that the status bar is not laid out again as
    // the figures change width on every refresh.
    m_figures->setMinimumWidth(m_figures->fontMetrics().horizontalAdvance(QStringLiteral("0000.00 s  ·  00.00 GB/s")));
    bar->addWidget(m_text, 1);
    bar->addPermanentWidget(m_figures);
    bar->addPermanentWidget(m_bar);
}

QString RunStatus::text() const
{
    return m_text->text();
}

QString RunStatus::figures() const
{
    return m_figures->text();
}

// QProgressBar repaints at once whenever its text changes, and "%v / %m tasks" changes with every
// value; a synchronous repaint paints every dirty widget of the window along with it, several times
// per refresh. With updates off it schedules an update() instead, painted with the rest of the frame.
void RunStatus::showBar(int maximum, int value, const QString &format)
{
    m_bar->setUpdatesEnabled(false);
    if (m_bar->format() != format)
        m_bar->setFormat(format);
    m_bar->setRange(0, maximum);
    m_bar->setValue(value);
    m_bar->setUpdatesEnabled(true);
    m_bar->show();
}

void RunStatus::batchStarted()
{
    showBar(0, 0, QString());
    m_figures->clear();
    m_text->setText(tr("Preparing arrays…"));
}

void RunStatus::building(const QString &text)
{
    m_text->setText(text);
    showBar(0, 0, QString());
}

void RunStatus::copyStarted(const QString &run)
{
    // No busy indicator here: its animation repaints the status bar while the workers copy.
    m_text->setText(tr("Running %1").arg(run));
    m_copyShown.invalidate();
}

void RunStatus::fillProgress(const QString &array, const RunSnapshot &fill)
{
    const RunStage stage = fillStage(array, fill);
    m_text->setText(stage.text());
    const int total = clampedInt(stage.total);
    showBar(std::max(1, total), std::min(clampedInt(stage.done), total), tr("%v / %m chunks"));
}

void RunStatus::copyProgress(const RunSnapshot &run)
{
    constexpr qint64 kEveryMs = 250;
    const RunStage stage = copyStage(run);
    const bool copying = stage.kind == RunStage::Kind::Copying && run.tasksDone < run.tasksTotal;
    if (copying && m_copyShown.isValid() && m_copyShown.elapsed() < kEveryMs)
        return;
    m_copyShown.start();
    if (stage.kind == RunStage::Kind::Verifying) {
        m_text->setText(stage.text());
        showBar(100, stage.percent(), tr("%v %"));
    } else {
        const int total = clampedInt(run.tasksTotal);
        showBar(std::max(1, total), std::min(clampedInt(run.tasksDone), total), tr("%v / %m tasks"));
    }
    const double seconds = double(run.elapsedNs) / 1e9;
    m_figures->setText(
        QStringLiteral("%1  ·  %2")
            .arg(formatSeconds(seconds, 2), formatRate(seconds > 0 ? double(run.bytesDone) / seconds / 1e9 : 0)));
}

void RunStatus::batchFinished()
{
    m_bar->hide();
    m_figures->clear();
}

} // namespace cs
