#include "jsontext.h"

#include <QJsonArray>
#include <QJsonObject>

#include <charconv>
#include <cmath>
#include <cstring>

namespace cs {

static void appendEscaped(QByteArray &out, const char *data, qsizetype size)
{
    static const char hex[] = "0123456789abcdef";
    out.append('"');
    qsizetype plainFrom = 0;
    for (qsizetype i = 0; i < size; ++i) {
        const unsigned char c = static_cast<unsigned char>(data[i]);
        if (c >= 0x20 && c != '"' && c != '\\')
            continue;
        out.append(data + plainFrom, i - plainFrom);
        plainFrom = i + 1;
        switch (c) {
        case '"':
            out.append("\\\"", 2);
            break;
        case '\\':
            out.append("\\\\", 2);
            break;
        case '\n':
            out.append("\\n", 2);
            break;
        case '\r':
            out.append("\\r", 2);
            break;
        case '\t':
            out.append("\\t", 2);
            break;
        case '\b':
            out.append("\\b", 2);
            break;
        case '\f':
            out.append("\\f", 2);
            break;
        default: {
            const char u[6] = {'\\', 'u', '0', '0', hex[c >> 4], hex[c & 15]};
            out.append(u, 6);
        }
        }
    }
    out.append(data + plainFrom, size - plainFrom);
    out.append('"');
}

void appendJsonString(QByteArray &out, QStringView text)
{
    const QByteArray utf8 = text.toUtf8();
    appendEscaped(out, utf8.constData(), utf8.size());
}

void appendJsonString(QByteArray &out, const char *latin1)
{
    appendEscaped(out, latin1, qsizetype(qstrlen(latin1)));
}

char *writeJsonInt(char *out, int64_t value)
{
    return std::to_chars(out, out + kJsonNumberChars, value).ptr;
}

char *writeJsonDouble(char *out, double value)
{
    if (!std::isfinite(value)) {
        std::memcpy(out, "null", 4);
        return out + 4;
    }
    // Whole numbers print without an exponent or fraction ("2", not "2e+00"); to_chars' shortest
    // form keeps every other value exact on reading back.
    if (value == std::trunc(value) && std::fabs(value) < 1e15) {
        if (value == 0 && std::signbit(value))
            *out++ = '-';
        return writeJsonInt(out, int64_t(value));
    }
    return std::to_chars(out, out + kJsonNumberChars, value).ptr;
}

void appendJsonInt(QByteArray &out, int64_t value)
{
    char buf[kJsonNumberChars];
    out.append(buf, writeJsonInt(buf, value) - buf);
}

void appendJsonDouble(QByteArray &out, double value)
{
    char buf[kJsonNumberChars];
    out.append(buf, writeJsonDouble(buf, value) - buf);
}

QStringList orderedKeys(const QJsonObject &object, const QStringList &preferred)
{
    QStringList keys;
    keys.reserve(object.size());
    for (const QString &k : preferred)
        if (object.contains(k))
            keys.append(k);
    // QJsonObject iterates in sorted key order, so the rest come out sorted.
    for (auto it = object.constBegin(); it != object.constEnd(); ++it)
        if (!preferred.contains(it.key()))
            keys.append(it.key());
    return keys;
}

void appendJsonInline(QByteArray &out, const QJsonValue &value, const QStringList &preferredKeys)
{
    switch (value.type()) {
    case QJsonValue::Null:
    case QJsonValue::Undefined:
        out.append("null", 4);
        break;
    case QJsonValue::Bool:
        out.append(value.toBool() ? "true" : "false");
        break;
    case QJsonValue::Double: {
        // Integers parsed from a file are kept as 64-bit integers by Qt: write them exactly.
        const double d = value.toDouble();
        if (std::isfinite(d) && d == std::trunc(d) && std::fabs(d) < 9.2e18)
            appendJsonInt(out, value.toInteger());
        else
            appendJsonDouble(out, d);
        break;
    }
    case QJsonValue::String:
        appendJsonString(out, value.toString());
        break;
    case QJsonValue::Array: {
        const QJsonArray a = value.toArray();
        out.append('[');
        for (qsizetype i = 0; i < a.size(); ++i) {
            if (i)
                out.append(", ", 2);
            appendJsonInline(out, a.at(i), preferredKeys);
        }
        out.append(']');
        break;
    }
    case QJsonValue::Object: {
        const QJsonObject o = value.toObject();
        out.append('{');
        bool first = true;
        for (const QString &k : orderedKeys(o, preferredKeys)) {
            if (!first)
                out.append(", ", 2);
            first = false;
            appendJsonString(out, k);
            out.append(": ", 2);
            appendJsonInline(out, o.value(k), preferredKeys);
        }
        out.append('}');
        break;
    }
    }
}

QByteArray jsonInline(const QJsonValue &value, const QStringList &preferredKeys)
{
    QByteArray out;
    appendJsonInline(out, value, preferredKeys);
    return out;
}

} // namespace cs
