#pragma once

#include <QByteArray>
#include <QJsonValue>
#include <QString>

namespace cs {

// A value as zarr-python writes it into .zarray: json.dumps(value, indent=4, sort_keys=True,
// ensure_ascii=True, separators=(',', ': ')), for a value nested `depth` levels deep (its inner lines
// are indented by 4 * (depth + 1) spaces). Integers stay integers and other numbers are written as
// Python's repr() writes floats, so a config reads back as numcodecs' get_config() gave it.
QByteArray pythonJson(const QJsonValue &value, int depth);

// A string as json.dumps writes it with ensure_ascii=True: quoted, with \uXXXX for everything
// outside printable ASCII.
QByteArray pythonJsonString(const QString &text);

} // namespace cs
