#include "zarrpythonjson.h"

#include "stores/zarr/zarrmetadata.h"

#include <QJsonArray>
#include <QJsonObject>
#include <QStringList>
#include <QVariant>

#include <algorithm>
#include <cstdio>

namespace cs {

QByteArray pythonJsonString(const QString &text)
{
    QByteArray out = "\"";
    for (const QChar c : text) {
        const char16_t u = c.unicode();
        switch (u) {
        case '"':
            out += "\\\"";
            continue;
        case '\\':
            out += "\\\\";
            continue;
        case '\n':
            out += "\\n";
            continue;
        case '\r':
            out += "\\r";
            continue;
        case '\t':
            out += "\\t";
            continue;
        case '\b':
            out += "\\b";
            continue;
        case '\f':
            out += "\\f";
            continue;
        default:
            break;
        }
        if (u >= 0x20 && u < 0x7f) {
            out += char(u);
        } else {
            // UTF-16 code units, as Python writes characters beyond the BMP (a surrogate pair).
            char hex[8];
            std::snprintf(hex, sizeof hex, "\\u%04x", unsigned(u));
            out += hex;
        }
    }
    out += '"';
    return out;
}

QByteArray pythonJson(const QJsonValue &value, int depth)
{
    const QByteArray inner(4 * (depth + 1), ' ');
    const QByteArray closing(4 * depth, ' ');
    switch (value.type()) {
    case QJsonValue::Null:
    case QJsonValue::Undefined:
        return QByteArrayLiteral("null");
    case QJsonValue::Bool:
        return value.toBool() ? QByteArrayLiteral("true") : QByteArrayLiteral("false");
    case QJsonValue::Double: {
        // Qt keeps a JSON integer as an integer; only numbers written with a fraction or an
        // exponent, or beyond 64 bits, are doubles.
        const QVariant v = value.toVariant();
        if (v.typeId() == QMetaType::LongLong)
            return QByteArray::number(v.toLongLong());
        return pythonFloatRepr(value.toDouble());
    }
    case QJsonValue::String:
        return pythonJsonString(value.toString());
    case QJsonValue::Array: {
        const QJsonArray a = value.toArray();
        if (a.isEmpty())
            return QByteArrayLiteral("[]");
        QByteArray out = "[";
        for (qsizetype i = 0; i < a.size(); ++i)
            out += (i ? ",\n" : "\n") + inner + pythonJson(a.at(i), depth + 1);
        return out + "\n" + closing + "]";
    }
    case QJsonValue::Object: {
        const QJsonObject o = value.toObject();
        if (o.isEmpty())
            return QByteArrayLiteral("{}");
        // Python sorts keys by code point, as QJsonObject keeps them.
        QStringList keys = o.keys();
        std::sort(keys.begin(), keys.end());
        QByteArray out = "{";
        bool first = true;
        for (const QString &key : keys) {
            out += (first ? "\n" : ",\n") + inner + pythonJsonString(key) + ": " + pythonJson(o.value(key), depth + 1);
            first = false;
        }
        return out + "\n" + closing + "}";
    }
    }
    return {};
}

} // namespace cs
