#pragma once

#include "scenario/scenario.h"
#include "stores/store.h"

#include <memory>

namespace cs {

// Creates the store an array spec describes through its kind, or opens existing data for fill
// "existing" and checks, here and only here, that what the store holds agrees with the dtype, shape,
// chunks and kind keys the scenario itself gave. Throws StoreError with a message that names the
// array.
std::unique_ptr<Store> createStore(const ArraySpec &spec);

} // namespace cs
