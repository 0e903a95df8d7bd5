// Bad data on disk, end to end through scenario, stores and runner: each bad case fails its run with
// an error that names the array and, where there is one, the chunk; the runs after it still run.
#include "runner/arrayset.h"
#include "runner/runexecutor.h"
#include "scenario/scenarioparser.h"
#include "scenarioruns.h"
#include "testfiles.h"

#include <QDir>
#include <QFile>
#include <QTemporaryDir>
#include <QTest>

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
};

QTEST_GUILESS_MAIN(TestBadData)
#include "tst_baddata.moc"
