#pragma once

#include "runresult.h"

#include <QList>

namespace cs {

// Tasks and samples as CSV, for pandas, R or a spreadsheet: one `<run>.tasks.csv` and one
// `<run>.samples.csv` per run in `dir`, times in seconds, named by runFileStems.
QByteArray tasksCsv(const RunResult &run);
QByteArray samplesCsv(const RunResult &run);
bool writeCsvFiles(const QString &dir, const QList<RunResult> &runs, QString *error);

} // namespace cs
