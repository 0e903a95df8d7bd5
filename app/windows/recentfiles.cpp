#include "recentfiles.h"

#include <QAction>
#include <QDir>
#include <QFileInfo>
#include <QMenu>
#include <QSettings>

namespace cs {

namespace {
constexpr int kMaxRecent = 8;

QSettings settings()
{
    return QSettings(QStringLiteral("Chunkscope"), QStringLiteral("Chunkscope"));
}
} // namespace

RecentFiles::RecentFiles(QMenu *menu, QObject *parent)
    : QObject(parent)
    , m_menu(menu)
{
    updateMenu();
}

QStringList RecentFiles::files() const
{
    return settings().value(QStringLiteral("recentFiles")).toStringList();
}

void RecentFiles::add(const QString &path)
{
    QStringList recent = files();
    recent.removeAll(path);
    recent.prepend(path);
    while (recent.size() > kMaxRecent)
        recent.removeLast();
    settings().setValue(QStringLiteral("recentFiles"), recent);
    updateMenu();
}

void RecentFiles::updateMenu()
{
    m_menu->clear();
    const QStringList recent = files();
    for (const QString &path : recent) {
        // Two scenarios of the same name in different folders must be told apart in the menu itself.
        const QFileInfo info(path);
        QAction *a = m_menu->addAction(tr("%1 — %2").arg(info.fileName(), QDir::toNativeSeparators(info.path())));
        a->setToolTip(path);
        a->setStatusTip(path);
        connect(a, &QAction::triggered, this, [this, path] { emit openRequested(path); });
    }
    m_menu->setToolTipsVisible(true);
    m_menu->setEnabled(!recent.isEmpty());
}

} // namespace cs
