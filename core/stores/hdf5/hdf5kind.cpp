#include "stores/hdf5/hdf5kind.h"

#include "stores/hdf5/hdf5objects.h"
#include "stores/hdf5/hdf5options.h"
#include "stores/hdf5/hdf5store.h"

#include <QDir>

namespace cs {

namespace {

// HDF5 keeps a chunk's size in 32 bits.
constexpr int64_t kMaxHdf5ChunkBytes = int64_t(4294967295);

class Hdf5Kind final : public TypedStoreKind<Hdf5Options> {
public:
    QString id() const override { return QStringLiteral("hdf5"); }
    QString summary() const override { return QStringLiteral("hdf5: a chunked HDF5 dataset"); }

    const QList<KindKey> &keys() const override
    {
        static const QList<KindKey> k = {
            pathKey(QStringLiteral("file"), &Hdf5Options::file),
            {QStringLiteral("dataset"),
             QStringLiteral("string"),
             QStringLiteral("\"/data\""),
             {QStringLiteral("dataset")},
             [](const QJsonValue &v, const KindParse &p, StoreOptions &o) {
                 // h5py's examples name it "data"; a hand-written array need not.
                 options(o).dataset
                     = v.isUndefined() ? QStringLiteral("/data") : requireString(v, p.at(QStringLiteral("dataset")));
             },
             [](const StoreOptions &o, QJsonObject &out) { out.insert(QStringLiteral("dataset"), options(o).dataset); },
             false,
             true},
            {QStringLiteral("compression"),
             QStringLiteral("string or null"),
             QStringLiteral("none"),
             {QStringLiteral("compression")},
             [](const QJsonValue &v, const KindParse &p, StoreOptions &o) {
                 if (v.isUndefined())
                     return;
                 const QString text = v.isString() ? v.toString() : QString();
                 if (!v.isNull() && text != QLatin1String("lzf") && text != QLatin1String("gzip"))
                     failAt(p.at(QStringLiteral("compression")), QStringLiteral("must be null, \"lzf\" or \"gzip\""));
                 options(o).compression = text;
             },
             [](const StoreOptions &o, QJsonObject &out) {
                 const QString &c = options(o).compression;
                 out.insert(QStringLiteral("compression"), c.isEmpty() ? QJsonValue(QJsonValue::Null) : QJsonValue(c));
             }},
            {QStringLiteral("compression_opts"),
             QStringLiteral("integer"),
             QStringLiteral("4"),
             {QStringLiteral("compression_opts")},
             [](const QJsonValue &v, const KindParse &p, StoreOptions &o) {
                 if (v.isUndefined())
                     return;
                 const QString at = p.at(QStringLiteral("compression_opts"));
                 options(o).compressionOpts = int(requireInteger(v, at, 0, 9));
                 if (options(o).compression != QLatin1String("gzip"))
                     failAt(at, QStringLiteral("applies to \"gzip\" compression only"));
             },
             [](const StoreOptions &o, QJsonObject &out) {
                 if (options(o).compression == QLatin1String("gzip"))
                     out.insert(QStringLiteral("compression_opts"), options(o).compressionOpts);
             }},
            {QStringLiteral("shuffle"),
             QStringLiteral("boolean"),
             QStringLiteral("false"),
             {QStringLiteral("shuffle")},
             [](const QJsonValue &v, const KindParse &p, StoreOptions &o) {
                 if (!v.isUndefined())
                     options(o).shuffle = requireBool(v, p.at(QStringLiteral("shuffle")));
             },
             [](const StoreOptions &o, QJsonObject &out) {
                 out.insert(QStringLiteral("shuffle"), options(o).shuffle);
             }},
        };
        return k;
    }

    StoreOptions likeOptions(const StoreOptions &base) const override
    {
        Hdf5Options o = options(base);
        o.file.clear();
        o.dataset.clear();
        return o;
    }

    void settleChunks(const KindParse &p, ChunkSource source, std::vector<int64_t> &chunks,
                      StoreOptions &) const override
    {
        const std::vector<int64_t> &shape = p.array.shape;
        if (shape.empty())
            return;
        // h5py refuses chunks larger than a fixed dimension; a borrowed chunking is clipped instead.
        if (source == ChunkSource::Borrowed)
            for (size_t i = 0; i < chunks.size(); ++i)
                chunks[i] = std::min(chunks[i], std::max<int64_t>(shape[i], 1));
        if (source == ChunkSource::Given)
            for (size_t i = 0; i < chunks.size(); ++i)
                if (shape[i] > 0 && chunks[i] > shape[i])
                    failAt(jsonPointer(p.at(QStringLiteral("chunks")), qsizetype(i)),
                           QStringLiteral("%1 is larger than the dimension's %2, which HDF5 refuses for a fixed-size "
                                          "dataset")
                               .arg(chunks[i])
                               .arg(shape[i]));
    }

    bool compressesChunks(const StoreOptions &o) const override { return !options(o).compression.isEmpty(); }
    int64_t maxChunkBytes() const override { return kMaxHdf5ChunkBytes; }
    QString maxChunkBytesWho() const override { return QStringLiteral("HDF5"); }

    MemoryEstimate memoryEstimate(const StoreOptions &o, int64_t nbytes) const override
    {
        return chunkedMemoryEstimate(nbytes, !options(o).compression.isEmpty(), !options(o).file.isEmpty());
    }

    QString locationKey() const override { return QStringLiteral("file"); }
    QString location(const StoreOptions &o) const override { return options(o).file; }
    QString objectWithin(const StoreOptions &o) const override
    {
        return QDir::cleanPath(QLatin1Char('/') + options(o).dataset);
    }
    std::optional<QString> overwriteRefusal(const QString &path) const override { return hdf5OverwriteRefusal(path); }

    // Overwrite would delete a group (and every dataset in it), or a run would write through a
    // virtual dataset into its sources.
    std::optional<std::pair<QString, QString>> objectRefusal(const StoreOptions &o, const StoreArray &array,
                                                             bool runTarget) const override
    {
        const bool replaced = array.overwrite && !array.existing;
        const bool writtenThrough = runTarget && array.existing;
        const QString &file = options(o).file;
        if (file.isEmpty() || (!replaced && !writtenThrough))
            return std::nullopt;
        const QString dataset = objectWithin(o);
        const std::optional<Hdf5PathInfo> info = inspectHdf5Path(file, dataset);
        if (!info)
            return std::nullopt;
        const QString where = file + QLatin1Char(':') + dataset;
        const QString refusal = replaced ? hdf5NotADatasetRefusal(where, info->kind)
                                         : (info->virtualLayout ? hdf5VirtualTargetRefusal(where) : QString());
        if (refusal.isEmpty())
            return std::nullopt;
        return std::make_pair(QStringLiteral("dataset"), refusal);
    }

    std::unique_ptr<Store> open(const StoreOptions &o, const StoreArray &array) const override
    {
        return createHdf5Store(options(o), array);
    }

    QList<StoredFact> storedFacts(const Store &store, const StoreOptions &, const StoreArray &array) const override
    {
        QList<StoredFact> facts = commonFacts(store, array);
        // A contiguous dataset's only chunk is the whole array, and a scenario may say so.
        const auto *hdf5 = dynamic_cast<const Hdf5Store *>(&store);
        if (hdf5 && !hdf5->chunked() && Coords::fromVector(array.chunks) == store.shape())
            facts[2].agrees = true;
        return facts;
    }

    QString disagreement(const Store &store, const StoreOptions &, const StoredFact &fact) const override
    {
        const auto *hdf5 = dynamic_cast<const Hdf5Store *>(&store);
        return QStringLiteral("dataset %1 has %2 %3, not %4")
            .arg(hdf5 ? hdf5->location() : QString(), fact.key, fact.stored, fact.given);
    }

    bool takesHdf5Path() const override { return true; }
    QString sharedWriteRefusal(const StoreOptions &o) const override
    {
        if (location(o).isEmpty())
            return TypedStoreKind::sharedWriteRefusal(o);
        // One HDF5 file written by several processes needs the MPI-IO driver of parallel HDF5
        // (libhdf5-openmpi-dev), with the file created collectively; this build links serial HDF5.
        return QStringLiteral("several MPI ranks writing one HDF5 file need parallel HDF5 (libhdf5-openmpi-dev), "
                              "which this build does not use; read HDF5 files from every rank, and write a Zarr "
                              "directory instead");
    }

    QJsonObject keysForNewArray(const QString &arrayId) const override
    {
        return {{QStringLiteral("dataset"), QString(QStringLiteral("/") + arrayId)}};
    }

    QStringList formFields(const QJsonObject &given) const override
    {
        QStringList fields = StoreKind::formFields(given);
        if (given.value(QStringLiteral("compression")) != QJsonValue(QStringLiteral("gzip")))
            fields.removeOne(QStringLiteral("compression_opts"));
        return fields;
    }
};

} // namespace

const StoreKind &hdf5Kind()
{
    static const Hdf5Kind kind;
    return kind;
}

} // namespace cs
