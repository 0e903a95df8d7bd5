#pragma once

#include "profiler/taskevent.h"

#include <QByteArray>
#include <QHash>

#include <optional>
#include <vector>

namespace cs {

// A results document with each run's "task_events" array read directly from the text and replaced
// by [] in `rest`. QJsonDocument needs about 1.7 KB and 7 µs per task event; a million events would
// take gigabytes, so they bypass it.
struct ExtractedTaskEvents {
    QByteArray rest; // the document with every task_events array emptied
    QHash<qsizetype, std::vector<TaskEvent>> events; // by index in "runs"
};

// Returns nullopt when the text is not exactly what the fast path understands (an escaped key, an
// integer written with a fraction, a time out of range, a syntax error): the caller then parses the
// whole document the general way, which also gives the exact error message. Values convert as the
// general path converts them (seconds to nanoseconds by llround(s * 1e9)).
std::optional<ExtractedTaskEvents> extractTaskEvents(const QByteArray &json);

} // namespace cs
