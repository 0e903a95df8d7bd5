// What a run may allocate: the estimate counts the per-task event log and the samples, a run checks
// the sizes its files announce against the memory available before it allocates anything, a
// contiguous HDF5 dataset is copied in pieces of about 4 MiB, and an allocation that still fails
// fails its run only. Nothing here allocates more than a few megabytes, even when it fails.
#include "array/memorysize.h"
#include "engine/copyrun.h"
#include "profiler/resourcesampler.h"
#include "results/runresult.h"
#include "runner/arrayset.h"
#include "runner/runexecutor.h"
#include "scenario/allocation.h"
#include "scenario/scenarioparser.h"
#include "scenarioruns.h"
#include "stores/memory/memorystore.h"
#include "task/taskcontext.h"
#include "testfiles.h"

#include <QDir>
#include <QFile>
#include <QProcess>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QTest>
#include <QThread>

#include <hdf5.h>

#include <atomic>
#include <cstring>
#include <new>

using namespace cs;

namespace {

// Bytes per task of a profiled run: its slot in the event log and its copy in the result.
constexpr int64_t kEventBytes = 280;
// At most 65536 samples of 80 bytes, held by the sampler and copied into the result.
constexpr int64_t kSampleBytes = 2 * 65536 * 80;

// A Zarr v2 directory holding only its metadata: every chunk reads as the fill value.
bool writeZarray(const QString &dir, const QByteArray &shape, const QByteArray &chunks)
{
    return QDir().mkpath(dir)
        && writeAll(dir + QStringLiteral("/.zarray"),
                    R"({"zarr_format": 2, "shape": )" + shape + R"(, "chunks": )" + chunks
                        + R"(, "dtype": "|u1", "compressor": null, "fill_value": 0, "order": "C", "filters": null})");
}

// A run that copies a few bytes, to show that the run after a failed one goes on.
const QByteArray kSmallArrays
    = R"("a": {"store": "memory", "dtype": "<i4", "shape": [100], "chunks": [10], "fill": "arange"},
    "b": {"store": "memory", "like": "a", "fill": "empty"})";
const QByteArray kSmallRun = R"({"name": "small", "source": "a", "target": "b"})";

void checkSmallRun(const RunResult &r)
{
    QCOMPARE(r.name, QStringLiteral("small"));
    QCOMPARE(statusName(r.status), QStringLiteral("ok"));
    QCOMPARE(r.verified, std::optional<bool>(true));
    QCOMPARE(r.bytes, int64_t(400));
}

// The message of a run refused for want of memory, up to the figure of available memory, which
// changes from moment to moment; that figure must be a size.
void checkNotEnoughMemory(const QString &error, const QString &expectedUpToAvailable)
{
    QVERIFY2(error.startsWith(expectedUpToAvailable), qPrintable(error));
    const QString rest = error.mid(expectedUpToAvailable.size());
    QVERIFY2(QRegularExpression(QStringLiteral("^[0-9.]+ (B|KiB|MiB|GiB|TiB) is available$")).match(rest).hasMatch(),
             qPrintable(rest));
}

// A source store that runs out of memory on its reads after the first `goodReads`.
class OutOfMemoryStore final : public Store {
public:
    OutOfMemoryStore(Store &inner, int goodReads)
        : Store(inner.id(), inner.dtype(), inner.shape(), inner.chunks())
        , m_inner(inner)
        , m_goodReads(goodReads)
    {
    }
    QString kind() const override { return m_inner.kind(); }
    void read(const Region &region, void *out, TaskContext &ctx) override
    {
        if (m_reads.fetch_add(1) >= m_goodReads)
            throw std::bad_alloc();
        m_inner.read(region, out, ctx);
    }
    void write(const Region &region, const void *in, TaskContext &ctx) override { m_inner.write(region, in, ctx); }
    StoreInfo info() const override { return m_inner.info(); }

private:
    Store &m_inner;
    int m_goodReads;
    std::atomic<int> m_reads{0};
};

// Writes a [rows, cols] uint8 dataset "d" with contiguous layout, as h5py does by default.
bool writeContiguousHdf5(const QString &path, const QByteArray &data, hsize_t rows, hsize_t cols)
{
    const hid_t file = H5Fcreate(path.toUtf8().constData(), H5F_ACC_TRUNC, H5P_DEFAULT, H5P_DEFAULT);
    if (file < 0)
        return false;
    const hsize_t dims[2] = {rows, cols};
    const hid_t space = H5Screate_simple(2, dims, nullptr);
    const hid_t dcpl = H5Pcreate(H5P_DATASET_CREATE);
    H5Pset_layout(dcpl, H5D_CONTIGUOUS);
    const hid_t dataset = H5Dcreate2(file, "d", H5T_STD_U8LE, space, H5P_DEFAULT, dcpl, H5P_DEFAULT);
    const bool ok
        = dataset >= 0 && H5Dwrite(dataset, H5T_NATIVE_UINT8, H5S_ALL, H5S_ALL, H5P_DEFAULT, data.data()) >= 0;
    bool contiguous = false;
    if (dataset >= 0) {
        const hid_t written = H5Dget_create_plist(dataset);
        contiguous = H5Pget_layout(written) == H5D_CONTIGUOUS;
        H5Pclose(written);
        H5Dclose(dataset);
    }
    H5Pclose(dcpl);
    H5Sclose(space);
    return H5Fclose(file) >= 0 && ok && contiguous;
}

} // namespace

class TestMemoryBounds : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void estimateCountsTheEventLog()
    {
        // 400,000,000 one-byte chunks: 400 MB of array, 67.2 GB of event log.
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("tiny-chunks.json"));
        QVERIFY(writeAll(path, R"({"chunkscope": 1, "arrays": {
            "a": {"store": "memory", "dtype": "|u1", "shape": [400000000], "chunks": [1], "fill": "arange"},
            "b": {"store": "memory", "like": "a", "fill": "empty"}},
            "runs": [{"name": "tiny", "source": "a", "target": "b", "workers": 1}]})"));
        QString error;
        const std::optional<Scenario> s = loadScenarioFile(path, &error);
        QVERIFY2(s, qPrintable(error));
        const QList<AllocationLine> lines = estimateAllocation(*s);
        QCOMPARE(lines.size(), 3);
        const int64_t log = int64_t(400000000) * kEventBytes;
        QCOMPARE(lines.at(2).bytes, 3 + log + kSampleBytes);
        QCOMPARE(
            lines.at(2).note,
            QStringLiteral(
                "scratch: 1 worker x 3 x 1 B; event log: 400000000 tasks x 280 (104.3 GiB); samples: up to 10.0 MiB"));
        const int64_t total = int64_t(800000000) + 3 + log + kSampleBytes;
        QCOMPARE(totalAllocation(lines), total);

        // `check` prints it, and `run` refuses it without --allow-large, before building anything.
        QProcess check;
        check.start(QStringLiteral(CHUNKSCOPE_BINARY), {QStringLiteral("check"), path});
        QVERIFY(check.waitForFinished(60000));
        QCOMPARE(check.exitCode(), 0);
        const QString out = QString::fromUtf8(check.readAllStandardOutput());
        QVERIFY2(out.contains(QStringLiteral("  tiny      run      104.3 GiB  (scratch: 1 worker x 3 x 1 B; event log: "
                                             "400000000 tasks x 280 (104.3 GiB); samples: up to 10.0 MiB)\n")),
                 qPrintable(out));
        QVERIFY2(out.contains(QStringLiteral("  total 105.1 GiB of ")), qPrintable(out));

        const int64_t available = HostInfo::current().availableMemoryBytes;
        if (available <= 0 || available >= total)
            QSKIP("this machine has the memory for the run: `run` would not refuse it");
        QProcess run;
        run.start(QStringLiteral(CHUNKSCOPE_BINARY),
                  {QStringLiteral("run"), path, QStringLiteral("--quiet"), QStringLiteral("--json"),
                   dir.filePath(QStringLiteral("out.json"))});
        QVERIFY(run.waitForFinished(60000));
        const QString err = QString::fromUtf8(run.readAllStandardError());
        QCOMPARE(run.exitStatus(), QProcess::NormalExit);
        QCOMPARE(run.exitCode(), 2);
        const QRegularExpression refused(
            QStringLiteral("^error: %1: the scenario needs about 105.1 GiB of memory but "
                           "[0-9.]+ (B|KiB|MiB|GiB|TiB) is available \\(run `chunkscope check` for the "
                           "details, or pass --allow-large to run anyway\\)\n$")
                .arg(QRegularExpression::escape(path)));
        QVERIFY2(refused.match(err).hasMatch(), qPrintable(err));
        QVERIFY(!QFile::exists(dir.filePath(QStringLiteral("out.json"))));
    }

    // A sharded Zarr v3 array takes scratch of its own on every worker, beyond the three chunk buffers:
    // written, the shard being assembled, its index entries and the inner chunk read from the source;
    // read, a shard's decoded index and one inner chunk. The figures follow from the sharding spec.
    void estimateCountsTheShardBuffers()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("sharded.json"));
        QVERIFY(writeAll(path, R"({"chunkscope": 1, "arrays": {
            "a": {"store": "memory", "dtype": "<i4", "shape": [1000], "chunks": [256], "fill": "arange"},
            "z": {"store": "zarr", "like": "a", "zarr_format": 3, "fill": "empty",
                  "codecs": [{"name": "sharding_indexed", "configuration": {"chunk_shape": [64],
                      "codecs": [{"name": "bytes", "configuration": {"endian": "little"}}, {"name": "crc32c"}],
                      "index_codecs": [{"name": "bytes", "configuration": {"endian": "little"}}, {"name": "crc32c"}]}}]},
            "b": {"store": "memory", "like": "a", "fill": "empty"}},
            "runs": [{"name": "in", "source": "a", "target": "z", "workers": 2, "profile": false},
                     {"name": "out", "source": "z", "target": "b", "workers": 2, "profile": false}]})"));
        QString error;
        const std::optional<Scenario> s = loadScenarioFile(path, &error);
        QVERIFY2(s, qPrintable(error));
        // Shards of 256 items hold 4 inner chunks of 64 items (256 bytes); the index is 4 entries of
        // 16 bytes and a crc32c; an inner chunk encodes to its bytes and a crc32c at most.
        const int64_t inner = 64 * 4, entries = 4 * 16, index = entries + 4, encoded = inner + 4;
        const int64_t shard = index + 4 * encoded;
        const int64_t reading = entries + inner;
        const int64_t writing = reading + shard + entries + inner;
        const int64_t chunk = 256 * 4;
        const QList<AllocationLine> lines = estimateAllocation(*s);
        QCOMPARE(lines.size(), 5);
        QCOMPARE(lines.at(3).bytes, 2 * (3 * chunk + writing));
        QCOMPARE(lines.at(3).note,
                 QStringLiteral("scratch: 2 workers x (3 x 1.0 KiB + %1)").arg(formatMemory(writing)));
        QCOMPARE(lines.at(4).bytes, 2 * (3 * chunk + reading));
        QCOMPARE(lines.at(4).note, QStringLiteral("scratch: 2 workers x (3 x 1.0 KiB + %1 B)").arg(reading));

        // The opened store says the same, which is what a run checks before it copies.
        ArraySet arrays(*s);
        const Store &z = arrays.get(QStringLiteral("z"));
        QCOMPARE(z.scratchBytesPerWorker(true), writing);
        QCOMPARE(z.scratchBytesPerWorker(false), reading);

        QProcess check;
        check.start(QStringLiteral(CHUNKSCOPE_BINARY), {QStringLiteral("check"), path});
        QVERIFY(check.waitForFinished(60000));
        QCOMPARE(check.exitCode(), 0);
        const QString out = QString::fromUtf8(check.readAllStandardOutput());
        QVERIFY2(out.contains(QStringLiteral("(scratch: 2 workers x (3 x 1.0 KiB + %1))\n").arg(formatMemory(writing))),
                 qPrintable(out));
    }

    void tasksAnnouncedByAFileAreCheckedBeforeTheRun()
    {
        // 2^40 one-byte chunks on disk: a terabyte-sized event log, refused before it is allocated.
        QTemporaryDir dir;
        QVERIFY(writeZarray(dir.filePath(QStringLiteral("big.zarr")), "[1099511627776]", "[1]"));
        QVERIFY(writeZarray(dir.filePath(QStringLiteral("big2.zarr")), "[1099511627776]", "[1]"));
        const QList<RunResult> results = runScenario(R"({"chunkscope": 1, "arrays": {)" + kSmallArrays + R"(,
            "z": {"store": "zarr", "path": "big.zarr", "fill": "existing"},
            "z2": {"store": "zarr", "path": "big2.zarr", "fill": "existing"}},
            "runs": [{"name": "many", "source": "z", "target": "z2", "workers": 1}, )"
                                                         + kSmallRun + "]}",
                                                     dir.path());
        QCOMPARE(results.size(), 2);
        QCOMPARE(statusName(results[0].status), QStringLiteral("failed"));
        QCOMPARE(results[0].verified, std::optional<bool>(false));
        QVERIFY(results[0].events.empty());
        checkNotEnoughMemory(results[0].error,
                             QStringLiteral("not enough memory: copying z (%1/big.zarr, shape [1099511627776], chunks "
                                            "[1]) into z2 (%1/big2.zarr, shape [1099511627776], chunks [1]) in chunks "
                                            "[1] needs about 280.0 TiB (scratch: 1 worker x 3 x 1 B; event log: "
                                            "1099511627776 tasks x 280 (280.0 TiB); samples: up to 10.0 MiB) but ")
                                 .arg(dir.path()));
        checkSmallRun(results[1]);
    }

    void checkAndRunReadTheSizesFilesAnnounce()
    {
        // The same 2^40 chunks, seen by `check` and refused by `run` before any array is built.
        QTemporaryDir dir;
        QVERIFY(writeZarray(dir.filePath(QStringLiteral("big.zarr")), "[1099511627776]", "[1]"));
        QVERIFY(writeZarray(dir.filePath(QStringLiteral("big2.zarr")), "[1099511627776]", "[1]"));
        const QString path = dir.filePath(QStringLiteral("existing.json"));
        QVERIFY(writeAll(path, R"({"chunkscope": 1, "arrays": {
            "z": {"store": "zarr", "path": "big.zarr", "fill": "existing"},
            "z2": {"store": "zarr", "path": "big2.zarr", "fill": "existing"}},
            "runs": [{"name": "many", "source": "z", "target": "z2", "workers": 1}]})"));
        QProcess check;
        check.start(QStringLiteral(CHUNKSCOPE_BINARY), {QStringLiteral("check"), path});
        QVERIFY(check.waitForFinished(60000));
        QCOMPARE(check.exitCode(), 0);
        const QString out = QString::fromUtf8(check.readAllStandardOutput());
        QVERIFY2(out.contains(QStringLiteral("  many      run      280.0 TiB  (scratch: 1 worker x 3 x 1 B; event log: "
                                             "1099511627776 tasks x 280 (280.0 TiB); samples: up to 10.0 MiB)\n")),
                 qPrintable(out));

        QProcess run;
        run.start(QStringLiteral(CHUNKSCOPE_BINARY), {QStringLiteral("run"), path, QStringLiteral("--quiet")});
        QVERIFY(run.waitForFinished(60000));
        QCOMPARE(run.exitStatus(), QProcess::NormalExit);
        QCOMPARE(run.exitCode(), 2);
        const QString err = QString::fromUtf8(run.readAllStandardError());
        const QRegularExpression refused(
            QStringLiteral("^error: %1: the scenario needs about 280.0 TiB of memory but "
                           "[0-9.]+ (B|KiB|MiB|GiB|TiB) is available \\(run `chunkscope check` for the "
                           "details, or pass --allow-large to run anyway\\)\n$")
                .arg(QRegularExpression::escape(path)));
        QVERIFY2(refused.match(err).hasMatch(), qPrintable(err));
        // Nothing was written next to the metadata.
        QCOMPARE(QDir(dir.filePath(QStringLiteral("big2.zarr"))).entryList(QDir::Files | QDir::Hidden),
                 QStringList{QStringLiteral(".zarray")});
    }

    void chunksLargerThanMemoryAreCheckedBeforeTheRun()
    {
        // Copying a 64 GiB array of small chunks in one 64 GiB chunk: three buffers of that size.
        if (HostInfo::current().availableMemoryBytes > (int64_t(192) << 30))
            QSKIP("this machine has the memory for three 64 GiB buffers");
        QTemporaryDir dir;
        QVERIFY(writeZarray(dir.filePath(QStringLiteral("wide.zarr")), "[68719476736]", "[1048576]"));
        QVERIFY(writeZarray(dir.filePath(QStringLiteral("wide2.zarr")), "[68719476736]", "[1048576]"));
        const QList<RunResult> results = runScenario(R"({"chunkscope": 1, "arrays": {)" + kSmallArrays + R"(,
            "z": {"store": "zarr", "path": "wide.zarr", "fill": "existing"},
            "z2": {"store": "zarr", "path": "wide2.zarr", "fill": "existing"}},
            "runs": [{"name": "whole", "source": "z", "target": "z2", "workers": 1, "profile": false,
                      "chunks": [68719476736]}, )" + kSmallRun
                                                         + "]}",
                                                     dir.path());
        QCOMPARE(results.size(), 2);
        QCOMPARE(statusName(results[0].status), QStringLiteral("failed"));
        checkNotEnoughMemory(results[0].error,
                             QStringLiteral("not enough memory: copying z (%1/wide.zarr, shape [68719476736], chunks "
                                            "[1048576]) into z2 (%1/wide2.zarr, shape [68719476736], chunks [1048576]) "
                                            "in chunks [68719476736] needs about 192.0 GiB (scratch: 1 worker x 3 x "
                                            "64.0 GiB) but ")
                                 .arg(dir.path()));
        checkSmallRun(results[1]);
    }

    void chunkFileAnnouncingAHugeSizeFailsTheRun()
    {
        // A carray of 100 bytes in chunks of 30: the last file holds the 10 leftover bytes.
        QTemporaryDir dir;
        const QList<RunResult> made = runScenario(R"({"chunkscope": 1, "arrays": {
            "a": {"store": "memory", "dtype": "|u1", "shape": [100], "chunks": [10], "fill": "arange"},
            "c": {"store": "carray", "like": "a", "chunklen": 30, "rootdir": "c.bcolz", "fill": "empty"}},
            "runs": [{"name": "make", "source": "a", "target": "c"}]})",
                                                  dir.path());
        QCOMPARE(made.size(), 1);
        QCOMPARE(made[0].verified, std::optional<bool>(true));
        // Its blosc header (after the 16-byte bloscpack header) now announces 4 GiB.
        QFile leftover(dir.filePath(QStringLiteral("c.bcolz/data/__3.blp")));
        QVERIFY(leftover.open(QIODevice::ReadWrite));
        QByteArray bytes = leftover.readAll();
        QCOMPARE(bytes.size(), 42);
        const char huge[4] = {'\x00', '\xff', '\xff', '\xff'};
        bytes.replace(20, 4, huge, 4);
        QVERIFY(leftover.seek(0));
        QCOMPARE(leftover.write(bytes), qint64(42));
        leftover.close();

        const QList<RunResult> results = runScenario(R"({"chunkscope": 1, "arrays": {)" + kSmallArrays + R"(,
            "c": {"store": "carray", "rootdir": "c.bcolz", "fill": "existing"},
            "m": {"store": "memory", "dtype": "|u1", "shape": [100], "chunks": [10], "fill": "empty"}},
            "runs": [{"name": "leftover", "source": "c", "target": "m"}, )"
                                                         + kSmallRun + "]}",
                                                     dir.path());
        QCOMPARE(results.size(), 2);
        QCOMPARE(statusName(results[0].status), QStringLiteral("failed"));
        QCOMPARE(results[0].error,
                 QStringLiteral("array c, chunk [3]: corrupt blosc frame: corrupt blosc frame (header "
                                "announces 4294967040 bytes compressed to 26, the frame has 26)"));
        checkSmallRun(results[1]);
    }

    void contiguousHdf5IsCopiedInPieces()
    {
        // 5000 rows of 1000 bytes, 4.8 MiB in one contiguous block: two pieces of at most 4 MiB.
        const hsize_t rows = 5000, cols = 1000;
        QByteArray data(int(rows * cols), Qt::Uninitialized);
        for (int i = 0; i < data.size(); ++i)
            data[i] = char((i / 1000 * 7 + i % 1000) % 251);
        QTemporaryDir dir;
        QVERIFY(writeContiguousHdf5(dir.filePath(QStringLiteral("c.h5")), data, rows, cols));
        const QList<RunResult> results = runScenario(R"({"chunkscope": 1, "arrays": {
            "h": {"store": "hdf5", "file": "c.h5", "dataset": "d", "fill": "existing"},
            "z": {"store": "zarr", "dtype": "|u1", "shape": [5000, 1000], "chunks": [512, 1000], "path": "z.zarr",
                  "compressor": null, "fill": "empty"}},
            "runs": [{"name": "pieces", "source": "h", "target": "z", "workers": 2}]})",
                                                     dir.path());
        QCOMPARE(results.size(), 1);
        const RunResult &r = results[0];
        QVERIFY2(r.status == RunResult::Status::Ok, qPrintable(r.error));
        QCOMPARE(r.verified, std::optional<bool>(true));
        QCOMPARE(r.chunks.toString(), QStringLiteral("[4194, 1000]"));
        QCOMPARE(r.tasks, int64_t(2));
        QCOMPARE(r.events.size(), size_t(2));
        QCOMPARE(r.bytes, int64_t(rows * cols));
        for (const TaskEvent &e : r.events)
            QVERIFY2(r.taskRegion(e.task).count() <= (int64_t(4) << 20), qPrintable(r.taskRegion(e.task).toString()));
        QCOMPARE(r.taskRegion(1).toString(), QStringLiteral("[[4194, 5000], [0, 1000]]"));

        // The Zarr chunks hold the dataset's bytes, row block by row block.
        for (int k = 0; k < 10; ++k) {
            QFile chunk(dir.filePath(QStringLiteral("z.zarr/%1.0").arg(k)));
            QVERIFY(chunk.open(QIODevice::ReadOnly));
            const QByteArray bytes = chunk.readAll();
            QCOMPARE(bytes.size(), 512 * 1000);
            const int valid = std::min(512, int(rows) - 512 * k) * 1000;
            QVERIFY2(bytes.left(valid) == data.mid(512 * 1000 * k, valid), qPrintable(QString::number(k)));
        }
    }

    void outOfMemoryInARunFailsThatRunOnly()
    {
        const DType u1 = *DType::parse(QStringLiteral("|u1"));
        const Coords shape = Coords::fromVector({1000});
        const Coords chunks = Coords::fromVector({100});
        MemoryStore source(QStringLiteral("src"), u1, shape, chunks);
        for (int i = 0; i < 1000; ++i)
            source.data()[i] = char(i % 253);
        MemoryStore target(QStringLiteral("dst"), u1, shape, chunks);
        // The copy's ten reads succeed; verification's first read of the source runs out of memory.
        OutOfMemoryStore failing(source, 10);
        CopyOptions options;
        options.workers = 2;
        {
            CopyRun run(failing, target, options);
            run.start();
            QVERIFY(run.wait(60000));
            QVERIFY(run.failed());
            QCOMPARE(run.error(), QStringLiteral("out of memory while verifying the target"));
            QCOMPARE(run.verified(), std::optional<bool>(false));
            QCOMPARE(run.verifyMessage(), QStringLiteral("verification ran out of memory"));
        }
        std::memset(target.data(), 0, 1000);
        CopyRun next(source, target, options);
        next.start();
        QVERIFY(next.wait(60000));
        QVERIFY(!next.failed());
        QCOMPARE(next.verified(), std::optional<bool>(true));
        QVERIFY(std::memcmp(source.data(), target.data(), 1000) == 0);
    }

    void outOfMemoryWhileSettingUpARunFailsThatRunOnly()
    {
        // The allocation fails as the copy is set up, here where the run is handed out; each repeat
        // fails on its own and the next run copies.
        QString error;
        const std::optional<Scenario> s = parseScenario(R"({"chunkscope": 1, "arrays": {)" + kSmallArrays + R"(},
            "runs": [{"name": "starved", "source": "a", "target": "b", "repeat": 2}, )"
                                                            + kSmallRun + "]}",
                                                        QStringLiteral("memory.json"), &error);
        QVERIFY2(s, qPrintable(error));
        ArraySet arrays(*s);
        RunHooks starved;
        int handedOut = 0;
        starved.started = [&handedOut](const RunSpec &, int, const std::shared_ptr<CopyRun> &) {
            ++handedOut;
            throw std::bad_alloc();
        };
        const QList<RunResult> failed = executeRun(s->runs.at(0), arrays, starved);
        QCOMPARE(handedOut, 2);
        QCOMPARE(failed.size(), 2);
        for (const RunResult &r : failed) {
            QCOMPARE(statusName(r.status), QStringLiteral("failed"));
            QCOMPARE(r.error, QStringLiteral("out of memory: the run could not allocate what its copy needs"));
            QCOMPARE(r.verified, std::optional<bool>(false));
        }
        QCOMPARE(failed.at(1).repeatIndex, 1);
        const QList<RunResult> next = executeRun(s->runs.at(1), arrays);
        QCOMPARE(next.size(), 1);
        checkSmallRun(next.at(0));
    }

    void samplesStayBounded()
    {
        // Every millisecond for 100 ms, kept to 8: the first seven, then the latest in the eighth.
        InflightCounters inflight(1);
        const int64_t origin = monotonicNs();
        ResourceSampler sampler(origin, 1, &inflight, 8);
        sampler.start();
        QThread::msleep(100);
        sampler.stop();
        const std::vector<ResourceSample> samples = sampler.samples();
        QCOMPARE(samples.size(), size_t(8));
        QVERIFY2(samples.back().tNs >= 100000000, qPrintable(QString::number(samples.back().tNs)));
        QVERIFY(samples[6].tNs < samples.back().tNs);
        int64_t peak = 0;
        for (const ResourceSample &s : samples)
            peak = std::max(peak, s.rssBytes);
        QVERIFY(sampler.peakRssBytes() >= peak);
        QCOMPARE(ResourceSampler::kMaxSamples, size_t(65536));
    }

    void runChunksOfTheWrongRankFailTheRun()
    {
        QTemporaryDir dir;
        // Two arrays on disk, then runs over them as "existing": their rank is known only from the files.
        QVERIFY(runScenario(R"({"chunkscope": 1, "arrays": {)" + kSmallArrays + R"(,
            "z": {"store": "zarr", "like": "a", "path": "z.zarr", "fill": {"copy": "a"}},
            "z2": {"store": "zarr", "like": "a", "path": "z2.zarr", "fill": "zeros"}},
            "runs": [{"name": "make", "source": "z", "target": "z2"}]})",
                            dir.path())
                    .value(0)
                    .verified
                == std::optional<bool>(true));
        const QList<RunResult> results = runScenario(R"({"chunkscope": 1, "arrays": {)" + kSmallArrays + R"(,
            "z": {"store": "zarr", "path": "z.zarr", "fill": "existing"},
            "z2": {"store": "zarr", "path": "z2.zarr", "fill": "existing"}},
            "runs": [{"name": "rank 2", "source": "z", "target": "z2", "chunks": [5, 5]}, )"
                                                         + kSmallRun + "]}",
                                                     dir.path());
        QCOMPARE(results.size(), 2);
        QCOMPARE(statusName(results[0].status), QStringLiteral("failed"));
        QCOMPARE(results[0].verified, std::optional<bool>(false));
        QCOMPARE(results[0].error, QStringLiteral("chunks [5, 5] have rank 2, but array z has shape [100] (rank 1)"));
        QVERIFY(results[0].events.empty());
        checkSmallRun(results[1]);
    }
};

QTEST_GUILESS_MAIN(TestMemoryBounds)
#include "tst_memorybounds.moc"
