#pragma once

// Runs every run of a scenario text in order, as the command line does, for tests that check what
// the runs produced rather than how they were parsed.

#include "results/runresult.h"
#include "runner/arrayset.h"
#include "runner/runexecutor.h"
#include "scenario/scenarioparser.h"

#include <QByteArray>
#include <QList>
#include <QString>
#include <QtGlobal>

#include <optional>

// The scenario a text describes, relative paths taken from `dir`; nullopt, with the parser's error
// printed, when the text is not a valid scenario.
inline std::optional<cs::Scenario> parseTestScenario(const QByteArray &json, const QString &dir)
{
    QString error;
    std::optional<cs::Scenario> s = cs::parseScenario(json, QStringLiteral("scenario.json"), &error, dir);
    if (!s)
        qWarning("%s", qPrintable(error));
    return s;
}

// The results of the scenario's runs, relative paths taken from `dir`; none, with the parser's error
// printed, when the text is not a valid scenario.
inline QList<cs::RunResult> runScenario(const QByteArray &json, const QString &dir)
{
    const std::optional<cs::Scenario> s = parseTestScenario(json, dir);
    if (!s)
        return {};
    cs::ArraySet arrays(*s);
    QList<cs::RunResult> results;
    for (const cs::RunSpec &run : s->runs)
        results.append(cs::executeRun(run, arrays));
    return results;
}
