#pragma once

#include <array>
#include <chrono>
#include <cstdint>

namespace cs {

// The phases of one copy task, in the order a task goes through them. LockWait is time spent
// waiting for the run's lock (the lock modes); StoreLock for a store's own global lock (HDF5
// serialises every library call behind one); ChunkLock for another task's read-modify-write of a
// storage chunk both tasks write part of (copy chunks that do not align with storage chunks).
// A Zarr v3 shard's own work has two more: ShardAssembly copies inner chunks out of a shard's items
// and into its bytes (the inner chunks' codecs are Encode and Decode), ShardIndex encodes, decodes and
// checks its index.
enum class Phase : uint8_t { Read, Decode, LockWait, Encode, Write, StoreLock, ChunkLock, ShardAssembly, ShardIndex };
constexpr int kPhaseCount = 9;

using PhaseTimes = std::array<int64_t, kPhaseCount>;

// The key of a phase in the results document ("read_s", ...) and its label in charts ("read", ...).
const char *phaseKey(Phase phase);
const char *phaseLabel(Phase phase);

// Nanoseconds on the monotonic clock. steady_clock is a vDSO call on Linux, cheap enough per phase.
inline int64_t monotonicNs()
{
    return std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::steady_clock::now().time_since_epoch())
        .count();
}

} // namespace cs
