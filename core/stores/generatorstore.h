#pragma once

#include "stores/fillspec.h"
#include "stores/store.h"

namespace cs {

// A read-only array whose values are computed on the fly: zeros, arange, a constant or seeded random
// numbers. Filling a store is a copy from one of these, on the same engine as every other copy.
// Random values depend only on the seed and the element's index, so they do not depend on chunking.
class GeneratorStore final : public Store {
public:
    GeneratorStore(const FillSpec &fill, DType dtype, Coords shape, Coords chunks);

    QString kind() const override { return QStringLiteral("generator"); }
    void read(const Region &region, void *out, TaskContext &ctx) override;
    void write(const Region &region, const void *in, TaskContext &ctx) override;
    StoreInfo info() const override;

private:
    // Writes the value of the element with flat C-order index `index`, in the dtype's byte order.
    void valueAt(int64_t index, unsigned char *out) const;

    FillSpec m_fill;
};

} // namespace cs
