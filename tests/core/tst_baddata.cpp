// Bad data on disk, end to end through scenario, stores and runner: each bad case fails its run with
// an error that names the array and, where there is one, the chunk; the runs after it still run.
#include "codecs/crc32c.h"
#include "runner/arrayset.h"
#include "runner/runexecutor.h"
#include "scenario/scenarioparser.h"
#include "scenarioruns.h"
#include "testfiles.h"

#include <QDir>
#include <QFile>
#include <QTemporaryDir>
#include <QTest>

#include <cstring>

using namespace cs;

namespace {

// Builds (creates and fills) every array of a scenario, as a run would before copying.
bool buildAll(const QByteArray &json, const QString &dir)
{
    QString error;
    const std::optional<Scenario> s = parseScenario(json, QStringLiteral("make.json"), &error, dir);
    if (!s)
        return false;
    ArraySet arrays(*s);
    for (const ArraySpec &a : s->arrays) {
        Store &store = arrays.get(a.id);
        store.endWriting();
    }
    return true;
}

} // namespace

class TestBadData : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void badStoresFailTheirRunAndTheOthersGoOn()
    {
        QTemporaryDir dir;
        // First build good files on disk: a Zarr directory store, an HDF5 file.
        const QByteArray make = R"({"chunkscope": 1, "arrays": {
            "a": {"store": "memory", "dtype": "<i4", "shape": [1000], "chunks": [100], "fill": "arange"},
            "z": {"store": "zarr", "like": "a", "path": "z.zarr", "fill": {"copy": "a"},
                  "compressor": {"id": "blosc", "cname": "lz4", "clevel": 5, "shuffle": 1}},
            "h": {"store": "hdf5", "like": "a", "file": "h.h5", "dataset": "d", "compression": "lzf",
                  "shuffle": true, "fill": {"copy": "a"}}},
            "runs": []})";
        QVERIFY(buildAll(make, dir.path()));
        QVERIFY(QFile::exists(dir.filePath(QStringLiteral("z.zarr/.zarray"))));
        QVERIFY(QFile::exists(dir.filePath(QStringLiteral("h.h5"))));

        // Corrupt chunk 3 of the Zarr array: keep its first 20 bytes only.
        QFile chunk(dir.filePath(QStringLiteral("z.zarr/3")));
        QVERIFY(chunk.open(QIODevice::ReadWrite));
        const QByteArray head = chunk.read(20);
        chunk.resize(0);
        chunk.write(head);
        chunk.close();
        // A second Zarr array whose metadata is not JSON.
        QVERIFY(QDir(dir.path()).mkpath(QStringLiteral("broken.zarr")));
        QVERIFY(writeAll(dir.filePath(QStringLiteral("broken.zarr/.zarray")), "{\"zarr_format\": 2, \"shape\": [10"));

        const QByteArray runs = R"({"chunkscope": 1, "arrays": {
            "a": {"store": "memory", "dtype": "<i4", "shape": [1000], "chunks": [100], "fill": "arange"},
            "out": {"store": "memory", "like": "a", "fill": "empty"},
            "outf": {"store": "memory", "like": "a", "dtype": "<f8", "fill": "empty"},
            "z": {"store": "zarr", "path": "z.zarr", "fill": "existing"},
            "broken": {"store": "zarr", "path": "broken.zarr", "fill": "existing"},
            "wrongtype": {"store": "hdf5", "dtype": "<f8", "file": "h.h5", "dataset": "d", "fill": "existing"}},
            "runs": [
              {"name": "corrupt chunk", "source": "z", "target": "out"},
              {"name": "unreadable zarray", "source": "broken", "target": "out"},
              {"name": "wrong dtype", "source": "wrongtype", "target": "outf"},
              {"name": "good", "source": "a", "target": "out"}]})";
        const QList<RunResult> results = runScenario(runs, dir.path());
        QCOMPARE(results.size(), 4);
        for (int i = 0; i < 3; ++i) {
            QCOMPARE(statusName(results[i].status), QStringLiteral("failed"));
            QCOMPARE(results[i].verified, std::optional<bool>(false));
        }
        const QString d = dir.path();
        QCOMPARE(results[0].error,
                 QStringLiteral("array z, chunk [3]: corrupt blosc frame (header announces 400 bytes "
                                "compressed to 145, the frame has 20)"));
        QCOMPARE(results[1].error,
                 QStringLiteral("array broken, .zarray: not valid JSON (invalid termination by number at offset 31)"));
        QCOMPARE(results[2].error, QStringLiteral("array wrongtype: dataset %1/h.h5:/d has dtype <i4, not <f8").arg(d));
        QCOMPARE(statusName(results[3].status), QStringLiteral("ok"));
        QCOMPARE(results[3].verified, std::optional<bool>(true));
    }

    void badZarrV3ShardsFailTheirRunAndTheOthersGoOn()
    {
        QTemporaryDir dir;
        // Shards of 200 items in inner chunks of 50: "s" checks its inner chunks and index with crc32c,
        // "p" has an index without a checksum.
        const QByteArray make = R"({"chunkscope": 1, "arrays": {
            "a": {"store": "memory", "dtype": "<i4", "shape": [1000], "chunks": [200], "fill": "arange"},
            "s": {"store": "zarr", "like": "a", "path": "s.zarr", "fill": {"copy": "a"}, "zarr_format": 3,
                  "codecs": [{"name": "sharding_indexed", "configuration": {"chunk_shape": [50],
                      "codecs": [{"name": "bytes", "configuration": {"endian": "little"}}, {"name": "crc32c"}],
                      "index_codecs": [{"name": "bytes", "configuration": {"endian": "little"}}, {"name": "crc32c"}]}}]},
            "p": {"store": "zarr", "like": "a", "path": "p.zarr", "fill": {"copy": "a"}, "zarr_format": 3,
                  "codecs": [{"name": "sharding_indexed", "configuration": {"chunk_shape": [50],
                      "codecs": [{"name": "bytes", "configuration": {"endian": "little"}}],
                      "index_codecs": [{"name": "bytes", "configuration": {"endian": "little"}}]}}]}},
            "runs": []})";
        QVERIFY(buildAll(make, dir.path()));

        // Inner chunk (1) of shard c/2: one payload byte flipped.
        const QString shardPath = dir.filePath(QStringLiteral("s.zarr/c/2"));
        QByteArray shard = readAll(shardPath);
        QCOMPARE(shard.size(), 4 * 204 + 4 * 16 + 4);
        uint32_t stored = 0;
        std::memcpy(&stored, shard.constData() + 204 + 200, 4);
        shard[204 + 3] = char(shard[204 + 3] ^ 0x10);
        const uint32_t computed = crc32c(shard.constData() + 204, 200);
        QVERIFY(writeAll(shardPath, shard));
        // Shard c/0 of "p": inner chunk (0) claims 1000 bytes.
        const QString plainPath = dir.filePath(QStringLiteral("p.zarr/c/0"));
        QByteArray plain = readAll(plainPath);
        QCOMPARE(plain.size(), 4 * 200 + 4 * 16);
        const uint64_t nbytes = 1000;
        std::memcpy(plain.data() + 800 + 8, &nbytes, 8);
        QVERIFY(writeAll(plainPath, plain));
        // A group, and an array with a codec nobody knows.
        QVERIFY(QDir(dir.path()).mkpath(QStringLiteral("group.zarr")));
        QVERIFY(writeAll(dir.filePath(QStringLiteral("group.zarr/zarr.json")),
                         R"({"zarr_format": 3, "node_type": "group", "attributes": {}})"));
        QVERIFY(QDir(dir.path()).mkpath(QStringLiteral("lz5.zarr")));
        QByteArray zarrJson = readAll(dir.filePath(QStringLiteral("p.zarr/zarr.json")));
        // The inner codecs' bytes, which come before index_codecs' in the file.
        const qsizetype bytesAt = zarrJson.indexOf("\"name\":\"bytes\"");
        QVERIFY(bytesAt > 0);
        QVERIFY(writeAll(dir.filePath(QStringLiteral("lz5.zarr/zarr.json")),
                         zarrJson.replace(bytesAt, 14, "\"name\":\"lz5\"")));

        const QByteArray runs = R"({"chunkscope": 1, "arrays": {
            "a": {"store": "memory", "dtype": "<i4", "shape": [1000], "chunks": [200], "fill": "arange"},
            "out": {"store": "memory", "like": "a", "fill": "empty"},
            "s": {"store": "zarr", "path": "s.zarr", "fill": "existing"},
            "p": {"store": "zarr", "path": "p.zarr", "fill": "existing"},
            "g": {"store": "zarr", "path": "group.zarr", "fill": "existing"},
            "u": {"store": "zarr", "path": "lz5.zarr", "fill": "existing"}},
            "runs": [
              {"name": "failed crc32c", "source": "s", "target": "out"},
              {"name": "past the end", "source": "p", "target": "out"},
              {"name": "a group", "source": "g", "target": "out"},
              {"name": "unknown codec", "source": "u", "target": "out"},
              {"name": "good", "source": "a", "target": "out"}]})";
        const QList<RunResult> results = runScenario(runs, dir.path());
        QCOMPARE(results.size(), 5);
        for (int i = 0; i < 4; ++i)
            QCOMPARE(statusName(results[i].status), QStringLiteral("failed"));
        const auto hex = [](uint32_t v) { return QStringLiteral("0x%1").arg(v, 8, 16, QLatin1Char('0')); };
        QCOMPARE(results[0].error,
                 QStringLiteral("array s, chunk [2]: shard c/2, inner chunk (1): crc32c checksum "
                                "mismatch: stored %1, computed %2")
                     .arg(hex(stored), hex(computed)));
        QCOMPARE(results[1].error,
                 QStringLiteral("array p, chunk [0]: shard c/0: shard index: inner chunk (0) at "
                                "bytes 0 to 1000 lies past the end of the shard (864 bytes)"));
        QCOMPARE(results[2].error, QStringLiteral("array g, zarr.json: node_type \"group\" is not an array"));
        QCOMPARE(results[3].error,
                 QStringLiteral("array u, zarr.json: codecs[0] sharding_indexed inner codecs[0] \"lz5\" is not "
                                "supported (bytes, transpose, blosc, gzip, zstd, crc32c, sharding_indexed and "
                                "numcodecs.<id> for numcodecs' codecs are)"));
        QCOMPARE(statusName(results[4].status), QStringLiteral("ok"));
        QCOMPARE(results[4].verified, std::optional<bool>(true));
    }
};

QTEST_GUILESS_MAIN(TestBadData)
#include "tst_baddata.moc"
