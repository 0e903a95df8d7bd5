#pragma once

#include "kv/keyvalue.h"
#include "kv/s3config.h"
#include "kv/s3connection.h"

#include <string>

namespace cs {

// Values as objects of an S3-compatible server, one per key under a prefix of a bucket
// (s3://bucket/prefix/<key>), addressed path-style so that any endpoint works. Each worker thread
// uses its own libcurl handle (S3Connection), so requests share no lock and reuse connections. Reads
// ask for their byte range only; large values go up in parts. Every attempt of every request is
// recorded in the calling thread's RequestLog::current(), when the engine bound one.
class S3KeyValue final : public KeyValue {
public:
    // Resolves `config` (S3Config::resolved()), so a missing credential or a refused endpoint fails
    // here, before any request.
    S3KeyValue(const S3Location &where, const S3Config &config);

    // "s3://bucket/prefix/"
    QString location() const override;
    KvValue get(const KvKey &key, ByteRange range, const ValueLimit &limit, TaskContext &ctx, char *direct,
                size_t directCap) const override;
    void set(const KvKey &key, const char *data, size_t size, Sync sync) override;
    using KeyValue::set;
    bool erase(const KvKey &key) override;
    void forEachKey(const QString &prefix, const std::function<void(const QString &)> &visit) const override;
    int64_t storedBytes() const override;
    int64_t valueCount() const override;

private:
    // Spells the key's object URL into the thread's URL buffer and returns it.
    const std::string &objectUrl(S3Connection &connection, const KvKey &key) const;
    QString name(const KvKey &key) const;
    // The key's size from a HEAD request; -1 when there is no such object.
    int64_t headSize(S3Connection &connection, const KvKey &key) const;
    // One GET of `range` of the key into `sink`.
    S3Outcome fetch(S3Connection &connection, const KvKey &key, ByteRange range, S3BodySink &sink) const;
    // Every object under the store's prefix followed by `prefix`, with its size, page by page.
    void listObjects(const QString &prefix, const std::function<void(const QString &key, int64_t size)> &visit) const;
    [[noreturn]] void fail(const char *what, const KvKey &key, const S3Connection &connection,
                           const S3Outcome &outcome) const;

    S3Location m_where;
    S3Session m_session;
    std::string m_bucketUrl; // endpoint/bucket, encoded
    std::string m_objectBase; // endpoint/bucket/prefix/, encoded
};

} // namespace cs
