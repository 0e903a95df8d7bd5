#include "storagelocation.h"

#include "stores/hdf5/hdf5objects.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>

#include <sys/stat.h>

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

// The identity of a canonical path: stat(2) of "/" and of each existing prefix.
LocationIdentity diskIdentity(const QString &canonical)
{
    LocationIdentity identity;
    struct stat st;
    if (::stat("/", &st) != 0)
        return identity;
    identity.chain.append({uint64_t(st.st_dev), uint64_t(st.st_ino)});
    const QStringList parts = canonical.split(QLatin1Char('/'), Qt::SkipEmptyParts);
    QString prefix;
    for (qsizetype i = 0; i < parts.size(); ++i) {
        prefix += QLatin1Char('/') + parts.at(i);
        if (::stat(QFile::encodeName(prefix).constData(), &st) != 0) {
            identity.rest = QLatin1Char('/') + parts.mid(i).join(QLatin1Char('/'));
            break;
        }
        identity.chain.append({uint64_t(st.st_dev), uint64_t(st.st_ino)});
    }
    return identity;
}

LocationIdentity objectIdentity(const QString &file, const QString &dataset)
{
    LocationIdentity identity;
    if (const std::optional<Hdf5PathInfo> info = inspectHdf5Path(file, dataset)) {
        for (const uint64_t address : info->addresses)
            identity.chain.append({0, address});
        identity.rest = info->rest;
    }
    return identity;
}

// How `a` relates to `b` by what exists of them: the same deepest existing thing and the same
// rest, or one's whole existing self among the other's existing ancestors.
Overlap identityOverlap(const LocationIdentity &a, const LocationIdentity &b)
{
    if (!a.isKnown() || !b.isKnown())
        return Overlap::None;
    if (a.chain.last() == b.chain.last()) {
        if (a.rest == b.rest)
            return Overlap::Same;
        if (pathWithin(a.rest, b.rest))
            return Overlap::Inside;
        if (pathWithin(b.rest, a.rest))
            return Overlap::Contains;
        return Overlap::None;
    }
    if (b.rest.isEmpty() && a.chain.contains(b.chain.last()))
        return Overlap::Inside;
    if (a.rest.isEmpty() && b.chain.contains(a.chain.last()))
        return Overlap::Contains;
    return Overlap::None;
}

Overlap textOverlap(const QString &a, const QString &b)
{
    if (a == b)
        return Overlap::Same;
    if (pathWithin(a, b))
        return Overlap::Inside;
    if (pathWithin(b, a))
        return Overlap::Contains;
    return Overlap::None;
}

// Where a file or directory is, without a dataset.
StorageLocation pathLocation(const QString &path)
{
    StorageLocation location;
    location.path = canonicalLocation(path);
    location.identity = diskIdentity(location.path);
    return location;
}

} // namespace

QString canonicalLocation(const QString &path)
{
    return resolve(path, 0);
}

QString storageKey(const ArraySpec &spec)
{
    const StoreKind *kind = spec.kind();
    return kind ? kind->locationKey() : QString();
}

QString storagePath(const ArraySpec &spec)
{
    const StoreKind *kind = spec.kind();
    return kind ? kind->location(spec.options) : QString();
}

StorageLocation storageLocation(const ArraySpec &spec)
{
    const QString path = storagePath(spec);
    if (path.isEmpty())
        return {};
    if (const QString remote = spec.kind()->remoteLocation(spec.options); !remote.isEmpty()) {
        StorageLocation location;
        location.path = remote;
        location.remote = true;
        return location;
    }
    StorageLocation location = pathLocation(path);
    location.dataset = spec.kind()->objectWithin(spec.options);
    if (!location.dataset.isEmpty())
        location.object = objectIdentity(location.path, location.dataset);
    return location;
}

std::optional<QString> overwriteRefusal(const ArraySpec &spec)
{
    if (!spec.overwrite || spec.fill.kind == FillSpec::Kind::Existing)
        return std::nullopt;
    const QString path = storagePath(spec);
    if (path.isEmpty() || isRemote(spec))
        return std::nullopt;
    const QFileInfo info(path);
    if (!info.exists() && !info.isSymLink())
        return std::nullopt;
    return spec.kind()->overwriteRefusal(path);
}

bool isRemote(const ArraySpec &spec)
{
    const StoreKind *kind = spec.kind();
    return kind && !kind->remoteLocation(spec.options).isEmpty();
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
    Overlap files = textOverlap(a.path, b.path);
    if (files == Overlap::None)
        files = identityOverlap(a.identity, b.identity);
    if (files != Overlap::Same || a.dataset.isEmpty() || b.dataset.isEmpty())
        return files;
    // One file: replacing a dataset deletes its link, and with a group every dataset below it.
    const Overlap datasets = textOverlap(a.dataset, b.dataset);
    return datasets != Overlap::None ? datasets : identityOverlap(a.object, b.object);
}

bool sameLocation(const QString &a, const QString &b)
{
    return overlap(pathLocation(a), pathLocation(b)) == Overlap::Same;
}

bool locationWithin(const QString &inner, const QString &outer)
{
    const Overlap o = overlap(pathLocation(inner), pathLocation(outer));
    return o == Overlap::Same || o == Overlap::Inside;
}

} // namespace cs
