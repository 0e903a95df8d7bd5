#pragma once

#include "runranks.h"
#include "runresult.h"

#include <QList>

namespace cs {

// Chrome trace event format (chrome://tracing, Perfetto): each run is a process, each worker a thread
// track (tid = worker), a complete event ("ph": "X") per task with its phases as nested complete events
// laid end to end inside it, and the resource samples as counter events ("ph": "C"). Timestamps are
// microseconds; runs are laid one after the other on the time line. A run of an MPI job (`ranks`, by
// run) is one process per rank, named "<run> · rank R (host)", with that rank's workers and samples.
// A run that made requests to object storage has a track "worker N requests" (tid = workers + N)
// under each worker's, a complete event per attempt named by its method and status ("PUT 200", "PUT
// 503", "GET no answer"), and counters of the requests in flight and the wire's MB/s.
QByteArray chromeTrace(const QList<RunResult> &runs, const QList<RunRanks> &ranks = {});
bool writeChromeTrace(const QString &path, const QList<RunResult> &runs, QString *error,
                      const QList<RunRanks> &ranks = {});

} // namespace cs
