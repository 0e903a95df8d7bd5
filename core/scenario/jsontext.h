#pragma once

#include <QByteArray>
#include <QJsonValue>
#include <QStringList>
#include <QStringView>

#include <cstdint>

namespace cs {

// Appenders for writing JSON text by hand. QJsonDocument sorts keys and builds a tree first; the
// scenario writer needs its own key order and the results writer must stream a million task events.

// A JSON string literal, quotes included, with every control character escaped.
void appendJsonString(QByteArray &out, QStringView text);
void appendJsonString(QByteArray &out, const char *latin1);
void appendJsonInt(QByteArray &out, int64_t value);
// The shortest text that reads back as the same double; null for NaN and infinities, which JSON lacks.
void appendJsonDouble(QByteArray &out, double value);
// The same into a caller's buffer with at least kJsonNumberChars free; they return the end written.
constexpr int kJsonNumberChars = 32;
char *writeJsonInt(char *out, int64_t value);
char *writeJsonDouble(char *out, double value);

// Any JSON value on one line, with ", " and ": " separators as people write it by hand. Object keys
// come in the order of `preferredKeys` first, then the others sorted; nested objects use the same list.
void appendJsonInline(QByteArray &out, const QJsonValue &value, const QStringList &preferredKeys = {});
QByteArray jsonInline(const QJsonValue &value, const QStringList &preferredKeys = {});

// The keys of an object: those listed in `preferred` in that order, then the rest sorted.
QStringList orderedKeys(const QJsonObject &object, const QStringList &preferred);

} // namespace cs
