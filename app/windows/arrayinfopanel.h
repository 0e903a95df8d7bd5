#pragma once

#include "results/runresult.h"

#include <QList>
#include <QWidget>

#include <memory>

class QPlainTextEdit;

namespace cs {

// What the stores said about themselves before and after a run (StoreInfo::describe(), in the
// manner of zarr's Array.info and the notebook's h5d diagnostics), for the selected runs.
class ArrayInfoPanel : public QWidget {
    Q_OBJECT
public:
    explicit ArrayInfoPanel(QWidget *parent = nullptr);

    void showRuns(const QList<std::shared_ptr<const RunResult>> &runs);
    QString text() const;

    static QString describeRun(const RunResult &run);

private:
    QPlainTextEdit *m_text;
};

} // namespace cs
