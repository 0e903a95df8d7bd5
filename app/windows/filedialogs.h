#pragma once

#include <QString>

class QWidget;

namespace cs {

// The window's file dialogs: Qt's own dialog, whose icons and file types come from names alone.
// The default provider reads a file's first bytes to tell its type, and a read of /proc/kmsg (or a
// FIFO, or a stalled network mount) shown in a listing blocks the window for good.
QString getOpenFileName(QWidget *parent, const QString &caption, const QString &dir, const QString &filter);
// `selectedFilter`, when given, starts on that filter and is set to the one chosen.
QString getSaveFileName(QWidget *parent, const QString &caption, const QString &dir, const QString &filter,
                        QString *selectedFilter = nullptr);
QString getExistingDirectory(QWidget *parent, const QString &caption, const QString &dir);

} // namespace cs
