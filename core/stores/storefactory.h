#pragma once

#include "store.h"

#include <memory>

namespace cs {

struct ArraySpec;

// Creates the store an array spec describes, opening existing data for fill "existing".
// Throws StoreError with a message that names the array.
std::unique_ptr<Store> createStore(const ArraySpec &spec);

} // namespace cs
