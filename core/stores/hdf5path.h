#pragma once

#include <QString>

#include <optional>

namespace cs {

// How HDF5 stores move chunks: through H5Dread/H5Dwrite and HDF5's filters ("library"), as raw
// chunks with the codec on the workers ("direct"), or direct where the chunks align ("auto").
enum class Hdf5Path { Auto, Library, Direct };

QString hdf5PathName(Hdf5Path path);
std::optional<Hdf5Path> hdf5PathFromName(const QString &name);

} // namespace cs
