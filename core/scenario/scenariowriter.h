#pragma once

#include "scenario.h"

#include <QByteArray>
#include <QJsonObject>
#include <QString>

#include <optional>

namespace cs {

// The scenario as a file: indented, keys in the order chunkscope, name, description, order (when the
// file gave it or it is not the default), arrays, runs;
// each array's keys as store, like, dtype, shape, chunks, fill, then the rest. Arrays and runs are
// written as the file gave them (ArraySpec::given, Scenario::givenRuns: `like` and sweeps kept),
// one line each when they fit in 120 columns. An array without `given` (or a scenario without
// givenRuns) is written from its resolved fields instead.
QByteArray scenarioToJson(const Scenario &scenario);

// Writes scenarioToJson atomically (replaceFile): the old file stays whole if anything fails.
// On failure returns false and sets *error to "<path>: cannot write: <reason>".
bool saveScenarioFile(const Scenario &scenario, const QString &path, QString *error);

// Parses the scenario again from its given keys, after an editor changed ArraySpec::given,
// Scenario::givenRuns, the name or the description. Relative store paths resolve against the
// directory of scenario.filePath, errors name that file (or "scenario" when there is none).
std::optional<Scenario> rebuildScenario(const Scenario &edited, QString *error);

// Every key of an array or a run, from its resolved fields (no `like`, no sweep).
QJsonObject arraySpecToJson(const ArraySpec &array);
QJsonObject runSpecToJson(const RunSpec &run);

} // namespace cs
