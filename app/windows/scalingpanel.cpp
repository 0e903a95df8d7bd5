#include "scalingpanel.h"

#include "charts/scalingchart.h"

#include <QComboBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QSignalBlocker>
#include <QVBoxLayout>

namespace cs {

ScalingPanel::ScalingPanel(QWidget *parent)
    : QWidget(parent)
    , m_chooserRow(new QWidget(this))
    , m_chooser(new QComboBox(m_chooserRow))
    , m_chart(new ScalingChart(this))
{
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(0);
    auto *row = new QHBoxLayout(m_chooserRow);
    row->setContentsMargins(12, 6, 12, 0);
    row->addWidget(new QLabel(tr("Sweep:"), m_chooserRow));
    row->addWidget(m_chooser);
    row->addStretch(1);
    m_chooser->setSizeAdjustPolicy(QComboBox::AdjustToContents);
    layout->addWidget(m_chooserRow);
    layout->addWidget(m_chart, 1);
    m_chooserRow->hide();
    connect(m_chooser, &QComboBox::currentIndexChanged, this, &ScalingPanel::showCurrent);
}

QString ScalingPanel::currentSweep() const
{
    return m_chart->hasSummary() ? m_chart->summary().name : QString();
}

void ScalingPanel::showSweeps(const QList<SweepSummary> &sweeps)
{
    if (sweeps.isEmpty()) {
        showMessage(tr("The selected runs are not part of a sweep."));
        return;
    }
    const QString current = currentSweep();
    m_sweeps = sweeps;
    {
        const QSignalBlocker block(m_chooser);
        m_chooser->clear();
        int index = 0;
        for (int i = 0; i < sweeps.size(); ++i) {
            m_chooser->addItem(sweeps[i].name);
            if (sweeps[i].name == current)
                index = i;
        }
        m_chooser->setCurrentIndex(index);
    }
    m_chooserRow->setVisible(sweeps.size() > 1);
    showCurrent();
}

void ScalingPanel::showMessage(const QString &text)
{
    m_sweeps.clear();
    {
        const QSignalBlocker block(m_chooser);
        m_chooser->clear();
    }
    m_chooserRow->hide();
    m_chart->showMessage(text);
}

void ScalingPanel::showCurrent()
{
    const int index = m_chooser->currentIndex();
    if (index >= 0 && index < m_sweeps.size())
        m_chart->setSummary(m_sweeps[index]);
}

} // namespace cs
