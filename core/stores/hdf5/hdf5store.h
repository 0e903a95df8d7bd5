#pragma once

#include "stores/chunkedstore.h"
#include "stores/hdf5/hdf5filterpipeline.h"
#include "stores/hdf5/hdf5library.h"
#include "stores/hdf5/hdf5options.h"
#include "stores/storearray.h"

#include <QByteArray>

#include <array>
#include <memory>
#include <optional>

namespace cs {

// Creates the HDF5 dataset an array describes, or opens it for array.existing (shape, dtype and
// chunks then come from the file). Datasets of one file share the open file; datasets without a
// file go to one shared in-memory file (the core driver without backing store, as the notebook's
// h5fmem). Throws StoreError naming the array.
std::unique_ptr<Store> createHdf5Store(const Hdf5Options &options, const StoreArray &array);

// Why "overwrite" may not replace datasets in the existing `file`, or nullopt when it may: the
// file must be an HDF5 file, since only its dataset is replaced.
std::optional<QString> hdf5OverwriteRefusal(const QString &file);

// What createHdf5Store found out about an open dataset; everything an Hdf5Store needs.
struct Hdf5Dataset {
    std::shared_ptr<Hdf5File> file;
    Hdf5Id dataset;
    Hdf5Id type; // the file type, also used as the memory type: bytes move without conversion
    QString path; // "/h1"
    Hdf5FilterPipeline pipeline;
    bool chunked = true;
    // The dataset's fill value, what a chunk never written reads as: one item, zeros unless the file
    // defines one.
    QByteArray fillItem;
};

// A chunked HDF5 dataset through the libhdf5 C API, in one of two ways per run:
//  library: H5Dread/H5Dwrite of hyperslabs, HDF5 running the filters inside its lock, as h5py does;
//  direct:  H5Dread_chunk/H5Dwrite_chunk move stored chunks, and the workers run the filter
//           pipeline outside HDF5's lock (only when the copy grid's chunks are the dataset's).
// Every HDF5 call holds hdf5Mutex(); workers account the wait for it to Phase::StoreLock.
class Hdf5Store final : public ChunkedStore {
public:
    Hdf5Store(QString id, DType dtype, Coords shape, Coords chunks, Hdf5Dataset dataset);
    ~Hdf5Store() override;

    QString kind() const override { return QStringLiteral("hdf5"); }
    void read(const Region &region, void *out, TaskContext &ctx) override;
    void write(const Region &region, const void *in, TaskContext &ctx) override;
    StoreInfo info() const override;
    void endWriting() override;
    void beforeVerifying() override;
    QString prepareCopy(const ChunkGrid &copyGrid, Hdf5Path requested) override;
    bool codecUnderStoreLock() const override { return !m_direct; }
    // On the direct path a chunk's stored form is its bytes and the filter mask, which moves with them.
    std::optional<EncodedForm> encodedForm(QString *whyNot) const override;

    // "data.h5:/h1" or "in memory:/h1".
    const QString &location() const { return m_location; }
    const Hdf5FilterPipeline &pipeline() const { return m_pipeline; }
    // The path prepareCopy chose; library until the first prepareCopy.
    bool usesDirectPath() const { return m_direct; }
    // False for a contiguous dataset, whose chunks() are the pieces the copy moves it in.
    bool chunked() const { return m_chunked; }

    // A chunk's stored bytes and the filter mask the chunk index records for it, or nullopt for a
    // chunk never written. For diagnostics and tests; not on the copy path. Throws StoreError.
    struct RawChunk {
        QByteArray bytes;
        uint32_t filterMask = 0;
    };
    std::optional<RawChunk> rawChunk(const Coords &chunkCoords) const;
    // Stores bytes as a chunk verbatim (H5Dwrite_chunk), whatever they contain. Throws StoreError.
    void writeRawChunk(const Coords &chunkCoords, const QByteArray &bytes, uint32_t filterMask);

protected:
    // The direct path: a raw chunk through H5Dread_chunk / H5Dwrite_chunk, the filter pipeline on
    // the worker.
    bool loadChunk(int64_t linear, const Coords &chunkCoords, char *dest, TaskContext &ctx) override;
    void storeChunk(int64_t linear, const Coords &chunkCoords, const char *chunk, TaskContext &ctx) override;
    EncodedChunk readEncoded(int64_t linear, const Coords &chunkCoords, TaskContext &ctx) override;
    void writeEncoded(int64_t linear, const Coords &chunkCoords, const EncodedChunk &chunk, TaskContext &ctx) override;
    bool keepsFilterMask() const override { return true; }

private:
    void libraryRead(const Region &region, void *out, TaskContext &ctx);
    void libraryWrite(const Region &region, const void *in, TaskContext &ctx);
    // The stored size (hsize_t) and filter mask of the chunk at this element offset, as the chunk
    // index records them; size 0 for a chunk never written. Lock held.
    bool storedChunk(const unsigned long long *offset, unsigned long long *bytes, uint32_t *mask) const;
    // H5Dwrite_chunk, making sure the chunk index records the new mask when maskMayChange (HDF5
    // 1.10 keeps the old one when the stored size stays the same). Lock held.
    bool putChunk(const unsigned long long *offset, uint32_t mask, size_t bytes, const char *data, bool maskMayChange);
    // Makes HDF5 forget the stale record H5Dwrite_chunk leaves of the chunk it stored last, before
    // H5Dread/H5Dwrite use it. Lock held; not while workers run. Throws StoreError.
    void forgetStoredChunkRecord();
    // Closes and reopens the dataset, which drops HDF5's chunk cache and other state for it (this
    // store holds the dataset's only handle unless the scenario opened it twice). Lock held.
    void reopenDataset();
    // Selects the region in m_fileSpace and returns a memory dataspace of its shape. Lock held.
    Hdf5Id selectRegion(const Region &region) const;
    // The chunk of a region that HDF5 fails on, found by reading chunk by chunk. Lock held.
    Coords failingChunk(const Region &region) const;
    QString failure(const Coords &chunkCoords, const QString &what, const QString &detail) const;

    std::shared_ptr<Hdf5File> m_file;
    Hdf5Id m_dataset;
    Hdf5Id m_type;
    Hdf5Id m_fileSpace;
    QString m_location;
    QString m_path;
    Hdf5FilterPipeline m_pipeline;
    bool m_chunked;
    bool m_pipelineMaySkip = false; // a filter a chunk may be stored without (LZF, deflate)
    bool m_direct = false;
    bool m_chunksPut = false; // H5Dwrite_chunk ran since the last forgetStoredChunkRecord; lock held
    bool m_heldBack = false; // H5Dwrite ran since the dataset was last flushed; lock held
};

} // namespace cs
