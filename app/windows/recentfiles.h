#pragma once

#include <QObject>
#include <QStringList>

class QMenu;

namespace cs {

// The scenarios opened or saved last, kept in QSettings (organisation "Chunkscope") and listed in
// a menu, newest first.
class RecentFiles : public QObject {
    Q_OBJECT
public:
    RecentFiles(QMenu *menu, QObject *parent = nullptr);

    void add(const QString &path);
    QStringList files() const;

signals:
    void openRequested(const QString &path);

private:
    void updateMenu();

    QMenu *m_menu;
};

} // namespace cs
