#include "hdf5library.h"

#include <QCoreApplication>
#include <QHash>
#include <QRegularExpression>

#include <hdf5.h>

#include <type_traits>

namespace cs {

static_assert(std::is_same_v<hid_t, Hdf5Handle>, "Hdf5Handle must be HDF5's hid_t");
static_assert(std::is_same_v<herr_t, int>, "Hdf5Closer must return HDF5's herr_t");

std::mutex &hdf5Mutex()
{
    static std::mutex mutex;
    return mutex;
}

void hdf5PrepareThread()
{
    thread_local bool prepared = false;
    if (prepared)
        return;
    H5Eset_auto2(H5E_DEFAULT, nullptr, nullptr);
    prepared = true;
}

static herr_t collectInnermost(unsigned n, const H5E_error2_t *error, void *data)
{
    // Walking upward, entry 0 is where the error was first detected: the most specific message.
    if (n == 0 && error->desc)
        *static_cast<QString *>(data) = QString::fromUtf8(error->desc).trimmed();
    return 0;
}

QString hdf5ErrorText()
{
    QString text;
    H5Ewalk2(H5E_DEFAULT, H5E_WALK_UPWARD, collectInnermost, &text);
    H5Eclear2(H5E_DEFAULT);
    // The POSIX drivers describe a failed read, write or open with the time, the file name, the
    // descriptor, buffer addresses and offsets around strerror(); callers name the file already, and
    // only strerror() tells a user what went wrong.
    static const QRegularExpression systemError(QStringLiteral("errno = [0-9]+, error message = '([^']*)'"));
    const QRegularExpressionMatch m = systemError.match(text);
    return m.hasMatch() ? m.captured(1) : text;
}

Hdf5File::Hdf5File(Hdf5Id id, QString displayName, bool inMemory, bool writable)
    : m_id(std::move(id))
    , m_displayName(std::move(displayName))
    , m_inMemory(inMemory)
    , m_writable(writable)
{
}

namespace hdf5files {

static QHash<QString, std::weak_ptr<Hdf5File>> &onDisk()
{
    static QHash<QString, std::weak_ptr<Hdf5File>> files;
    return files;
}

static std::weak_ptr<Hdf5File> &inMemory()
{
    static std::weak_ptr<Hdf5File> file;
    return file;
}

std::shared_ptr<Hdf5File> findOnDisk(const QString &canonicalPath)
{
    auto &files = onDisk();
    const auto it = files.find(canonicalPath);
    if (it == files.end())
        return nullptr;
    std::shared_ptr<Hdf5File> file = it->lock();
    if (!file)
        files.erase(it);
    return file;
}

void addOnDisk(const QString &canonicalPath, const std::shared_ptr<Hdf5File> &file)
{
    onDisk().insert(canonicalPath, file);
}

std::shared_ptr<Hdf5File> currentInMemory()
{
    return inMemory().lock();
}

std::shared_ptr<Hdf5File> createInMemory()
{
    // The core driver needs a name even though nothing reaches the disk (the notebook's h5fmem uses
    // tempfile.mktemp()); it must be unique among the files HDF5 has open.
    static int64_t serial = 0;
    const QByteArray name = "chunkscope-in-memory-" + QByteArray::number(QCoreApplication::applicationPid()) + '-'
        + QByteArray::number(qint64(++serial)) + ".h5";
    Hdf5Id fapl(H5Pcreate(H5P_FILE_ACCESS), H5Pclose);
    if (!fapl.valid())
        return nullptr;
    // Grow in 4 MiB steps: large arrays then cost few reallocations.
    if (H5Pset_fapl_core(fapl, size_t(4) << 20, 0) < 0)
        return nullptr;
    Hdf5Id file(H5Fcreate(name.constData(), H5F_ACC_TRUNC, H5P_DEFAULT, fapl), H5Fclose);
    if (!file.valid())
        return nullptr;
    auto shared = std::make_shared<Hdf5File>(std::move(file), QStringLiteral("in memory"), true, true);
    inMemory() = shared;
    return shared;
}

} // namespace hdf5files

namespace {

// h5py's float16: IEEE binary16 made from a float32 type, as h5py.h5t builds IEEE_F16LE.
Hdf5Id halfType(bool bigEndian)
{
    Hdf5Id type(H5Tcopy(bigEndian ? H5T_IEEE_F32BE : H5T_IEEE_F32LE), H5Tclose);
    if (!type.valid() || H5Tset_fields(type, 15, 10, 5, 0, 10) < 0 || H5Tset_size(type, 2) < 0
        || H5Tset_ebias(type, 15) < 0)
        return {};
    return type;
}

// IEEE binary16, as NumPy's float16 is: any other two-byte float would be read as the wrong numbers.
bool isHalf(hid_t type)
{
    size_t spos = 0, epos = 0, esize = 0, mpos = 0, msize = 0;
    return H5Tget_fields(type, &spos, &epos, &esize, &mpos, &msize) >= 0 && spos == 15 && epos == 10 && esize == 5
        && mpos == 0 && msize == 10 && H5Tget_ebias(type) == 15;
}

// h5py's complex: a compound of two floats named "r" and "i".
Hdf5Id complexType(const DType &dtype)
{
    const size_t half = size_t(dtype.itemsize() / 2);
    const bool be = dtype.isBigEndian();
    const hid_t part = half == 4 ? (be ? H5T_IEEE_F32BE : H5T_IEEE_F32LE) : (be ? H5T_IEEE_F64BE : H5T_IEEE_F64LE);
    Hdf5Id type(H5Tcreate(H5T_COMPOUND, size_t(dtype.itemsize())), H5Tclose);
    if (!type.valid() || H5Tinsert(type, "r", 0, part) < 0 || H5Tinsert(type, "i", half, part) < 0)
        return {};
    return type;
}

// The DType of h5py's complex compound, or nullopt for any other compound.
std::optional<DType> complexFromHdf5(hid_t type, size_t size)
{
    if (H5Tget_nmembers(type) != 2 || (size != 8 && size != 16))
        return std::nullopt;
    bool be = false;
    for (unsigned i = 0; i < 2; ++i) {
        char *name = H5Tget_member_name(type, i);
        const bool named = name && qstrcmp(name, i == 0 ? "r" : "i") == 0;
        H5free_memory(name);
        Hdf5Id member(H5Tget_member_type(type, i), H5Tclose);
        if (!named || !member.valid() || H5Tget_class(member) != H5T_FLOAT || H5Tget_size(member) != size / 2
            || H5Tget_member_offset(type, i) != i * size / 2)
            return std::nullopt;
        be = H5Tget_order(member) == H5T_ORDER_BE;
    }
    return DType(DType::Kind::Complex, int(size), be);
}

} // namespace

Hdf5Id hdf5TypeFor(const DType &dtype)
{
    const bool be = dtype.isBigEndian();
    hid_t base = -1;
    switch (dtype.kind()) {
    case DType::Kind::Bool: {
        Hdf5Id type(H5Tenum_create(H5T_STD_I8LE), H5Tclose);
        if (!type.valid())
            return type;
        const int8_t no = 0;
        const int8_t yes = 1;
        if (H5Tenum_insert(type, "FALSE", &no) < 0 || H5Tenum_insert(type, "TRUE", &yes) < 0)
            return {};
        return type;
    }
    case DType::Kind::Int:
        switch (dtype.itemsize()) {
        case 1:
            base = H5T_STD_I8LE;
            break;
        case 2:
            base = be ? H5T_STD_I16BE : H5T_STD_I16LE;
            break;
        case 4:
            base = be ? H5T_STD_I32BE : H5T_STD_I32LE;
            break;
        case 8:
            base = be ? H5T_STD_I64BE : H5T_STD_I64LE;
            break;
        }
        break;
    case DType::Kind::UInt:
        switch (dtype.itemsize()) {
        case 1:
            base = H5T_STD_U8LE;
            break;
        case 2:
            base = be ? H5T_STD_U16BE : H5T_STD_U16LE;
            break;
        case 4:
            base = be ? H5T_STD_U32BE : H5T_STD_U32LE;
            break;
        case 8:
            base = be ? H5T_STD_U64BE : H5T_STD_U64LE;
            break;
        }
        break;
    case DType::Kind::Float:
        if (dtype.itemsize() == 2)
            return halfType(be);
        if (dtype.itemsize() == 4)
            base = be ? H5T_IEEE_F32BE : H5T_IEEE_F32LE;
        else if (dtype.itemsize() == 8)
            base = be ? H5T_IEEE_F64BE : H5T_IEEE_F64LE;
        break;
    case DType::Kind::Complex:
        return complexType(dtype);
    case DType::Kind::Bytes: {
        // h5py's fixed-length bytes: ASCII, padded with NULs.
        Hdf5Id type(H5Tcopy(H5T_C_S1), H5Tclose);
        if (!type.valid() || H5Tset_size(type, size_t(dtype.itemsize())) < 0
            || H5Tset_strpad(type, H5T_STR_NULLPAD) < 0)
            return {};
        return type;
    }
    case DType::Kind::Unicode:
    case DType::Kind::Datetime:
    case DType::Kind::Timedelta:
        break; // see hdf5TypeRefusal
    }
    if (base < 0)
        return {};
    return Hdf5Id(H5Tcopy(base), H5Tclose);
}

QString hdf5TypeRefusal(const DType &dtype)
{
    switch (dtype.kind()) {
    case DType::Kind::Unicode:
        return QStringLiteral("HDF5 has no fixed-width UCS-4 string type (h5py refuses \"U\" dtypes too; store UTF-8 "
                              "bytes as \"S\")");
    case DType::Kind::Datetime:
    case DType::Kind::Timedelta:
        return QStringLiteral("HDF5 has no datetime64 or timedelta64 type (store the int64 counts as \"<i8\")");
    default:
        return {};
    }
}

static bool isH5pyBool(hid_t type)
{
    if (H5Tget_size(type) != 1 || H5Tget_nmembers(type) != 2)
        return false;
    Hdf5Id super(H5Tget_super(type), H5Tclose);
    if (!super.valid() || H5Tget_class(super) != H5T_INTEGER)
        return false;
    for (unsigned i = 0; i < 2; ++i) {
        int8_t value = -1;
        char name[8] = {};
        if (H5Tget_member_value(type, i, &value) < 0 || H5Tenum_nameof(type, &value, name, sizeof name) < 0)
            return false;
        const bool expected = (value == 0 && qstrcmp(name, "FALSE") == 0) || (value == 1 && qstrcmp(name, "TRUE") == 0);
        if (!expected)
            return false;
    }
    return true;
}

std::optional<DType> dtypeFromHdf5(Hdf5Handle type)
{
    const size_t size = H5Tget_size(type);
    const bool be = H5Tget_order(type) == H5T_ORDER_BE;
    switch (H5Tget_class(type)) {
    case H5T_INTEGER:
        if (size != 1 && size != 2 && size != 4 && size != 8)
            return std::nullopt;
        return DType(H5Tget_sign(type) == H5T_SGN_NONE ? DType::Kind::UInt : DType::Kind::Int, int(size), be);
    case H5T_FLOAT:
        if ((size != 2 && size != 4 && size != 8) || (size == 2 && !isHalf(type)))
            return std::nullopt;
        return DType(DType::Kind::Float, int(size), be);
    case H5T_COMPOUND:
        return complexFromHdf5(type, size);
    case H5T_STRING:
        // Fixed-length strings are NumPy's "S"; variable-length ones hold pointers, not bytes.
        if (H5Tis_variable_str(type) != 0 || size < 1 || size > size_t(INT32_MAX))
            return std::nullopt;
        return DType(DType::Kind::Bytes, int(size));
    case H5T_ENUM:
        if (isH5pyBool(type))
            return DType(DType::Kind::Bool, 1);
        return std::nullopt;
    default:
        return std::nullopt;
    }
}

QString describeHdf5Type(Hdf5Handle type)
{
    const char *name = "unknown";
    switch (H5Tget_class(type)) {
    case H5T_INTEGER:
        name = "integer";
        break;
    case H5T_FLOAT:
        name = "float";
        break;
    case H5T_TIME:
        name = "time";
        break;
    case H5T_STRING:
        name = "string";
        break;
    case H5T_BITFIELD:
        name = "bitfield";
        break;
    case H5T_OPAQUE:
        name = "opaque";
        break;
    case H5T_COMPOUND:
        name = "compound";
        break;
    case H5T_REFERENCE:
        name = "reference";
        break;
    case H5T_ENUM:
        name = "enum";
        break;
    case H5T_VLEN:
        name = "variable-length";
        break;
    case H5T_ARRAY:
        name = "array";
        break;
    default:
        break;
    }
    return QStringLiteral("%1 of %2 bytes").arg(QLatin1String(name)).arg(qulonglong(H5Tget_size(type)));
}

} // namespace cs
