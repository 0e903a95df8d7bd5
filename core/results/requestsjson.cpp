#include "requestsjson.h"

#include "io/jsoncheck.h"
#include "scenario/jsontext.h"

#include <QJsonArray>
#include <QJsonObject>

#include <cstring>

namespace cs {

namespace {

using Method = RequestTiming::Method;
constexpr Method kMethods[] = {Method::Get, Method::Head, Method::Put, Method::Post, Method::Delete};

void appendSeconds(QByteArray &out, const char *key, int64_t us)
{
    out.append(", \"").append(key).append("\": ");
    appendJsonDouble(out, double(us) / 1e6);
}

void appendInt(QByteArray &out, const char *key, int64_t value)
{
    out.append(", \"").append(key).append("\": ");
    appendJsonInt(out, value);
}

int64_t readUs(const QJsonObject &o, const QString &pointer, const char *key)
{
    const QJsonValue v = o.value(QLatin1String(key));
    if (v.isUndefined())
        return 0;
    const double s = requireNumber(v, jsonPointer(pointer, QLatin1String(key)));
    if (!(s >= -9.2e12 && s <= 9.2e12))
        failAt(jsonPointer(pointer, QLatin1String(key)), QStringLiteral("must be a number of seconds"));
    return int64_t(s * 1e6 + (s < 0 ? -0.5 : 0.5));
}

int64_t readInteger(const QJsonObject &o, const QString &pointer, const char *key, int64_t min, int64_t max)
{
    const QJsonValue v = o.value(QLatin1String(key));
    if (v.isUndefined())
        return 0;
    return requireInteger(v, jsonPointer(pointer, QLatin1String(key)), min, max, integerRangeMessage(min, max));
}

} // namespace

const char *requestMethodName(Method method)
{
    switch (method) {
    case Method::Get:
        return "GET";
    case Method::Head:
        return "HEAD";
    case Method::Put:
        return "PUT";
    case Method::Post:
        return "POST";
    case Method::Delete:
        return "DELETE";
    }
    return "GET";
}

void appendRequests(QByteArray &out, const std::vector<TaskRequest> &requests, int indent)
{
    const QByteArray pad(indent, ' ');
    out.append('[');
    for (size_t i = 0; i < requests.size(); ++i) {
        const TaskRequest &r = requests[i];
        const RequestTiming &t = r.timing;
        out.append(i ? ",\n" : "\n").append(pad).append("    {\"task\": ");
        appendJsonInt(out, r.task);
        appendInt(out, "worker", r.worker);
        out.append(", \"method\": \"").append(requestMethodName(t.method)).append('"');
        appendInt(out, "attempt", t.attempt);
        appendInt(out, "status", t.status);
        appendInt(out, "curl_code", t.curlCode);
        out.append(", \"start_s\": ");
        appendJsonDouble(out, double(t.startNs) / 1e9);
        appendSeconds(out, "lookup_s", t.lookupUs);
        appendSeconds(out, "connect_s", t.connectUs);
        appendSeconds(out, "tls_s", t.tlsUs);
        appendSeconds(out, "first_byte_s", t.firstByteUs);
        appendSeconds(out, "total_s", t.totalUs);
        appendInt(out, "bytes_sent", t.bytesSent);
        appendInt(out, "bytes_received", t.bytesReceived);
        out.append('}');
    }
    if (!requests.empty())
        out.append('\n').append(pad).append("  ");
    out.append(']');
}

std::vector<TaskRequest> readRequests(const QJsonValue &value, const QString &pointer)
{
    const QJsonArray array = requireArray(value, pointer);
    std::vector<TaskRequest> out;
    out.reserve(size_t(array.size()));
    for (qsizetype i = 0; i < array.size(); ++i) {
        const QString p = jsonPointer(pointer, i);
        const QJsonObject o = requireObject(array.at(i), p);
        TaskRequest r;
        r.task = readInteger(o, p, "task", 0, kMaxExactJsonInteger);
        r.worker = int32_t(readInteger(o, p, "worker", 0, INT32_MAX));
        RequestTiming &t = r.timing;
        const QString method
            = requireString(o.value(QStringLiteral("method")), jsonPointer(p, QStringLiteral("method")));
        bool known = false;
        for (Method m : kMethods) {
            if (method == QLatin1String(requestMethodName(m))) {
                t.method = m;
                known = true;
            }
        }
        if (!known)
            failAt(jsonPointer(p, QStringLiteral("method")),
                   QStringLiteral("must be one of GET, HEAD, PUT, POST and DELETE"));
        t.attempt = uint8_t(readInteger(o, p, "attempt", 0, 255));
        t.status = int16_t(readInteger(o, p, "status", 0, 999));
        t.curlCode = int32_t(readInteger(o, p, "curl_code", 0, INT32_MAX));
        t.startNs = readUs(o, p, "start_s") * 1000;
        t.lookupUs = readUs(o, p, "lookup_s");
        t.connectUs = readUs(o, p, "connect_s");
        t.tlsUs = readUs(o, p, "tls_s");
        t.firstByteUs = readUs(o, p, "first_byte_s");
        t.totalUs = readUs(o, p, "total_s");
        t.bytesSent = readInteger(o, p, "bytes_sent", 0, kMaxExactJsonInteger);
        t.bytesReceived = readInteger(o, p, "bytes_received", 0, kMaxExactJsonInteger);
        out.push_back(r);
    }
    return out;
}

} // namespace cs
