#pragma once

#include "kv/keyvalue.h"

#include <memory>

namespace cs {

// A key-value store that passes every call to the one it wraps, for test decorators that count or
// hold some calls and pass the rest: they override only what they watch.
class ForwardingKeyValue : public KeyValue {
public:
    explicit ForwardingKeyValue(std::unique_ptr<KeyValue> inner)
        : m_inner(std::move(inner))
    {
    }
    KeyValue &inner() const { return *m_inner; }

    QString location() const override { return m_inner->location(); }
    KvValue get(const KvKey &key, ByteRange range, const ValueLimit &limit, TaskContext &ctx, char *direct,
                size_t directCap) const override
    {
        return m_inner->get(key, range, limit, ctx, direct, directCap);
    }
    void set(const KvKey &key, const char *data, size_t size, Sync sync) override
    {
        m_inner->set(key, data, size, sync);
    }
    using KeyValue::set;
    bool erase(const KvKey &key) override { return m_inner->erase(key); }
    void forEachKey(const QString &prefix, const std::function<void(const QString &)> &visit) const override
    {
        m_inner->forEachKey(prefix, visit);
    }
    int64_t storedBytes() const override { return m_inner->storedBytes(); }
    int64_t valueCount() const override { return m_inner->valueCount(); }
    std::optional<int64_t> slottedValueCount() const override { return m_inner->slottedValueCount(); }
    void prepareForWriting() override { m_inner->prepareForWriting(); }

private:
    std::unique_ptr<KeyValue> m_inner;
};

} // namespace cs
