#pragma once

#include <cstddef>

namespace cs::bench {

// What no copy engine can beat on this machine: the notebook's copy done as bare loops over
// pre-touched memory, best of three passes, with `threads` threads taking chunks round-robin.
// Each returns seconds.
double memcpyLimit(size_t elements, size_t chunk, int threads);
// blosc (blosclz, clevel 5, byte shuffle) decompress then recompress of every chunk.
double bloscLimit(size_t elements, size_t chunk, int threads);
// LZF with byte shuffle: decompress, unshuffle, shuffle, compress every chunk.
double lzfLimit(size_t elements, size_t chunk, int threads);

} // namespace cs::bench
