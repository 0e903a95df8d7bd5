#include "s3keyvalue.h"

#include "kv/s3multipart.h"
#include "kv/s3xml.h"
#include "task/taskcontext.h"

#include <algorithm>
#include <cstring>

namespace cs {

namespace {

using Method = RequestTiming::Method;

// Places the body of a GET into the caller's buffer or the worker's packed scratch, once its headers
// say how large the value is: a value over the limit or a range outside it is refused before a byte
// of it is stored. A server that ignores the Range header and sends the whole value still works: the
// bytes outside the range are skipped.
class ReadSink final : public S3BodySink {
public:
    ReadSink(ByteRange range, const ValueLimit &limit, TaskContext &ctx, char *direct, size_t directCap)
        : m_range(range)
        , m_limit(limit)
        , m_ctx(ctx)
        , m_direct(direct)
        , m_directCap(directCap)
    {
    }

    bool begin(int64_t contentLength, int64_t rangeStart, int64_t rangeTotal) override
    {
        const bool partial = rangeTotal >= 0;
        total = partial ? uint64_t(rangeTotal) : uint64_t(std::max<int64_t>(contentLength, 0));
        m_incomingStart = partial ? uint64_t(std::max<int64_t>(rangeStart, 0)) : 0;
        written = 0;
        m_position = 0;
        missed = false;
        refusal = kv::checkRead(total, m_range, m_limit, &m_begin, &length);
        if (refusal != kv::Refusal::None || contentLength < 0)
            return false;
        // s3rver 3.7 reads "bytes=-16" as the first 17 bytes; such an answer is refused, and the caller
        // asks again for the explicit span now that the size is known.
        missed = m_begin < m_incomingStart || m_begin + length > m_incomingStart + uint64_t(contentLength);
        if (missed)
            return false;
        data = m_direct && length == m_directCap ? m_direct : m_ctx.scratch(Scratch::Packed, size_t(length));
        return true;
    }

    void write(const char *bytes, size_t size) override
    {
        // This piece covers [from, from + size) of the value; keep its overlap with the range.
        const uint64_t from = m_incomingStart + m_position;
        m_position += size;
        const uint64_t lo = std::max(from, m_begin);
        const uint64_t hi = std::min(from + size, m_begin + length);
        if (lo < hi) {
            std::memcpy(data + (lo - m_begin), bytes + (lo - from), size_t(hi - lo));
            written += hi - lo;
        }
    }

    char *data = nullptr;
    uint64_t total = 0;
    uint64_t length = 0;
    uint64_t written = 0;
    bool missed = false; // the answer's bytes do not cover the range
    kv::Refusal refusal = kv::Refusal::None;

private:
    ByteRange m_range;
    const ValueLimit &m_limit;
    TaskContext &m_ctx;
    char *m_direct;
    size_t m_directCap;
    uint64_t m_begin = 0;
    uint64_t m_incomingStart = 0;
    uint64_t m_position = 0;
};

bool isAbsent(const S3Outcome &outcome, const S3Connection &connection)
{
    if (outcome.status != 404)
        return false;
    // A missing bucket is a misconfiguration, not a missing value; HEAD answers carry no body.
    const s3xml::ErrorBody error = s3xml::parseError(connection.text().data(), connection.text().size());
    return error.code.isEmpty() || error.code == QLatin1String("NoSuchKey");
}

} // namespace

S3KeyValue::S3KeyValue(const S3Location &where, const S3Config &config)
    : m_where(where)
    , m_session(config.resolved())
{
    const QByteArray bucket = m_where.bucket.toUtf8();
    const QByteArray prefix = m_where.prefix.toUtf8();
    m_bucketUrl = m_session.config().endpoint.toStdString() + '/';
    appendUriEncoded(m_bucketUrl, bucket.constData(), size_t(bucket.size()), false);
    m_objectBase = m_bucketUrl + '/';
    appendUriEncoded(m_objectBase, prefix.constData(), size_t(prefix.size()), true);
}

QString S3KeyValue::location() const
{
    return m_where.toString();
}

const std::string &S3KeyValue::objectUrl(S3Connection &connection, const KvKey &key) const
{
    std::string &url = connection.urlBuffer();
    url.assign(m_objectBase);
    appendUriEncoded(url, key.text, key.size, true);
    return url;
}

QString S3KeyValue::name(const KvKey &key) const
{
    return m_where.toString() + QString::fromUtf8(key.text, qsizetype(key.size));
}

void S3KeyValue::fail(const char *what, const KvKey &key, const S3Connection &connection,
                      const S3Outcome &outcome) const
{
    throw StoreError(
        QStringLiteral("%1: %2 failed with %3").arg(name(key), QLatin1String(what), connection.describe(outcome)));
}

int64_t S3KeyValue::headSize(S3Connection &connection, const KvKey &key) const
{
    // A HEAD answer's Content-Length is the object's size; the sink is what reads it.
    struct SizeSink final : S3BodySink {
        int64_t size = -1;
        bool begin(int64_t contentLength, int64_t, int64_t) override
        {
            size = contentLength;
            return true;
        }
        void write(const char *, size_t) override { }
    } sink;
    const S3Outcome outcome
        = connection.perform(m_session, {Method::Head, objectUrl(connection, key).c_str(), nullptr, nullptr, 0, &sink},
                             RequestLog::current());
    if (isAbsent(outcome, connection))
        return -1;
    if (!outcome.ok() || sink.size < 0)
        fail("HEAD", key, connection, outcome);
    return sink.size;
}

S3Outcome S3KeyValue::fetch(S3Connection &connection, const KvKey &key, ByteRange range, S3BodySink &sink) const
{
    // libcurl's spelling of the Range header, in a buffer on the stack: "first-last" or "-length".
    char spelt[48] = {};
    if (range.kind == ByteRange::Kind::Span)
        std::snprintf(spelt, sizeof spelt, "%llu-%llu", static_cast<unsigned long long>(range.offset),
                      static_cast<unsigned long long>(range.offset + range.length - 1));
    else if (range.kind == ByteRange::Kind::Suffix)
        std::snprintf(spelt, sizeof spelt, "-%llu", static_cast<unsigned long long>(range.length));
    const S3Call call{Method::Get, objectUrl(connection, key).c_str(), spelt[0] ? spelt : nullptr, nullptr, 0, &sink};
    return connection.perform(m_session, call, RequestLog::current());
}

KvValue S3KeyValue::get(const KvKey &key, ByteRange range, const ValueLimit &limit, TaskContext &ctx, char *direct,
                        size_t directCap) const
{
    S3Connection &connection = S3Connection::forThisThread();
    // An empty range cannot be spelt as an HTTP range; the size alone answers it.
    if (range.kind != ByteRange::Kind::Whole && range.length == 0) {
        const int64_t size = headSize(connection, key);
        if (size < 0)
            return {};
        uint64_t begin = 0, length = 0;
        if (const kv::Refusal refusal = kv::checkRead(uint64_t(size), range, limit, &begin, &length);
            refusal != kv::Refusal::None)
            kv::refuseRead(refusal, name(key), uint64_t(size), range, limit);
        return {direct, 0, uint64_t(size), true};
    }
    // A span whose end is past 2^64 cannot be spelt, and lies outside any value.
    if (range.kind == ByteRange::Kind::Span && range.offset > UINT64_MAX - range.length)
        kv::refuseRead(kv::Refusal::OutOfRange, name(key), 0, range, limit);
    ReadSink sink(range, limit, ctx, direct, directCap);
    S3Outcome outcome = fetch(connection, key, range, sink);
    if (outcome.refused && sink.missed && range.kind == ByteRange::Kind::Suffix) {
        uint64_t begin = 0, length = 0;
        range.resolve(sink.total, &begin, &length);
        outcome = fetch(connection, key, ByteRange::span(begin, length), sink);
    }
    if (isAbsent(outcome, connection))
        return {};
    if (outcome.status == 416) {
        // The range starts past the end. S3 names the size in Content-Range, s3rver in the body.
        int64_t total = connection.rangeTotal();
        if (total < 0)
            total = s3xml::parseError(connection.text().data(), connection.text().size()).actualObjectSize;
        if (total >= 0)
            kv::refuseRead(kv::Refusal::OutOfRange, name(key), uint64_t(total), range, limit);
    }
    if (outcome.refused && sink.refusal != kv::Refusal::None)
        kv::refuseRead(sink.refusal, name(key), sink.total, range, limit);
    if (outcome.refused)
        throw StoreError(QStringLiteral("%1: the server answered a request for %2 without its length or with "
                                        "other bytes")
                             .arg(name(key), range.toString()));
    if (!outcome.ok())
        fail("GET", key, connection, outcome);
    if (sink.written != sink.length)
        throw StoreError(QStringLiteral("%1: the server sent %2 of the %3 bytes of %4")
                             .arg(name(key))
                             .arg(qulonglong(sink.written))
                             .arg(qulonglong(sink.length))
                             .arg(range.toString()));
    return {sink.data, size_t(sink.length), sink.total, true};
}

void S3KeyValue::set(const KvKey &key, const char *data, size_t size, Sync)
{
    // An object appears whole when its PUT completes, so every set is atomic; S3 makes it durable before
    // it answers, so Sync changes nothing.
    S3Connection &connection = S3Connection::forThisThread();
    const std::string &url = objectUrl(connection, key);
    if (size > m_session.config().multipartThreshold) {
        putMultipart(connection, m_session, url, data, size, RequestLog::current(), name(key));
        return;
    }
    const S3Outcome outcome
        = connection.perform(m_session, {Method::Put, url.c_str(), nullptr, data, size}, RequestLog::current());
    if (!outcome.ok())
        fail("PUT", key, connection, outcome);
}

bool S3KeyValue::erase(const KvKey &key)
{
    // S3 answers a DELETE the same whether or not the object was there; only a HEAD can tell.
    S3Connection &connection = S3Connection::forThisThread();
    if (headSize(connection, key) < 0)
        return false;
    const S3Outcome outcome
        = connection.perform(m_session, {Method::Delete, objectUrl(connection, key).c_str()}, RequestLog::current());
    if (!outcome.ok() && !isAbsent(outcome, connection))
        fail("DELETE", key, connection, outcome);
    return true;
}

void S3KeyValue::listObjects(const QString &prefix,
                             const std::function<void(const QString &key, int64_t size)> &visit) const
{
    S3Connection &connection = S3Connection::forThisThread();
    const QByteArray wanted = (m_where.prefix + prefix).toUtf8();
    const qsizetype strip = m_where.prefix.size();
    QString token;
    do {
        // The query's parameters in sorted order, as SigV4's canonical request has them.
        std::string url = m_bucketUrl + "?";
        if (!token.isEmpty()) {
            const QByteArray spelt = token.toUtf8();
            url += "continuation-token=";
            appendUriEncoded(url, spelt.constData(), size_t(spelt.size()), false);
            url += '&';
        }
        url += "list-type=2&prefix=";
        appendUriEncoded(url, wanted.constData(), size_t(wanted.size()), false);
        const S3Outcome outcome = connection.perform(m_session, {Method::Get, url.c_str()}, RequestLog::current());
        if (!outcome.ok())
            throw StoreError(
                QStringLiteral("%1: listing failed with %2").arg(location(), connection.describe(outcome)));
        // Parsed from a copy: visit() may call back into this store on this thread, which reuses the buffer.
        const QByteArray page = QByteArray::fromStdString(connection.text());
        QString error;
        const bool parsed = s3xml::parseListPage(
            page, [&](const QString &key, int64_t size) { visit(key.mid(strip), size); }, &token, &error);
        if (!parsed)
            throw StoreError(QStringLiteral("%1: listing failed: %2").arg(location(), error));
    } while (!token.isEmpty());
}

void S3KeyValue::forEachKey(const QString &prefix, const std::function<void(const QString &)> &visit) const
{
    listObjects(prefix, [&](const QString &key, int64_t) { visit(key); });
}

int64_t S3KeyValue::storedBytes() const
{
    int64_t total = 0;
    listObjects(QString(), [&](const QString &, int64_t size) { total += std::max<int64_t>(size, 0); });
    return total;
}

int64_t S3KeyValue::valueCount() const
{
    int64_t count = 0;
    listObjects(QString(), [&](const QString &, int64_t) { ++count; });
    return count;
}

} // namespace cs
