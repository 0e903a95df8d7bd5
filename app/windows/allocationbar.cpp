#include "allocationbar.h"

#include "charts/units.h"
#include "results/runresult.h"

#include <QLabel>
#include <QProgressBar>
#include <QVBoxLayout>

#include <algorithm>

namespace cs {

AllocationBar::AllocationBar(QWidget *parent)
    : QWidget(parent)
    , m_bar(new QProgressBar(this))
    , m_label(new QLabel(this))
{
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(2);
    m_bar->setRange(0, 1000);
    m_bar->setTextVisible(true);
    m_bar->setMaximumHeight(18);
    m_label->setWordWrap(true);
    m_label->setStyleSheet(QStringLiteral("color: #555;"));
    layout->addWidget(m_bar);
    layout->addWidget(m_label);
}

void AllocationBar::setEstimate(int64_t bytes, const QString &detail)
{
    m_bytes = bytes;
    const HostInfo host = HostInfo::current();
    const int64_t available = host.availableMemoryBytes > 0 ? host.availableMemoryBytes : host.memoryBytes;
    const double fraction = available > 0 ? double(bytes) / double(available) : 0;
    m_bar->setValue(int(std::clamp(fraction, 0.0, 1.0) * 1000));
    m_bar->setFormat(QStringLiteral("%1 of %2 available").arg(formatMemory(bytes), formatMemory(available)));
    const QString color = fraction > 1 ? QStringLiteral("#c53030")
        : fraction > 0.5               ? QStringLiteral("#d69e2e")
                                       : QStringLiteral("#38a169");
    m_bar->setStyleSheet(QStringLiteral("QProgressBar { border: 1px solid #bbb; border-radius: 3px; text-align: "
                                        "center; background: #f4f4f4; } QProgressBar::chunk { background: %1; }")
                             .arg(color));
    QString text = detail;
    text += QStringLiteral("<br>Machine: %1 total, %2 available, %3 logical CPUs.")
                .arg(formatMemory(host.memoryBytes), formatMemory(available))
                .arg(host.logicalCpus);
    if (fraction > 1)
        text += QStringLiteral("<br><span style='color:#c53030'>More than the machine has available: the run "
                               "would swap or fail.</span>");
    m_label->setText(text);
    m_bar->show();
}

void AllocationBar::clear(const QString &why)
{
    m_bytes = 0;
    m_bar->hide();
    m_label->setText(why);
}

QString AllocationBar::text() const
{
    return m_bar->format() + QLatin1Char('\n') + m_label->text();
}

} // namespace cs
