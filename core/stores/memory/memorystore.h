#pragma once

#include "stores/store.h"

#include <memory>

namespace cs {

// A dense C-order buffer, like a NumPy array. Its pages are allocated but not touched ("empty" and
// "zeros" are both fresh pages from the kernel), so the first write to each page faults, as with
// np.empty: the profile shows that cost as minor page faults.
class MemoryStore final : public Store {
public:
    MemoryStore(QString id, DType dtype, Coords shape, Coords chunks);
    ~MemoryStore() override;

    QString kind() const override { return QStringLiteral("memory"); }
    void read(const Region &region, void *out, TaskContext &ctx) override;
    void write(const Region &region, const void *in, TaskContext &ctx) override;
    StoreInfo info() const override;
    const char *contiguous(const Region &region) const override;
    char *contiguousMutable(const Region &region) override;
    bool readsZerosWhenFresh() const override { return true; }

    char *data() { return m_data; }
    const char *data() const { return m_data; }

private:
    int64_t offsetOf(const Region &region) const; // byte offset, or -1 when not contiguous
    char *m_data = nullptr;
};

} // namespace cs
