#pragma once

#include "array/dtype.h"
#include "engine/lockmode.h"
#include "stores/hdf5path.h"

#include <QHash>
#include <QJsonArray>
#include <QJsonObject>
#include <QJsonValue>
#include <QList>
#include <QString>

#include <cmath>
#include <cstdint>
#include <optional>
#include <vector>

namespace cs {

// A codec's settings as the scenario gives them: Zarr's compressor object, HDF5's compression
// keys or a carray's cparams, normalised to one shape.
struct CompressorSpec {
    QString id; // "blosc", "zlib", "lzf", "gzip"; empty means no compressor
    QString cname = QStringLiteral("blosclz"); // blosc only
    int clevel = 5; // blosc level; zlib / gzip level
    int shuffle = 1; // blosc: -1 auto, 0 none, 1 byte, 2 bit
    int blocksize = 0; // blosc only
    bool operator==(const CompressorSpec &o) const
    {
        return id == o.id && cname == o.cname && clevel == o.clevel && shuffle == o.shuffle && blocksize == o.blocksize;
    }
};

struct FillSpec {
    enum class Kind { Empty, Zeros, Arange, Constant, Random, Copy, Existing };
    Kind kind = Kind::Empty;
    double constant = 0; // Constant (NaN compares equal to NaN here, so specs round-trip)
    uint64_t seed = 0; // Random
    QString copyOf; // Copy: id of the array to copy
    bool operator==(const FillSpec &o) const
    {
        const bool sameConstant = constant == o.constant || (std::isnan(constant) && std::isnan(o.constant));
        return kind == o.kind && sameConstant && seed == o.seed && copyOf == o.copyOf;
    }
};

// One array of a scenario, with `like` already resolved. `given` keeps exactly the keys the file
// gave for this array (`like` included), so that saving writes back what the user wrote.
// An array filled from "existing" data may leave dtype, shape and chunks to its file: shape and
// chunks are then empty and dtypeKnown is false until the store has opened the file.
struct ArraySpec {
    QString id;
    QString store; // "memory", "zarr", "hdf5", "carray"
    QString like;
    DType dtype;
    bool dtypeKnown = true;
    std::vector<int64_t> shape;
    std::vector<int64_t> chunks; // carray: {chunklen, shape[1], ...}
    FillSpec fill;
    bool overwrite = false;

    // zarr. Relative path, file and rootdir are resolved against the scenario file's directory.
    QString path; // empty: in memory
    std::optional<CompressorSpec> compressor; // nullopt: no compressor; zarr's default is blosc lz4
    QJsonValue fillValue = QJsonValue(0); // number, "NaN", "Infinity", "-Infinity" or null
    QString order = QStringLiteral("C");
    QString dimensionSeparator = QStringLiteral(".");

    // hdf5
    QString file; // empty: in-memory file on the core driver
    QString dataset;
    QString compression; // "", "lzf", "gzip"
    int compressionOpts = 4;
    bool shuffle = false;

    // carray
    int64_t chunklen = 0; // the parser sets bcolz's default when the file gives none; 0 when unknown
    CompressorSpec cparams; // bcolz defaults: blosclz, clevel 5, shuffle 1
    QString rootdir;

    QJsonObject given;
};

struct SweepInfo {
    QString of; // the run the sweep was expanded from
    QJsonObject values; // the swept keys and this expansion's value of each
};

// One run of a scenario after sweep expansion: single values only.
struct RunSpec {
    QString name;
    QString source;
    QString target;
    std::vector<int64_t> chunks; // the source's chunks when not given; empty when those come from a file
    int workers = 0; // 0: the number of logical CPUs
    LockMode lock = LockMode::Target;
    bool profile = true;
    int sampleMs = 100;
    bool verify = true;
    Hdf5Path hdf5Path = Hdf5Path::Auto;
    int repeat = 1;
    // Untimed copies before the timed ones, so that every timed copy meets a target written before
    // (a fresh target pays first-touch page faults). Default 0; a sweep's first run gets 1.
    int warmup = 0;
    // Not a key: the first repeat this spec runs, when an interleaved plan runs one repeat at a time.
    int repeatFrom = 0;
    bool prefault = false; // touch a fresh in-memory target before the timed copy
    // Fork an idle child process as the copy starts, as dask's ResourceProfiler does, so that the
    // copy pays the copy-on-write faults such a fork causes.
    bool forkDuringCopy = false;
    std::optional<SweepInfo> sweep;
};

// How repeats and sweep points are executed: interleaved runs one repeat of every run, then the next
// (A B C A B C), so that a drift of the machine's speed falls on every run alike; sequential runs all
// repeats of a run before the next (A A A B B B).
enum class RunOrder { Interleaved, Sequential };

struct Scenario {
    QString name;
    QString description;
    RunOrder order = RunOrder::Interleaved;
    QList<ArraySpec> arrays; // in file order
    QList<RunSpec> runs; // expanded, in order
    // The runs as the file gave them (sweeps unexpanded), so that saving writes them back.
    QJsonArray givenRuns;
    // The file the scenario was loaded from; empty when parsed from bytes.
    QString filePath;

    // Where each array id sits in `arrays`, so that array() does not scan a scenario of many
    // arrays once per lookup. Set by indexArrays(); an entry that no longer matches, or an id it
    // lacks, falls back to a scan, so a Scenario edited afterwards still answers correctly.
    QHash<QString, qsizetype> arrayIndex;

    const ArraySpec *array(const QString &id) const;
    void indexArrays();
};

} // namespace cs
