#include "jsoncheck.h"

#include <QSet>

#include <algorithm>
#include <cmath>
#include <vector>

namespace cs {

QString escapeControls(const QString &text)
{
    QString out;
    out.reserve(text.size());
    for (const QChar c : text) {
        if (c == QLatin1Char('\n'))
            out += QStringLiteral("\\n");
        else if (c == QLatin1Char('\t'))
            out += QStringLiteral("\\t");
        else if (c.unicode() < 0x20 || c.unicode() == 0x7f || c == QChar(0x2028) || c == QChar(0x2029))
            out += QStringLiteral("\\u%1").arg(c.unicode(), 4, 16, QLatin1Char('0'));
        else
            out += c;
    }
    return out;
}

QString formatJsonError(const QString &fileLabel, const JsonError &error)
{
    // A key can be any length; the line stays readable with long segments cut short.
    QStringList segments = error.pointer.split(QLatin1Char('/'));
    for (QString &segment : segments)
        if (segment.size() > 64)
            segment = segment.left(64) + QChar(0x2026);
    const QString pointer = error.pointer.isEmpty() ? QStringLiteral("/") : segments.join(QLatin1Char('/'));
    return escapeControls(fileLabel + QStringLiteral(": ") + pointer + QStringLiteral(": ") + error.message);
}

QString jsonPointer(const QString &parent, const QString &key)
{
    QString escaped = key;
    escaped.replace(QLatin1Char('~'), QStringLiteral("~0")).replace(QLatin1Char('/'), QStringLiteral("~1"));
    return parent + QLatin1Char('/') + escaped;
}

QString jsonPointer(const QString &parent, qsizetype index)
{
    return parent + QLatin1Char('/') + QString::number(index);
}

void failAt(const QString &pointer, const QString &message)
{
    throw JsonError{pointer, message};
}

QString integerRangeMessage(int64_t min, int64_t max)
{
    return QStringLiteral("must be an integer from %1 to %2").arg(min).arg(max);
}

QJsonObject requireObject(const QJsonValue &v, const QString &pointer)
{
    if (!v.isObject())
        failAt(pointer, QStringLiteral("must be an object"));
    return v.toObject();
}

QJsonArray requireArray(const QJsonValue &v, const QString &pointer)
{
    if (!v.isArray())
        failAt(pointer, QStringLiteral("must be a list"));
    return v.toArray();
}

bool requireBool(const QJsonValue &v, const QString &pointer)
{
    if (!v.isBool())
        failAt(pointer, QStringLiteral("must be true or false"));
    return v.toBool();
}

QString requireString(const QJsonValue &v, const QString &pointer, bool allowEmpty)
{
    if (!v.isString())
        failAt(pointer, allowEmpty ? QStringLiteral("must be a string") : QStringLiteral("must be a non-empty string"));
    QString s = v.toString();
    if (s.isEmpty() && !allowEmpty)
        failAt(pointer, QStringLiteral("must be a non-empty string"));
    for (const QChar c : s)
        if (c.unicode() < 0x20 || c.unicode() == 0x7f)
            failAt(pointer, QStringLiteral("must not contain control characters"));
    return s;
}

bool exactInteger(const QJsonValue &v, int64_t *out, int64_t limit)
{
    if (!v.isDouble())
        return false;
    const double d = v.toDouble();
    if (!std::isfinite(d) || d != std::trunc(d) || std::fabs(d) > double(limit))
        return false;
    // Qt keeps integers that fit 64 bits exactly; the double above may have rounded one of them.
    const qint64 i = v.toInteger();
    if (i > limit || i < -limit)
        return false;
    *out = i;
    return true;
}

int64_t requireInteger(const QJsonValue &v, const QString &pointer, int64_t min, int64_t max, const QString &message)
{
    int64_t i = 0;
    if (!exactInteger(v, &i) || i < min || i > max)
        failAt(pointer, message.isEmpty() ? integerRangeMessage(min, max) : message);
    return i;
}

double requireNumber(const QJsonValue &v, const QString &pointer)
{
    // QJsonDocument refuses numbers it cannot represent (1e400), so every parsed double is finite.
    if (!v.isDouble() || !std::isfinite(v.toDouble()))
        failAt(pointer, QStringLiteral("must be a number"));
    return v.toDouble();
}

static int editDistance(const QString &a, const QString &b)
{
    std::vector<int> prev(size_t(b.size()) + 1), cur(size_t(b.size()) + 1);
    for (size_t j = 0; j < prev.size(); ++j)
        prev[j] = int(j);
    for (qsizetype i = 1; i <= a.size(); ++i) {
        cur[0] = int(i);
        for (qsizetype j = 1; j <= b.size(); ++j) {
            const int subst = prev[size_t(j - 1)] + (a.at(i - 1) == b.at(j - 1) ? 0 : 1);
            cur[size_t(j)] = std::min({prev[size_t(j)] + 1, cur[size_t(j - 1)] + 1, subst});
        }
        std::swap(prev, cur);
    }
    return prev[size_t(b.size())];
}

QString nearestKey(const QString &key, const QStringList &candidates)
{
    // Long keys would make the quadratic distance costly, and are no typo of a short one anyway.
    if (key.size() > 64)
        return {};
    QString best;
    int bestDistance = 3;
    for (const QString &c : candidates) {
        const int d = editDistance(key.toLower(), c);
        if (d < bestDistance) {
            bestDistance = d;
            best = c;
        }
    }
    return best;
}

void checkKeys(const QJsonObject &object, const QString &pointer, const QStringList &allowed,
               const QHash<QString, QString> &misplaced)
{
    for (auto it = object.constBegin(); it != object.constEnd(); ++it) {
        const QString &key = it.key();
        if (allowed.contains(key))
            continue;
        const QString at = jsonPointer(pointer, key);
        const auto explained = misplaced.constFind(key);
        if (explained != misplaced.constEnd())
            failAt(at, *explained);
        QString message = QStringLiteral("unknown key \"%1\"").arg(key.left(64));
        const QString near = nearestKey(key, allowed);
        if (!near.isEmpty())
            message += QStringLiteral("; did you mean \"%1\"?").arg(near);
        else
            message += QStringLiteral(" (expected ") + allowed.join(QStringLiteral(", ")) + QLatin1Char(')');
        failAt(at, message);
    }
}

void requireKey(const QJsonObject &object, const QString &pointer, const QString &key)
{
    if (!object.contains(key))
        failAt(pointer, QStringLiteral("missing required key \"%1\"").arg(key));
}

std::optional<QJsonObject> parseJsonObject(const QByteArray &json, const QString &fileLabel, QString *error)
{
    QJsonParseError parseError;
    const QJsonDocument doc = QJsonDocument::fromJson(json, &parseError);
    if (parseError.error != QJsonParseError::NoError) {
        if (error)
            *error = QStringLiteral("%1: invalid JSON at offset %2: %3")
                         .arg(escapeControls(fileLabel))
                         .arg(parseError.offset)
                         .arg(parseError.errorString());
        return std::nullopt;
    }
    if (!doc.isObject()) {
        if (error)
            *error = formatJsonError(fileLabel, JsonError{QString(), QStringLiteral("must be a JSON object")});
        return std::nullopt;
    }
    return doc.object();
}

// Decodes a string token (quotes included) of text already known to be valid JSON.
static QString decodeJsonString(const QByteArray &json, qsizetype from, qsizetype to)
{
    const QByteArray token = json.mid(from, to - from);
    if (!token.contains('\\'))
        return QString::fromUtf8(token.constData() + 1, token.size() - 2);
    const QJsonDocument doc = QJsonDocument::fromJson('[' + token + ']');
    return doc.array().at(0).toString();
}

JsonTextScan scanJsonText(const QByteArray &json, const QString &member)
{
    struct Frame {
        bool isObject;
        QString pointer;
        QSet<QString> keys;
        QString lastKey;
        qsizetype index = 0;
        bool expectKey = true;
    };
    JsonTextScan scan;
    const QString memberPointer = jsonPointer(QString(), member);
    std::vector<Frame> stack;
    const char *p = json.constData();
    const qsizetype n = json.size();
    for (qsizetype i = 0; i < n; ++i) {
        const char c = p[i];
        switch (c) {
        case '{':
        case '[': {
            QString pointer;
            if (!stack.empty()) {
                const Frame &parent = stack.back();
                pointer = parent.isObject ? jsonPointer(parent.pointer, parent.lastKey)
                                          : jsonPointer(parent.pointer, parent.index);
            }
            stack.push_back(Frame{c == '{', pointer, {}, {}, 0, true});
            break;
        }
        case '}':
        case ']':
            if (!stack.empty())
                stack.pop_back();
            break;
        case ',':
            if (!stack.empty()) {
                Frame &f = stack.back();
                if (f.isObject)
                    f.expectKey = true;
                else
                    ++f.index;
            }
            break;
        case '"': {
            const qsizetype start = i;
            for (++i; i < n && p[i] != '"'; ++i)
                if (p[i] == '\\')
                    ++i;
            if (stack.empty() || !stack.back().isObject || !stack.back().expectKey)
                break;
            Frame &f = stack.back();
            f.expectKey = false;
            f.lastKey = decodeJsonString(json, start, std::min(i + 1, n));
            if (f.keys.contains(f.lastKey)) {
                if (!scan.duplicate)
                    scan.duplicate = JsonError{jsonPointer(f.pointer, f.lastKey),
                                               QStringLiteral("duplicate key \"%1\"").arg(f.lastKey.left(64))};
            } else {
                f.keys.insert(f.lastKey);
            }
            if (stack.size() == 2 && f.pointer == memberPointer)
                scan.memberKeys.append(f.lastKey);
            break;
        }
        default:
            break;
        }
    }
    return scan;
}

} // namespace cs
