#pragma once

#include "stores/storekind.h"

namespace cs {

const StoreKind &hdf5Kind();

} // namespace cs
