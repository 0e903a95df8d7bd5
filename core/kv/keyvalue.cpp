#include "keyvalue.h"

#include "task/taskcontext.h"

namespace cs {

bool ByteRange::resolve(uint64_t total, uint64_t *begin, uint64_t *size) const
{
    switch (kind) {
    case Kind::Whole:
        *begin = 0;
        *size = total;
        return true;
    case Kind::Span:
        // Written so that no sum can wrap: an offset near 2^64 is outside, not small.
        if (offset > total || length > total - offset)
            return false;
        *begin = offset;
        *size = length;
        return true;
    case Kind::Suffix:
        if (length > total)
            return false;
        *begin = total - length;
        *size = length;
        return true;
    }
    return false;
}

QString ByteRange::toString() const
{
    switch (kind) {
    case Kind::Whole:
        return QStringLiteral("the whole value");
    case Kind::Span:
        if (length > UINT64_MAX - offset)
            return QStringLiteral("%1 bytes from byte %2").arg(qulonglong(length)).arg(qulonglong(offset));
        return QStringLiteral("bytes [%1, %2)").arg(qulonglong(offset)).arg(qulonglong(offset) + qulonglong(length));
    case Kind::Suffix:
        return QStringLiteral("the last %1 bytes").arg(qulonglong(length));
    }
    return QString();
}

const ValueLimit &ValueLimit::smallFile()
{
    static const ValueLimit limit{QStringLiteral("regular"), uint64_t(64) << 20,
                                  QStringLiteral("bytes a value read whole may have")};
    return limit;
}

KeyValue::~KeyValue() = default;

std::optional<QByteArray> KeyValue::getCopy(const KvKey &key, ByteRange range, const ValueLimit &limit) const
{
    TaskContext ctx;
    const KvValue value = get(key, range, limit, ctx, nullptr, 0);
    if (!value.present)
        return std::nullopt;
    return QByteArray(value.data, qsizetype(value.size));
}

QStringList KeyValue::list(const QString &prefix) const
{
    QStringList out;
    forEachKey(prefix, [&](const QString &key) { out.append(key); });
    out.sort();
    return out;
}

namespace kv {

Refusal checkRead(uint64_t total, ByteRange range, const ValueLimit &limit, uint64_t *begin, uint64_t *length)
{
    if (!range.resolve(total, begin, length))
        return Refusal::OutOfRange;
    return *length > limit.maxBytes ? Refusal::OverLimit : Refusal::None;
}

void refuseRead(Refusal why, const QString &name, uint64_t total, ByteRange range, const ValueLimit &limit)
{
    if (why == Refusal::OutOfRange)
        throw StoreError(
            QStringLiteral("cannot read %1 of %2: it has %3 bytes").arg(range.toString(), name).arg(qulonglong(total)));
    uint64_t begin = 0, length = 0;
    range.resolve(total, &begin, &length);
    const QString what = range.kind == ByteRange::Kind::Whole
        ? QStringLiteral("%1 is").arg(name)
        : QStringLiteral("%1 of %2 are").arg(range.toString(), name);
    throw StoreError(QStringLiteral("%1 %2 bytes, more than the %3 %4")
                         .arg(what)
                         .arg(qulonglong(length))
                         .arg(qulonglong(limit.maxBytes))
                         .arg(limit.why));
}

QString quotedKey(const KvKey &key)
{
    return QStringLiteral("key \"%1\"").arg(QString::fromUtf8(key.text, qsizetype(key.size)));
}

} // namespace kv

} // namespace cs
