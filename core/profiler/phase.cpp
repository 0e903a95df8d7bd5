#include "phase.h"

namespace cs {

const char *phaseKey(Phase phase)
{
    switch (phase) {
    case Phase::Read:
        return "read_s";
    case Phase::Decode:
        return "decode_s";
    case Phase::LockWait:
        return "lock_wait_s";
    case Phase::Encode:
        return "encode_s";
    case Phase::Write:
        return "write_s";
    case Phase::StoreLock:
        return "store_lock_s";
    case Phase::ChunkLock:
        return "chunk_lock_s";
    case Phase::ShardAssembly:
        return "shard_assembly_s";
    case Phase::ShardIndex:
        return "shard_index_s";
    }
    return "";
}

const char *phaseLabel(Phase phase)
{
    switch (phase) {
    case Phase::Read:
        return "read";
    case Phase::Decode:
        return "decode";
    case Phase::LockWait:
        return "lock wait";
    case Phase::Encode:
        return "encode";
    case Phase::Write:
        return "write";
    case Phase::StoreLock:
        return "store lock";
    case Phase::ChunkLock:
        return "chunk lock";
    case Phase::ShardAssembly:
        return "shard assembly";
    case Phase::ShardIndex:
        return "shard index";
    }
    return "";
}

} // namespace cs
