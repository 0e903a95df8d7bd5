#pragma once

#include <QByteArray>
#include <QHash>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QJsonValue>
#include <QString>
#include <QStringList>

#include <cstdint>
#include <optional>

namespace cs {

// Validation of JSON documents (scenarios, results) that reports the first problem as
// "<file>: <JSON pointer>: <message>". The validators throw JsonError, so a parser reads as a
// straight sequence of requirements; the public entry points catch it and return one line.
struct JsonError {
    QString pointer; // RFC 6901 pointer of the offending value; empty for the document itself
    QString message;
};

// The one-line form of an error; the document itself is written as "/".
QString formatJsonError(const QString &fileLabel, const JsonError &error);
// Keys, values and file names quoted in an error may hold any character; the line must stay one
// line, so control characters are written as JSON writes them ("\n", "\u0000").
QString escapeControls(const QString &text);

// Pointers as a validator descends: "/arrays" + "a1" -> "/arrays/a1" ("~" and "/" escaped).
QString jsonPointer(const QString &parent, const QString &key);
QString jsonPointer(const QString &parent, qsizetype index);

[[noreturn]] void failAt(const QString &pointer, const QString &message);

// Integers are accepted as any JSON number that is a whole number, up to this magnitude: the range
// where a double is exact, so no reader of the file can see a different value.
constexpr int64_t kMaxExactJsonInteger = int64_t(1) << 53;

QString integerRangeMessage(int64_t min, int64_t max); // "must be an integer from 0 to 1024"

QJsonObject requireObject(const QJsonValue &v, const QString &pointer);
QJsonArray requireArray(const QJsonValue &v, const QString &pointer);
bool requireBool(const QJsonValue &v, const QString &pointer);
// A string without control characters (they would corrupt file names, CSV and terminal output).
QString requireString(const QJsonValue &v, const QString &pointer, bool allowEmpty = false);
// A whole number within [min, max]; `message` (default: integerRangeMessage) says what is expected.
int64_t requireInteger(const QJsonValue &v, const QString &pointer, int64_t min, int64_t max,
                       const QString &message = QString());
// Any finite number.
double requireNumber(const QJsonValue &v, const QString &pointer);
// True and *out set when v is a whole number of magnitude <= limit.
bool exactInteger(const QJsonValue &v, int64_t *out, int64_t limit = kMaxExactJsonInteger);

// Rejects the first key (in sorted order) that is not allowed: 'unknown key "shapes"; did you mean
// "shape"?'. Keys in `misplaced` are known elsewhere and get the explanation mapped to them instead.
void checkKeys(const QJsonObject &object, const QString &pointer, const QStringList &allowed,
               const QHash<QString, QString> &misplaced = {});
void requireKey(const QJsonObject &object, const QString &pointer, const QString &key);

// The allowed key closest to a misspelt one (at most two edits away), or an empty string.
QString nearestKey(const QString &key, const QStringList &candidates);

// Parses a document that must be a JSON object. On failure returns nullopt and sets *error to one
// line: "<file>: invalid JSON at offset 17: unterminated object" or "<file>: /: must be a JSON object".
std::optional<QJsonObject> parseJsonObject(const QByteArray &json, const QString &fileLabel, QString *error);

// A pass over JSON text that QJsonDocument has accepted, for what QJsonDocument loses: duplicate
// keys (it keeps the last silently, hiding a typo) and the file order of one member object's keys.
struct JsonTextScan {
    std::optional<JsonError> duplicate;
    QStringList memberKeys; // keys of the top-level member named in the call, in file order
};
JsonTextScan scanJsonText(const QByteArray &json, const QString &member);

} // namespace cs
