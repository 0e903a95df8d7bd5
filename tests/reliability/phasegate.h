#pragma once

#include "forwardingkeyvalue.h"
#include "kv/memorykeyvalue.h"
#include "stores/store.h"
#include "task/taskcontext.h"

#include <chrono>
#include <condition_variable>
#include <mutex>

// Holds workers inside one phase of their tasks until the test lets them go, so that a cancellation
// lands while every worker is in that phase.
namespace reliability {

class PhaseGate {
public:
    // From now on, every worker that reaches the gate stops there until open().
    void arm()
    {
        std::lock_guard<std::mutex> lock(m_mutex);
        m_armed = true;
        m_arrived = 0;
    }
    void open()
    {
        {
            std::lock_guard<std::mutex> lock(m_mutex);
            m_armed = false;
        }
        m_changed.notify_all();
    }
    void pass()
    {
        std::unique_lock<std::mutex> lock(m_mutex);
        if (!m_armed)
            return;
        ++m_arrived;
        m_changed.notify_all();
        m_changed.wait(lock, [this] { return !m_armed; });
    }
    // True once n workers wait at the gate.
    bool waitForArrivals(int n, int timeoutMs = 5000)
    {
        std::unique_lock<std::mutex> lock(m_mutex);
        return m_changed.wait_for(lock, std::chrono::milliseconds(timeoutMs), [&] { return m_arrived >= n; });
    }

private:
    std::mutex m_mutex;
    std::condition_variable m_changed;
    bool m_armed = false;
    int m_arrived = 0;
};

// A key-value store in memory whose gets or sets stop at a gate: inside ZarrStore, a chunk's get runs
// in the Read phase and its set in the Write phase (under ctx.ioLock in lock mode "io"), so the gate
// holds a worker inside the store's own phases.
class GatedKeyValue final : public cs::ForwardingKeyValue {
public:
    enum class At { Get, Set };
    GatedKeyValue(int64_t slotCount, PhaseGate &gate, At at)
        : ForwardingKeyValue(std::make_unique<cs::MemoryKeyValue>(slotCount))
        , m_gate(gate)
        , m_at(at)
    {
    }
    cs::KvValue get(const cs::KvKey &key, cs::ByteRange range, const cs::ValueLimit &limit, cs::TaskContext &ctx,
                    char *direct, size_t directCap) const override
    {
        if (m_at == At::Get)
            m_gate.pass();
        return ForwardingKeyValue::get(key, range, limit, ctx, direct, directCap);
    }
    void set(const cs::KvKey &key, const char *data, size_t size, cs::Sync sync) override
    {
        if (m_at == At::Set)
            m_gate.pass();
        ForwardingKeyValue::set(key, data, size, sync);
    }
    using ForwardingKeyValue::set;

private:
    PhaseGate &m_gate;
    At m_at;
};

// Wraps a store and stops each read (for Read or Decode) or write (for Encode or Write) at a gate
// first, accounting the wait to that phase, as a codec that takes long would.
class GatedStore final : public cs::Store {
public:
    GatedStore(cs::Store &inner, PhaseGate &gate, cs::Phase phase)
        : Store(inner.id(), inner.dtype(), inner.shape(), inner.chunks())
        , m_inner(inner)
        , m_gate(gate)
        , m_phase(phase)
    {
    }
    QString kind() const override { return m_inner.kind(); }
    void read(const cs::Region &region, void *out, cs::TaskContext &ctx) override
    {
        if (m_phase == cs::Phase::Read || m_phase == cs::Phase::Decode) {
            cs::PhaseTimer t(ctx, m_phase);
            m_gate.pass();
        }
        m_inner.read(region, out, ctx);
    }
    void write(const cs::Region &region, const void *in, cs::TaskContext &ctx) override
    {
        if (m_phase == cs::Phase::Encode || m_phase == cs::Phase::Write) {
            cs::PhaseTimer t(ctx, m_phase);
            m_gate.pass();
        }
        m_inner.write(region, in, ctx);
    }
    cs::StoreInfo info() const override { return m_inner.info(); }

private:
    cs::Store &m_inner;
    PhaseGate &m_gate;
    cs::Phase m_phase;
};

} // namespace reliability
