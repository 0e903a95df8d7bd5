#pragma once

#include <QString>

#include <optional>

namespace cs {

// How a copy serialises its writes to the target.
//  Target: one lock around each whole target write, encoding included (dask.array.store(lock=True)).
//  None:   no lock (lock=False).
//  Io:     the lock is held only around the raw store write; encoding runs outside it.
enum class LockMode { Target, None, Io };

QString lockModeName(LockMode mode); // "target", "none", "io"
std::optional<LockMode> lockModeFromName(const QString &name);

} // namespace cs
