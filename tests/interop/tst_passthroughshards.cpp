// Copies that move stored chunks out of the shards of a Zarr v3 array ("passthrough"), and HDF5 chunks
// into them: whole shards to an array sharded alike; inner chunks as the chunks of an unsharded Zarr v3 or
// v2 array (or of an HDF5 dataset) whose chunks and codecs are the inner ones; HDF5 deflate chunks as the
// inner chunks of shards of numcodecs.zlib. Each result is compared byte for byte with the source's stored
// bytes, and read back element by element by zarrita, zarr-python or h5py.

#include "kv/s3keyvalue.h"
#include "notebookcodecs.h"
#include "passthroughchecks.h"
#include "results/resultsjson.h"
#include "s3server.h"
#include "stores/hdf5/hdf5store.h"
#include "stores/zarr/zarrarraystore.h"

#include <QDir>
#include <QDirIterator>
#include <QFile>
#include <QTemporaryDir>
#include <QtTest>

using namespace cs;
using namespace cs::testing;

namespace {

const QByteArray &kBlosc = kNotebookBlosc;
const QByteArray &kV3Blosc = kNotebookV3Blosc;
const QByteArray kV3Zlib = R"([{"name": "bytes", "configuration": {"endian": "little"}},
    {"name": "numcodecs.zlib", "configuration": {"level": 4}}])";
const QByteArray kV3ShuffleZlib = R"([{"name": "bytes", "configuration": {"endian": "little"}},
    {"name": "numcodecs.shuffle", "configuration": {"elementsize": 4}},
    {"name": "numcodecs.zlib", "configuration": {"level": 4}}])";

// The source of every test: 50 x 70 int32 in shards of 20 x 40 (3 x 2 of them, the last row and column at
// the array's edge), each of 2 x 2 inner chunks of 10 x 20 encoded by `codecs`.
QByteArray shardedSource(const QByteArray &codecs, const QByteArray &where)
{
    return R"("a": {"store": "zarr", "zarr_format": 3, "dtype": "<i4", "shape": [50, 70], "chunks": [20, 40], )" + where
        + R"(, "codecs": )" + sharded("[10, 20]", codecs) + "}";
}

// Writes sharded array a from random values, then leaves out the inner chunk at rows 0 to 10, columns 40
// to 60 (it holds only the fill value) and deletes shard (1, 1) from src.zarr in `dir`.
void makeSparseSource(ArraySet &arrays, const RunSpec &make, const QString &dir)
{
    QCOMPARE(executeRun(make, arrays).first().status, RunResult::Status::Ok);
    auto &a = dynamic_cast<ZarrArrayStore &>(arrays.get(QStringLiteral("a")));
    const std::vector<int32_t> zeros(10 * 20, 0);
    TaskContext ctx;
    a.write(Region{Coords::fromVector({0, 40}), Coords::fromVector({10, 60})}, zeros.data(), ctx);
    a.endWriting();
    QVERIFY(!a.get(QStringLiteral("c/0/1")).isNull());
    QVERIFY(innerChunks(a.get(QStringLiteral("c/0/1")), 4).at(0).isNull());
    QVERIFY(QFile::remove(dir + QStringLiteral("/src.zarr/c/1/1")));
}

// Every file below `dir`, by its path relative to it, with its bytes.
QMap<QString, QByteArray> filesBelow(const QString &dir)
{
    QMap<QString, QByteArray> files;
    QDirIterator it(dir, QDir::Files | QDir::Hidden, QDirIterator::Subdirectories);
    while (it.hasNext()) {
        const QString path = it.next();
        files.insert(QDir(dir).relativeFilePath(path), fileBytes(path));
    }
    return files;
}

// What the source's shards hold as the target's chunk at `c` (chunks of the inner shape): the inner
// chunk's stored bytes, or a null QByteArray where its shard or the inner chunk was never stored.
QByteArray innerChunkAt(ZarrArrayStore &a, const Coords &c)
{
    const QByteArray shard = a.get(a.chunkKey(Coords::fromVector({c[0] / 2, c[1] / 2})));
    return shard.isNull() ? QByteArray() : innerChunks(shard, 4).at(int(c[0] % 2 * 2 + c[1] % 2));
}

} // namespace

class TestPassthroughShards : public QObject {
    Q_OBJECT

private Q_SLOTS:
    // Shards pass whole, in directories and into memory: a shard never stored stays unstored (and is
    // removed from a target that held it), and an inner chunk the index leaves out stays left out.
    void shardsPassWholeToAnArrayShardedAlike()
    {
        QTemporaryDir tmp;
        const QByteArray codecs = sharded("[10, 20]", kV3Blosc);
        const std::optional<Scenario> s = parseTestScenario(R"({"chunkscope": 1, "arrays": {
            "m": {"store": "memory", "dtype": "<i4", "shape": [50, 70], "chunks": [20, 40],
                  "fill": {"random": {"seed": 3}}},
            )" + shardedSource(kV3Blosc, R"("path": "src.zarr", "fill": "empty")")
                                                                + R"(,
            "b": {"store": "zarr", "zarr_format": 3, "dtype": "<i4", "shape": [50, 70], "chunks": [20, 40],
                  "path": "tgt.zarr", "fill": "empty", "codecs": )"
                                                                + codecs + R"(},
            "c": {"store": "zarr", "zarr_format": 3, "dtype": "<i4", "shape": [50, 70], "chunks": [20, 40],
                  "fill": "arange", "codecs": )" + codecs + R"(}},
          "runs": [{"name": "make", "source": "m", "target": "a"},
                   {"name": "to directory", "source": "a", "target": "b", "workers": 2, "passthrough": "require"},
                   {"name": "to memory", "source": "a", "target": "c", "passthrough": "require"}]})",
                                                            tmp.path());
        QVERIFY(s);
        ArraySet arrays(*s);
        makeSparseSource(arrays, s->runs.at(0), tmp.path());
        if (QTest::currentTestFailed())
            return;
        auto &a = dynamic_cast<ZarrArrayStore &>(arrays.get(QStringLiteral("a")));
        auto &c = dynamic_cast<ZarrArrayStore &>(arrays.get(QStringLiteral("c")));
        QVERIFY(!c.get(QStringLiteral("c/1/1")).isNull()); // the memory target held every shard before

        QList<RunResult> results;
        for (int run = 1; run <= 2; ++run) {
            results.append(executeRun(s->runs.at(run), arrays).first());
            checkPassedAndVerified(results.last());
            if (QTest::currentTestFailed())
                return;
            QCOMPARE(int(results.last().events.size()), 6);
        }
        auto &b = dynamic_cast<ZarrArrayStore &>(arrays.get(QStringLiteral("b")));
        int64_t stored = 0;
        for (int64_t i = 0; i < a.grid().chunkCount(); ++i) {
            const QString key = a.chunkKey(a.grid().chunkCoords(i));
            const QByteArray shard = a.get(key);
            QCOMPARE(shard.isNull(), key == QLatin1String("c/1/1"));
            QCOMPARE(b.get(key), shard);
            QCOMPARE(c.get(key), shard);
            stored += shard.size();
        }
        for (const RunResult &r : results)
            QCOMPARE(r.bytesPassedThrough, stored);
        // The target directory holds what the source's does, file for file, zarr.json aside.
        QMap<QString, QByteArray> source = filesBelow(tmp.filePath(QStringLiteral("src.zarr")));
        QMap<QString, QByteArray> target = filesBelow(tmp.filePath(QStringLiteral("tgt.zarr")));
        QVERIFY(source.remove(QStringLiteral("zarr.json")) && target.remove(QStringLiteral("zarr.json")));
        QCOMPARE(target.keys(),
                 QStringList({QStringLiteral("c/0/0"), QStringLiteral("c/0/1"), QStringLiteral("c/1/0"),
                              QStringLiteral("c/2/0"), QStringLiteral("c/2/1")}));
        QCOMPARE(target, source);

        // The results document carries the bytes.
        const QJsonObject run
            = QJsonDocument::fromJson(resultsToJson(QStringLiteral("s"), HostInfo::current(), {results.first()}))
                  .object()
                  .value(QStringLiteral("runs"))
                  .toArray()
                  .at(0)
                  .toObject();
        QCOMPARE(run.value(QStringLiteral("bytes_passed_through")).toInteger(), stored);

        // zarrita reads the target as Chunkscope reads the source: the left-out parts as the fill value 0.
        const std::vector<int32_t> values = valuesOf(a);
        QCOMPARE(values[size_t(5 * 70 + 45)], 0);
        QCOMPARE(values[size_t(25 * 70 + 45)], 0);
        compareZarritaRead(tmp.filePath(QStringLiteral("tgt.zarr")), QJsonArray({50, 70}), values);
    }

    // Each shard's inner chunks become the chunks of an unsharded array, as they are stored: one task per
    // shard. Inner chunks past the array's edge have no target chunk; those never stored stay unstored, and
    // a target that held them loses them.
    void innerChunksBecomeTheChunksOfAnUnshardedArray_data()
    {
        QTest::addColumn<QByteArray>("target");
        QTest::newRow("zarr v3") << QByteArray(R"("zarr_format": 3, "codecs": )" + kV3Blosc);
        QTest::newRow("zarr v2") << QByteArray(R"("compressor": )" + kBlosc);
    }

    void innerChunksBecomeTheChunksOfAnUnshardedArray()
    {
        QFETCH(QByteArray, target);
        QTemporaryDir tmp;
        const QByteArray unsharded
            = R"({"store": "zarr", "dtype": "<i4", "shape": [50, 70], "chunks": [10, 20], )" + target;
        const std::optional<Scenario> s = parseTestScenario(R"({"chunkscope": 1, "arrays": {
            "m": {"store": "memory", "dtype": "<i4", "shape": [50, 70], "chunks": [20, 40],
                  "fill": {"random": {"seed": 4}}},
            )" + shardedSource(kV3Blosc, R"("path": "src.zarr", "fill": "empty")")
                                                                + R"(,
            "b": )" + unsharded + R"(, "path": "tgt.zarr", "fill": "empty"},
            "c": )" + unsharded + R"(, "fill": "arange"}},
          "runs": [{"name": "make", "source": "m", "target": "a"},
                   {"name": "to directory", "source": "a", "target": "b", "workers": 2, "passthrough": "require"},
                   {"name": "to memory", "source": "a", "target": "c", "passthrough": "require"}]})",
                                                            tmp.path());
        QVERIFY(s);
        std::vector<int32_t> values;
        {
            ArraySet arrays(*s);
            makeSparseSource(arrays, s->runs.at(0), tmp.path());
            if (QTest::currentTestFailed())
                return;
            auto &a = dynamic_cast<ZarrArrayStore &>(arrays.get(QStringLiteral("a")));
            auto &c = dynamic_cast<ZarrArrayStore &>(arrays.get(QStringLiteral("c")));
            QCOMPARE(c.get(c.chunkKey(Coords::fromVector({0, 2}))).isNull(), false);
            QList<RunResult> results;
            for (int run = 1; run <= 2; ++run) {
                results.append(executeRun(s->runs.at(run), arrays).first());
                checkPassedAndVerified(results.last());
                if (QTest::currentTestFailed())
                    return;
                QCOMPARE(int(results.last().events.size()), 6); // a task per shard
            }
            auto &b = dynamic_cast<ZarrArrayStore &>(arrays.get(QStringLiteral("b")));
            int64_t stored = 0;
            int absent = 0;
            for (int64_t i = 0; i < b.grid().chunkCount(); ++i) {
                const Coords cc = b.grid().chunkCoords(i);
                const QByteArray expected = innerChunkAt(a, cc);
                QCOMPARE(b.get(b.chunkKey(cc)), expected);
                QCOMPARE(c.get(c.chunkKey(cc)), expected);
                stored += expected.size();
                absent += expected.isNull() ? 1 : 0;
            }
            QCOMPARE(b.grid().chunkCount(), int64_t(20));
            QCOMPARE(absent, 5); // the inner chunk left out and the 4 of shard (1, 1)
            for (const RunResult &r : results)
                QCOMPARE(r.bytesPassedThrough, stored);
            QCOMPARE(filesBelow(tmp.filePath(QStringLiteral("tgt.zarr"))).size(), 15 + 1); // and the metadata
            values = valuesOf(a);
        }
        if (target.contains("zarr_format")) {
            compareZarritaRead(tmp.filePath(QStringLiteral("tgt.zarr")), QJsonArray({50, 70}), values);
            return;
        }
        if (testPython().isEmpty())
            QSKIP("CHUNKSCOPE_PYTHON is not set");
        QCOMPARE(readByPython(kZarrRead, tmp.filePath(QStringLiteral("tgt.zarr"))), sha256(values));
    }

    void requireSaysWhy_data()
    {
        QTest::addColumn<QByteArray>("target");
        QTest::addColumn<QByteArray>("chunks");
        QTest::addColumn<QString>("why");
        const QByteArray v2 = R"("compressor": )" + kBlosc;
        const QByteArray v3 = R"("zarr_format": 3, "chunks": [20, 40], "codecs": )";
        const QString blosc = QStringLiteral("blosc(cname=blosclz, clevel=5, shuffle=1)");
        QTest::newRow("copy grid, unsharded target")
            << QByteArray(R"("chunks": [10, 20], )" + v2) << QByteArray("[10, 20]")
            << QStringLiteral("a different grid: the copy's chunks [10, 20] differ from source a's shards [20, 40]");
        QTest::newRow("target chunks") << QByteArray(R"("chunks": [10, 40], )" + v2) << QByteArray()
                                       << QStringLiteral("a different grid: target b's chunks [10, 40] differ from "
                                                         "source a's inner chunks [10, 20]");
        QTest::newRow("unsharded codec")
            << QByteArray(R"("chunks": [10, 20], "compressor": {"id": "zlib", "level": 1})") << QByteArray()
            << QStringLiteral("a different codec: source a encodes its inner chunks with %1, target b with "
                              "zlib(level=1)")
                   .arg(blosc);
        QTest::newRow("unsharded fill value")
            << QByteArray(R"("chunks": [10, 20], "fill_value": 7, )" + v2) << QByteArray()
            << QStringLiteral("a fill value that differs: source a's fill bytes are 00000000, target b's are 07000000");
        QTest::newRow("copy grid, sharded target")
            << QByteArray(v3 + sharded("[10, 20]", kV3Blosc)) << QByteArray("[40, 40]")
            << QStringLiteral("a different grid: the copy's chunks [40, 40] differ from source a's shards [20, 40]");
        QTest::newRow("shard shape")
            << QByteArray(R"("zarr_format": 3, "chunks": [20, 20], "codecs": )" + sharded("[10, 20]", kV3Blosc))
            << QByteArray()
            << QStringLiteral("a different grid: target b's shards [20, 20] differ from source a's shards [20, 40]");
        QTest::newRow("inner shape") << QByteArray(v3 + sharded("[20, 20]", kV3Blosc)) << QByteArray()
                                     << QStringLiteral("a different grid: target b's inner chunks [20, 20] differ "
                                                       "from source a's inner chunks [10, 20]");
        QTest::newRow("inner codec") << QByteArray(v3 + sharded("[10, 20]", kV3Zlib)) << QByteArray()
                                     << QStringLiteral("a different codec: source a encodes its inner chunks with "
                                                       "%1, target b with zlib(level=4)")
                                            .arg(blosc);
        const QByteArray index = R"([{"name": "bytes", "configuration": {"endian": "little"}}, {"name": "crc32c"}])";
        QTest::newRow("index location") << QByteArray(v3 + sharded("[10, 20]", kV3Blosc, index, "start"))
                                        << QByteArray()
                                        << QStringLiteral("a different shard index: source a's is bytes(little) | "
                                                          "crc32c at the end, target b's is bytes(little) | crc32c "
                                                          "at the start");
        QTest::newRow("index codecs")
            << QByteArray(v3
                          + sharded("[10, 20]", kV3Blosc, R"([{"name": "bytes", "configuration": {"endian": "big"}}])"))
            << QByteArray()
            << QStringLiteral("a different shard index: source a's is bytes(little) | crc32c at the end, target "
                              "b's is bytes(big) at the end");
        QTest::newRow("byte order") << QByteArray(v3 + sharded("[10, 20]", R"([
                {"name": "bytes", "configuration": {"endian": "big"}},
                {"name": "blosc", "configuration": {"cname": "blosclz", "clevel": 5, "shuffle": "shuffle",
                 "typesize": 4, "blocksize": 0}}])"))
                                    << QByteArray()
                                    << QStringLiteral("a different byte order: source a stores little-endian items, "
                                                      "target b stores big-endian items");
        QTest::newRow("sharded fill value")
            << QByteArray(R"("fill_value": 7, )" + v3 + sharded("[10, 20]", kV3Blosc)) << QByteArray()
            << QStringLiteral("a fill value that differs: source a's fill bytes are 00000000, target b's are 07000000");
    }

    void requireSaysWhy()
    {
        QFETCH(QByteArray, target);
        QFETCH(QByteArray, chunks);
        QFETCH(QString, why);
        const QByteArray json = R"({"chunkscope": 1, "arrays": {)" + shardedSource(kV3Blosc, R"("fill": "arange")")
            + R"(,
            "b": {"store": "zarr", "dtype": "<i4", "shape": [50, 70], "fill": "empty", )"
            + target + R"(}},
          "runs": [{"name": "r", "source": "a", "target": "b", "passthrough": "require")"
            + (chunks.isEmpty() ? QByteArray() : R"(, "chunks": )" + chunks) + "}]}";
        const QString expected = requireRefusalMessage(why);
        // `check` says it before anything is built (and exits 2)...
        QCOMPARE(refusalBeforeRun(json), expected);
        // ...and a run that gets that far fails with the same words.
        const QList<RunResult> results = runScenario(json, QString());
        QCOMPARE(results.size(), 1);
        QCOMPARE(results.first().status, RunResult::Status::Failed);
        QCOMPARE(results.first().error, expected);
    }

    // On object storage alike: whole shards are PUT as the source stores them, and a sharded array in the
    // bucket unpacks into a directory by ranged GETs of its inner chunks.
    void shardsPassToAndFromS3()
    {
        S3Server server;
        const QString bucket = QStringLiteral("chunkscope-shards");
        const QString error = server.start(bucket);
        QVERIFY2(error.isEmpty(), qPrintable(error));
        qputenv("AWS_ACCESS_KEY_ID", S3Server::kOtherAccessKey);
        qputenv("AWS_SECRET_ACCESS_KEY", S3Server::kOtherSecret);
        qunsetenv("AWS_SESSION_TOKEN");
        qunsetenv("AWS_PROFILE");
        qunsetenv("AWS_ENDPOINT_URL");
        QTemporaryDir tmp;
        const QByteArray s3 = QJsonDocument(QJsonObject{{QStringLiteral("endpoint"), server.endpoint()}})
                                  .toJson(QJsonDocument::Compact);
        const std::optional<Scenario> s = parseTestScenario(R"({"chunkscope": 1, "arrays": {
            "m": {"store": "memory", "dtype": "<i4", "shape": [50, 70], "chunks": [20, 40],
                  "fill": {"random": {"seed": 8}}},
            )" + shardedSource(kV3Blosc, R"("path": "src.zarr", "fill": "empty")")
                                                                + R"(,
            "s": {"store": "zarr", "zarr_format": 3, "dtype": "<i4", "shape": [50, 70], "chunks": [20, 40],
                  "path": "s3://chunkscope-shards/sharded.zarr", "fill": "empty", "codecs": )"
                                                                + sharded("[10, 20]", kV3Blosc) + R"(, "s3": )" + s3
                                                                + R"(},
            "d": {"store": "zarr", "dtype": "<i4", "shape": [50, 70], "chunks": [10, 20], "path": "d.zarr",
                  "fill": "empty", "compressor": )" + kBlosc + R"(}},
          "runs": [{"name": "make", "source": "m", "target": "a"},
                   {"name": "to s3", "source": "a", "target": "s", "workers": 2, "passthrough": "require"},
                   {"name": "from s3", "source": "s", "target": "d", "workers": 2, "passthrough": "require"}]})",
                                                            tmp.path());
        QVERIFY(s);
        ArraySet arrays(*s);
        makeSparseSource(arrays, s->runs.at(0), tmp.path());
        if (QTest::currentTestFailed())
            return;
        for (int run = 1; run <= 2; ++run) {
            const RunResult r = executeRun(s->runs.at(run), arrays).first();
            checkPassedAndVerified(r);
            if (QTest::currentTestFailed())
                return;
        }
        const S3KeyValue kv(S3Location::parse(QStringLiteral("s3://%1/sharded.zarr").arg(bucket)), server.config());
        QMap<QString, QByteArray> objects;
        for (const QString &key : kv.list())
            objects.insert(key, kv.getCopy(KvKey(key.toUtf8())).value_or(QByteArray("missing")));
        QMap<QString, QByteArray> files = filesBelow(tmp.filePath(QStringLiteral("src.zarr")));
        QVERIFY(objects.remove(QStringLiteral("zarr.json")) && files.remove(QStringLiteral("zarr.json")));
        QCOMPARE(objects, files);
        auto &a = dynamic_cast<ZarrArrayStore &>(arrays.get(QStringLiteral("a")));
        auto &d = dynamic_cast<ZarrArrayStore &>(arrays.get(QStringLiteral("d")));
        for (int64_t i = 0; i < d.grid().chunkCount(); ++i) {
            const Coords c = d.grid().chunkCoords(i);
            QCOMPARE(d.get(d.chunkKey(c)), innerChunkAt(a, c));
        }
    }

    // HDF5's deflate chunks, written by the HDF5 library, are the inner chunks of shards of numcodecs.zlib
    // (after numcodecs.shuffle when HDF5 shuffles): the HDF5 dataset is read one chunk at a time on its
    // direct path, though the copy's chunks are the shards. A chunk stored with its filters skipped (its
    // filter mask set) is decoded and encoded; a chunk never written is left out of its shard.
    void hdf5ChunksPackIntoShards_data()
    {
        QTest::addColumn<QByteArray>("hdf5");
        QTest::addColumn<QByteArray>("inner");
        QTest::addColumn<uint>("allSkipped");
        QTest::newRow("deflate") << QByteArray(R"("compression": "gzip", "compression_opts": 4)") << kV3Zlib << 1u;
        QTest::newRow("shuffle, deflate") << QByteArray(R"("compression": "gzip", "compression_opts": 4,
                                                            "shuffle": true)")
                                          << kV3ShuffleZlib << 3u;
    }

    void hdf5ChunksPackIntoShards()
    {
        QFETCH(QByteArray, hdf5);
        QFETCH(QByteArray, inner);
        QFETCH(uint, allSkipped);
        QTemporaryDir tmp;
        const std::optional<Scenario> s = parseTestScenario(R"({"chunkscope": 1, "arrays": {
            "m": {"store": "memory", "dtype": "<i4", "shape": [50, 70], "chunks": [10, 20],
                  "fill": {"random": {"seed": 5}}},
            "h": {"store": "hdf5", "like": "m", "file": "h.h5", "fill": "empty", )"
                                                                + hdf5 + R"(},
            "z": {"store": "zarr", "zarr_format": 3, "dtype": "<i4", "shape": [50, 70], "chunks": [20, 40],
                  "path": "z.zarr", "fill": "empty", "codecs": )"
                                                                + sharded("[10, 20]", inner) + R"(}},
          "runs": [{"name": "r", "source": "h", "target": "z", "workers": 2, "chunks": [20, 40],
                    "passthrough": "require"}]})",
                                                            tmp.path());
        QVERIFY(s);
        ArraySet arrays(*s);
        auto &m = arrays.get(QStringLiteral("m"));
        auto &h = dynamic_cast<Hdf5Store &>(arrays.get(QStringLiteral("h")));
        const Coords missing = Coords::fromVector({1, 2});
        const Coords unfiltered = Coords::fromVector({2, 1});
        TaskContext ctx;
        for (int64_t i = 0; i < h.grid().chunkCount(); ++i) {
            const Coords c = h.grid().chunkCoords(i);
            if (c == missing)
                continue;
            const Region region = h.grid().chunkRegion(c);
            std::vector<int32_t> part(size_t(region.count()));
            m.read(region, part.data(), ctx);
            if (c == unfiltered)
                h.writeRawChunk(c, QByteArray(reinterpret_cast<const char *>(part.data()), 10 * 20 * 4), allSkipped);
            else
                h.write(region, part.data(), ctx); // the library path: HDF5's own filters
        }
        h.endWriting();
        QCOMPARE(h.rawChunk(unfiltered)->filterMask, uint32_t(allSkipped));

        const RunResult r = executeRun(s->runs.first(), arrays).first();
        QVERIFY2(r.status == RunResult::Status::Ok, qPrintable(r.error));
        QCOMPARE(r.verified, std::optional<bool>(true));
        QCOMPARE(r.hdf5Path, QStringLiteral("direct"));
        QCOMPARE(int(r.events.size()), 6);
        for (const TaskEvent &e : r.events)
            QCOMPARE(e.passthrough, e.task != 2); // shard (1, 0) holds the unfiltered chunk
        auto &z = dynamic_cast<ZarrArrayStore &>(arrays.get(QStringLiteral("z")));
        int64_t passed = 0;
        for (int64_t i = 0; i < h.grid().chunkCount(); ++i) {
            const Coords c = h.grid().chunkCoords(i);
            const QByteArray stored = innerChunkAt(z, c);
            const auto raw = h.rawChunk(c);
            QCOMPARE(raw.has_value(), !(c == missing));
            if (!raw) {
                QVERIFY(stored.isNull());
            } else if (c == unfiltered) {
                QVERIFY(!stored.isNull() && stored != raw->bytes);
            } else {
                QCOMPARE(raw->filterMask, uint32_t(0));
                QCOMPARE(stored, raw->bytes);
                passed += stored.size();
            }
        }
        QCOMPARE(r.bytesPassedThrough, passed);

        std::vector<int32_t> expected = valuesOf(m);
        for (int64_t row = 10; row < 20; ++row)
            std::fill_n(expected.begin() + row * 70 + 40, 20, 0);
        QCOMPARE(valuesOf(h), expected);
        compareZarritaRead(tmp.filePath(QStringLiteral("z.zarr")), QJsonArray({50, 70}), expected);
    }

    // Where HDF5's chunks are not the inner chunks' stored form, "require" says why, and "auto" copies on
    // the library path, decoding and encoding, as a copy over shards does without passthrough.
    void hdf5ChunksOfAnotherLevelAreNotPacked()
    {
        QTemporaryDir tmp;
        const QByteArray arrays = R"({"chunkscope": 1, "arrays": {
            "h": {"store": "hdf5", "dtype": "<i4", "shape": [50, 70], "chunks": [10, 20], "file": "h.h5",
                  "fill": "arange", "compression": "gzip", "compression_opts": 1},
            "z": {"store": "zarr", "zarr_format": 3, "dtype": "<i4", "shape": [50, 70], "chunks": [20, 40],
                  "fill": "empty", "codecs": )"
            + sharded("[10, 20]", kV3Zlib) + R"(}},
          "runs": [{"name": "r", "source": "h", "target": "z", "chunks": [20, 40], "passthrough": )";
        const QList<RunResult> refused = runScenario(arrays + R"("require"}]})", tmp.path());
        QCOMPARE(refused.size(), 1);
        QCOMPARE(refused.first().error,
                 requireRefusalMessage(QStringLiteral("a different codec: source h encodes with zlib(level=1), target "
                                                      "z's inner chunks with zlib(level=4)")));
        QTemporaryDir other;
        const QList<RunResult> decoded = runScenario(arrays + R"("auto"}]})", other.path());
        QCOMPARE(decoded.size(), 1);
        const RunResult &r = decoded.first();
        QVERIFY2(r.status == RunResult::Status::Ok, qPrintable(r.error));
        QCOMPARE(r.verified, std::optional<bool>(true));
        QCOMPARE(r.hdf5Path, QStringLiteral("library"));
        QCOMPARE(r.bytesPassedThrough, int64_t(0));
        for (const TaskEvent &e : r.events)
            QVERIFY(!e.passthrough);
    }

    // The other way: a sharded array's numcodecs.zlib inner chunks become an HDF5 dataset's deflate chunks,
    // the dataset written one chunk at a time on its direct path while the copy's chunks are the shards
    // ("hdf5_path": "auto" takes it; "direct" is refused for copy chunks other than the dataset's).
    void innerChunksBecomeHdf5Chunks()
    {
        QTemporaryDir tmp;
        std::vector<int32_t> expected;
        {
            RunResult r;
            const std::unique_ptr<ArraySet> arrays = runPassing(R"({"chunkscope": 1, "arrays": {
                )" + shardedSource(kV3Zlib, R"("fill": {"random": {"seed": 6}})")
                                                                    + R"(,
                "h": {"store": "hdf5", "dtype": "<i4", "shape": [50, 70], "chunks": [10, 20], "file": "h.h5",
                      "fill": "empty", "compression": "gzip", "compression_opts": 4}},
              "runs": [{"name": "r", "source": "a", "target": "h", "passthrough": "require"}]})",
                                                                tmp.path(), &r);
            QVERIFY(arrays);
            if (QTest::currentTestFailed())
                return;
            QCOMPARE(int(r.events.size()), 6);
            QCOMPARE(r.hdf5Path, QStringLiteral("direct"));
            auto &a = dynamic_cast<ZarrArrayStore &>(arrays->get(QStringLiteral("a")));
            auto &h = dynamic_cast<Hdf5Store &>(arrays->get(QStringLiteral("h")));
            int64_t stored = 0;
            for (int64_t i = 0; i < h.grid().chunkCount(); ++i) {
                const Coords c = h.grid().chunkCoords(i);
                const QByteArray expectedBytes = innerChunkAt(a, c);
                QVERIFY(!expectedBytes.isNull());
                QCOMPARE(h.rawChunk(c)->bytes, expectedBytes);
                stored += expectedBytes.size();
            }
            QCOMPARE(r.bytesPassedThrough, stored);
            expected = valuesOf(a);
        }
        if (testPython().isEmpty())
            QSKIP("CHUNKSCOPE_PYTHON is not set");
        QCOMPARE(readByPython(kH5pyRead, tmp.filePath(QStringLiteral("h.h5"))), sha256(expected));
    }
};

QTEST_GUILESS_MAIN(TestPassthroughShards)
#include "tst_passthroughshards.moc"
