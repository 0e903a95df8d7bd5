#pragma once

#include "results/sweepsummary.h"

#include <QImage>
#include <QList>
#include <QWidget>

class QChart;
class QChartView;
class QLabel;
class QLineSeries;
class QTableView;
class QValueAxis;

namespace cs {

class ScalingTableModel;

// How a sweep scales: a Qt Charts line chart of GB/s against workers, one line per lock mode or
// chunk shape, with a table beside it giving each point's speed-up and parallel efficiency against
// 1 worker (or the fewest workers, said in a note under the table). The app shows it for the sweep
// of the selected runs and refreshes it as runs finish; exports render this very widget.
class ScalingChart : public QWidget {
    Q_OBJECT
public:
    explicit ScalingChart(QWidget *parent = nullptr);
    ~ScalingChart() override;

    // Shows the summary; series keep their objects (and are updated with replace()) while the lines
    // stay the same, so a sweep growing run by run does not rebuild the chart.
    void setSummary(const SweepSummary &summary);
    // No sweep: a hint in place of the chart.
    void showMessage(const QString &text);
    bool hasSummary() const { return m_hasSummary; }
    const SweepSummary &summary() const { return m_summary; }

    QChart *chart() const { return m_chart; }
    QChartView *chartView() const { return m_view; }
    QTableView *table() const { return m_table; }
    ScalingTableModel *model() const { return m_model; }
    // One series per line of the summary, in its order.
    QList<QLineSeries *> series() const { return m_series; }
    QValueAxis *workersAxis() const { return m_workersAxis; }
    QValueAxis *throughputAxis() const { return m_throughputAxis; }
    QString titleText() const;
    QString noteText() const;
    QString throughputAxisTitle() const; // "GB/s (median of 3)", or "GB/s" when every point is one run

    // Renders this widget at `size` logical pixels into an image of size * devicePixelRatio.
    QImage renderImage(QSize size, qreal devicePixelRatio);

    QSize sizeHint() const override;

    // The colour of the i-th line, shared by the chart, the table and exports.
    static QColor lineColor(int index);

protected:
    void resizeEvent(QResizeEvent *event) override;

private:
    void rebuildSeries();
    void updateAxes();
    void fitTable();
    void fitSide();

    SweepSummary m_summary;
    bool m_hasSummary = false;
    QLabel *m_title;
    QLabel *m_message;
    QWidget *m_body;
    QChart *m_chart;
    QChartView *m_view;
    QValueAxis *m_workersAxis;
    QValueAxis *m_throughputAxis;
    QWidget *m_side; // the table, what its columns mean, and the note
    QTableView *m_table;
    ScalingTableModel *m_model;
    QLabel *m_note;
    QList<QLineSeries *> m_series;
    int m_tableWidth = 0; // the table's columns, frame and scroll bar
};

// The sweep's scaling chart and table as a PNG (at devicePixelRatio) or SVG, by the path's extension,
// at `size` logical pixels. Needs a QApplication. False and *error on failure.
bool exportScalingPicture(const SweepSummary &summary, const QString &path, QSize size, qreal devicePixelRatio,
                          QString *error);

} // namespace cs
