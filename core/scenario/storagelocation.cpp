#include "storagelocation.h"

#include <QDir>
#include <QFileInfo>

namespace cs {

namespace {

// Symlink chains longer than this are loops (the kernel's own limit is 40).
constexpr int kMaxSymlinkDepth = 40;

QString resolve(const QString &path, int depth)
{
    const QString absolute = QDir::isAbsolutePath(path) ? path : QDir::currentPath() + QLatin1Char('/') + path;
    QString resolved; // canonical so far; empty is the root
    bool exists = true; // whether `resolved` exists, so that its symlinks were followed
    for (const QString &part : absolute.split(QLatin1Char('/'), Qt::SkipEmptyParts)) {
        if (part == QLatin1String("."))
            continue;
        if (part == QLatin1String("..")) {
            // `resolved` has no symlink left in it, so its textual parent is its real parent.
            resolved.truncate(std::max<qsizetype>(resolved.lastIndexOf(QLatin1Char('/')), 0));
            continue;
        }
        const QString next = resolved + QLatin1Char('/') + part;
        if (exists) {
            const QFileInfo info(next);
            if (info.isSymLink()) {
                const QString target = info.canonicalFilePath();
                if (!target.isEmpty()) {
                    resolved = target == QLatin1String("/") ? QString() : target;
                    continue;
                }
                // A dangling symlink: whatever is created through it lands at its target.
                if (depth < kMaxSymlinkDepth) {
                    resolved = resolve(info.symLinkTarget(), depth + 1);
                    if (resolved == QLatin1String("/"))
                        resolved.clear();
                    exists = false;
                    continue;
                }
            } else if (info.exists()) {
                resolved = next;
                continue;
            }
            exists = false;
        }
        resolved = next;
    }
    return resolved.isEmpty() ? QStringLiteral("/") : resolved;
}

} // namespace

QString canonicalLocation(const QString &path)
{
    return resolve(path, 0);
}

QString storageKey(const ArraySpec &spec)
{
    if (spec.store == QLatin1String("zarr"))
        return QStringLiteral("path");
    if (spec.store == QLatin1String("hdf5"))
        return QStringLiteral("file");
    if (spec.store == QLatin1String("carray"))
        return QStringLiteral("rootdir");
    return QString();
}

QString storagePath(const ArraySpec &spec)
{
    if (spec.store == QLatin1String("zarr"))
        return spec.path;
    if (spec.store == QLatin1String("hdf5"))
        return spec.file;
    if (spec.store == QLatin1String("carray"))
        return spec.rootdir;
    return QString();
}

StorageLocation storageLocation(const ArraySpec &spec)
{
    const QString path = storagePath(spec);
    if (path.isEmpty())
        return {};
    StorageLocation location;
    location.path = canonicalLocation(path);
    if (spec.store == QLatin1String("hdf5"))
        location.dataset = QDir::cleanPath(QLatin1Char('/') + spec.dataset);
    return location;
}

bool pathWithin(const QString &inner, const QString &outer)
{
    if (inner == outer)
        return true;
    if (outer == QLatin1String("/"))
        return inner.startsWith(QLatin1Char('/'));
    return inner.size() > outer.size() && inner.startsWith(outer) && inner.at(outer.size()) == QLatin1Char('/');
}

Overlap overlap(const StorageLocation &a, const StorageLocation &b)
{
    if (a.isEmpty() || b.isEmpty())
        return Overlap::None;
    if (a.path == b.path) {
        if (a.dataset.isEmpty() || b.dataset.isEmpty())
            return Overlap::Same;
        // Replacing a dataset deletes its link, and with a group every dataset below it.
        if (a.dataset == b.dataset)
            return Overlap::Same;
        if (pathWithin(a.dataset, b.dataset))
            return Overlap::Inside;
        if (pathWithin(b.dataset, a.dataset))
            return Overlap::Contains;
        return Overlap::None;
    }
    if (pathWithin(a.path, b.path))
        return Overlap::Inside;
    if (pathWithin(b.path, a.path))
        return Overlap::Contains;
    return Overlap::None;
}

} // namespace cs
