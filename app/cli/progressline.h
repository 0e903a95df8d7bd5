#pragma once

#include <QString>

#include <cstdint>

namespace cs {

struct RunSnapshot;
struct RunStage;

// A one-line progress bar redrawn in place on a terminal (stderr), and silent otherwise, so logs and
// pipes get only the summary.
class ProgressLine {
public:
    explicit ProgressLine(bool enabled);
    ~ProgressLine();

    void status(const QString &text); // "creating z1 (zarr)"
    // A run's copy, then its verification; the copy's time and GB/s stop when the copy ends.
    void progress(const QString &run, const RunSnapshot &snapshot);
    // An array's fill, chunk by chunk.
    void fill(const QString &array, const RunSnapshot &snapshot);
    void clear();

    // The lines drawn: "[####....] running: 120 of 382 tasks  1.20 s  0.80 GB/s  r1",
    // "[##......] verifying: 40 %  23.00 s  0.08 GB/s  r1", "[#.......] filling a1: 120 of 382 chunks".
    static QString progressText(const QString &run, const RunSnapshot &snapshot);
    static QString fillText(const QString &array, const RunSnapshot &snapshot);

private:
    static QString bar(const RunStage &stage);
    void draw(const QString &line);
    bool m_enabled;
    int m_lastWidth = 0;
};

} // namespace cs
