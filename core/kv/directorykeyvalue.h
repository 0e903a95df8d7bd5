#pragma once

#include "kv/keyvalue.h"

#include <functional>

namespace cs {

// One regular file per key under a directory, as zarr-python's DirectoryStore keeps them; a key with
// "/" lives in subdirectories, created on first use. Every set writes a temporary file beside the
// target and renames it over (io/atomicfile.h), so a crash, a full disk or a failed write never
// leaves half a value or loses the old one. Reads open without blocking and accept only regular
// files, and read with pread only the bytes asked for. A key that would leave the directory ("..",
// an absolute path) is refused by set and erase, and has no value for get.
class DirectoryKeyValue final : public KeyValue {
public:
    // The directory must exist. `nestedKeys`: keys may hold "/", so prepareForWriting checks and
    // tidies the whole tree rather than the directory itself alone.
    DirectoryKeyValue(const QString &path, bool nestedKeys);

    QString location() const override { return m_path; }
    KvValue get(const KvKey &key, ByteRange range, const ValueLimit &limit, TaskContext &ctx, char *direct,
                size_t directCap) const override;
    void set(const KvKey &key, const char *data, size_t size, Sync sync) override;
    using KeyValue::set;
    bool erase(const KvKey &key) override;
    void forEachKey(const QString &prefix, const std::function<void(const QString &)> &visit) const override;
    int64_t storedBytes() const override;
    int64_t valueCount() const override;
    // Refuses a symbolic link to a directory below the store (where nested keys would write through
    // it) and removes the temporary files of writers that no longer run.
    void prepareForWriting() override;

private:
    // The key's file as a NUL-terminated native path in buf; 0 when the key would leave the directory.
    // Throws when the path is too long.
    size_t pathOf(const KvKey &key, char *buf, size_t cap) const;
    // Writes with replaceFileContents, creating the directories of nested keys.
    void writeFile(const char *target, size_t targetLen, const char *data, size_t size, Sync sync) const;
    // Calls visit(key, bytes) for every value whose key starts with `prefix`.
    void forEachValue(const QString &prefix, const std::function<void(const QString &, qint64)> &visit) const;

    QString m_path;
    QByteArray m_nativePath; // encoded once for the C file API
    bool m_nestedKeys;
};

} // namespace cs
