#pragma once

#include "stores/store.h"

#include <QString>

#include <memory>
#include <optional>

namespace cs {

struct ArraySpec;

// Creates the store an array spec describes, opening existing data for fill "existing".
// Throws StoreError with a message that names the array.
std::unique_ptr<Store> createStore(const ArraySpec &spec);

// Why creating the array would not replace what already exists at its path, file or rootdir, or
// nullopt when it may: nothing is there, or "overwrite" is set and it is an array of the same store
// kind (an HDF5 file, for HDF5). The message names the path but not the array.
std::optional<QString> overwriteRefusal(const ArraySpec &spec);

} // namespace cs
