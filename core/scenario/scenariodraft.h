#pragma once

#include "scenario.h"

#include <QByteArray>

#include <optional>

namespace cs {

// A scenario file that does not validate, read back as the editor's draft: its name, description,
// arrays' keys as given (ArraySpec::id and ::given) and runs as given (Scenario::givenRuns), nothing
// resolved. So a draft saved from the editor opens again as the same draft rather than not at all.
// nullopt when the text is not a scenario's outline (an object with "chunkscope": 1, an object of
// array objects and a list of runs), or when writing the draft back would lose any of it.
std::optional<Scenario> parseScenarioDraft(const QByteArray &json);

} // namespace cs
