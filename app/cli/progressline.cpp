#include "progressline.h"

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

void ProgressLine::progress(const QString &run, int64_t done, int64_t total, double seconds, int64_t bytes)
{
    constexpr int width = 30;
    const int filled = total > 0 ? int(width * done / total) : 0;
    const QString bar = QString(filled, QLatin1Char('#')) + QString(width - filled, QLatin1Char('.'));
    const double gbps = seconds > 0 ? double(bytes) / seconds / 1e9 : 0;
    draw(QStringLiteral("[%1] %2/%3 tasks  %4 s  %5 GB/s  %6")
             .arg(bar)
             .arg(done)
             .arg(total)
             .arg(seconds, 0, 'f', 2)
             .arg(gbps, 0, 'f', 2)
             .arg(run));
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
