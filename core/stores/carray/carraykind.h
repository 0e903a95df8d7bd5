#pragma once

#include "stores/storekind.h"

namespace cs {

const StoreKind &carrayKind();

// The chunk length bcolz picks for a carray of this dtype and shape when given none
// (bcolz.utils.calc_chunksize over the expected size, rounded to whole rows); the same rule as the
// carray store's, so that a parsed scenario shows the chunks the store will use.
int64_t carrayDefaultChunklen(const DType &dtype, const std::vector<int64_t> &shape);

} // namespace cs
