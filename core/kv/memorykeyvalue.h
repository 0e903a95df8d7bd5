#pragma once

#include "kv/keyvalue.h"

#include <atomic>
#include <functional>
#include <map>
#include <memory>
#include <mutex>

namespace cs {

// Every value in memory, as zarr-python's dict store keeps them. Slotted keys live in one slot each,
// found by index without a lock: slots come in pages allocated on first touch, so a huge sparse grid
// costs little, and a slot's buffer is reused whenever the new value fits, so a warm slot allocates
// nothing. Other keys (metadata) live in a map under a mutex. A get returns the stored bytes
// themselves, never a copy.
class MemoryKeyValue final : public KeyValue {
public:
    // How slot i's key is spelt, for listings: the store keeps no key text per slot, so that a grid of
    // a million tiny chunks costs what their bytes cost. Without it a slot lists as its number.
    using SlotNames = std::function<QString(int64_t slot)>;
    // Slots 0 to slotCount - 1 for the keys of a dense grid. A slotted key must be given its slot
    // every time, and the slot alone finds the value.
    explicit MemoryKeyValue(int64_t slotCount = 0, SlotNames names = {});
    ~MemoryKeyValue() override;

    QString location() const override;
    KvValue get(const KvKey &key, ByteRange range, const ValueLimit &limit, TaskContext &ctx, char *direct,
                size_t directCap) const override;
    void set(const KvKey &key, const char *data, size_t size, Sync sync) override;
    using KeyValue::set;
    bool erase(const KvKey &key) override;
    void forEachKey(const QString &prefix, const std::function<void(const QString &)> &visit) const override;
    int64_t storedBytes() const override;
    int64_t valueCount() const override;
    std::optional<int64_t> slottedValueCount() const override;

    // More slots are refused: the page table alone would not be small any more.
    static constexpr int64_t kMaxSlots = int64_t(1) << 32;

private:
    struct Slot {
        char *data = nullptr;
        size_t capacity = 0;
        std::atomic<int64_t> size{-1}; // -1: no value
    };
    static constexpr int64_t kPageSlots = 4096;
    struct Page {
        Slot entries[kPageSlots];
    };
    // The key's slot; null when its page was never touched and !create. Throws when the slot is
    // outside the grid.
    Slot *slot(const KvKey &key, bool create) const;

    int64_t m_slotCount;
    SlotNames m_names;
    int64_t m_pageCount;
    std::unique_ptr<std::atomic<Page *>[]> m_pages;
    std::atomic<int64_t> m_slotBytes{0};
    std::atomic<int64_t> m_slotValues{0};
    mutable std::mutex m_namedMutex;
    std::map<QByteArray, QByteArray> m_named;
};

} // namespace cs
