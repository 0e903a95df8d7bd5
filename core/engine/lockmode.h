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

// How HDF5 stores move chunks: through H5Dread/H5Dwrite and HDF5's filters ("library"), as raw
// chunks with the codec on the workers ("direct"), or direct where the chunks align ("auto").
enum class Hdf5Path { Auto, Library, Direct };

QString hdf5PathName(Hdf5Path path);
std::optional<Hdf5Path> hdf5PathFromName(const QString &name);

} // namespace cs
