// The requests a task made to a remote server, as a Gantt bar shows them: a strip along the bar's
// bottom edge where each attempt sits at its own times, and the rows of its tooltip. Only runs on
// object storage have requests; the rest of the chart's painting is in ganttchart.cpp.
#include "ganttchart.h"

#include "requestmarks.h"
#include "results/requestsjson.h"
#include "timeaxis.h"
#include "units.h"

#include <QPainter>

#include <algorithm>
#include <cmath>

namespace cs {

namespace {
// A tooltip lists this many attempts of a task and counts the rest.
constexpr int kMaxToolTipRequests = 12;

QString cell(const QString &text, const QColor &color = QColor())
{
    if (!color.isValid())
        return QStringLiteral("<td>%1&nbsp;</td>").arg(text);
    return QStringLiteral("<td><font color='%1'>%2</font>&nbsp;</td>").arg(color.name(), text);
}
} // namespace

void GanttChart::paintRequests(QPainter &p, int64_t task, int left, int right, const QRect &band) const
{
    const GanttData::RequestRange requests = m_data.requestsOf(task);
    if (requests.empty())
        return;
    if (right - left > 5)
        right -= 1; // paintBar's gap between neighbouring tasks
    const int h = std::max(3, band.height() * 2 / 5);
    const int top = band.bottom() + 1 - h;
    const auto fillPart = [&](int x0, int x1, RequestPart part) {
        if (x1 > x0)
            p.fillRect(QRect(x0, top, x1 - x0, h), requestPartColor(part));
    };
    for (const TaskRequest &r : requests) {
        const RequestTiming &t = r.timing;
        const RequestSpans s = requestSpans(t);
        const auto at = [&](int64_t ns) { return std::clamp(clampPx(xNs(t.startNs + ns)), left, right); };
        const int x0 = at(0);
        if (x0 >= right)
            continue;
        const int connected = at(s.connectedNs);
        const int firstByte = at(s.firstByteNs);
        const int end = std::max(at(s.endNs), x0 + 1); // every attempt gets a pixel at least
        if (t.failed()) {
            // The strip, and a line through the whole bar where the attempt began, so that a retry
            // catches the eye even among many requests.
            fillPart(x0, end, RequestPart::Failed);
            p.fillRect(QRect(x0, band.top(), 1, band.height()), requestPartColor(RequestPart::Failed));
            continue;
        }
        fillPart(x0, connected, RequestPart::Connect);
        fillPart(connected, firstByte, RequestPart::FirstByte);
        fillPart(firstByte, end, RequestPart::Transfer);
    }
}

QString GanttChart::requestsToolTip(int64_t task) const
{
    const GanttData::RequestRange requests = m_data.requestsOf(task);
    if (requests.empty())
        return {};
    const int64_t failed
        = std::count_if(requests.begin(), requests.end(), [](const TaskRequest &r) { return r.timing.failed(); });
    QString html = QStringLiteral("<br><b>requests</b> %1").arg(requests.size());
    if (failed > 0)
        html += QStringLiteral(", <font color='%1'>%2 failed</font>")
                    .arg(requestPartColor(RequestPart::Failed).name())
                    .arg(failed);
    html += QStringLiteral("<table cellspacing=0 cellpadding=1><tr>") + cell(QString()) + cell(QStringLiteral("status"))
        + cell(QStringLiteral("connect")) + cell(QStringLiteral("first byte")) + cell(QStringLiteral("transfer"))
        + cell(QStringLiteral("bytes")) + QStringLiteral("</tr>");
    int shown = 0;
    for (const TaskRequest &r : requests) {
        if (shown++ == kMaxToolTipRequests)
            break;
        const RequestTiming &t = r.timing;
        const RequestSpans s = requestSpans(t);
        const bool failedAttempt = t.failed();
        const QColor mark = failedAttempt ? requestPartColor(RequestPart::Failed) : QColor();
        const bool upload = t.method == RequestTiming::Method::Put || t.method == RequestTiming::Method::Post;
        QString status = t.status > 0 ? QString::number(t.status) : QStringLiteral("no answer");
        if (t.curlCode != 0)
            status += QStringLiteral(" (curl %1)").arg(t.curlCode);
        html += QStringLiteral("<tr>") + cell(QString::fromLatin1(requestMethodName(t.method))) + cell(status, mark)
            + cell(s.connectedNs > 0 ? formatDurationNs(s.connectedNs) : QStringLiteral("reused"))
            + cell(formatDurationNs(s.firstByteNs - s.connectedNs)) + cell(formatDurationNs(s.endNs - s.firstByteNs))
            + cell(formatMemory(upload ? t.bytesSent : t.bytesReceived))
            + (t.attempt > 0 ? cell(QStringLiteral("retry %1").arg(t.attempt), requestPartColor(RequestPart::Failed))
                             : QString())
            + QStringLiteral("</tr>");
    }
    html += QStringLiteral("</table>");
    if (requests.size() > kMaxToolTipRequests)
        html += QStringLiteral("and %1 more").arg(requests.size() - kMaxToolTipRequests);
    return html;
}

} // namespace cs
