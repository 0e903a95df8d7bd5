#include "allocation.h"

#include "array/memorysize.h"
#include "profiler/eventlog.h"
#include "profiler/resourcesampler.h"

#include <QThread>

#include <algorithm>
#include <limits>

namespace cs {

namespace {

constexpr int64_t kSaturated = std::numeric_limits<int64_t>::max();

int64_t saturatedProduct(const std::vector<int64_t> &dims, int64_t factor)
{
    int64_t n = factor;
    for (const int64_t d : dims)
        if (__builtin_mul_overflow(n, d, &n))
            return kSaturated;
    return n;
}

AllocationLine arrayLine(const ArraySpec &a)
{
    AllocationLine line;
    line.id = a.id;
    line.store = a.store;
    const StoreKind *kind = a.kind();
    if (a.shape.empty() || !a.dtypeKnown || !kind) {
        line.note = QStringLiteral("size comes from the file");
        return line;
    }
    const MemoryEstimate estimate = kind->memoryEstimate(a.options, saturatedProduct(a.shape, a.dtype.itemsize()));
    line.bytes = estimate.bytes;
    line.note = estimate.note;
    return line;
}

int64_t specChunkBytes(const std::vector<int64_t> &chunks, const ArraySpec *a)
{
    if (!a || !a->dtypeKnown || chunks.empty())
        return 0;
    return saturatedProduct(chunks, a->dtype.itemsize());
}

// The copy grid's chunk count, or 0 when the shape or the chunks come from a file.
int64_t taskCount(const std::vector<int64_t> &shape, const std::vector<int64_t> &chunks)
{
    if (shape.empty() || chunks.size() != shape.size())
        return 0;
    int64_t n = 1;
    for (size_t i = 0; i < shape.size(); ++i) {
        if (chunks[i] < 1)
            return 0;
        if (__builtin_mul_overflow(n, (shape[i] + chunks[i] - 1) / chunks[i], &n))
            return kSaturated;
    }
    return n;
}

int64_t saturatedSum(std::initializer_list<int64_t> parts)
{
    int64_t total = 0;
    for (const int64_t p : parts)
        if (__builtin_add_overflow(total, p, &total))
            return kSaturated;
    return total;
}

// What the array's store takes of each worker's scratch besides the chunk buffers.
int64_t storeScratchOf(const ArraySpec *a, bool writing)
{
    const StoreKind *kind = a ? a->kind() : nullptr;
    if (!kind || a->shape.empty() || !a->dtypeKnown)
        return 0;
    return kind->scratchBytesPerWorker(a->options, a->storeArray(), writing);
}

} // namespace

int64_t chunkBytes(const Coords &chunks, int64_t itemsize)
{
    return saturatedProduct(chunks.toVector(), itemsize);
}

RunMemory runMemory(int workers, int64_t largestChunkBytes, int64_t tasks, bool profile, int64_t storeScratchBytes)
{
    RunMemory m;
    m.workers = workers;
    m.largestChunkBytes = largestChunkBytes;
    m.storeScratchBytes = storeScratchBytes;
    m.tasks = tasks;
    m.scratchBytes = saturatedProduct({int64_t(workers)},
                                      saturatedSum({saturatedProduct({3}, largestChunkBytes), storeScratchBytes}));
    if (profile) {
        m.eventLogBytes = saturatedProduct({tasks}, EventLog::bytesPerTask());
        m.sampleBytes = int64_t(ResourceSampler::kMaxSamples * sizeof(ResourceSample)) * 2;
    }
    return m;
}

int64_t RunMemory::total() const
{
    return saturatedSum({scratchBytes, eventLogBytes, sampleBytes});
}

QString RunMemory::describe() const
{
    QString text
        = QStringLiteral("scratch: %1 worker%2 x ").arg(workers).arg(workers == 1 ? QString() : QStringLiteral("s"));
    if (storeScratchBytes > 0)
        text += QStringLiteral("(3 x %1 + %2)").arg(formatMemory(largestChunkBytes), formatMemory(storeScratchBytes));
    else
        text += QStringLiteral("3 x %1").arg(formatMemory(largestChunkBytes));
    if (sampleBytes == 0)
        return text;
    if (tasksKnown)
        text += QStringLiteral("; event log: %1 task%2 x %3 (%4)")
                    .arg(tasks)
                    .arg(tasks == 1 ? QString() : QStringLiteral("s"))
                    .arg(EventLog::bytesPerTask())
                    .arg(formatMemory(eventLogBytes));
    else
        text
            += QStringLiteral("; event log: %1 per task, the tasks follow from the file").arg(EventLog::bytesPerTask());
    text += QStringLiteral("; samples: up to %1").arg(formatMemory(sampleBytes));
    return text;
}

QList<AllocationLine> estimateAllocation(const Scenario &scenario)
{
    QList<AllocationLine> lines;
    for (const ArraySpec &a : scenario.arrays)
        lines.append(arrayLine(a));
    for (const RunSpec &r : scenario.runs) {
        const ArraySpec *source = scenario.array(r.source);
        const ArraySpec *target = scenario.array(r.target);
        const int64_t largest
            = std::max({specChunkBytes(r.chunks, source), specChunkBytes(source ? source->chunks : r.chunks, source),
                        specChunkBytes(target ? target->chunks : r.chunks, target)});
        const int workers = r.workers > 0 ? r.workers : QThread::idealThreadCount();
        const std::vector<int64_t> copyChunks = r.chunks.empty() && source ? source->chunks : r.chunks;
        const int64_t storeScratch = saturatedSum({storeScratchOf(source, false), storeScratchOf(target, true)});
        RunMemory memory
            = runMemory(workers, largest, source ? taskCount(source->shape, copyChunks) : 0, r.profile, storeScratch);
        memory.tasksKnown = source && !source->shape.empty() && copyChunks.size() == source->shape.size();
        AllocationLine line;
        line.id = r.name;
        line.store = QStringLiteral("run");
        line.scratch = true;
        line.bytes = memory.total();
        line.note = memory.describe();
        if (r.workers == 0)
            line.note += QStringLiteral(" (workers 0: one per logical CPU)");
        lines.append(line);
    }
    return lines;
}

int64_t totalAllocation(const QList<AllocationLine> &lines)
{
    int64_t arrays = 0;
    int64_t scratch = 0;
    for (const AllocationLine &l : lines) {
        if (l.scratch)
            scratch = std::max(scratch, l.bytes);
        else if (__builtin_add_overflow(arrays, l.bytes, &arrays))
            return kSaturated;
    }
    int64_t total = 0;
    if (__builtin_add_overflow(arrays, scratch, &total))
        return kSaturated;
    return total;
}

int64_t totalAllocation(const Scenario &scenario)
{
    return totalAllocation(estimateAllocation(scenario));
}

} // namespace cs
