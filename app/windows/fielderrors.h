#pragma once

#include "scenario/scenario.h"

#include <QList>
#include <QString>

namespace cs {

// One error of a scenario as the command line words it, split into its JSON pointer
// ("/arrays/a1/shape/0", empty when the error has none) and its message.
struct FieldError {
    QString line; // what the command line prints after "error: "
    QString pointer;
    QString message;
};

// Splits `line` ("<label>: <pointer>: <message>") where `label` is the file name rebuildScenario uses.
FieldError splitScenarioError(const QString &line, const QString &label);

// The scenario parser stops at its first error. To show every field's error at once, the keys that
// failed are left out one after another and the scenario is parsed again, until it validates, an
// error repeats or names no key of an array or a run, or `maxErrors` were found. The first entry is
// the error the command line reports. Costs a parse per error, so large scenarios get only the first.
QList<FieldError> collectFieldErrors(const Scenario &edited, const FieldError &first, int maxErrors = 12);

} // namespace cs
