#pragma once

#include <QByteArray>
#include <QString>

#include <optional>

namespace cs {

// Reading a store's files without ever blocking. open(2) on a FIFO waits for a writer and a device
// may never answer, so whatever a store reads is checked to be a regular file before it is read.

// What a non-regular file is, for messages: "a FIFO", "a socket", "a device", "a directory",
// "not a regular file".
QString fileTypeName(unsigned mode);

// Opens a regular file for reading, non-blocking. Returns the descriptor, or -1 with *error set to
// "<path> is a FIFO, not a regular file" or "cannot read <path> (<reason>)"; *missing (when given) is
// set when nothing is at the path, so that callers that allow that can tell.
int openRegularFile(const QByteArray &nativePath, QString *error, bool *missing = nullptr);

// The whole content of a regular file; nullopt with *error set as openRegularFile does. A file
// larger than maxBytes is an error.
std::optional<QByteArray> readRegularFile(const QString &path, QString *error, bool *missing = nullptr,
                                          qint64 maxBytes = qint64(64) << 20);

} // namespace cs
