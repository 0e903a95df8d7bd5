#pragma once

#include "stores/store.h"

#include <atomic>

namespace cs {

// Wraps a real store and fails reads or writes that touch one chunk of the copy grid, to test how
// the engine handles a store that breaks mid-run.
class FaultyStore final : public Store {
public:
    enum class Fault { OnRead, OnWrite };

    FaultyStore(Store &inner, Region failing, Fault fault)
        : Store(inner.id(), inner.dtype(), inner.shape(), inner.chunks())
        , m_inner(inner)
        , m_failing(failing)
        , m_fault(fault)
    {
    }

    QString kind() const override { return m_inner.kind(); }
    void read(const Region &region, void *out, TaskContext &ctx) override
    {
        if (m_fault == Fault::OnRead && region.intersect(m_failing))
            throw StoreError(QStringLiteral("array %1, region %2: injected read failure").arg(id(), region.toString()));
        m_inner.read(region, out, ctx);
    }
    void write(const Region &region, const void *in, TaskContext &ctx) override
    {
        if (m_fault == Fault::OnWrite && region.intersect(m_failing))
            throw StoreError(
                QStringLiteral("array %1, region %2: injected write failure").arg(id(), region.toString()));
        m_inner.write(region, in, ctx);
    }
    StoreInfo info() const override { return m_inner.info(); }

private:
    Store &m_inner;
    Region m_failing;
    Fault m_fault;
};

} // namespace cs
