#pragma once

#include "runresult.h"

#include <QByteArray>
#include <QList>

namespace cs {

// Gives the runs read from an MPI job's results document (clusterresults.h) their RunResult::ranks:
// each task event's and sample's "rank", the hosts of "mpi", each run's "ranks". Runs of a
// document without "mpi" are left as they are. What does not read as a rank is left at rank 0, as
// the figures are for display, and the document's own keys were checked by parseResults.
void attachRunRanks(const QByteArray &json, QList<RunResult> &runs);

} // namespace cs
