#include "stores/carray/carraystore.h"

namespace cs {

namespace {

// With fill "existing", what the scenario itself gives must agree with the rootdir.
void checkAgreement(const ArraySpec &spec, const BcolzMeta &meta)
{
    const auto fail = [&](const QString &what, const QString &file, const QString &given) {
        throw StoreError(QStringLiteral("array %1: rootdir %2 holds %3 %4 but the scenario gives %5")
                             .arg(spec.id, spec.rootdir, what, file, given));
    };
    const QJsonObject &given = spec.given;
    if (given.contains(QStringLiteral("dtype")) && spec.dtype != meta.dtype)
        fail(QStringLiteral("dtype"), meta.dtype.typestr(), spec.dtype.typestr());
    if (given.contains(QStringLiteral("shape")) && Coords::fromVector(spec.shape) != meta.shape)
        fail(QStringLiteral("shape"), meta.shape.toString(), Coords::fromVector(spec.shape).toString());
    if (given.contains(QStringLiteral("chunklen")) && spec.chunklen != meta.chunklen)
        fail(QStringLiteral("chunklen"), QString::number(meta.chunklen), QString::number(spec.chunklen));
    if (given.contains(QStringLiteral("chunks"))) {
        Coords chunks = meta.shape;
        chunks[0] = meta.chunklen;
        if (Coords::fromVector(spec.chunks) != chunks)
            fail(QStringLiteral("chunks"), chunks.toString(), Coords::fromVector(spec.chunks).toString());
    }
}

} // namespace

std::unique_ptr<Store> createCarrayStore(const ArraySpec &spec)
{
    const auto arrayError
        = [&](const QString &message) { return StoreError(QStringLiteral("array %1: %2").arg(spec.id, message)); };
    const bool existing = spec.fill.kind == FillSpec::Kind::Existing;
    if (existing && spec.rootdir.isEmpty())
        throw arrayError(QStringLiteral("fill \"existing\" needs a rootdir"));

    BcolzRootdir rootdir(spec.rootdir);
    BcolzMeta meta;
    if (existing) {
        try {
            meta = rootdir.open();
        } catch (const StoreError &e) {
            throw arrayError(e.message());
        }
        checkAgreement(spec, meta);
    } else {
        if (spec.shape.size() > size_t(kMaxRank) || spec.shape.empty())
            throw arrayError(QStringLiteral("a carray needs a shape of rank 1 to %1").arg(kMaxRank));
        meta.dtype = spec.dtype;
        meta.shape = Coords::fromVector(spec.shape);
        meta.cparams.cname = spec.cparams.cname;
        meta.cparams.clevel = spec.cparams.clevel;
        meta.cparams.shuffle = spec.cparams.shuffle;
        meta.cparams.blocksize = spec.cparams.blocksize;
        meta.cparams.typesize = spec.dtype.itemsize();
        meta.expectedlen = meta.shape[0];
        meta.chunklen = spec.chunklen;
        if (meta.chunklen == 0 && !spec.chunks.empty() && spec.chunks[0] > 0)
            meta.chunklen = spec.chunks[0];
        if (meta.chunklen == 0)
            meta.chunklen = bcolzDefaultChunklen(meta.shape[0], rowBytesOf(meta.shape, meta.dtype));
    }

    int64_t rowBytes = 0;
    const QString problem = checkParams(meta.dtype, meta.shape, meta.chunklen, meta.cparams, &rowBytes);
    if (!problem.isEmpty())
        throw arrayError(existing ? QStringLiteral("rootdir %1: %2").arg(spec.rootdir, problem) : problem);
    meta.nbytes = rowBytes * meta.shape[0];

    std::unique_ptr<CarrayStore> store;
    try {
        store.reset(new CarrayStore(spec.id, meta.dtype, meta.shape, meta.chunklen, meta.cparams, spec.rootdir));
    } catch (const std::bad_alloc &) {
        throw arrayError(QStringLiteral("not enough memory for a carray of shape %1").arg(meta.shape.toString()));
    } catch (const CodecError &e) {
        throw arrayError(e.message());
    }
    if (existing) {
        store->openExisting();
    } else if (!spec.rootdir.isEmpty()) {
        try {
            rootdir.create(meta, store->cbytes(), spec.overwrite);
        } catch (const StoreError &e) {
            throw arrayError(e.message());
        }
        store->m_dirty.store(true);
    }
    return store;
}

} // namespace cs
