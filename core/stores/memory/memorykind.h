#pragma once

#include "stores/storekind.h"

namespace cs {

// A memory array has no keys of its own.
struct MemoryOptions { };

const StoreKind &memoryKind();

} // namespace cs
