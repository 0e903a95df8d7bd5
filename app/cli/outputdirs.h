#pragma once

#include <QString>
#include <QStringList>

namespace cs {

// The --csv, --png and --svg directories `run` creates, so that a run that writes nothing into
// them does not leave behind an empty directory the user never had.
class OutputDirectories {
public:
    // Creates `dir` and its missing parents. On failure sets *error to
    // "DIR: cannot create the directory: REASON".
    bool make(const QString &dir, QString *error);
    // Removes, deepest first, each directory make() created that is still empty. What holds a
    // file, or existed before, stays.
    void removeEmpty();

private:
    QStringList m_created; // in the order created, parents first
};

} // namespace cs
