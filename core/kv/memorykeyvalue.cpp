#include "memorykeyvalue.h"

#include <algorithm>
#include <cstdlib>
#include <cstring>

namespace cs {

namespace {

char *allocate(size_t bytes)
{
    char *p = static_cast<char *>(std::malloc(std::max<size_t>(bytes, 1)));
    if (!p)
        throw StoreError(QStringLiteral("out of memory for %1 bytes").arg(qulonglong(bytes)));
    return p;
}

} // namespace

MemoryKeyValue::MemoryKeyValue(int64_t slotCount, SlotNames names)
    : m_slotCount(std::clamp<int64_t>(slotCount, 0, kMaxSlots))
    , m_names(std::move(names))
    , m_pageCount((m_slotCount + kPageSlots - 1) / kPageSlots)
    , m_pages(new std::atomic<Page *>[size_t(m_pageCount)])
{
    for (int64_t i = 0; i < m_pageCount; ++i)
        m_pages[size_t(i)].store(nullptr, std::memory_order_relaxed);
}

MemoryKeyValue::~MemoryKeyValue()
{
    for (int64_t i = 0; i < m_pageCount; ++i) {
        Page *page = m_pages[size_t(i)].load(std::memory_order_acquire);
        if (!page)
            continue;
        for (Slot &s : page->entries)
            std::free(s.data);
        delete page;
    }
}

QString MemoryKeyValue::location() const
{
    return QStringLiteral("in memory");
}

MemoryKeyValue::Slot *MemoryKeyValue::slot(const KvKey &key, bool create) const
{
    if (key.slot >= m_slotCount)
        throw StoreError(QStringLiteral("%1 has slot %2, outside the %3 slots of this store")
                             .arg(kv::quotedKey(key))
                             .arg(key.slot)
                             .arg(m_slotCount));
    std::atomic<Page *> &entry = m_pages[size_t(key.slot / kPageSlots)];
    Page *page = entry.load(std::memory_order_acquire);
    if (!page && create) {
        auto *fresh = new Page();
        if (entry.compare_exchange_strong(page, fresh, std::memory_order_acq_rel))
            page = fresh;
        else
            delete fresh; // another worker installed the page first; page now holds it
    }
    return page ? &page->entries[key.slot % kPageSlots] : nullptr;
}

KvValue MemoryKeyValue::get(const KvKey &key, ByteRange range, const ValueLimit &limit, TaskContext &, char *,
                            size_t) const
{
    const char *data = nullptr;
    uint64_t total = 0;
    if (key.slot >= 0) {
        const Slot *s = slot(key, false);
        const int64_t size = s ? s->size.load(std::memory_order_acquire) : -1;
        if (size < 0)
            return {};
        data = s->data;
        total = uint64_t(size);
    } else {
        std::lock_guard<std::mutex> lock(m_namedMutex);
        const auto it = m_named.find(QByteArray::fromRawData(key.text, qsizetype(key.size)));
        if (it == m_named.end())
            return {};
        // Stays valid after the unlock: only a set or erase of this same key replaces it.
        data = it->second.constData();
        total = uint64_t(it->second.size());
    }
    uint64_t begin = 0, length = 0;
    if (const kv::Refusal refusal = kv::checkRead(total, range, limit, &begin, &length); refusal != kv::Refusal::None)
        kv::refuseRead(refusal, kv::quotedKey(key), total, range, limit);
    return {data + begin, size_t(length), total, true};
}

void MemoryKeyValue::set(const KvKey &key, const char *data, size_t size, Sync)
{
    if (key.slot < 0) {
        std::lock_guard<std::mutex> lock(m_namedMutex);
        m_named[key.bytes()] = QByteArray(data, qsizetype(size));
        return;
    }
    Slot *s = slot(key, true);
    if (size > s->capacity || !s->data) {
        // A little headroom, so a chunk that compresses slightly worse next time still fits.
        const size_t capacity = (std::max<size_t>(size + size / 16, 1) + 63) & ~size_t(63);
        char *fresh = allocate(capacity);
        std::free(s->data);
        s->data = fresh;
        s->capacity = capacity;
    }
    std::memcpy(s->data, data, size);
    const int64_t old = s->size.exchange(int64_t(size), std::memory_order_acq_rel);
    if (old < 0)
        m_slotValues.fetch_add(1, std::memory_order_relaxed);
    m_slotBytes.fetch_add(int64_t(size) - std::max<int64_t>(old, 0), std::memory_order_relaxed);
}

bool MemoryKeyValue::erase(const KvKey &key)
{
    if (key.slot < 0) {
        std::lock_guard<std::mutex> lock(m_namedMutex);
        return m_named.erase(QByteArray::fromRawData(key.text, qsizetype(key.size))) > 0;
    }
    Slot *s = slot(key, false);
    if (!s)
        return false;
    // The buffer stays, for the key's next value.
    const int64_t old = s->size.exchange(-1, std::memory_order_acq_rel);
    if (old < 0)
        return false;
    m_slotValues.fetch_sub(1, std::memory_order_relaxed);
    m_slotBytes.fetch_sub(old, std::memory_order_relaxed);
    return true;
}

void MemoryKeyValue::forEachKey(const QString &prefix, const std::function<void(const QString &)> &visit) const
{
    const QByteArray want = prefix.toUtf8();
    QStringList named;
    {
        std::lock_guard<std::mutex> lock(m_namedMutex);
        for (auto it = m_named.lower_bound(want); it != m_named.end() && it->first.startsWith(want); ++it)
            named.append(QString::fromUtf8(it->first));
    }
    // Visited outside the lock, so that a visitor may call back into the store.
    for (const QString &key : named)
        visit(key);
    for (int64_t p = 0; p < m_pageCount; ++p) {
        const Page *page = m_pages[size_t(p)].load(std::memory_order_acquire);
        if (!page)
            continue;
        for (int64_t i = 0; i < kPageSlots; ++i) {
            if (page->entries[i].size.load(std::memory_order_acquire) < 0)
                continue;
            const int64_t index = p * kPageSlots + i;
            const QString key = m_names ? m_names(index) : QString::number(index);
            if (key.startsWith(prefix))
                visit(key);
        }
    }
}

int64_t MemoryKeyValue::storedBytes() const
{
    int64_t total = m_slotBytes.load(std::memory_order_relaxed);
    std::lock_guard<std::mutex> lock(m_namedMutex);
    for (const auto &entry : m_named)
        total += entry.second.size();
    return total;
}

int64_t MemoryKeyValue::valueCount() const
{
    std::lock_guard<std::mutex> lock(m_namedMutex);
    return m_slotValues.load(std::memory_order_relaxed) + int64_t(m_named.size());
}

std::optional<int64_t> MemoryKeyValue::slottedValueCount() const
{
    return m_slotValues.load(std::memory_order_relaxed);
}

} // namespace cs
