#include "fielderrors.h"

#include "scenario/scenariowriter.h"

#include <QJsonArray>
#include <QSet>

namespace cs {

namespace {
// Parsing again costs about as much as the first parse; past this size one error must do.
constexpr qsizetype kMaxItemsToRetry = 200;

// Takes the key the pointer names out of the way ("/arrays/a1/shape/0" -> a1's "shape"): back to the
// value the last valid build resolved for it, or left out when there is none (a required key left
// out is an error of its own, so that ends the search). False when the pointer names no given key of
// an array or a run.
bool settleKey(Scenario &s, const QString &pointer, QString *settled)
{
    const QStringList parts = pointer.split(QLatin1Char('/'), Qt::SkipEmptyParts);
    if (parts.size() < 3)
        return false;
    const QString &key = parts.at(2);
    *settled = parts.mid(0, 3).join(QLatin1Char('/'));
    if (parts.at(0) == QLatin1String("arrays")) {
        for (ArraySpec &a : s.arrays) {
            if (a.id != parts.at(1) || !a.given.contains(key))
                continue;
            const QJsonValue resolved = a.shape.empty() ? QJsonValue() : arraySpecToJson(a).value(key);
            if (!resolved.isUndefined() && resolved != a.given.value(key))
                a.given.insert(key, resolved);
            else
                a.given.remove(key);
            return true;
        }
        return false;
    }
    if (parts.at(0) == QLatin1String("runs")) {
        bool ok = false;
        const int index = parts.at(1).toInt(&ok);
        if (!ok || index < 0 || index >= s.givenRuns.size())
            return false;
        QJsonObject run = s.givenRuns.at(index).toObject();
        if (!run.contains(key))
            return false;
        run.remove(key);
        s.givenRuns.replace(index, run);
        return true;
    }
    return false;
}
} // namespace

FieldError splitScenarioError(const QString &line, const QString &label)
{
    FieldError e;
    e.line = line;
    QString rest = line.startsWith(label + QStringLiteral(": ")) ? line.mid(label.size() + 2) : line;
    if (rest.startsWith(QLatin1Char('/'))) {
        const int colon = int(rest.indexOf(QStringLiteral(": ")));
        if (colon > 0) {
            e.pointer = rest.left(colon);
            rest = rest.mid(colon + 2);
        }
    }
    e.message = rest;
    return e;
}

QList<FieldError> collectFieldErrors(const Scenario &edited, const FieldError &first, int maxErrors)
{
    QList<FieldError> errors{first};
    if (edited.arrays.size() + edited.givenRuns.size() > kMaxItemsToRetry)
        return errors;
    const QString label = edited.filePath.isEmpty() ? QStringLiteral("scenario") : edited.filePath;
    Scenario s = edited;
    QSet<QString> removed;
    FieldError last = first;
    while (errors.size() < maxErrors) {
        QString key;
        if (!settleKey(s, last.pointer, &key) || removed.contains(key))
            break;
        removed.insert(key);
        QString line;
        if (rebuildScenario(s, &line))
            break;
        last = splitScenarioError(line, label);
        // A key settled may itself be the error (a required key left out): no second error of the user's.
        const QStringList parts = last.pointer.split(QLatin1Char('/'), Qt::SkipEmptyParts);
        if (parts.size() < 3 || removed.contains(parts.mid(0, 3).join(QLatin1Char('/'))))
            break;
        errors.append(last);
    }
    return errors;
}

} // namespace cs
