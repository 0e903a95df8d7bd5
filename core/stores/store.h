#pragma once

#include "array/chunkgrid.h"
#include "array/dtype.h"
#include "kv/storeerror.h"
#include "stores/hdf5path.h"
#include "stores/storeinfo.h"

#include <QString>

#include <mutex>

#include <stdexcept>

namespace cs {

class TaskContext;

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
    // Writes `region`, reading it from `source` one part at a time as it goes, when this store builds
    // its storage chunks from smaller parts (a Zarr v3 shard from its inner chunks): the region is then
    // never held whole, and each part is encoded while it is still in the worker's cache. False, having
    // read and written nothing, when the store does not stream this region; the caller then reads it
    // whole and calls write(). The source's reads account their own phases. `writeLock`, when given (lock
    // mode "target"), is held around this store's own work, its encoding and writing, and not around the
    // source's reads: what it covers when the region is read whole and then written.
    virtual bool writeStreamed(const Region &region, Store &source, TaskContext &ctx, std::mutex *writeLock);
    // The scratch memory each worker takes for this store beyond the engine's chunk-sized buffers
    // (a Zarr v3 shard being assembled, for example), when it reads and, with `writing`, writes.
    virtual int64_t scratchBytesPerWorker(bool writing) const
    {
        Q_UNUSED(writing);
        return 0;
    }
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

    // Under MPI, every process of the job writes its own chunks of this array through a store of its
    // own, on a path they all see. Called on every process once the array is open, on the first
    // process before any other opens it: from then on, ending a write stores only what this process
    // wrote. Returns whether what depends on every process's chunks is left to endSharedWriting()
    // (a bcolz rootdir's sizes); a store whose chunks are all it stores returns false. Throws StoreError.
    virtual bool shareWriting() { return false; }
    // After every process ended writing: called first on one process with `completing`, which stores
    // what depends on every process's chunks, then on the others, which take up what the others
    // wrote. Throws StoreError.
    virtual void endSharedWriting(bool completing) { Q_UNUSED(completing); }

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
