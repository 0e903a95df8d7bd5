#include "hdf5objects.h"

#include <QFile>
#include <QFileInfo>

#include <hdf5.h>

namespace cs {

namespace {

Hdf5PathInfo::Kind hdf5ObjectKind(H5O_type_t type)
{
    switch (type) {
    case H5O_TYPE_DATASET:
        return Hdf5PathInfo::Kind::Dataset;
    case H5O_TYPE_GROUP:
        return Hdf5PathInfo::Kind::Group;
    case H5O_TYPE_NAMED_DATATYPE:
        return Hdf5PathInfo::Kind::NamedDatatype;
    default:
        return Hdf5PathInfo::Kind::Other;
    }
}

Hdf5PathInfo walk(hid_t file, const QString &dataset)
{
    Hdf5PathInfo info;
    H5O_info_t object;
    if (H5Oget_info_by_name2(file, "/", &object, H5O_INFO_BASIC, H5P_DEFAULT) < 0) {
        hdf5ErrorText();
        return info;
    }
    const unsigned long rootFile = object.fileno;
    info.addresses.append(uint64_t(object.addr));
    info.kind = hdf5ObjectKind(object.type);
    const QStringList parts = dataset.split(QLatin1Char('/'), Qt::SkipEmptyParts);
    QString prefix;
    for (qsizetype i = 0; i < parts.size(); ++i) {
        prefix += QLatin1Char('/') + parts.at(i);
        const QByteArray name = prefix.toUtf8();
        // H5Lexists fails below a dataset and H5Oget_info on a dangling soft link; an external link
        // leads into another file, whose addresses mean nothing here. Each ends what exists.
        const bool found = H5Lexists(file, name.constData(), H5P_DEFAULT) > 0
            && H5Oget_info_by_name2(file, name.constData(), &object, H5O_INFO_BASIC, H5P_DEFAULT) >= 0
            && object.fileno == rootFile;
        if (!found) {
            hdf5ErrorText();
            info.kind = Hdf5PathInfo::Kind::Missing;
            info.rest = QLatin1Char('/') + parts.mid(i).join(QLatin1Char('/'));
            return info;
        }
        info.addresses.append(uint64_t(object.addr));
        info.kind = hdf5ObjectKind(object.type);
    }
    if (info.kind == Hdf5PathInfo::Kind::Dataset) {
        const Hdf5Id ds(H5Dopen2(file, prefix.toUtf8().constData(), H5P_DEFAULT), H5Dclose);
        const Hdf5Id dcpl(ds.valid() ? H5Dget_create_plist(ds) : H5I_INVALID_HID, H5Pclose);
        info.virtualLayout = dcpl.valid() && H5Pget_layout(dcpl) == H5D_VIRTUAL;
        hdf5ErrorText();
    }
    return info;
}

} // namespace

std::optional<Hdf5PathInfo> inspectHdf5Path(const QString &file, const QString &dataset)
{
    const QFileInfo fileInfo(file);
    // HDF5 would block opening a FIFO and may not answer on a device.
    if (!fileInfo.isFile())
        return std::nullopt;
    const std::lock_guard<std::mutex> lock(hdf5Mutex());
    hdf5PrepareThread();
    const QString canonical = fileInfo.canonicalFilePath();
    if (const std::shared_ptr<Hdf5File> open = hdf5files::findOnDisk(canonical))
        return walk(open->id(), dataset);
    const QByteArray native = QFile::encodeName(canonical);
    if (H5Fis_hdf5(native.constData()) <= 0) {
        hdf5ErrorText();
        return std::nullopt;
    }
    const Hdf5Id id(H5Fopen(native.constData(), H5F_ACC_RDONLY, H5P_DEFAULT), H5Fclose);
    if (!id.valid()) {
        hdf5ErrorText();
        return std::nullopt;
    }
    return walk(id, dataset);
}

QString hdf5NotADatasetRefusal(const QString &where, Hdf5PathInfo::Kind kind)
{
    switch (kind) {
    case Hdf5PathInfo::Kind::Missing:
    case Hdf5PathInfo::Kind::Dataset:
        return QString();
    case Hdf5PathInfo::Kind::Group:
        return QStringLiteral("%1 is a group, not a dataset; not removing it").arg(where);
    case Hdf5PathInfo::Kind::NamedDatatype:
        return QStringLiteral("%1 is a named datatype, not a dataset; not removing it").arg(where);
    case Hdf5PathInfo::Kind::Other:
        break;
    }
    return QStringLiteral("%1 is not a dataset; not removing it").arg(where);
}

QString hdf5ReplaceRefusal(Hdf5Handle file, const QString &path, const QString &where)
{
    H5O_info_t object;
    if (H5Oget_info_by_name2(file, path.toUtf8().constData(), &object, H5O_INFO_BASIC, H5P_DEFAULT) < 0) {
        const QString detail = hdf5ErrorText();
        return QStringLiteral("cannot inspect %1").arg(where)
            + (detail.isEmpty() ? QString() : QStringLiteral(": ") + detail);
    }
    return hdf5NotADatasetRefusal(where, hdf5ObjectKind(object.type));
}

QString hdf5VirtualTargetRefusal(const QString &where)
{
    return QStringLiteral("%1 is a virtual dataset; Chunkscope does not write through virtual datasets").arg(where);
}

} // namespace cs
