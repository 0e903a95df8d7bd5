#pragma once

#include "forwardingkeyvalue.h"

#include <QHash>

#include <mutex>

namespace cs {

// Counts, per key, the gets and the bytes they returned, so that a test can tell that a read took
// only the byte range it needed (the index and one inner chunk of a shard, not the whole shard).
class CountingKeyValue final : public ForwardingKeyValue {
public:
    struct Reads {
        int64_t gets = 0;
        uint64_t bytes = 0;
        bool operator==(const Reads &o) const { return gets == o.gets && bytes == o.bytes; }
    };

    using ForwardingKeyValue::ForwardingKeyValue;

    KvValue get(const KvKey &key, ByteRange range, const ValueLimit &limit, TaskContext &ctx, char *direct,
                size_t directCap) const override
    {
        const KvValue value = ForwardingKeyValue::get(key, range, limit, ctx, direct, directCap);
        std::lock_guard<std::mutex> lock(m_mutex);
        Reads &r = m_reads[key.bytes()];
        ++r.gets;
        r.bytes += value.size;
        return value;
    }
    Reads reads(const QByteArray &key) const
    {
        std::lock_guard<std::mutex> lock(m_mutex);
        return m_reads.value(key);
    }
    uint64_t bytesRead() const
    {
        std::lock_guard<std::mutex> lock(m_mutex);
        uint64_t total = 0;
        for (const Reads &r : m_reads)
            total += r.bytes;
        return total;
    }
    void reset()
    {
        std::lock_guard<std::mutex> lock(m_mutex);
        m_reads.clear();
    }

private:
    mutable std::mutex m_mutex;
    mutable QHash<QByteArray, Reads> m_reads;
};

} // namespace cs
