#include "stores/hdf5/hdf5store.h"

#include "io/regularfile.h"
#include "stores/hdf5/hdf5lzffilter.h"
#include "stores/hdf5/hdf5objects.h"

#include <QFile>
#include <QFileInfo>
#include <QStringList>

#include <hdf5.h>

#include <algorithm>
#include <sys/stat.h>

namespace cs {

namespace {

// Why the existing `file` is not an HDF5 file, or nullopt. HDF5 would block opening a FIFO and
// may not answer on a device, so only a regular file is handed to it. Call with hdf5Mutex() held.
std::optional<QString> notAnHdf5File(const QString &file)
{
    struct stat st;
    if (::stat(QFile::encodeName(file).constData(), &st) == 0 && !S_ISREG(st.st_mode))
        return QStringLiteral("%1 is %2, not an HDF5 file").arg(file, fileTypeName(st.st_mode));
    const htri_t isHdf5 = H5Fis_hdf5(QFile::encodeName(file).constData());
    hdf5ErrorText();
    if (isHdf5 <= 0)
        return QStringLiteral("%1 is not an HDF5 file").arg(file);
    return std::nullopt;
}

// A contiguous dataset has no chunks of its own: the copy reads and writes it in hyperslabs of at
// most kContiguousPieceBytes, whole rows along axis 0 as far as they fit, so that no buffer of a run
// grows with the array. Only a row larger than that is split along the next axis, and so on.
constexpr int64_t kContiguousPieceBytes = int64_t(4) << 20;

Coords contiguousPieces(const Coords &shape, int64_t itemsize)
{
    Coords pieces;
    pieces.rank = shape.rank;
    for (int i = 0; i < shape.rank; ++i)
        pieces[i] = std::max<int64_t>(1, shape[i]);
    // below[i]: the bytes of one index along axis i, every later axis whole (saturated).
    int64_t below[kMaxRank];
    int64_t bytes = itemsize;
    for (int i = shape.rank - 1; i >= 0; --i) {
        below[i] = bytes;
        if (__builtin_mul_overflow(bytes, pieces[i], &bytes))
            bytes = std::numeric_limits<int64_t>::max();
    }
    for (int i = 0; i < shape.rank; ++i) {
        if (below[i] > kContiguousPieceBytes) {
            pieces[i] = 1;
            continue;
        }
        pieces[i] = std::clamp<int64_t>(kContiguousPieceBytes / below[i], 1, pieces[i]);
        break;
    }
    return pieces;
}

// "/h1" for "h1", "/h1", "h1/"; "/grp/h1" for "grp/h1".
QString normaliseDatasetPath(const QString &path)
{
    const QStringList parts = path.split(QLatin1Char('/'), Qt::SkipEmptyParts);
    return QLatin1Char('/') + parts.join(QLatin1Char('/'));
}

// H5Lexists for a path whose groups may be missing (H5Lexists itself fails on those).
bool linkExists(hid_t location, const QString &path)
{
    const QStringList parts = path.split(QLatin1Char('/'), Qt::SkipEmptyParts);
    QString prefix;
    for (const QString &part : parts) {
        prefix += QLatin1Char('/') + part;
        if (H5Lexists(location, prefix.toUtf8().constData(), H5P_DEFAULT) <= 0) {
            hdf5ErrorText();
            return false;
        }
    }
    return !parts.isEmpty();
}

class Opener {
public:
    Opener(const Hdf5Options &options, const StoreArray &array)
        : m_options(options)
        , m_array(array)
        , m_label(QStringLiteral("array %1: ").arg(array.id))
        , m_existing(array.existing)
        , m_path(normaliseDatasetPath(options.dataset))
    {
    }

    std::unique_ptr<Store> open()
    {
        checkSpec();
        if (!registerHdf5LzfFilter())
            fail(withDetail(QStringLiteral("HDF5 refused to register the LZF filter"), hdf5ErrorText()));
        Hdf5Dataset ds;
        ds.file = openFile();
        ds.path = m_path;
        m_where = ds.file->displayName() + QLatin1Char(':') + m_path;
        if (m_existing)
            openDataset(ds);
        else
            createDataset(ds);
        return describe(ds);
    }

private:
    [[noreturn]] void fail(const QString &message) const { throw StoreError(m_label + message); }

    void checkSpec() const
    {
        if (m_path == QLatin1String("/"))
            fail(QStringLiteral("an hdf5 array needs a \"dataset\" (its path inside the file)"));
        if (m_existing)
            return;
        const QString &c = m_options.compression;
        if (!c.isEmpty() && c != QLatin1String("lzf") && c != QLatin1String("gzip"))
            fail(QStringLiteral("unsupported compression \"%1\" (expected null, \"lzf\" or \"gzip\")").arg(c));
        if (c == QLatin1String("gzip") && (m_options.compressionOpts < 0 || m_options.compressionOpts > 9))
            fail(QStringLiteral("gzip level %1 is out of range 0-9").arg(m_options.compressionOpts));
        const size_t rank = m_array.shape.size();
        if (rank < 1 || rank > size_t(kMaxRank))
            fail(QStringLiteral("shape must have 1 to %1 dimensions").arg(kMaxRank));
        if (m_array.chunks.size() != rank)
            fail(QStringLiteral("chunks must have as many dimensions as the shape"));
        for (size_t i = 0; i < rank; ++i)
            if (m_array.shape[i] < 0 || m_array.chunks[i] < 1)
                fail(QStringLiteral("shape entries must be >= 0 and chunks entries >= 1"));
    }

    std::shared_ptr<Hdf5File> openFile() const
    {
        if (m_options.file.isEmpty()) {
            if (m_existing)
                fail(QStringLiteral("fill \"existing\" needs a \"file\""));
            // One in-memory file for the datasets of a scenario; a dataset it already has means
            // a new scenario (or a second array of that name), which starts a new file.
            if (auto file = hdf5files::currentInMemory(); file && !linkExists(file->id(), m_path))
                return file;
            if (auto file = hdf5files::createInMemory())
                return file;
            fail(withDetail(QStringLiteral("cannot create an in-memory HDF5 file"), hdf5ErrorText()));
        }

        const QFileInfo info(m_options.file);
        if (!info.exists()) {
            if (m_existing)
                fail(QStringLiteral("file %1 does not exist").arg(m_options.file));
            Hdf5Id id(H5Fcreate(QFile::encodeName(m_options.file).constData(), H5F_ACC_EXCL, H5P_DEFAULT, H5P_DEFAULT),
                      H5Fclose);
            if (!id.valid())
                fail(withDetail(QStringLiteral("cannot create %1").arg(m_options.file), hdf5ErrorText()));
            auto file = std::make_shared<Hdf5File>(std::move(id), m_options.file, false, true);
            hdf5files::addOnDisk(QFileInfo(m_options.file).canonicalFilePath(), file);
            return file;
        }

        // A file this scenario already opened (another array's dataset) is shared as it is.
        const QString canonical = info.canonicalFilePath();
        if (auto file = hdf5files::findOnDisk(canonical))
            return file;
        if (!m_existing && !m_array.overwrite)
            fail(QStringLiteral("file %1 already exists (set \"overwrite\": true to replace the dataset, or fill "
                                "\"existing\" to open it)")
                     .arg(m_options.file));
        // "overwrite" replaces a dataset, never a file that is not HDF5: that may be anyone's data.
        if (const std::optional<QString> notHdf5 = notAnHdf5File(m_options.file))
            fail(m_existing ? *notHdf5 : *notHdf5 + QStringLiteral("; not replacing it"));
        const QByteArray native = QFile::encodeName(canonical);
        bool writable = true;
        Hdf5Id id(H5Fopen(native.constData(), H5F_ACC_RDWR, H5P_DEFAULT), H5Fclose);
        if (!id.valid() && m_existing) {
            hdf5ErrorText();
            writable = false;
            id = Hdf5Id(H5Fopen(native.constData(), H5F_ACC_RDONLY, H5P_DEFAULT), H5Fclose);
        }
        if (!id.valid())
            fail(withDetail(QStringLiteral("cannot open %1").arg(m_options.file), hdf5ErrorText()));
        auto file = std::make_shared<Hdf5File>(std::move(id), m_options.file, false, writable);
        hdf5files::addOnDisk(canonical, file);
        return file;
    }

    void openDataset(Hdf5Dataset &ds) const
    {
        if (!linkExists(ds.file->id(), m_path))
            fail(QStringLiteral("%1 has no dataset %2").arg(ds.file->displayName(), m_path));
        ds.dataset = Hdf5Id(H5Dopen2(ds.file->id(), m_path.toUtf8().constData(), H5P_DEFAULT), H5Dclose);
        if (!ds.dataset.valid())
            fail(withDetail(QStringLiteral("cannot open dataset %1").arg(m_where), hdf5ErrorText()));
    }

    void createDataset(Hdf5Dataset &ds) const
    {
        if (!ds.file->writable())
            fail(QStringLiteral("cannot create dataset %1: the file is open read-only").arg(m_where));
        const QByteArray path = m_path.toUtf8();
        if (linkExists(ds.file->id(), m_path)) {
            if (!m_array.overwrite)
                fail(QStringLiteral("dataset %1 already exists").arg(m_where));
            if (const QString refusal = hdf5ReplaceRefusal(ds.file->id(), m_path, m_where); !refusal.isEmpty())
                fail(refusal);
            if (H5Ldelete(ds.file->id(), path.constData(), H5P_DEFAULT) < 0)
                fail(withDetail(QStringLiteral("cannot replace dataset %1").arg(m_where), hdf5ErrorText()));
        }
        if (const QString refusal = hdf5TypeRefusal(m_array.dtype); !refusal.isEmpty())
            fail(QStringLiteral("cannot store dtype %1 in HDF5: %2").arg(m_array.dtype.typestr(), refusal));
        const Hdf5Id type = hdf5TypeFor(m_array.dtype);
        if (!type.valid())
            fail(withDetail(QStringLiteral("cannot make an HDF5 type for dtype %1").arg(m_array.dtype.typestr()),
                            hdf5ErrorText()));

        const int rank = int(m_array.shape.size());
        hsize_t dims[kMaxRank];
        hsize_t maxDims[kMaxRank];
        hsize_t chunkDims[kMaxRank];
        for (int i = 0; i < rank; ++i) {
            dims[i] = hsize_t(m_array.shape[size_t(i)]);
            chunkDims[i] = hsize_t(m_array.chunks[size_t(i)]);
            // HDF5 wants chunks no larger than a fixed dimension; such a dimension is made
            // extensible instead (as h5py with maxshape=None), which changes nothing else.
            maxDims[i] = chunkDims[i] > dims[i] ? H5S_UNLIMITED : dims[i];
        }
        const Hdf5Id space(H5Screate_simple(rank, dims, maxDims), H5Sclose);
        const Hdf5Id dcpl(H5Pcreate(H5P_DATASET_CREATE), H5Pclose);
        const Hdf5Id lcpl(H5Pcreate(H5P_LINK_CREATE), H5Pclose);
        // The properties and filter order h5py's create_dataset uses: shuffle, then compression.
        bool ok = space.valid() && dcpl.valid() && lcpl.valid() && H5Pset_chunk(dcpl, rank, chunkDims) >= 0
            && H5Pset_obj_track_times(dcpl, 0) >= 0 && H5Pset_create_intermediate_group(lcpl, 1) >= 0;
        if (ok && m_options.shuffle)
            ok = H5Pset_shuffle(dcpl) >= 0;
        if (ok && m_options.compression == QLatin1String("gzip"))
            ok = H5Pset_deflate(dcpl, unsigned(m_options.compressionOpts)) >= 0;
        if (ok && m_options.compression == QLatin1String("lzf"))
            ok = H5Pset_filter(dcpl, kHdf5LzfFilterId, H5Z_FLAG_OPTIONAL, 0, nullptr) >= 0;
        if (ok)
            ds.dataset
                = Hdf5Id(H5Dcreate2(ds.file->id(), path.constData(), type, space, lcpl, dcpl, H5P_DEFAULT), H5Dclose);
        if (!ds.dataset.valid())
            fail(withDetail(QStringLiteral("cannot create dataset %1").arg(m_where), hdf5ErrorText()));
    }

    // Reads type, shape, chunks, filters and fill value back from the dataset (also for one just
    // created: set_local callbacks fill in cd_values) and builds the store.
    std::unique_ptr<Store> describe(Hdf5Dataset &ds) const
    {
        ds.type = Hdf5Id(H5Dget_type(ds.dataset), H5Tclose);
        const Hdf5Id space(H5Dget_space(ds.dataset), H5Sclose);
        const Hdf5Id dcpl(H5Dget_create_plist(ds.dataset), H5Pclose);
        if (!ds.type.valid() || !space.valid() || !dcpl.valid())
            fail(withDetail(QStringLiteral("cannot inspect dataset %1").arg(m_where), hdf5ErrorText()));

        const std::optional<DType> dtype = dtypeFromHdf5(ds.type);
        if (!dtype)
            fail(QStringLiteral("dataset %1 has a type Chunkscope does not support (%2)")
                     .arg(m_where, describeHdf5Type(ds.type)));

        const int rank = H5Sget_simple_extent_ndims(space);
        if (rank < 1 || rank > kMaxRank)
            fail(QStringLiteral("dataset %1 has %2 dimensions; Chunkscope supports 1 to %3")
                     .arg(m_where)
                     .arg(rank)
                     .arg(kMaxRank));
        hsize_t dims[kMaxRank];
        H5Sget_simple_extent_dims(space, dims, nullptr);
        Coords shape;
        shape.rank = rank;
        for (int i = 0; i < rank; ++i)
            shape[i] = int64_t(dims[i]);

        Coords chunks;
        chunks.rank = rank;
        ds.chunked = H5Pget_layout(dcpl) == H5D_CHUNKED;
        hsize_t chunkDims[kMaxRank];
        if (ds.chunked && H5Pget_chunk(dcpl, rank, chunkDims) == rank) {
            for (int i = 0; i < rank; ++i)
                chunks[i] = int64_t(chunkDims[i]);
        } else {
            ds.chunked = false;
            chunks = contiguousPieces(shape, dtype->itemsize());
        }

        const int filters = H5Pget_nfilters(dcpl);
        for (int i = 0; i < filters; ++i) {
            unsigned flags = 0;
            size_t count = 8;
            unsigned values[8] = {};
            const H5Z_filter_t id = H5Pget_filter2(dcpl, unsigned(i), &flags, &count, values, 0, nullptr, nullptr);
            Hdf5FilterPipeline::Filter f;
            f.id = int(id);
            f.optional = (flags & H5Z_FLAG_OPTIONAL) != 0;
            if (id == H5Z_FILTER_SHUFFLE) {
                f.kind = Hdf5FilterPipeline::Kind::Shuffle;
                f.param = count >= 1 && values[0] ? values[0] : unsigned(dtype->itemsize());
            } else if (id == H5Z_FILTER_DEFLATE) {
                f.kind = Hdf5FilterPipeline::Kind::Deflate;
                f.param = count >= 1 ? values[0] : 6;
            } else if (id == kHdf5LzfFilterId) {
                f.kind = Hdf5FilterPipeline::Kind::Lzf;
            }
            ds.pipeline.add(f);
        }

        // As large as the item: a complex128 or a string is wider than any number.
        ds.fillItem = QByteArray(dtype->itemsize(), '\0');
        H5D_fill_value_t fillStatus = H5D_FILL_VALUE_DEFAULT;
        if (H5Pfill_value_defined(dcpl, &fillStatus) >= 0 && fillStatus == H5D_FILL_VALUE_USER_DEFINED
            && H5Pget_fill_value(dcpl, ds.type, ds.fillItem.data()) < 0)
            ds.fillItem.fill(0);
        hdf5ErrorText();

        return std::make_unique<Hdf5Store>(m_array.id, *dtype, shape, chunks, std::move(ds));
    }

    const Hdf5Options &m_options;
    const StoreArray &m_array;
    QString m_label;
    bool m_existing;
    QString m_path;
    QString m_where;
};

} // namespace

std::optional<QString> hdf5OverwriteRefusal(const QString &file)
{
    std::lock_guard<std::mutex> lock(hdf5Mutex());
    hdf5PrepareThread();
    const std::optional<QString> notHdf5 = notAnHdf5File(file);
    return notHdf5 ? std::optional<QString>(*notHdf5 + QStringLiteral("; not replacing it")) : std::nullopt;
}

std::unique_ptr<Store> createHdf5Store(const Hdf5Options &options, const StoreArray &array)
{
    std::lock_guard<std::mutex> lock(hdf5Mutex());
    hdf5PrepareThread();
    return Opener(options, array).open();
}

} // namespace cs
