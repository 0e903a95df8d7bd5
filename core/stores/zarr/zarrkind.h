#pragma once

#include "stores/storekind.h"

namespace cs {

const StoreKind &zarrKind();

} // namespace cs
