#pragma once

#include "kv/storeerror.h"

#include <QByteArray>
#include <QString>
#include <QStringList>

#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>

namespace cs {

class TaskContext;

// Which bytes of a value a get() reads: all of it, [offset, offset + length), or its last `length`
// bytes (a Zarr v3 shard keeps its index there, and its size is only known once the value is found).
struct ByteRange {
    enum class Kind : uint8_t { Whole, Span, Suffix };
    Kind kind = Kind::Whole;
    uint64_t offset = 0;
    uint64_t length = 0;

    static constexpr ByteRange whole() { return {}; }
    static constexpr ByteRange span(uint64_t offset, uint64_t length) { return {Kind::Span, offset, length}; }
    static constexpr ByteRange suffix(uint64_t length) { return {Kind::Suffix, 0, length}; }

    // The bytes it covers of a value of `total` bytes as [*begin, *begin + *length); false when they
    // do not all lie inside it.
    bool resolve(uint64_t total, uint64_t *begin, uint64_t *length) const;
    // For messages: "the whole value", "bytes [16, 32)", "the last 16 bytes".
    QString toString() const;
};

// A key: its bytes (not NUL-terminated, not owned) and, for the keys of a dense grid such as an
// array's chunks, its slot in that grid (0 to the slot count less one; -1 for any other key), by which
// the memory store finds it without hashing or locking. A key that has a slot is given it every time:
// the memory store keeps slotted and other keys apart, and a directory ignores slots.
struct KvKey {
    const char *text = nullptr;
    size_t size = 0;
    int64_t slot = -1;

    KvKey() = default;
    KvKey(const char *keyText, size_t keySize, int64_t keySlot = -1)
        : text(keyText)
        , size(keySize)
        , slot(keySlot)
    {
    }
    // Refers to the bytes, which must outlive the key.
    explicit KvKey(const QByteArray &bytes, int64_t keySlot = -1)
        : KvKey(bytes.constData(), size_t(bytes.size()), keySlot)
    {
    }
    QByteArray bytes() const { return QByteArray(text, qsizetype(size)); }
};

// The bytes a get() found: in the store's own memory, in the caller's `direct` buffer, or in the
// worker's Scratch::Packed buffer, valid until the key is next set or erased or the worker's next
// get(). `total` is the whole value's size, whatever the range.
struct KvValue {
    const char *data = nullptr;
    size_t size = 0;
    uint64_t total = 0;
    bool present = false;
};

// What a caller reads through get(): the values' name in messages ("chunk": "X is a FIFO, not a chunk
// file") and the most bytes one read may take, with why ("an encoded chunk of 400 bytes can take":
// "X is 1048576 bytes, more than the 416 an encoded chunk of 400 bytes can take"). A read over the
// limit is refused before anything is allocated for it, so a 64 GiB file at a chunk's key fails
// cleanly. Made once per store and passed by reference, so a get copies no string.
struct ValueLimit {
    QString noun = QStringLiteral("value");
    uint64_t maxBytes = UINT64_MAX;
    QString why = QStringLiteral("bytes one read may take");

    // For setting up and tools: a regular file of at most 64 MiB, as readRegularFile allows.
    static const ValueLimit &smallFile();
};

// How set() puts a value in place. Every set is atomic: a reader, a crash or a full disk sees the
// old value or the new one, never half of one. Flush also makes the new value durable before it
// replaces the old (fsync) and keeps the old file's permission bits; the chunk writes of a copy skip
// both, so that the copy measures the store rather than the disk's flush latency.
enum class Sync : uint8_t { Flush, NoFlush };

// Where a store keeps its values, by key: in memory or one file per key in a directory. The hot
// path — get(), set() and erase() of slotted keys — allocates nothing once warm, takes no lock and is
// safe from many threads for distinct keys. The other calls are for setting up, tools and tests.
// Failures throw StoreError naming the value; a missing value is not an error.
class KeyValue {
public:
    KeyValue() = default;
    virtual ~KeyValue();
    KeyValue(const KeyValue &) = delete;
    KeyValue &operator=(const KeyValue &) = delete;

    // "in memory" or the directory.
    virtual QString location() const = 0;
    // Reads `range` of the value. A store that must copy the bytes puts them into `direct` when they
    // are exactly directCap bytes long (a whole uncompressed chunk read in place), otherwise into the
    // worker's Scratch::Packed buffer. A range outside the value, or more bytes than limit.maxBytes,
    // is an error; ByteRange::span(0, 0) finds a value's size without reading any of it.
    virtual KvValue get(const KvKey &key, ByteRange range, const ValueLimit &limit, TaskContext &ctx, char *direct,
                        size_t directCap) const = 0;
    virtual void set(const KvKey &key, const char *data, size_t size, Sync sync) = 0;
    // False when there was no value.
    virtual bool erase(const KvKey &key) = 0;
    // Calls visit(key) for every key that starts with `prefix`, in no particular order, holding no
    // list of them (a million chunks would cost tens of megabytes that the heap keeps).
    virtual void forEachKey(const QString &prefix, const std::function<void(const QString &)> &visit) const = 0;
    // The sum of the sizes of every value.
    virtual int64_t storedBytes() const = 0;
    virtual int64_t valueCount() const = 0;
    // How many values have slotted keys, where the store counts them as it goes (in memory, at no
    // cost); nullopt where it cannot tell them from other values without looking (a directory).
    virtual std::optional<int64_t> slottedValueCount() const { return std::nullopt; }
    // Called before a run writes: checks that the writes stay inside the store and tidies what
    // killed writers left.
    virtual void prepareForWriting() { }

    // The keys that start with `prefix`, sorted.
    QStringList list(const QString &prefix = QString()) const;
    // A copy of (part of) a value, for setting up, tools and tests; nullopt when there is none.
    std::optional<QByteArray> getCopy(const KvKey &key, ByteRange range = ByteRange::whole(),
                                      const ValueLimit &limit = ValueLimit::smallFile()) const;
    void set(const KvKey &key, const QByteArray &value, Sync sync = Sync::Flush)
    {
        set(key, value.constData(), size_t(value.size()), sync);
    }
};

// The checks every store makes on a read, with the same words.
namespace kv {

enum class Refusal : uint8_t { None, OutOfRange, OverLimit };
// The bytes of `range` in a value of `total` bytes as [*begin, *begin + *length), or why they may not
// be read. Allocates nothing, so that only a refused read pays for its message.
Refusal checkRead(uint64_t total, ByteRange range, const ValueLimit &limit, uint64_t *begin, uint64_t *length);
// Throws StoreError for a refusal; `name` is the value's file or, in memory, quotedKey().
[[noreturn]] void refuseRead(Refusal why, const QString &name, uint64_t total, ByteRange range,
                             const ValueLimit &limit);
// How a memory store names a key in messages: key "0.1".
QString quotedKey(const KvKey &key);

} // namespace kv

} // namespace cs
