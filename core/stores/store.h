#pragma once

#include "array/chunkgrid.h"
#include "array/dtype.h"
#include "stores/hdf5path.h"
#include "stores/storeinfo.h"

#include <QString>

#include <stdexcept>

namespace cs {

class TaskContext;

// A failure of a store: a corrupt chunk, a missing file, a failed write. The message names the
// array and, where there is one, the chunk. Thrown only on failure, so the hot path pays nothing.
class StoreError : public std::runtime_error {
public:
    explicit StoreError(const QString &message)
        : std::runtime_error(message.toStdString())
        , m_message(message)
    {
    }
    const QString &message() const { return m_message; }

private:
    QString m_message;
};

// An N-dimensional array held somewhere: memory, Zarr, HDF5, carray. Any region can be read into or
// written from a dense C-order buffer of the region's shape.
//
// Thread safety: read() and write() may be called from many workers at once. Writes of disjoint
// regions never interfere, even when they share a storage chunk (the store serialises the
// read-modify-write of a shared chunk itself). Stores account their time to the phases of the
// TaskContext and take ctx.ioLock around the raw write of encoded bytes.
class Store {
public:
    Store(QString id, DType dtype, Coords shape, Coords chunks);
    virtual ~Store();
    Store(const Store &) = delete;
    Store &operator=(const Store &) = delete;

    const QString &id() const { return m_id; }
    const DType &dtype() const { return m_dtype; }
    const Coords &shape() const { return m_grid.shape(); }
    const Coords &chunks() const { return m_grid.chunks(); }
    const ChunkGrid &grid() const { return m_grid; }
    int64_t nbytes() const { return shape().product() * m_dtype.itemsize(); }

    virtual QString kind() const = 0;
    virtual void read(const Region &region, void *out, TaskContext &ctx) = 0;
    virtual void write(const Region &region, const void *in, TaskContext &ctx) = 0;
    virtual StoreInfo info() const = 0;

    // For stores whose data are one dense C-order buffer: the address of the region when it is
    // contiguous there, so the engine can copy into or out of it without an intermediate buffer.
    virtual const char *contiguous(const Region &region) const;
    virtual char *contiguousMutable(const Region &region);

    // Called once before a run writes to this store and once after, outside the timed part
    // (flushing a file, for example). Defaults do nothing.
    // True when a fresh store already reads as zeros, so a "zeros" fill need not write anything
    // (a NumPy-like calloc'd buffer, a Zarr array whose fill_value is 0).
    virtual bool readsZerosWhenFresh() const { return false; }

    virtual void beginWriting() { }
    virtual void endWriting() { }
    // Called before a run's verification reads this store as its target, after the workers stopped:
    // a store that keeps written data in a cache of its own drops it, so that verification compares
    // what is stored rather than what was written. Throws StoreError.
    virtual void beforeVerifying() { }

    // Called before each run that reads or writes this store, outside the timed part, with the run's
    // copy grid and requested HDF5 path. Returns the path the store will take ("direct", "library"),
    // or an empty string for stores that have only one.
    virtual QString prepareCopy(const ChunkGrid &copyGrid, Hdf5Path requested)
    {
        Q_UNUSED(copyGrid);
        Q_UNUSED(requested);
        return {};
    }

    // Whether, on the path the last prepareCopy chose, the codec runs inside the store's own global
    // lock (HDF5's library path runs its filters inside H5Dread / H5Dwrite): then any wait for that
    // lock serialises the codec too.
    virtual bool codecUnderStoreLock() const { return false; }

protected:
    // Fills the fields every store shares; subclasses add sizes, counts and codec.
    StoreInfo baseInfo() const;
    // "array z2, chunk [3, 1]: " for error messages.
    QString chunkLabel(const Coords &chunkCoords) const;

private:
    QString m_id;
    DType m_dtype;
    ChunkGrid m_grid;
};

} // namespace cs
