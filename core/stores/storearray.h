#pragma once

#include "array/dtype.h"

#include <QString>

#include <cstdint>
#include <vector>

namespace cs {

// What a store kind is asked to create or open: what every array has, whatever its kind, and
// nothing of the scenario file it came from. With `existing`, dtype, shape and chunks may be unknown
// (dtypeKnown false, shape and chunks empty): the store takes them from its data.
struct StoreArray {
    QString id;
    DType dtype;
    bool dtypeKnown = true;
    std::vector<int64_t> shape;
    std::vector<int64_t> chunks;
    bool existing = false; // open the data already at the kind's location instead of creating it
    bool overwrite = false; // a new array may replace one of its kind at its location
};

} // namespace cs
