#pragma once

namespace cs {

// HDF5 filter 32000 as h5py registers it (lzf/lzf_filter.c), so that files written by either side
// read on the other: an optional filter whose set_local stores cd_values {4, LZF_VERSION, chunk
// bytes}, which gives up (returns 0, HDF5 then stores the chunk raw with the filter's mask bit set)
// when the compressed data would not fit in the input's size, and which decompresses into a buffer
// of cd_values[2] bytes, growing it as h5py does.
constexpr int kHdf5LzfFilterId = 32000;
// h5py's H5PY_FILTER_LZF_VERSION, cd_values[0].
constexpr unsigned kHdf5LzfFilterRevision = 4;

// Registers the filter with HDF5 once per process; later calls return the first result.
// Thread-safe. Returns false when HDF5 refused the registration.
bool registerHdf5LzfFilter();

} // namespace cs
