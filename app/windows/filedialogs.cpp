#include "filedialogs.h"

#include <QCoreApplication>
#include <QFileDialog>
#include <QFileIconProvider>
#include <QMimeDatabase>
#include <QScreen>

#include <algorithm>

namespace cs {

namespace {

class NameOnlyIconProvider : public QFileIconProvider {
public:
    using QFileIconProvider::icon;
    QIcon icon(const QFileInfo &info) const override
    {
        if (info.isRoot())
            return icon(Drive);
        return icon(info.isDir() ? Folder : File);
    }
    QString type(const QFileInfo &info) const override
    {
        if (info.isDir())
            return QCoreApplication::translate("QAbstractFileIconProvider", "Folder");
        if (!info.isFile())
            return QCoreApplication::translate("QAbstractFileIconProvider", "File");
        const QMimeType mime = m_mime.mimeTypeForFile(info.fileName(), QMimeDatabase::MatchExtension);
        return mime.comment().isEmpty() ? mime.name() : mime.comment();
    }

private:
    QMimeDatabase m_mime;
};

QFileIconProvider *iconProvider()
{
    static NameOnlyIconProvider provider;
    return &provider;
}

QString run(QFileDialog &dialog)
{
    dialog.setOption(QFileDialog::DontUseNativeDialog);
    dialog.setIconProvider(iconProvider());
    // Qt's own dialog opens at its size hint, too narrow for a path and its file list; take most of
    // the screen's width up to a comfortable size, never more than the screen.
    if (const QScreen *screen = dialog.screen()) {
        const QSize avail = screen->availableGeometry().size();
        dialog.resize(std::min(avail.width() * 9 / 10, std::max(dialog.width(), 900)),
                      std::min(avail.height() * 9 / 10, std::max(dialog.height(), 560)));
    }
    return dialog.exec() == QDialog::Accepted ? dialog.selectedFiles().value(0) : QString();
}

} // namespace

QString getOpenFileName(QWidget *parent, const QString &caption, const QString &dir, const QString &filter)
{
    QFileDialog dialog(parent, caption, dir, filter);
    dialog.setFileMode(QFileDialog::ExistingFile);
    dialog.setAcceptMode(QFileDialog::AcceptOpen);
    return run(dialog);
}

QString getSaveFileName(QWidget *parent, const QString &caption, const QString &dir, const QString &filter,
                        QString *selectedFilter)
{
    QFileDialog dialog(parent, caption, dir, filter);
    dialog.setFileMode(QFileDialog::AnyFile);
    dialog.setAcceptMode(QFileDialog::AcceptSave);
    if (selectedFilter && !selectedFilter->isEmpty())
        dialog.selectNameFilter(*selectedFilter);
    const QString path = run(dialog);
    if (selectedFilter && !path.isEmpty())
        *selectedFilter = dialog.selectedNameFilter();
    return path;
}

QString getExistingDirectory(QWidget *parent, const QString &caption, const QString &dir)
{
    QFileDialog dialog(parent, caption, dir);
    dialog.setFileMode(QFileDialog::Directory);
    dialog.setOption(QFileDialog::ShowDirsOnly);
    return run(dialog);
}

} // namespace cs
