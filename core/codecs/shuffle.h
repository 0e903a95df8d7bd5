#pragma once

#include <cstddef>

namespace cs {

// Byte shuffle as blosc and HDF5's shuffle filter define it: byte j of element i goes to
// out[j * n + i] for the n = bytes / typesize whole elements; the bytes % typesize leftover bytes
// are copied unchanged to the end. in and out must not overlap.
void shuffleBytes(const void *in, void *out, size_t bytes, size_t typesize);
void unshuffleBytes(const void *in, void *out, size_t bytes, size_t typesize);

} // namespace cs
