#pragma once

#include "array/dtype.h"

#include <QString>

#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>

namespace cs {

// HDF5 handles are hid_t (int64_t since HDF5 1.10) and its close functions return herr_t (int).
// Spelling them out here keeps <hdf5.h> and its include path out of this header, so that code
// outside core (tests) can hold a store without HDF5's headers; hdf5library.cpp checks the types.
using Hdf5Handle = int64_t;
using Hdf5Closer = int (*)(Hdf5Handle);

// The process-wide mutex around every HDF5 call Chunkscope makes. The thread-safe HDF5 build has a
// global lock of its own; taking ours first lets the workers account the wait for it
// (Phase::StoreLock) and keeps a sequence of calls (select, then read) atomic. Also guards the
// open-file registry below.
std::mutex &hdf5Mutex();

// Readies the calling thread for HDF5 calls: the thread-safe library keeps its automatic error
// printing per thread and switches it on for every new thread, so each worker turns it off before
// its first call. Cheap after the first time. Call with hdf5Mutex() held.
void hdf5PrepareThread();

// The innermost message of the calling thread's HDF5 error stack ("Invalid data for LZF
// decompression"), or an empty string; clears the stack. Where that message is a failed system call
// of HDF5's file drivers, just the system's message ("No space left on device"). Call with
// hdf5Mutex() held.
QString hdf5ErrorText();

// "message: detail", or the message alone when HDF5 gave no detail.
inline QString withDetail(const QString &message, const QString &detail)
{
    return detail.isEmpty() ? message : message + QStringLiteral(": ") + detail;
}

// Owns one HDF5 identifier and closes it with the matching H5?close function. Must be destroyed
// (or reset) with hdf5Mutex() held, like any other HDF5 call.
class Hdf5Id {
public:
    Hdf5Id() = default;
    Hdf5Id(Hdf5Handle id, Hdf5Closer closer)
        : m_id(id)
        , m_closer(closer)
    {
    }
    ~Hdf5Id() { reset(); }
    Hdf5Id(Hdf5Id &&other) noexcept
        : m_id(other.m_id)
        , m_closer(other.m_closer)
    {
        other.m_id = -1;
    }
    Hdf5Id &operator=(Hdf5Id &&other) noexcept
    {
        if (this != &other) {
            reset();
            m_id = other.m_id;
            m_closer = other.m_closer;
            other.m_id = -1;
        }
        return *this;
    }
    Hdf5Id(const Hdf5Id &) = delete;
    Hdf5Id &operator=(const Hdf5Id &) = delete;

    Hdf5Handle get() const { return m_id; }
    operator Hdf5Handle() const { return m_id; }
    bool valid() const { return m_id >= 0; }
    void reset()
    {
        if (m_id >= 0 && m_closer)
            m_closer(m_id);
        m_id = -1;
    }

private:
    Hdf5Handle m_id = -1;
    Hdf5Closer m_closer = nullptr;
};

// One open HDF5 file, shared by every store whose dataset lives in it. The last reference must be
// released with hdf5Mutex() held (it closes the file).
class Hdf5File {
public:
    Hdf5File(Hdf5Id id, QString displayName, bool inMemory, bool writable);
    Hdf5Handle id() const { return m_id.get(); }
    // The file as the scenario named it ("data.h5"), or "in memory".
    const QString &displayName() const { return m_displayName; }
    bool inMemory() const { return m_inMemory; }
    bool writable() const { return m_writable; }

private:
    Hdf5Id m_id;
    QString m_displayName;
    bool m_inMemory;
    bool m_writable;
};

// Open files by canonical path, so that two arrays naming one file share it, and the current
// in-memory file (the notebook's h5fmem holding h1 and h2). Entries vanish with their last store.
// Every function needs hdf5Mutex() held.
namespace hdf5files {
// The open file at this canonical path, or null.
std::shared_ptr<Hdf5File> findOnDisk(const QString &canonicalPath);
void addOnDisk(const QString &canonicalPath, const std::shared_ptr<Hdf5File> &file);
// The in-memory file new in-memory datasets go to, or null when there is none open.
std::shared_ptr<Hdf5File> currentInMemory();
// Creates a fresh in-memory file (core driver, no backing store) and makes it the current one.
// Returns null when HDF5 fails.
std::shared_ptr<Hdf5File> createInMemory();
} // namespace hdf5files

// The HDF5 file type of a dtype, as h5py writes it: H5T_STD_I32LE for "<i4", H5T_STD_U16BE for ">u2",
// and for bool an enum of int8 with FALSE = 0 and TRUE = 1 (which h5py reads back as bool).
// Lock held.
Hdf5Id hdf5TypeFor(const DType &dtype);
// The dtype of an HDF5 file type, or nullopt for a type Chunkscope does not model (strings,
// compounds, half floats, other enums). Lock held.
std::optional<DType> dtypeFromHdf5(Hdf5Handle type);
// Why HDF5 has no type for a dtype (unicode, datetime64), or empty when hdf5TypeFor makes one.
QString hdf5TypeRefusal(const DType &dtype);
// "integer of 10 bytes", "string", ... for messages about a type dtypeFromHdf5 refused. Lock held.
QString describeHdf5Type(Hdf5Handle type);

} // namespace cs
