#pragma once

// Reading and writing a test's own files in one call each, so that a test states the bytes it
// expects rather than the file handling around them.

#include <QByteArray>
#include <QFile>
#include <QString>
#include <QTemporaryDir>

// The bytes of a file; a marker no test expects when it cannot be read, so a comparison shows why.
inline QByteArray readAll(const QString &path)
{
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray("(cannot read)");
}

// Replaces a file with `bytes`; false unless every byte reached the file.
inline bool writeAll(const QString &path, const QByteArray &bytes)
{
    QFile f(path);
    return f.open(QIODevice::WriteOnly | QIODevice::Truncate) && f.write(bytes) == bytes.size() && f.flush();
}

// Writes `bytes` to `name` in `dir` and gives its path, or an empty path when it could not.
inline QString writeFileIn(const QTemporaryDir &dir, const QString &name, const QByteArray &bytes)
{
    const QString path = dir.filePath(name);
    return writeAll(path, bytes) ? path : QString();
}
