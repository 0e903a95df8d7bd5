#pragma once

#include <QWidget>

#include <cstdint>

class QLabel;
class QProgressBar;

namespace cs {

// How much memory a run or an array will take, against what the machine has: a bar that turns
// amber past half the available memory and red past all of it, and a line of detail.
class AllocationBar : public QWidget {
    Q_OBJECT
public:
    explicit AllocationBar(QWidget *parent = nullptr);

    void setEstimate(int64_t bytes, const QString &detail);
    void clear(const QString &why);
    int64_t bytes() const { return m_bytes; }
    QString text() const;

private:
    QProgressBar *m_bar;
    QLabel *m_label;
    int64_t m_bytes = 0;
};

} // namespace cs
