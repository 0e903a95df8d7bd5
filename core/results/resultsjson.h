#pragma once

#include "runresult.h"

#include <QByteArray>
#include <QJsonObject>
#include <QList>
#include <QString>

#include <optional>

namespace cs {

constexpr int kResultsFormatVersion = 1;

// The results document of `chunkscope run --json` (the contract's "Results document"): every key
// of the contract, plus the extensions "shape", "profiled", "verify_message", "hdf5_path", "sweep",
// "source_before", "target_before", each store's "location", the host's "available_memory_bytes",
// each sample's "minor_faults_per_s", each run's "verdict", "requests" and "requests_dropped" (remote
// requests, requestsjson.h) and the top-level "sweeps" (how each swept
// run scales, sweepSummaryToJson). Seconds are nanoseconds / 1e9, written in the shortest
// form that reads back as the same double; a value JSON cannot hold (an infinite ratio) is null.
// The text is written by hand rather than through QJsonObject, so a million task events take a
// fraction of a second.
QByteArray resultsToJson(const QString &scenarioName, const HostInfo &host, const QList<RunResult> &runs);

// One run's object of the document, as QJsonObject (parsed from the same text, so it never differs).
QJsonObject runResultToJson(const RunResult &run);

// Writes resultsToJson atomically (replaceFile). On failure returns false and sets *error to
// "<path>: cannot write: <reason>".
bool writeResultsFile(const QString &path, const QString &scenarioName, const HostInfo &host,
                      const QList<RunResult> &runs, QString *error);

// A results document read back, for opening past results.
struct ResultsDocument {
    QString scenario;
    HostInfo host;
    QList<RunResult> runs;
};

// Reads a results document. Keys this version does not know are ignored (a newer Chunkscope may
// add some); a known key of the wrong type is an error "<file>: <JSON pointer>: <message>".
std::optional<ResultsDocument> parseResults(const QByteArray &json, const QString &fileLabel, QString *error);
std::optional<ResultsDocument> readResultsFile(const QString &path, QString *error);
// Whether the file starts as a results document does (its first key "chunkscope_results"), so that
// `chunkscope FILE` and a file dropped on the window open results as results, not as a scenario.
bool looksLikeResultsFile(const QString &path);

} // namespace cs
