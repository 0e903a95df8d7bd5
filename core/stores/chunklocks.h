#pragma once

#include <array>
#include <cstdint>
#include <mutex>

namespace cs {

// Striped locks that serialise the read-modify-write of a storage chunk that two copy tasks share
// (copy chunks that do not align with storage chunks). Aligned writes never take them.
class ChunkLocks {
public:
    std::mutex &forChunk(int64_t linear) { return m_locks[size_t(uint64_t(linear) * 0x9E3779B97F4A7C15ull >> 58)]; }

private:
    std::array<std::mutex, 64> m_locks;
};

} // namespace cs
