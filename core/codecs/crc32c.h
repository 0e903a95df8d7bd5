#pragma once

#include <cstddef>
#include <cstdint>

namespace cs {

// CRC-32C (Castagnoli, RFC 3720), as Zarr v3's crc32c codec and sharding index checksums use it.
// `crc` continues an earlier call: crc32c(b, crc32c(a)) equals crc32c(a followed by b).
uint32_t crc32c(const void *data, size_t n, uint32_t crc = 0);

} // namespace cs
