#include "chunkfacts.h"

namespace cs {

std::optional<PartialChunkWrites> partialChunkWritesOf(const RunResult &run)
{
    const Coords &copy = run.chunks;
    const Coords &target = run.target.chunks;
    // An array stored as is (memory, or chunks without a codec) takes a part in place: no chunk is
    // decoded and encoded again for it.
    if (run.target.codec.isEmpty() || run.target.codec == QLatin1String("none") || copy.rank != target.rank
        || copy.rank == 0)
        return std::nullopt;
    PartialChunkWrites w;
    w.copyChunks = copy;
    w.targetChunks = target;
    w.targetMultiple = true;
    for (int d = 0; d < copy.rank; ++d) {
        if (copy[d] <= 0 || target[d] <= 0)
            return std::nullopt;
        // Along this axis a target chunk meets this many copy chunks: all of them when the copy's
        // are smaller and divide it, one more where their edges do not line up.
        const int64_t within = (target[d] + copy[d] - 1) / copy[d];
        const bool aligned = target[d] % copy[d] == 0 || copy[d] % target[d] == 0;
        w.writesPerChunk *= aligned ? within : within + 1;
        w.targetMultiple = w.targetMultiple && target[d] % copy[d] == 0;
    }
    if (w.writesPerChunk <= 1)
        return std::nullopt;
    return w;
}

QString partialChunkWritesText(const RunResult &run, const PartialChunkWrites &writes)
{
    QString text = QStringLiteral("each of target %1's chunks %2 was written in up to %3 parts by copy chunks %4, "
                                  "each part a read-modify-write of the whole encoded chunk")
                       .arg(run.target.id, writes.targetChunks.toString())
                       .arg(writes.writesPerChunk)
                       .arg(writes.copyChunks.toString());
    if (writes.targetMultiple)
        text += QStringLiteral("; \"chunks\": %1 writes each once").arg(writes.targetChunks.toString());
    return text;
}

} // namespace cs
