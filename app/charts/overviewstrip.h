#pragma once

#include "profiler/taskevent.h"

#include <QWidget>

#include <vector>

namespace cs {

class TimeAxis;

// A thin strip over the profile that always shows the whole time range: how busy the workers of the
// runs shown were along it (darker is busier), and a frame around the part the charts show. A click
// or a drag in it moves the charts there. The busy profile is computed once per set of finished runs,
// in buckets, never per refresh of a live run (which shows the frame alone).
class OverviewStrip : public QWidget {
    Q_OBJECT
public:
    explicit OverviewStrip(TimeAxis *axis, QWidget *parent = nullptr);

    // The tasks of the runs shown, with their worker counts; empty for a live run.
    void setRuns(const std::vector<const std::vector<TaskEvent> *> &events, int workers);
    // Each bucket's busy share, 0..1, over the whole range.
    const std::vector<double> &busy() const { return m_busy; }
    // Where the strip draws time t (seconds), and the frame of the visible range.
    double xFor(double seconds) const;
    QRect frameRect() const;

    QSize sizeHint() const override;
    QSize minimumSizeHint() const override;

protected:
    void paintEvent(QPaintEvent *event) override;
    void mousePressEvent(QMouseEvent *event) override;
    void mouseMoveEvent(QMouseEvent *event) override;

private:
    void centreAt(double x);

    TimeAxis *m_axis;
    std::vector<double> m_busy;
    double m_end = 0; // the range the buckets cover, seconds
};

} // namespace cs
