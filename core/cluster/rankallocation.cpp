#include "rankallocation.h"

#include "clusterplan.h"
#include "engine/distribution.h"
#include "runner/filesizes.h"

namespace cs {

namespace {

constexpr int64_t kChunksWalked = int64_t(1) << 20;

// The bytes of the chunks of `grid` that `share` names, and whether they were counted exactly.
std::pair<int64_t, bool> heldBytes(const ChunkGrid &grid, const TaskShare &share, int64_t itemsize)
{
    if (share.count <= kChunksWalked) {
        int64_t bytes = 0;
        for (int64_t i = 0; i < share.count; ++i)
            bytes += grid.chunkRegion(share.task(i)).count() * itemsize;
        return {bytes, true};
    }
    int64_t bytes = 0;
    if (__builtin_mul_overflow(share.count, chunkBytes(grid.chunks(), itemsize), &bytes))
        bytes = INT64_MAX;
    return {std::min(bytes, chunkBytes(grid.shape(), itemsize)), false};
}

} // namespace

QList<AllocationLine> rankAllocation(const Scenario &scenario, int rank, int ranks)
{
    const Scenario sized = withSizesFromFiles(scenario);
    QList<AllocationLine> lines = estimateAllocation(sized);
    if (ranks <= 1)
        return lines;
    const QHash<QString, ArrayPartition> parts = memoryPartitions(sized, rank, ranks);
    for (AllocationLine &line : lines) {
        const auto part = parts.constFind(line.id);
        const ArraySpec *array = line.scratch ? nullptr : sized.array(line.id);
        if (part == parts.constEnd() || !array || array->shape.empty() || !array->dtypeKnown)
            continue;
        const ChunkGrid grid(Coords::fromVector(array->shape), part->chunks);
        const TaskShare share = TaskShare::of(grid.chunkCount(), rank, ranks, part->distribution);
        const auto [bytes, exact] = heldBytes(grid, share, array->dtype.itemsize());
        line.bytes = bytes;
        line.note = QStringLiteral("partition: rank %1 of %2 holds %3 of %4 copy chunks %5, %6%7")
                        .arg(rank)
                        .arg(ranks)
                        .arg(share.count)
                        .arg(grid.chunkCount())
                        .arg(part->chunks.toString(), distributionName(part->distribution),
                             exact ? QString() : QStringLiteral(", edge chunks counted whole"));
    }
    return lines;
}

} // namespace cs
