#include "progressline.h"

#include "charts/units.h"
#include "engine/copyrun.h"
#include "runner/runstage.h"

#include <cstdio>
#include <unistd.h>

namespace cs {

ProgressLine::ProgressLine(bool enabled)
    : m_enabled(enabled && isatty(STDERR_FILENO))
{
}

ProgressLine::~ProgressLine()
{
    clear();
}

void ProgressLine::draw(const QString &line)
{
    if (!m_enabled)
        return;
    const QByteArray text = line.toUtf8();
    std::fprintf(stderr, "\r%s%*s", text.constData(), std::max(0, m_lastWidth - int(line.size())), "");
    std::fflush(stderr);
    m_lastWidth = int(line.size());
}

void ProgressLine::status(const QString &text)
{
    draw(text);
}

QString ProgressLine::bar(const RunStage &stage)
{
    constexpr int width = 30;
    const int filled = width * stage.percent() / 100;
    return QLatin1Char('[') + QString(filled, QLatin1Char('#')) + QString(width - filled, QLatin1Char('.'))
        + QLatin1Char(']');
}

QString ProgressLine::progressText(const QString &run, const RunSnapshot &snapshot)
{
    const RunStage stage = copyStage(snapshot);
    const double seconds = double(snapshot.elapsedNs) / 1e9;
    const double gbps = seconds > 0 ? double(snapshot.bytesDone) / seconds / 1e9 : 0;
    return QStringLiteral("%1 %2  %3  %4  %5")
        .arg(bar(stage), stage.text(), formatSeconds(seconds, 2), formatRate(gbps), run);
}

QString ProgressLine::fillText(const QString &array, const RunSnapshot &snapshot)
{
    const RunStage stage = fillStage(array, snapshot);
    return bar(stage) + QLatin1Char(' ') + stage.text();
}

void ProgressLine::progress(const QString &run, const RunSnapshot &snapshot)
{
    draw(progressText(run, snapshot));
}

void ProgressLine::fill(const QString &array, const RunSnapshot &snapshot)
{
    draw(fillText(array, snapshot));
}

void ProgressLine::clear()
{
    if (!m_enabled || m_lastWidth == 0)
        return;
    std::fprintf(stderr, "\r%*s\r", m_lastWidth, "");
    std::fflush(stderr);
    m_lastWidth = 0;
}

} // namespace cs
