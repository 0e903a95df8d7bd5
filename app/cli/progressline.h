#pragma once

#include <QString>

#include <cstdint>

namespace cs {

// A one-line progress bar redrawn in place on a terminal (stderr), and silent otherwise, so logs and
// pipes get only the summary.
class ProgressLine {
public:
    explicit ProgressLine(bool enabled);
    ~ProgressLine();

    void status(const QString &text); // "creating z1 (zarr)"
    void progress(const QString &run, int64_t done, int64_t total, double seconds, int64_t bytes);
    void clear();

private:
    void draw(const QString &line);
    bool m_enabled;
    int m_lastWidth = 0;
};

} // namespace cs
