// Scenarios that must be refused: each with the file, the JSON path and the exact message, and none
// that crashes.
#include "scenario/scenariowriter.h"
#include "scenariotext.h"
#include "testfiles.h"

#include <QRandomGenerator>
#include <QTemporaryDir>
#include <QTest>

using namespace cs;

class TestScenarioErrors : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void badScenarios_data()
    {
        QTest::addColumn<QByteArray>("json");
        QTest::addColumn<QString>("expected");
        const auto row = [](const char *name, const QByteArray &json, const char *message) {
            QTest::newRow(name) << json << QStringLiteral("bad.json: ") + QString::fromUtf8(message);
        };
        const QByteArray shape = R"("a1": {"store": "memory", "dtype": "<i4", "shape": )";
        row("negative dimension", doc(shape + "[-1]}"), "/arrays/a1/shape/0: must be a non-negative integer");
        row("fractional dimension", doc(shape + "[10, 1.5]}"), "/arrays/a1/shape/1: must be a non-negative integer");
        row("huge dimension", doc(shape + "[12345678901234567890]}"),
            "/arrays/a1/shape/0: must be a non-negative integer");
        row("2^53 + 1", doc(shape + "[9007199254740993]}"), "/arrays/a1/shape/0: must be a non-negative integer");
        row("string dimension", doc(shape + "[\"10\"]}"), "/arrays/a1/shape/0: must be a non-negative integer");
        row("rank 0", doc(shape + "[]}"), "/arrays/a1/shape: must list 1 to 32 dimensions");
        row("rank 33", doc(shape + "[1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1]}"),
            "/arrays/a1/shape: must list 1 to 32 dimensions");
        row("element overflow", doc(shape + "[4294967296, 4294967296]}"),
            "/arrays/a1/shape: the number of elements overflows a 64-bit integer");
        row("byte overflow", doc(shape + "[2147483648, 2147483648]}"),
            "/arrays/a1/shape: the size in bytes overflows a 64-bit integer");
        row("typo key", doc(R"("a1": {"store": "memory", "dtype": "<i4", "shapes": [10]})"),
            R"(/arrays/a1/shapes: unknown key "shapes"; did you mean "shape"?)");
        row("unknown key", doc(A1 + R"(, "a2": {"store": "memory", "like": "a1", "colour": "red"})"),
            R"(/arrays/a2/colour: unknown key "colour" (expected store, like, dtype, shape, chunks, fill, overwrite))");
        row("top-level typo", R"({"chunkscope": 1, "array": {}, "runs": []})",
            R"(/array: unknown key "array"; did you mean "arrays"?)");
        row("version 2", R"({"chunkscope": 2, "arrays": {}, "runs": []})",
            "/chunkscope: unsupported format version 2 (this Chunkscope reads version 1)");
        row("version string", R"({"chunkscope": "1", "arrays": {}, "runs": []})",
            "/chunkscope: must be the format version, 1");
        row("no version", R"({"arrays": {}, "runs": []})", R"(/: missing required key "chunkscope")");
        row("no runs", R"({"chunkscope": 1, "arrays": {}})", R"(/: missing required key "runs")");
        row("arrays list", R"({"chunkscope": 1, "arrays": [], "runs": []})", "/arrays: must be an object");
        row("description number", R"({"chunkscope": 1, "description": 5, "arrays": {}, "runs": []})",
            "/description: must be a string");
        row("results document", R"({"chunkscope_results": 1, "runs": []})",
            "/: this is a results document, not a scenario");
        row("top-level list", "[1, 2]", "/: must be a JSON object");
        row("bad id", doc(R"("1a": {"store": "memory", "dtype": "<i4", "shape": [1]})"),
            R"(/arrays/1a: invalid array id "1a": an id starts with a letter or "_" and holds only letters, digits, "_", "." and "-")");
        row("duplicate array", doc(A1 + ", " + A1), R"(/arrays/a1: duplicate key "a1")");
        row("duplicate key", doc(R"("a1": {"store": "memory", "dtype": "<i4", "shape": [1], "shape": [2]})"),
            R"(/arrays/a1/shape: duplicate key "shape")");
        row("no store", doc(R"("a1": {"dtype": "<i4", "shape": [1]})"), R"(/arrays/a1: missing required key "store")");
        row("unknown store", doc(R"("a1": {"store": "numpy"})"),
            R"(/arrays/a1/store: unknown store "numpy" (expected "memory", "zarr", "hdf5" or "carray"))");
        row("no dtype", doc(R"("a1": {"store": "memory", "shape": [1]})"),
            R"(/arrays/a1: missing required key "dtype")");
        row("bad dtype", doc(R"("a1": {"store": "memory", "dtype": "<i3", "shape": [1]})"),
            R"(/arrays/a1/dtype: unsupported dtype "<i3" (expected a NumPy type string such as "<i4" or a name such as "int32"))");
        row("like unknown", doc(A1 + R"(, "a2": {"store": "memory", "like": "zz"})"),
            R"(/arrays/a2/like: unknown array "zz")");
        row("like cycle",
            doc(A1 + R"(, "a2": {"store": "memory", "like": "a3"}, "a3": {"store": "memory", "like": "a2"})"),
            "/arrays/a2/like: cycle through a2 -> a3 -> a2");
        row("like itself", doc(R"("a1": {"store": "memory", "like": "a1"})"),
            "/arrays/a1/like: cycle through a1 -> a1");
        row("like rank", doc(A1 + R"(, "a2": {"store": "memory", "like": "a1", "shape": [10, 10]})"),
            R"(/arrays/a2/shape: rank 2 differs from the rank 1 of the chunks taken from a1; give "chunks" too)");
        row("chunks rank", doc(shape + "[100], \"chunks\": [10, 10]}"),
            "/arrays/a1/chunks: rank 2 differs from the shape's rank 1");
        row("zero chunk", doc(shape + "[100], \"chunks\": [0]}"), "/arrays/a1/chunks/0: must be a positive integer");
        row("blosc limit, one chunk", doc(R"("z1": {"store": "zarr", "dtype": "<i4", "shape": [1073741824]})"),
            "/arrays/z1: one chunk is 4294967296 bytes; a compressed store allows at most 2147483631 (blosc's limit)");
        row("blosc limit, chunks",
            doc(R"("z1": {"store": "zarr", "dtype": "<i4", "shape": [1073741824], "chunks": [600000000]})"),
            "/arrays/z1/chunks: one chunk is 2400000000 bytes; a compressed store allows at most 2147483631 (blosc's "
            "limit)");
        row("carray limit",
            doc(R"("c1": {"store": "carray", "dtype": "<i8", "shape": [1073741824], "chunklen": 300000000})"),
            "/arrays/c1/chunklen: one chunk is 2400000000 bytes; a compressed store allows at most 2147483631 (blosc's "
            "limit)");
        row("fill word", doc(R"("a1": {"store": "memory", "dtype": "<i4", "shape": [1], "fill": "ones"})"),
            R"(/arrays/a1/fill: must be "empty", "zeros", "arange", "existing", {"constant": V}, {"random": {"seed": N}} or {"copy": "ID"})");
        row("fill two keys",
            doc(R"("a1": {"store": "memory", "dtype": "<i4", "shape": [1], "fill": {"constant": 1, "copy": "a1"}})"),
            R"(/arrays/a1/fill: must have exactly one of the keys "constant", "random" and "copy")");
        row("fill unknown key", doc(R"("a1": {"store": "memory", "dtype": "<i4", "shape": [1], "fill": {"const": 1}})"),
            R"(/arrays/a1/fill/const: unknown key "const" (expected constant, random, copy))");
        row("constant range",
            doc(R"("a1": {"store": "memory", "dtype": "uint8", "shape": [1], "fill": {"constant": 300}})"),
            "/arrays/a1/fill/constant: must be an integer from 0 to 255 (the range of uint8)");
        row("constant float32",
            doc(R"("a1": {"store": "memory", "dtype": "<f4", "shape": [1], "fill": {"constant": 1e39}})"),
            "/arrays/a1/fill/constant: is out of the range of float32");
        row("seed negative",
            doc(R"("a1": {"store": "memory", "dtype": "<i4", "shape": [1], "fill": {"random": {"seed": -1}}})"),
            "/arrays/a1/fill/random/seed: must be a non-negative integer");
        row("copy unknown", doc(A1 + R"(, "a2": {"store": "memory", "like": "a1", "fill": {"copy": "zz"}})"),
            R"(/arrays/a2/fill/copy: unknown array "zz")");
        row("copy shape",
            doc(A1
                + R"(, "a2": {"store": "memory", "like": "a1", "shape": [10], "chunks": [10], "fill": {"copy": "a1"}})"),
            "/arrays/a2/fill/copy: shape [10] differs from a1's [100]");
        row("copy cycle", doc(R"("a1": {"store": "memory", "dtype": "<i4", "shape": [1], "fill": {"copy": "a2"}},
                   "a2": {"store": "memory", "like": "a1", "fill": {"copy": "a1"}})"),
            "/arrays/a1/fill/copy: cycle through a1 -> a2 -> a1");
        row("existing in memory", doc(R"("a1": {"store": "memory", "dtype": "<i4", "shape": [1], "fill": "existing"})"),
            R"(/arrays/a1/fill: "existing" needs data on disk, which a memory array does not have)");
        row("existing without path", doc(R"("z1": {"store": "zarr", "fill": "existing"})"),
            R"(/arrays/z1/fill: "existing" needs data on disk: give "path")");
        row("overwrite string", doc(R"("a1": {"store": "memory", "dtype": "<i4", "shape": [1], "overwrite": "yes"})"),
            "/arrays/a1/overwrite: must be true or false");
        row("zarr key on memory", doc(R"("a1": {"store": "memory", "dtype": "<i4", "shape": [1], "compressor": null})"),
            R"(/arrays/a1/compressor: "compressor" is a key of zarr arrays, not of memory arrays)");
        row("hdf5 key on zarr", doc(A1 + ", " + Z1 + R"(, "dataset": "x"})"),
            R"(/arrays/z1/dataset: "dataset" is a key of hdf5 arrays, not of zarr arrays)");
        row("cname", doc(A1 + ", " + Z1 + R"(, "compressor": {"id": "blosc", "cname": "lzma"}})"),
            R"(/arrays/z1/compressor/cname: must be one of "blosclz", "lz4", "lz4hc", "snappy", "zlib" or "zstd")");
        row("clevel", doc(A1 + ", " + Z1 + R"(, "compressor": {"id": "blosc", "clevel": 10}})"),
            "/arrays/z1/compressor/clevel: must be an integer from 0 to 9");
        row("shuffle", doc(A1 + ", " + Z1 + R"(, "compressor": {"id": "blosc", "shuffle": 3}})"),
            "/arrays/z1/compressor/shuffle: must be an integer from -1 to 2");
        row("blocksize", doc(A1 + ", " + Z1 + R"(, "compressor": {"id": "blosc", "blocksize": -1}})"),
            "/arrays/z1/compressor/blocksize: must be a non-negative integer");
        row("compressor id", doc(A1 + ", " + Z1 + R"(, "compressor": {"id": "lzf"}})"),
            R"(/arrays/z1/compressor/id: unsupported compressor "lzf" (expected "blosc", "zlib", "bz2", "lzma", "lz4", "zstd" or "gzip"))");
        row("numcodecs compressor key", doc(A1 + ", " + Z1 + R"(, "compressor": {"id": "lz4", "level": 1}})"),
            R"(/arrays/z1/compressor: numcodecs codec "lz4": key "level" is not a key of this codec)");
        row("filter without its dtype", doc(A1 + ", " + Z1 + R"(, "filters": [{"id": "delta"}]})"),
            R"(/arrays/z1/filters: filters[0]: numcodecs codec "delta": key "dtype" is missing)");
        row("unknown filter",
            doc(A1 + ", " + Z1 + R"(, "filters": [{"id": "zlib"}, {"id": "bitround", "keepbits": 3}]})"),
            R"(/arrays/z1/filters: filters[1]: numcodecs codec "bitround" is not supported (supported: astype, bz2, categorize, delta, fixedscaleoffset, gzip, lz4, lzma, packbits, quantize, shuffle, zlib, zstd))");
        row("filters not a list", doc(A1 + ", " + Z1 + R"(, "filters": {"id": "delta"}})"),
            R"(/arrays/z1/filters: filters must be a list or null)");
        row("zlib level", doc(A1 + ", " + Z1 + R"(, "compressor": {"id": "zlib", "level": 11}})"),
            "/arrays/z1/compressor/level: must be an integer from 0 to 9");
        row("zlib cname", doc(A1 + ", " + Z1 + R"(, "compressor": {"id": "zlib", "cname": "lz4"}})"),
            R"(/arrays/z1/compressor/cname: unknown key "cname" (expected id, level))");
        row("fill_value spelling", doc(A1 + ", " + Z1 + R"(, "dtype": "<f8", "fill_value": "nan"})"),
            R"(/arrays/z1/fill_value: must be a number, "NaN", "Infinity", "-Infinity" or null)");
        row("fill_value NaN for int", doc(A1 + ", " + Z1 + R"(, "fill_value": "NaN"})"),
            "/arrays/z1/fill_value: must be null or an integer from -2147483648 to 2147483647 (the range of int32)");
        row("order", doc(A1 + ", " + Z1 + R"(, "order": "K"})"), R"(/arrays/z1/order: must be "C" or "F")");
        row("separator", doc(A1 + ", " + Z1 + R"(, "dimension_separator": "-"})"),
            R"(/arrays/z1/dimension_separator: must be "." or "/")");
        row("empty path", doc(A1 + ", " + Z1 + R"(, "path": ""})"), "/arrays/z1/path: must be a non-empty string");
        row("dataset not a string", doc(A1 + ", " + H1 + R"(, "dataset": 5})"),
            "/arrays/h1/dataset: must be a non-empty string");
        row("compression", doc(A1 + ", " + H1 + R"(, "dataset": "d", "compression": "szip"})"),
            R"(/arrays/h1/compression: must be null, "lzf" or "gzip")");
        row("compression_opts",
            doc(A1 + ", " + H1 + R"(, "dataset": "d", "compression": "gzip", "compression_opts": 10})"),
            "/arrays/h1/compression_opts: must be an integer from 0 to 9");
        row("opts with lzf", doc(A1 + ", " + H1 + R"(, "dataset": "d", "compression": "lzf", "compression_opts": 4})"),
            R"(/arrays/h1/compression_opts: applies to "gzip" compression only)");
        row("hdf5 shuffle", doc(A1 + ", " + H1 + R"(, "dataset": "d", "shuffle": 1})"),
            "/arrays/h1/shuffle: must be true or false");
        row("hdf5 chunk > shape", doc(A1 + ", " + H1 + R"(, "dataset": "d", "chunks": [200]})"),
            "/arrays/h1/chunks/0: 200 is larger than the dimension's 100, which HDF5 refuses for a fixed-size dataset");
        row("chunklen 0", doc(A1 + ", " + C1 + R"(, "chunklen": 0})"),
            "/arrays/c1/chunklen: must be a positive integer");
        row("chunklen vs chunks", doc(A1 + ", " + C1 + R"(, "chunks": [20], "chunklen": 25})"),
            "/arrays/c1/chunklen: 25 differs from the first entry of chunks, 20");
        row("carray 2-D chunks",
            doc(R"("c1": {"store": "carray", "dtype": "<i4", "shape": [10, 4], "chunks": [5, 2]})"),
            "/arrays/c1/chunks: a carray is chunked along its first axis only: chunks must be [N, 4]");
        row("cparams shuffle", doc(A1 + ", " + C1 + R"(, "cparams": {"shuffle": -1}})"),
            "/arrays/c1/cparams/shuffle: must be an integer from 0 to 2");
        row("cparams blocksize", doc(A1 + ", " + C1 + R"(, "cparams": {"blocksize": 0}})"),
            R"(/arrays/c1/cparams/blocksize: unknown key "blocksize" (expected cname, clevel, shuffle))");

        const QByteArray arrays = A1 + ", " + A2;
        row("run not object", doc(arrays, "[1]"), "/runs/0: must be an object");
        row("run without name", doc(arrays, R"([{"source": "a1", "target": "a2"}])"),
            R"(/runs/0: missing required key "name")");
        row("run key typo", doc(arrays, R"([{"name": "r", "source": "a1", "target": "a2", "worker": 2}])"),
            R"(/runs/0/worker: unknown key "worker"; did you mean "workers"?)");
        row("duplicate run name",
            doc(arrays,
                R"([{"name": "r", "source": "a1", "target": "a2"}, {"name": "r", "source": "a1", "target": "a2"}])"),
            R"(/runs/1/name: run name "r" is already used by /runs/0)");
        row("name control character", doc(arrays, "[{\"name\": \"r\\u0000\", \"source\": \"a1\", \"target\": \"a2\"}]"),
            "/runs/0/name: must not contain control characters");
        row("key with a newline", doc(arrays, R"([{"name": "r", "source": "a1", "t\narget": "a2"}])"),
            R"(/runs/0/t\narget: unknown key "t\narget"; did you mean "target"?)");
        row("unknown source", doc(arrays, R"([{"name": "r", "source": "zz", "target": "a2"}])"),
            R"(/runs/0/source: unknown array "zz")");
        row("same array", doc(arrays, R"([{"name": "r", "source": "a1", "target": "a1"}])"),
            "/runs/0/target: is the source; a run copies to a different array");
        row("shape differs",
            doc(R"("a1": {"store": "memory", "dtype": "<i4", "shape": [400000000], "chunks": [1048576]},
                   "a2": {"store": "memory", "like": "a1"}, "a3": {"store": "memory", "like": "a1", "shape": [10]})",
                R"([{"name": "ok", "source": "a1", "target": "a2"}, {"name": "small", "source": "a1", "target": "a3"}])"),
            "/runs/1/target: shape [10] differs from source a1's [400000000]");
        row("dtype differs",
            doc(A1 + R"(, "a2": {"store": "memory", "like": "a1", "dtype": "<f8"})",
                R"([{"name": "r", "source": "a1", "target": "a2"}])"),
            "/runs/0/target: dtype <f8 differs from source a1's <i4");
        row("run chunks rank", doc(arrays, R"([{"name": "r", "source": "a1", "target": "a2", "chunks": [5, 5]}])"),
            "/runs/0/chunks: rank 2 differs from the rank 1 of a1");
        row("run chunk 0", doc(arrays, R"([{"name": "r", "source": "a1", "target": "a2", "chunks": [0]}])"),
            "/runs/0/chunks/0: must be a positive integer");
        row("run chunk sweep entry",
            doc(arrays, R"([{"name": "r", "source": "a1", "target": "a2", "chunks": [[5], 5]}])"),
            "/runs/0/chunks/1: must be a list");
        row("workers", doc(arrays, R"([{"name": "r", "source": "a1", "target": "a2", "workers": 2000}])"),
            "/runs/0/workers: must be an integer from 0 to 1024");
        row("workers sweep", doc(arrays, R"([{"name": "r", "source": "a1", "target": "a2", "workers": [1, 2.5]}])"),
            "/runs/0/workers/1: must be an integer from 0 to 1024");
        row("empty sweep", doc(arrays, R"([{"name": "r", "source": "a1", "target": "a2", "workers": []}])"),
            "/runs/0/workers: a sweep must list at least one value");
        row("lock", doc(arrays, R"([{"name": "r", "source": "a1", "target": "a2", "lock": "yes"}])"),
            R"(/runs/0/lock: must be true, false, "target", "none" or "io")");
        row("lock sweep repeat",
            doc(arrays, R"([{"name": "r", "source": "a1", "target": "a2", "lock": [true, "target"]}])"),
            "/runs/0/lock/1: repeats an earlier value of the sweep");
        row("sample_ms", doc(arrays, R"([{"name": "r", "source": "a1", "target": "a2", "sample_ms": 0}])"),
            "/runs/0/sample_ms: must be an integer from 1 to 60000");
        row("repeat", doc(arrays, R"([{"name": "r", "source": "a1", "target": "a2", "repeat": 1001}])"),
            "/runs/0/repeat: must be an integer from 1 to 1000");
        row("warmup", doc(arrays, R"([{"name": "r", "source": "a1", "target": "a2", "warmup": -1}])"),
            "/runs/0/warmup: must be an integer from 0 to 1000");
        row("hdf5_path", doc(arrays, R"([{"name": "r", "source": "a1", "target": "a2", "hdf5_path": "fast"}])"),
            R"(/runs/0/hdf5_path: must be "auto", "library" or "direct")");
        row("profile", doc(arrays, R"([{"name": "r", "source": "a1", "target": "a2", "profile": "no"}])"),
            "/runs/0/profile: must be true or false");
        row("prefault", doc(arrays, R"([{"name": "r", "source": "a1", "target": "a2", "prefault": 1}])"),
            "/runs/0/prefault: must be true or false");
        QByteArray many = R"([{"name": "r", "source": "a1", "target": "a2", "workers": [)";
        for (int w = 0; w <= 100; ++w)
            many += (w ? "," : "") + QByteArray::number(w);
        many += R"(], "lock": [true, false, "io"], "chunks": [)";
        for (int c = 1; c <= 40; ++c)
            many += (c > 1 ? "," : "") + ("[" + QByteArray::number(c) + "]");
        many += "]}]";
        row("too many runs", doc(arrays, many),
            "/runs/0: the scenario would hold more than 10000 runs; sweep fewer values");
    }

    void badScenarios()
    {
        QFETCH(QByteArray, json);
        QFETCH(QString, expected);
        QString error;
        QVERIFY(!parseScenario(json, QStringLiteral("bad.json"), &error));
        QCOMPARE(error, expected);
    }

    void invalidJsonNamesTheOffset()
    {
        QString error;
        QVERIFY(!parseScenario(R"({"chunkscope": 1,)", QStringLiteral("copy.json"), &error));
        QCOMPARE(error, QStringLiteral("copy.json: invalid JSON at offset 17: unterminated object"));
        QVERIFY(!parseScenario(R"({"chunkscope": 1e400})", QStringLiteral("copy.json"), &error));
        QCOMPARE(error, QStringLiteral("copy.json: invalid JSON at offset 20: illegal number"));
        QVERIFY(!parseScenario(QByteArray(10000, '['), QStringLiteral("copy.json"), &error));
        QCOMPARE(error, QStringLiteral("copy.json: invalid JSON at offset 1025: too deeply nested document"));
        QVERIFY(!parseScenario(QByteArray(), QStringLiteral("copy.json"), &error));
        QCOMPARE(error, QStringLiteral("copy.json: invalid JSON at offset 0: illegal value"));
    }

    void malformedInputNeverCrashes_data()
    {
        QTest::addColumn<QByteArray>("json");
        QTest::addColumn<bool>("mayParse"); // random flips can land in a description and leave it valid
        const QByteArray base = readAll(dataPath(QStringLiteral("data/scenarios/rich.json")));
        // Every cut of the file short of its closing brace.
        const qsizetype end = base.lastIndexOf('}');
        for (qsizetype n = 0; n < end; n += 7)
            QTest::newRow(qPrintable(QStringLiteral("truncated at %1").arg(n))) << base.left(n) << false;
        QRandomGenerator rng(20240601);
        for (int i = 0; i < 40; ++i) {
            QByteArray garbage(int(rng.bounded(1, 400)), Qt::Uninitialized);
            for (char &c : garbage)
                c = char(rng.bounded(256));
            QTest::newRow(qPrintable(QStringLiteral("binary %1").arg(i))) << garbage << false;
        }
        for (int i = 0; i < 200; ++i) {
            QByteArray flipped = base;
            for (int k = 0; k < 3; ++k)
                flipped[qsizetype(rng.bounded(int(flipped.size())))] = char(rng.bounded(256));
            QTest::newRow(qPrintable(QStringLiteral("flipped %1").arg(i))) << flipped << true;
        }
        QTest::newRow("NUL in id") << doc(bytes("\"a\0b\": {\"store\": \"memory\"}")) << false;
        QTest::newRow("NUL outside strings") << bytes("{\"chunkscope\": 1,\0 \"arrays\": {}}") << false;
        QTest::newRow("deep nesting in an array")
            << doc("\"a1\": {\"store\": \"memory\", \"dtype\": \"<i4\", \"shape\": " + QByteArray(10000, '[') + "}")
            << false;
        QTest::newRow("deep but legal nesting") << doc("\"a1\": {\"store\": \"memory\", \"dtype\": \"<i4\", \"shape\": "
                                                       + QByteArray(1000, '[') + QByteArray(1000, ']') + "}")
                                                << false;
        QTest::newRow("1e400") << doc(R"("a1": {"store": "memory", "dtype": "<i4", "shape": [1e400]})") << false;
        QTest::newRow("-1e400") << doc(R"("a1": {"store": "memory", "dtype": "<i4", "shape": [-1e400]})") << false;
        QTest::newRow("huge integer") << doc(R"("a1": {"store": "memory", "dtype": "<i4", "shape": [1)"
                                             + QByteArray(400, '0') + "]}")
                                      << false;
        QTest::newRow("lone surrogate") << doc(R"("\ud800": {"store": "memory"})") << false;
        QTest::newRow("bad UTF-8") << doc("\"\xc3\x28\": {\"store\": \"memory\"}") << false;
        QTest::newRow("long key") << doc(QByteArray(100000, 'k').prepend('"').append("\": 1")) << false;
        QTest::newRow("sweep of lists of lists") << doc(A1 + ", " + A2, R"([{"name": "r", "source": "a1",
            "target": "a2", "chunks": [[[1]]]}])")
                                                 << false;
        QTest::newRow("results document") << QByteArray(R"({"chunkscope_results": 1, "chunkscope": 1})") << false;
    }

    void malformedInputNeverCrashes()
    {
        QFETCH(QByteArray, json);
        QFETCH(bool, mayParse);
        QString error;
        const auto s = parseScenario(json, QStringLiteral("bad.json"), &error);
        if (s && mayParse)
            return;
        QVERIFY(!s);
        QVERIFY(error.startsWith(QStringLiteral("bad.json: ")));
        QVERIFY2(!error.contains(QLatin1Char('\n')), qPrintable(error));
        QVERIFY(error.size() < 600);
    }

    void fileErrors()
    {
        QString error;
        QVERIFY(!loadScenarioFile(QStringLiteral("/nonexistent/copy.json"), &error));
        QCOMPARE(error, QStringLiteral("/nonexistent/copy.json: cannot open: No such file or directory"));
        QTemporaryDir dir;
        QVERIFY(!loadScenarioFile(dir.path(), &error));
        QCOMPARE(error, dir.path() + QStringLiteral(": is a directory, not a scenario file"));
        QVERIFY(!saveScenarioFile(Scenario(), QStringLiteral("/nonexistent/dir/out.json"), &error));
        QVERIFY(error.startsWith(QStringLiteral("/nonexistent/dir/out.json: cannot write: ")));
    }
};

QTEST_GUILESS_MAIN(TestScenarioErrors)
#include "tst_scenarioerrors.moc"
