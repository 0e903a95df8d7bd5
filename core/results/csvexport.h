#pragma once

#include "runranks.h"
#include "runresult.h"

#include <QList>

namespace cs {

// Tasks and samples as CSV, for pandas, R or a spreadsheet: one `<run>.tasks.csv` and one
// `<run>.samples.csv` per run in `dir`, times in seconds, named by runFileStems. The runs of an MPI
// job give their ranks (`ranks`, by run): tasks then have `rank` and `host` columns after `worker`,
// and samples a `rank` column after `t_s`. A run on object storage adds `requests_in_flight` and
// `wire_bytes_per_sec` to its samples, and a run that made requests writes `<run>.requests.csv`
// too: one row per attempt, with the columns and units of the results document's "requests".
QByteArray tasksCsv(const RunResult &run, const RunRanks &ranks = {});
QByteArray samplesCsv(const RunResult &run, const RunRanks &ranks = {});
QByteArray requestsCsv(const RunResult &run);
bool writesRequestsCsv(const RunResult &run);
bool writeCsvFiles(const QString &dir, const QList<RunResult> &runs, QString *error, const QList<RunRanks> &ranks = {});

} // namespace cs
