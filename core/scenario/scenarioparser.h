#pragma once

#include "arrayparser.h"
#include "scenario.h"

#include <QByteArray>
#include <QString>

#include <cstdint>
#include <optional>
#include <vector>

namespace cs {

constexpr int kScenarioFormatVersion = 1;
constexpr int kMaxWorkers = 1024;
// After sweep expansion; a typo in a sweep must not queue millions of runs.
constexpr int64_t kMaxScenarioRuns = 10000;
constexpr int64_t kMaxScenarioFileBytes = int64_t(64) << 20;

// Parses and validates a scenario (the contract's "Scenario file"). On failure returns nullopt and
// sets *error to one line "<fileLabel>: <JSON pointer>: <message>", for example
// "copy.json: /arrays/a1/shape/0: must be a non-negative integer". `like` is resolved, sweeps are
// expanded, defaults are filled in (a run's chunks default to its source's), and relative store
// paths (path, file, rootdir) are resolved against baseDir when it is given.
std::optional<Scenario> parseScenario(const QByteArray &json, const QString &fileLabel, QString *error,
                                      const QString &baseDir = QString());

// Reads a scenario file's bytes, up to just over kMaxScenarioFileBytes (a device or a FIFO given by
// mistake cannot exhaust memory). Errors are "<path>: cannot open: <reason>" and the like.
std::optional<QByteArray> readScenarioFile(const QString &path, QString *error);

// A scenario file's bytes, read once, so that all that is done with the file sees the same bytes even
// when the file changes meanwhile: an MPI rank hashes the bytes it parses, not a later read of them.
struct ScenarioBytes {
    QString path; // as given
    std::optional<QByteArray> data; // nullopt when the file could not be read
    QString error; // why not, as readScenarioFile words it

    static ScenarioBytes read(const QString &path);
};

// Parses a scenario file's bytes; errors name the file as given. Relative store paths are resolved
// against the file's directory, and Scenario::filePath is set to its absolute path.
std::optional<Scenario> parseScenarioBytes(const ScenarioBytes &file, QString *error);

// Reads and parses a scenario file, as parseScenarioBytes(ScenarioBytes::read(path)).
std::optional<Scenario> loadScenarioFile(const QString &path, QString *error);

// The keys a scenario may have at its top level, and those a run may have, in the order scenario
// files write them.
const QStringList &scenarioTopKeys();
const QStringList &scenarioRunKeys();

} // namespace cs
