// A resource chart of a run on object storage (ResourceChart::Kind::Wire): how many requests were on
// the wire at each sample, and how many body bytes per second they sent and received. The rest of the
// chart is in resourcechart.cpp.
#include "resourcechart.h"

#include "units.h"
#include "valueaxes.h"

#include <QValueAxis>

#include <algorithm>

namespace cs {

bool ResourceChart::measuresWire(const std::vector<ResourceSample> &samples)
{
    // The sampler counts the wire in every sample of such a run, or in none.
    return !samples.empty() && samples.back().requestsInFlight >= 0;
}

void ResourceChart::updateWireAxes(double requestsPeak, double bytesPerSecPeak)
{
    // Whole requests, up to at least 5 so that one or two in flight do not fill the chart's height.
    setNiceRange(m_leftAxis, std::max(requestsPeak * 1.05, 4.0), m_valueSteps);
    // Decimal units, as network rates are given; the unit follows the peak.
    const double unit = bytesPerSecPeak >= 1e9 ? 1e9 : bytesPerSecPeak >= 1e6 ? 1e6 : 1e3;
    m_rightAxis->setTitleText(unit == 1e9       ? QStringLiteral("wire (GB/s)")
                                  : unit == 1e6 ? QStringLiteral("wire (MB/s)")
                                                : QStringLiteral("wire (kB/s)"));
    setNiceRange(m_rightAxis, std::max(bytesPerSecPeak * 1.05 / unit, 1.0), m_valueSteps);
    if (unit != m_rightUnit) {
        m_rightUnit = unit;
        rebuildPoints();
    }
}

QString ResourceChart::wireToolTip(const ResourceSample &s) const
{
    // In MB/s whatever the rate, as the axis's unit usually is: one sample reads beside the next.
    return QStringLiteral("<b>sample at %1</b><br>requests in flight %2<br>on the wire %3 MB/s")
        .arg(formatSeconds(double(s.tNs) / 1e9, 3), QString::number(std::max(0, s.requestsInFlight)),
             QString::number(std::max(0.0, s.wireBytesPerSec) / 1e6, 'f', 2));
}

} // namespace cs
