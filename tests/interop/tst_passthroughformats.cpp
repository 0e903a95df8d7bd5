// Copies that move stored chunks between formats and into shards ("passthrough"): a Zarr v2 "zlib" chunk is
// an HDF5 "deflate" chunk (both are zlib streams of the C-order items, numcodecs' shuffle and HDF5's alike),
// and a Zarr v2 chunk is an inner chunk of a Zarr v3 shard whose inner codecs are the v2 compressor. Each
// result is compared byte for byte with the source's stored chunks, and read back element by element by
// the other format's own library (h5py, zarr-python, zarrita).

#include "notebookcodecs.h"
#include "passthroughchecks.h"
#include "stores/hdf5/hdf5store.h"
#include "stores/zarr/zarrarraystore.h"

#include <QFile>
#include <QTemporaryDir>
#include <QtTest>

using namespace cs;
using namespace cs::testing;

namespace {

const QByteArray &kBlosc = testing::kNotebookBlosc;
const QByteArray &kV3Blosc = testing::kNotebookV3Blosc;
const QByteArray kV3Zlib = R"([{"name": "bytes", "configuration": {"endian": "little"}},
    {"name": "numcodecs.zlib", "configuration": {"level": 4}}])";

} // namespace

class TestPassthroughFormats : public QObject {
    Q_OBJECT

private Q_SLOTS:
    // v2 chunks become the inner chunks of v3 shards as they are stored, the edge chunks in both axes too;
    // a chunk the source never stored and inner chunks past the array's edge are left out of the shard.
    void zarrV2ChunksPackIntoV3Shards()
    {
        QTemporaryDir tmp;
        const QByteArray make = R"({"chunkscope": 1, "arrays": {
            "m": {"store": "memory", "dtype": "<i4", "shape": [50, 70], "chunks": [10, 20],
                  "fill": {"random": {"seed": 3}}},
            "a": {"store": "zarr", "like": "m", "path": "src.zarr", "compressor": )"
            + kBlosc + R"(, "fill": "empty"}},
          "runs": [{"name": "make", "source": "m", "target": "a"}]})";
        QCOMPARE(runScenario(make, tmp.path()).first().status, RunResult::Status::Ok);
        QVERIFY(QFile::remove(tmp.filePath(QStringLiteral("src.zarr/1.2"))));
        RunResult r;
        const std::unique_ptr<ArraySet> arrays = runPassing(R"({"chunkscope": 1, "arrays": {
            "a": {"store": "zarr", "path": "src.zarr", "fill": "existing"},
            "b": {"store": "zarr", "zarr_format": 3, "dtype": "<i4", "shape": [50, 70], "chunks": [20, 40],
                  "path": "tgt.zarr", "fill": "empty", "codecs": )"
                                                                + sharded("[10, 20]", kV3Blosc) + R"(}},
          "runs": [{"name": "r", "source": "a", "target": "b", "workers": 2, "chunks": [20, 40],
                    "passthrough": "require"}]})",
                                                            tmp.path(), &r);
        QVERIFY(arrays);
        if (QTest::currentTestFailed())
            return;
        QCOMPARE(int(r.events.size()), 6); // 3 x 2 shards

        auto &a = dynamic_cast<ZarrArrayStore &>(arrays->get(QStringLiteral("a")));
        auto &b = dynamic_cast<ZarrArrayStore &>(arrays->get(QStringLiteral("b")));
        int64_t stored = 0;
        int shardsChecked = 0;
        for (int64_t i = 0; i < b.grid().chunkCount(); ++i) {
            const Coords shard = b.grid().chunkCoords(i);
            const QList<QByteArray> inner = innerChunks(b.get(b.chunkKey(shard)), 4);
            for (int e = 0; e < 4; ++e) {
                const int64_t row = shard[0] * 2 + e / 2, column = shard[1] * 2 + e % 2;
                // Rows 50 to 60 are past the array's edge: no source chunk, nothing stored.
                const QByteArray expected
                    = row < 5 ? a.get(a.chunkKey(Coords::fromVector({row, column}))) : QByteArray();
                QCOMPARE(inner.at(e), expected);
                stored += expected.size();
            }
            ++shardsChecked;
        }
        QCOMPARE(shardsChecked, 6);
        QVERIFY(a.get(QStringLiteral("1.2")).isNull());
        QCOMPARE(r.bytesPassedThrough, stored);

        // zarrita, the Zarr v3 reference, reads every element of the target as Chunkscope reads the source:
        // the chunk never stored as the fill value 0.
        const std::vector<int32_t> source = valuesOf(a);
        QCOMPARE(source[size_t(10 * 70 + 40)], 0);
        compareZarritaRead(tmp.filePath(QStringLiteral("tgt.zarr")), QJsonArray({50, 70}), source);
    }

    void packingRequireSaysWhy_data()
    {
        QTest::addColumn<QByteArray>("target");
        QTest::addColumn<QByteArray>("chunks");
        QTest::addColumn<QString>("why");
        QTest::newRow("copy grid") << sharded("[10, 20]", kV3Blosc) << QByteArray("[10, 20]")
                                   << QStringLiteral(
                                          "a different grid: the copy's chunks [10, 20] differ from target b's shards "
                                          "[20, 40]");
        QTest::newRow("inner grid") << sharded("[10, 40]", kV3Blosc) << QByteArray("[20, 40]")
                                    << QStringLiteral("a different grid: target b's inner chunks [10, 40] differ "
                                                      "from source a's chunks [10, 20]");
        QTest::newRow("inner codec") << sharded("[10, 20]", kV3Zlib) << QByteArray("[20, 40]")
                                     << QStringLiteral("a different codec: source a encodes with blosc(cname=blosclz, "
                                                       "clevel=5, shuffle=1), target b's inner chunks with "
                                                       "zlib(level=4)");
    }

    void packingRequireSaysWhy()
    {
        QFETCH(QByteArray, target);
        QFETCH(QByteArray, chunks);
        QFETCH(QString, why);
        const QByteArray json = R"({"chunkscope": 1, "arrays": {
            "a": {"store": "zarr", "dtype": "<i4", "shape": [50, 70], "chunks": [10, 20], "fill": "arange",
                  "compressor": )"
            + kBlosc + R"(},
            "b": {"store": "zarr", "zarr_format": 3, "dtype": "<i4", "shape": [50, 70], "chunks": [20, 40],
                  "fill": "empty", "codecs": )"
            + target + R"(}},
          "runs": [{"name": "r", "source": "a", "target": "b", "chunks": )"
            + chunks + R"(, "passthrough": "require"}]})";
        const QString expected = requireRefusalMessage(why);
        QCOMPARE(refusalBeforeRun(json), expected);
        const QList<RunResult> results = runScenario(json, QString());
        QCOMPARE(results.size(), 1);
        QCOMPARE(results.first().error, expected);
    }

    // Zarr v2 zlib chunks become HDF5 deflate chunks as they are stored, and back; with numcodecs' shuffle
    // before zlib, HDF5's shuffle before deflate.
    void zarrAndHdf5ShareZlibChunks_data()
    {
        QTest::addColumn<QByteArray>("zarr");
        QTest::addColumn<QByteArray>("hdf5");
        QTest::newRow("zlib, deflate") << QByteArray(R"("compressor": {"id": "zlib", "level": 4})")
                                       << QByteArray(R"("compression": "gzip", "compression_opts": 4)");
        QTest::newRow("shuffle and zlib, shuffle and deflate")
            << QByteArray(
                   R"("filters": [{"id": "shuffle", "elementsize": 4}], "compressor": {"id": "zlib", "level": 4})")
            << QByteArray(R"("compression": "gzip", "compression_opts": 4, "shuffle": true)");
    }

    void zarrAndHdf5ShareZlibChunks()
    {
        QFETCH(QByteArray, zarr);
        QFETCH(QByteArray, hdf5);
        QTemporaryDir tmp;
        // Chunkscope writes the Zarr array; the HDF5 library itself writes the HDF5 one (its own deflate).
        // Each leaves chunk 2 unstored. 20000 items in chunks of 3000: the last chunk is an edge chunk.
        const std::optional<Scenario> s = parseTestScenario(R"({"chunkscope": 1, "arrays": {
            "m": {"store": "memory", "dtype": "<i4", "shape": [20000], "chunks": [3000],
                  "fill": {"random": {"seed": 5}}},
            "z": {"store": "zarr", "like": "m", "path": "z.zarr", "fill": "empty", )"
                                                                + zarr + R"(},
            "h": {"store": "hdf5", "like": "m", "file": "h.h5", "fill": "empty", )"
                                                                + hdf5 + R"(},
            "h2": {"store": "hdf5", "like": "m", "file": "h2.h5", "fill": "empty", )"
                                                                + hdf5 + R"(},
            "z2": {"store": "zarr", "like": "m", "path": "z2.zarr", "fill": "empty", )"
                                                                + zarr + R"(}},
          "runs": [{"name": "make", "source": "m", "target": "z"},
                   {"name": "zarr to hdf5", "source": "z", "target": "h2", "workers": 2, "hdf5_path": "direct",
                    "passthrough": "require"},
                   {"name": "hdf5 to zarr", "source": "h", "target": "z2", "workers": 2, "hdf5_path": "direct",
                    "passthrough": "require"}]})",
                                                            tmp.path());
        QVERIFY(s);
        // Closed before h5py opens the files, which HDF5 locks while they are open.
        std::optional<ArraySet> open;
        open.emplace(*s);
        ArraySet &arrays = *open;
        auto &m = arrays.get(QStringLiteral("m"));
        auto &z = dynamic_cast<ZarrArrayStore &>(arrays.get(QStringLiteral("z")));
        auto &h = dynamic_cast<Hdf5Store &>(arrays.get(QStringLiteral("h")));
        auto &h2 = dynamic_cast<Hdf5Store &>(arrays.get(QStringLiteral("h2")));
        auto &z2 = dynamic_cast<ZarrArrayStore &>(arrays.get(QStringLiteral("z2")));
        QCOMPARE(executeRun(s->runs.at(0), arrays).first().status, RunResult::Status::Ok);
        z.beforeVerifying();
        const Coords missing = Coords::fromVector({2});
        QVERIFY(QFile::remove(tmp.filePath(QStringLiteral("z.zarr/2"))));
        {
            const std::vector<int32_t> values = valuesOf(m);
            TaskContext ctx;
            for (int64_t i = 0; i < h.grid().chunkCount(); ++i) {
                if (i == 2)
                    continue;
                const Region chunk = h.grid().chunkRegion(i);
                h.write(chunk, values.data() + chunk.start[0], ctx);
            }
            h.endWriting();
        }

        for (int run = 1; run <= 2; ++run) {
            const RunResult r = executeRun(s->runs.at(run), arrays).first();
            checkPassedAndVerified(r);
            if (QTest::currentTestFailed())
                return;
            // Every stored chunk is the other's, byte for byte, with no filter skipped; chunk 2 stays unstored.
            Hdf5Store &hdf = run == 1 ? h2 : h;
            ZarrArrayStore &zarrStore = run == 1 ? z : z2;
            int64_t stored = 0;
            for (int64_t i = 0; i < hdf.grid().chunkCount(); ++i) {
                const Coords c = hdf.grid().chunkCoords(i);
                const auto raw = hdf.rawChunk(c);
                const QByteArray value = zarrStore.get(zarrStore.chunkKey(c));
                QCOMPARE(raw.has_value(), !(c == missing));
                QCOMPARE(value.isNull(), c == missing);
                if (!raw)
                    continue;
                QCOMPARE(raw->filterMask, uint32_t(0));
                QCOMPARE(raw->bytes, value);
                stored += value.size();
            }
            QCOMPARE(r.bytesPassedThrough, stored);
        }

        std::vector<int32_t> expected = valuesOf(m);
        std::fill(expected.begin() + 6000, expected.begin() + 9000, 0);
        QCOMPARE(valuesOf(z), expected);
        QCOMPARE(valuesOf(h), expected);
        open.reset();
        if (testing::testPython().isEmpty())
            QSKIP("CHUNKSCOPE_PYTHON is not set");
        // h5py reads the HDF5 arrays, zarr-python the Zarr ones, each element as in the source.
        const QString hash = sha256(expected);
        for (const char *zarrPath : {"z.zarr", "z2.zarr"})
            QCOMPARE(readByPython(kZarrRead, tmp.filePath(QLatin1String(zarrPath))), hash);
        for (const char *hdf5Path : {"h.h5", "h2.h5"})
            QCOMPARE(readByPython(kH5pyRead, tmp.filePath(QLatin1String(hdf5Path))), hash);
    }

    // Zarr v3's numcodecs.zlib after bytes (little) is the same stream as HDF5's deflate: h5py reads the
    // chunks a v3 array stored.
    void zarrV3ZlibChunksAreHdf5DeflateChunks()
    {
        QTemporaryDir tmp;
        std::vector<int32_t> expected;
        {
            RunResult r;
            const std::unique_ptr<ArraySet> arrays = runPassing(R"({"chunkscope": 1, "arrays": {
                "z": {"store": "zarr", "zarr_format": 3, "dtype": "<i4", "shape": [10000], "chunks": [3000],
                      "fill": {"random": {"seed": 11}}, "codecs": )" + kV3Zlib
                                                                    + R"(},
                "h": {"store": "hdf5", "like": "z", "file": "h.h5", "fill": "empty", "compression": "gzip",
                      "compression_opts": 4}},
              "runs": [{"name": "r", "source": "z", "target": "h", "hdf5_path": "direct",
                        "passthrough": "require"}]})",
                                                                tmp.path(), &r);
            QVERIFY(arrays);
            if (QTest::currentTestFailed())
                return;
            auto &z = dynamic_cast<ZarrArrayStore &>(arrays->get(QStringLiteral("z")));
            auto &h = dynamic_cast<Hdf5Store &>(arrays->get(QStringLiteral("h")));
            for (int64_t i = 0; i < z.grid().chunkCount(); ++i)
                QCOMPARE(h.rawChunk(z.grid().chunkCoords(i))->bytes, z.get(z.chunkKey(z.grid().chunkCoords(i))));
            expected = valuesOf(z);
        }
        if (testing::testPython().isEmpty())
            QSKIP("CHUNKSCOPE_PYTHON is not set");
        QCOMPARE(readByPython(kH5pyRead, tmp.filePath(QStringLiteral("h.h5"))), sha256(expected));
    }

    // An HDF5 chunk stored without its deflate filter (bit 0 of its filter mask) is not a zlib stream: a
    // Zarr target, which keeps no mask, gets it decoded and encoded; the other chunks still pass.
    void aChunkHdf5StoredUnfilteredIsReencoded()
    {
        QTemporaryDir tmp;
        const std::optional<Scenario> s = parseTestScenario(R"({"chunkscope": 1, "arrays": {
            "m": {"store": "memory", "dtype": "<i4", "shape": [20000], "chunks": [3000],
                  "fill": {"random": {"seed": 9}}},
            "h": {"store": "hdf5", "like": "m", "file": "h.h5", "fill": "empty", "compression": "gzip",
                  "compression_opts": 4},
            "z": {"store": "zarr", "like": "m", "path": "z.zarr", "fill": "empty",
                  "compressor": {"id": "zlib", "level": 4}}},
          "runs": [{"name": "make", "source": "m", "target": "h", "hdf5_path": "direct"},
                   {"name": "to zarr", "source": "h", "target": "z", "hdf5_path": "direct",
                    "passthrough": "auto"}]})",
                                                            tmp.path());
        QVERIFY(s);
        ArraySet arrays(*s);
        QCOMPARE(executeRun(s->runs.at(0), arrays).first().status, RunResult::Status::Ok);
        auto &h = dynamic_cast<Hdf5Store &>(arrays.get(QStringLiteral("h")));
        const std::vector<int32_t> expected = valuesOf(arrays.get(QStringLiteral("m")));
        const Coords one = Coords::fromVector({1});
        h.writeRawChunk(one, QByteArray(reinterpret_cast<const char *>(expected.data() + 3000), 3000 * sizeof(int32_t)),
                        1u);
        h.endWriting();
        QCOMPARE(h.rawChunk(one)->filterMask, uint32_t(1));

        const RunResult plain = executeRun(s->runs.at(1), arrays).first();
        QVERIFY2(plain.status == RunResult::Status::Ok, qPrintable(plain.error));
        QCOMPARE(plain.verified, std::optional<bool>(true));
        for (const TaskEvent &e : plain.events)
            QCOMPARE(e.passthrough, e.task != 1);
        auto &z = dynamic_cast<ZarrArrayStore &>(arrays.get(QStringLiteral("z")));
        int64_t passed = 0;
        for (int64_t i = 0; i < h.grid().chunkCount(); ++i) {
            const Coords c = h.grid().chunkCoords(i);
            if (i == 1) {
                QVERIFY(z.get(z.chunkKey(c)) != h.rawChunk(c)->bytes);
                continue;
            }
            QCOMPARE(z.get(z.chunkKey(c)), h.rawChunk(c)->bytes);
            passed += h.rawChunk(c)->bytes.size();
        }
        QCOMPARE(plain.bytesPassedThrough, passed);

        if (testing::testPython().isEmpty())
            QSKIP("CHUNKSCOPE_PYTHON is not set");
        QCOMPARE(readByPython(kZarrRead, tmp.filePath(QStringLiteral("z.zarr"))), sha256(expected));
    }

    // Where the streams differ, "require" says how; HDF5's kinds cannot tell before the file is open, so
    // the run says it.
    void crossFormatRequireSaysWhy_data()
    {
        QTest::addColumn<QByteArray>("zarr");
        QTest::addColumn<QByteArray>("hdf5");
        QTest::addColumn<QString>("why");
        QTest::newRow("level")
            << QByteArray(R"("compressor": {"id": "zlib", "level": 1})")
            << QByteArray(R"("compression": "gzip", "compression_opts": 4)")
            << QStringLiteral("a different codec: source z encodes with zlib(level=1), target h with zlib(level=4)");
        QTest::newRow("shuffle") << QByteArray(R"("compressor": {"id": "zlib", "level": 4})")
                                 << QByteArray(R"("compression": "gzip", "compression_opts": 4, "shuffle": true)")
                                 << QStringLiteral("a different codec: source z encodes with zlib(level=4), target h "
                                                   "with shuffle(elementsize=4) | zlib(level=4)");
        // numcodecs' GZip wraps the deflate stream in gzip's container, HDF5's deflate in zlib's.
        QTest::newRow("gzip container") << QByteArray(R"("compressor": {"id": "gzip", "level": 4})")
                                        << QByteArray(R"("compression": "gzip", "compression_opts": 4)")
                                        << QStringLiteral("a different codec: source z encodes with gzip(level=4), "
                                                          "target h with zlib(level=4)");
        // numcodecs has no LZF, so no Zarr array stores HDF5's LZF chunks.
        QTest::newRow("lzf") << QByteArray(R"("compressor": {"id": "zlib", "level": 4})")
                             << QByteArray(R"("compression": "lzf")")
                             << QStringLiteral("a different codec: source z encodes with zlib(level=4), target h "
                                               "with hdf5 filter 32000(0)");
    }

    void crossFormatRequireSaysWhy()
    {
        QFETCH(QByteArray, zarr);
        QFETCH(QByteArray, hdf5);
        QFETCH(QString, why);
        QTemporaryDir tmp;
        const QByteArray json = R"({"chunkscope": 1, "arrays": {
            "z": {"store": "zarr", "dtype": "<i4", "shape": [9000], "chunks": [3000], "fill": "arange", )"
            + zarr + R"(},
            "h": {"store": "hdf5", "like": "z", "file": "h.h5", "fill": "empty", )"
            + hdf5 + R"(}},
          "runs": [{"name": "r", "source": "z", "target": "h", "hdf5_path": "direct", "passthrough": "require"}]})";
        const QList<RunResult> results = runScenario(json, tmp.path());
        QCOMPARE(results.size(), 1);
        QCOMPARE(results.first().status, RunResult::Status::Failed);
        QCOMPARE(results.first().error, requireRefusalMessage(why));
    }
};

QTEST_GUILESS_MAIN(TestPassthroughFormats)
#include "tst_passthroughformats.moc"
