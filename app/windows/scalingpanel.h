#pragma once

#include "results/sweepsummary.h"

#include <QWidget>

class QComboBox;
class QLabel;

namespace cs {

class ScalingChart;

// The window's "Scaling" tab: the scaling chart of a sweep, with a choice of sweep when the selected
// runs belong to more than one.
class ScalingPanel : public QWidget {
    Q_OBJECT
public:
    explicit ScalingPanel(QWidget *parent = nullptr);

    // Shows these sweeps; the one shown stays shown while it is among them, else the first is.
    void showSweeps(const QList<SweepSummary> &sweeps);
    void showMessage(const QString &text);

    ScalingChart *chart() const { return m_chart; }
    QComboBox *sweepChooser() const { return m_chooser; }
    QString currentSweep() const;
    const QList<SweepSummary> &sweeps() const { return m_sweeps; }

private:
    void showCurrent();

    QList<SweepSummary> m_sweeps;
    QWidget *m_chooserRow;
    QComboBox *m_chooser;
    ScalingChart *m_chart;
};

} // namespace cs
