#pragma once

#include <QElapsedTimer>
#include <QObject>
#include <QString>

class QLabel;
class QProgressBar;
class QStatusBar;

namespace cs {

struct RunSnapshot;

// The status bar while a batch runs: a line of text, the copy's time and GB/s, and a determinate
// bar for each stage: an array's fill counts its chunks ("filling a1: 120 of 382 chunks"), the
// copy its tasks, and verification its percentage ("verifying: 40 %"). The figures are the copy's:
// they stop when the copy ends, however long verification takes.
class RunStatus : public QObject {
    Q_OBJECT
public:
    // Adds its widgets to `bar`.
    explicit RunStatus(QStatusBar *bar);

    // Messages outside runs ("Saved …") share the text.
    QLabel *label() const { return m_text; }
    QProgressBar *progressBar() const { return m_bar; }
    QString text() const;
    QString figures() const;

    void batchStarted(); // a busy bar until something has a count
    void building(const QString &text); // "creating z1 (zarr)": no count yet
    void copyStarted(const QString &run); // "Running r1"
    void fillProgress(const QString &array, const RunSnapshot &fill);
    void copyProgress(const RunSnapshot &run);
    void batchFinished();

private:
    void showBar(int maximum, int value, const QString &format);

    QLabel *m_text;
    QLabel *m_figures;
    QProgressBar *m_bar;
    // When the copy's counters were last shown: a few times a second is live enough for a status bar,
    // and each change lays it out and paints it again while the workers copy.
    QElapsedTimer m_copyShown;
};

} // namespace cs
