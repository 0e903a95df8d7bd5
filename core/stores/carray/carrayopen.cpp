#include "stores/carray/carraystore.h"

namespace cs {

std::unique_ptr<Store> createCarrayStore(const CarrayOptions &options, const StoreArray &array)
{
    const auto arrayError
        = [&](const QString &message) { return StoreError(QStringLiteral("array %1: %2").arg(array.id, message)); };
    const bool existing = array.existing;
    if (existing && options.rootdir.isEmpty())
        throw arrayError(QStringLiteral("fill \"existing\" needs a rootdir"));

    BcolzRootdir rootdir(options.rootdir);
    BcolzMeta meta;
    if (existing) {
        try {
            meta = rootdir.open();
        } catch (const StoreError &e) {
            throw arrayError(e.message());
        }
    } else {
        if (array.shape.size() > size_t(kMaxRank) || array.shape.empty())
            throw arrayError(QStringLiteral("a carray needs a shape of rank 1 to %1").arg(kMaxRank));
        meta.dtype = array.dtype;
        meta.shape = Coords::fromVector(array.shape);
        meta.cparams.cname = options.cparams.cname;
        meta.cparams.clevel = options.cparams.clevel;
        meta.cparams.shuffle = options.cparams.shuffle;
        meta.cparams.blocksize = options.cparams.blocksize;
        meta.cparams.typesize = array.dtype.itemsize();
        meta.expectedlen = meta.shape[0];
        meta.chunklen = options.chunklen;
        if (meta.chunklen == 0 && !array.chunks.empty() && array.chunks[0] > 0)
            meta.chunklen = array.chunks[0];
        if (meta.chunklen == 0)
            meta.chunklen = bcolzDefaultChunklen(meta.shape[0], rowBytesOf(meta.shape, meta.dtype));
    }

    int64_t rowBytes = 0;
    const QString problem = checkParams(meta.dtype, meta.shape, meta.chunklen, meta.cparams, &rowBytes);
    if (!problem.isEmpty())
        throw arrayError(existing ? QStringLiteral("rootdir %1: %2").arg(options.rootdir, problem) : problem);
    meta.nbytes = rowBytes * meta.shape[0];

    std::unique_ptr<CarrayStore> store;
    try {
        store.reset(new CarrayStore(array.id, meta.dtype, meta.shape, meta.chunklen, meta.cparams, options.rootdir));
    } catch (const std::bad_alloc &) {
        throw arrayError(QStringLiteral("not enough memory for a carray of shape %1").arg(meta.shape.toString()));
    } catch (const CodecError &e) {
        throw arrayError(e.message());
    }
    if (existing) {
        store->openExisting();
    } else if (!options.rootdir.isEmpty()) {
        try {
            rootdir.create(meta, store->cbytes(), array.overwrite);
        } catch (const StoreError &e) {
            throw arrayError(e.message());
        }
        store->m_dirty.store(true);
    }
    return store;
}

} // namespace cs
