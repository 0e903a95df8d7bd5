#pragma once

#include "runresult.h"

#include <QString>

#include <cstdint>
#include <optional>

namespace cs {

// A copy whose chunks cover only parts of its target's chunks: each target chunk (a Zarr v3 array's
// shard) is then written in parts, and each part reads, decodes, re-encodes and writes the whole
// encoded chunk again, so the target's work grows with the parts. dask's store does the same with
// blocks smaller than the chunks; zarr-python warns of it in its documentation only.
struct PartialChunkWrites {
    Coords copyChunks;
    Coords targetChunks;
    int64_t writesPerChunk = 1; // how many copy tasks write into each target chunk, at most
    bool targetMultiple = false; // each target chunk is a whole number of copy chunks
};

// The fact for `run` when its target stores encoded chunks and each is written by more than one task;
// nullopt otherwise.
std::optional<PartialChunkWrites> partialChunkWritesOf(const RunResult &run);
// "each of target t's chunks [16777216] was written in 16 parts, each a read-modify-write of the whole
// chunk; "chunks": [16777216] writes each once"
QString partialChunkWritesText(const RunResult &run, const PartialChunkWrites &writes);

} // namespace cs
