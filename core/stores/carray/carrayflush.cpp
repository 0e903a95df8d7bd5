// Completing a carray's rootdir on disk: by the one process that wrote it (flush()), or, when the
// ranks of an MPI job write their chunks of it at once, by one of them after all have written.

#include "carraystore.h"

#include <vector>

namespace cs {

namespace {

// Runs `step`, naming the array in what it throws.
template <typename Step> void namingArray(const QString &id, Step step)
{
    try {
        step();
    } catch (const CodecError &e) {
        throw StoreError(QStringLiteral("array %1: blosc compression failed: %2").arg(id, e.message()));
    } catch (const StoreError &e) {
        if (e.message().startsWith(QStringLiteral("array ")))
            throw;
        throw StoreError(QStringLiteral("array %1: %2").arg(id, e.message()));
    }
}

} // namespace

void CarrayStore::writeRootdirFiles(const std::function<bool(int64_t)> &unwritten, bool leftover)
{
    const size_t cap = m_codec.maxEncodedSize(chunkBytes());
    std::vector<char> file(BcolzRootdir::kHeaderBytes + cap);
    char *frame = file.data() + BcolzRootdir::kHeaderBytes;
    size_t zeroFrameBytes = 0;
    for (int64_t n = 0; n < m_fullChunks; ++n) {
        if (!unwritten(n))
            continue;
        Slot &slot = m_slots[size_t(n)];
        const Coords cc = grid().chunkCoords(n);
        try {
            if (!zeroFrameBytes) {
                const std::vector<char> zeros(chunkBytes(), 0);
                zeroFrameBytes = m_codec.encode(zeros.data(), chunkBytes(), frame, cap);
            }
            m_rootdir.writeChunk(n, file.data(), zeroFrameBytes);
        } catch (const StoreError &e) {
            throw StoreError(fileError(cc, e));
        }
        slot.bytes.store(int64_t(zeroFrameBytes));
        slot.state.store(SlotState::Frame);
    }
    if (leftover && m_leftoverRows > 0) {
        // bcolz's carray.flush(): the leftover rows alone, compressed as one frame.
        const Coords cc = grid().chunkCoords(m_fullChunks);
        try {
            const size_t bytes = m_codec.encode(m_leftover.get(), size_t(leftoverBytes()), frame, cap);
            m_rootdir.writeChunk(m_fullChunks, file.data(), bytes);
        } catch (const StoreError &e) {
            throw StoreError(fileError(cc, e));
        }
    }
}

void CarrayStore::flush()
{
    if (!onDisk())
        return;
    const bool leftoverWritten = m_leftoverDirty.exchange(false);
    namingArray(id(), [&] {
        // Chunks never written become chunks of zeros, so that the rootdir is complete. A process that
        // shares the rootdir with others stores only what it wrote: the chunks it did not write are
        // the others', and the sizes count them all (endSharedWriting()).
        writeRootdirFiles([&](int64_t n) { return !m_shared && m_slots[size_t(n)].state.load() == SlotState::Empty; },
                          !m_shared || leftoverWritten);
        if (!m_shared)
            m_rootdir.writeSizes(shape(), nbytes(), cbytes());
    });
    m_dirty.store(false);
}

bool CarrayStore::shareWriting()
{
    if (!onDisk())
        return false;
    m_shared = true;
    // Opening a rootdir reads its leftover file: a new rootdir gets one now, before the others open it.
    if (m_leftoverRows > 0 && m_rootdir.chunkFileBytes(m_fullChunks) < 0)
        namingArray(id(), [&] { writeRootdirFiles([](int64_t) { return false; }, true); });
    return true;
}

void CarrayStore::endSharedWriting(bool completing)
{
    if (!m_shared)
        return;
    namingArray(id(), [&] {
        // What no process wrote (a run that failed) becomes zeros, as flush() makes it in one process.
        if (completing)
            writeRootdirFiles([&](int64_t n) { return m_rootdir.chunkFileBytes(n) < 0; },
                              m_rootdir.chunkFileBytes(m_fullChunks) < 0);
        // Every process's chunk files and leftover rows, as the next run will read them.
        openExisting();
        if (completing)
            m_rootdir.writeSizes(shape(), nbytes(), cbytes());
    });
}

} // namespace cs
