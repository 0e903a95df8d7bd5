#pragma once

#include "stores/store.h"

#include <vector>

namespace cs {

// The part of a NumPy-like memory array that one rank of an MPI job holds: the chunks of a grid
// (the copy grid of the runs that read the array) that the rank copies, each a dense C-order buffer
// of its own in one allocation. A rank thus allocates, fills and verifies only what it copies, and
// the ranks together hold the array once. Reading or writing outside those chunks is an error, as it
// would be a bug in how the work was shared.
class MemoryPartition final : public Store {
public:
    // `parts`: the grid the array is held by; `held`: the linear indices of the chunks of `parts`
    // this process holds, ascending.
    MemoryPartition(QString id, DType dtype, Coords shape, Coords chunks, ChunkGrid parts, std::vector<int64_t> held);
    ~MemoryPartition() override;

    QString kind() const override { return QStringLiteral("memory"); }
    void read(const Region &region, void *out, TaskContext &ctx) override;
    void write(const Region &region, const void *in, TaskContext &ctx) override;
    StoreInfo info() const override;
    const char *contiguous(const Region &region) const override;
    char *contiguousMutable(const Region &region) override;
    bool readsZerosWhenFresh() const override { return true; }

    const ChunkGrid &parts() const { return m_parts; }
    int64_t heldBytes() const { return m_heldBytes; }

private:
    // The buffer of the held part with linear index `part`; throws StoreError when it is not held.
    char *partData(int64_t part) const;
    // Calls f(part region, part buffer, the piece of `region` in that part) for every part it touches.
    template <typename F> void forEachPiece(const Region &region, F &&f) const;

    ChunkGrid m_parts;
    std::vector<int64_t> m_held;
    std::vector<int64_t> m_offsets; // byte offset of each held part in m_data
    int64_t m_heldBytes = 0;
    char *m_data = nullptr;
};

} // namespace cs
