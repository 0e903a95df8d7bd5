// The chunk algorithm every chunked store shares (Zarr, carray, HDF5's direct path), tested once on
// a store whose chunk-level load and store only record what they were asked.
#include "results/runresult.h"
#include "results/verdict.h"
#include "stores/chunkedstore.h"
#include "task/taskcontext.h"

#include <QTest>

#include <condition_variable>
#include <cstring>
#include <map>
#include <mutex>
#include <thread>
#include <vector>

using namespace cs;

namespace {

// Keeps decoded chunks in a map and records every load and store. One chunk's store can be held
// until released, to keep its writer inside the chunk's read-modify-write.
class RecordingStore final : public ChunkedStore {
public:
    RecordingStore(Coords shape, Coords chunks, char fill)
        : ChunkedStore(QStringLiteral("t"), DType::parse(QStringLiteral("|u1")).value(), shape, chunks,
                       QByteArray(1, fill))
    {
    }
    QString kind() const override { return QStringLiteral("recording"); }
    StoreInfo info() const override { return baseInfo(); }

    struct Load {
        int64_t linear;
        const char *dst;
    };
    std::vector<Load> loads;
    std::vector<int64_t> stores;
    std::map<int64_t, QByteArray> chunksStored;
    QString failWith; // loadChunk throws StoreError(failWith) when set

    void holdStoreOf(int64_t linear) { m_held = linear; }
    void release()
    {
        std::lock_guard<std::mutex> lock(m_mutex);
        m_released = true;
        m_cv.notify_all();
    }
    bool waitUntilHolding()
    {
        std::unique_lock<std::mutex> lock(m_mutex);
        return m_cv.wait_for(lock, std::chrono::seconds(10), [&] { return m_holding; });
    }

protected:
    bool loadChunk(int64_t linear, const Coords &, char *dst, TaskContext &) override
    {
        std::lock_guard<std::mutex> lock(m_mutex);
        if (!failWith.isEmpty())
            throw StoreError(failWith);
        loads.push_back({linear, dst});
        const auto it = chunksStored.find(linear);
        if (it == chunksStored.end())
            return false;
        std::memcpy(dst, it->second.constData(), size_t(it->second.size()));
        return true;
    }
    void storeChunk(int64_t linear, const Coords &, const char *src, TaskContext &) override
    {
        std::unique_lock<std::mutex> lock(m_mutex);
        if (linear == m_held) {
            m_holding = true;
            m_cv.notify_all();
            m_cv.wait(lock, [&] { return m_released; });
        }
        stores.push_back(linear);
        chunksStored[linear] = QByteArray(src, qsizetype(chunkBytes()));
    }

private:
    std::mutex m_mutex;
    std::condition_variable m_cv;
    int64_t m_held = -1;
    bool m_holding = false;
    bool m_released = false;
};

Coords coords(std::initializer_list<int64_t> values)
{
    return Coords::fromVector(std::vector<int64_t>(values));
}

Region region(std::initializer_list<int64_t> start, std::initializer_list<int64_t> stop)
{
    return Region{coords(start), coords(stop)};
}

QByteArray counting(int n)
{
    QByteArray b(n, Qt::Uninitialized);
    for (int i = 0; i < n; ++i)
        b[i] = char(i + 1);
    return b;
}

} // namespace

class TestChunkedStore : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void wholeChunkWritesNeverRead()
    {
        RecordingStore s(coords({6, 8}), coords({3, 4}), 0);
        TaskContext ctx;
        const QByteArray in = counting(48);
        s.write(Region::whole(s.shape()), in.constData(), ctx);
        QCOMPARE(s.loads.size(), size_t(0));
        QCOMPARE(s.stores.size(), size_t(4));
        QByteArray out(48, 0);
        s.read(Region::whole(s.shape()), out.data(), ctx);
        QCOMPARE(out, in);
        // Chunk (0, 1) holds rows 0-2, columns 4-7, in C order.
        QCOMPARE(s.chunksStored.at(1), QByteArray("\x05\x06\x07\x08\x0d\x0e\x0f\x10\x15\x16\x17\x18"));
    }

    void contiguousChunksLoadInPlace()
    {
        // Chunks of whole rows lie contiguous in a region of whole rows: loaded straight into it.
        RecordingStore s(coords({6, 8}), coords({2, 8}), 0);
        TaskContext ctx;
        const QByteArray in = counting(48);
        s.write(Region::whole(s.shape()), in.constData(), ctx);
        QByteArray out(32, 0);
        s.read(region({2, 0}, {6, 8}), out.data(), ctx);
        QCOMPARE(out, in.mid(16));
        QCOMPARE(s.loads.size(), size_t(2));
        QCOMPARE(s.loads[0].linear, int64_t(1));
        QCOMPARE(s.loads[0].dst, out.constData());
        QCOMPARE(s.loads[1].dst, out.constData() + 16);
    }

    void edgeChunksAreStoredPaddedWithTheFillValue()
    {
        RecordingStore s(coords({5}), coords({3}), char(0x7f));
        TaskContext ctx;
        const QByteArray in = counting(5);
        s.write(Region::whole(s.shape()), in.constData(), ctx);
        QCOMPARE(s.loads.size(), size_t(0));
        QCOMPARE(s.chunksStored.at(1), QByteArray("\x04\x05\x7f"));
    }

    void chunksNeverStoredReadAsTheFillValue()
    {
        RecordingStore s(coords({4, 4}), coords({2, 2}), char(0x2a));
        TaskContext ctx;
        QByteArray out(6, 0);
        s.read(region({1, 1}, {3, 4}), out.data(), ctx); // parts of all four chunks
        QCOMPARE(out, QByteArray(6, char(0x2a)));
        QCOMPARE(s.loads.size(), size_t(4));
    }

    void partialWritesReadModifyWriteAndWaitInTheirOwnPhase()
    {
        // Two tasks each write half of one storage chunk. The first is held inside its
        // read-modify-write; the second must wait for it, in Phase::ChunkLock, and keep its half.
        RecordingStore s(coords({8}), coords({8}), 0);
        s.holdStoreOf(0);
        const QByteArray in = counting(8);
        TaskContext first, second;
        std::thread a([&] { s.write(region({0}, {4}), in.constData(), first); });
        QVERIFY(s.waitUntilHolding());
        std::thread b([&] { s.write(region({4}, {8}), in.constData() + 4, second); });
        const int64_t holdNs = 50'000'000;
        std::this_thread::sleep_for(std::chrono::nanoseconds(holdNs));
        s.release();
        a.join();
        b.join();
        QVERIFY2(second.phaseNs[size_t(Phase::ChunkLock)] >= holdNs * 8 / 10,
                 qPrintable(QString::number(second.phaseNs[size_t(Phase::ChunkLock)])));
        QCOMPARE(second.phaseNs[size_t(Phase::StoreLock)], int64_t(0));
        QCOMPARE(second.phaseNs[size_t(Phase::LockWait)], int64_t(0));
        QCOMPARE(first.phaseNs[size_t(Phase::ChunkLock)], int64_t(0));
        QCOMPARE(s.chunksStored.at(0), in);
        QCOMPARE(s.loads.size(), size_t(2));
    }

    void errorsNameTheArrayAndTheChunkOnce()
    {
        RecordingStore s(coords({4}), coords({2}), 0);
        TaskContext ctx;
        QByteArray out(4, 0);
        s.failWith = QStringLiteral("corrupt");
        try {
            s.read(region({2}, {3}), out.data(), ctx);
            QFAIL("no error");
        } catch (const StoreError &e) {
            QCOMPARE(e.message(), QStringLiteral("array t, chunk [1]: corrupt"));
        }
        s.failWith = QStringLiteral("array t, chunk [1]: missing chunk file x");
        try {
            s.read(region({2}, {4}), out.data(), ctx);
            QFAIL("no error");
        } catch (const StoreError &e) {
            QCOMPARE(e.message(), QStringLiteral("array t, chunk [1]: missing chunk file x"));
        }
    }

    void regionsOutsideTheShapeAreRefused()
    {
        RecordingStore s(coords({4}), coords({2}), 0);
        TaskContext ctx;
        QByteArray buffer(8, 0);
        try {
            s.write(region({2}, {6}), buffer.constData(), ctx);
            QFAIL("no error");
        } catch (const StoreError &e) {
            QCOMPARE(e.message(), QStringLiteral("array t: region [[2, 6]] is outside the shape [4]"));
        }
        QCOMPARE(s.stores.size(), size_t(0));
    }

    void theVerdictNamesTheChunkLock()
    {
        RunResult r;
        r.workers = 2;
        r.wallSeconds = 1.0;
        r.bytes = 1 << 20;
        r.target.chunks = coords({100});
        for (int w = 0; w < 2; ++w) {
            TaskEvent e;
            e.task = w;
            e.worker = w;
            e.startNs = 1;
            e.endNs = 1'000'000'000;
            e.phaseNs[size_t(Phase::ChunkLock)] = 600'000'000;
            e.phaseNs[size_t(Phase::Encode)] = 300'000'000;
            r.events.push_back(e);
        }
        const Verdict v = verdictFor(r);
        QCOMPARE(Verdict::boundKey(v.bound), QStringLiteral("chunk_lock"));
        QVERIFY2(v.headline.startsWith(QStringLiteral("bound by shared storage chunks: workers waited 60% ")),
                 qPrintable(v.headline));
        QVERIFY2(v.headline.endsWith(QStringLiteral("whole storage chunks ([100]) write without reading")),
                 qPrintable(v.headline));
    }
};

QTEST_GUILESS_MAIN(TestChunkedStore)
#include "tst_chunkedstore.moc"
