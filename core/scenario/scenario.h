#pragma once

#include "array/dtype.h"
#include "codecs/compressorspec.h"
#include "engine/distribution.h"
#include "engine/lockmode.h"
#include "stores/fillspec.h"
#include "stores/hdf5path.h"
#include "stores/passthrough.h"
#include "stores/storekind.h"

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

// One array of a scenario, with `like` already resolved. `given` keeps exactly the keys the file
// gave for this array (`like` included), so that saving writes back what the user wrote.
// An array filled from "existing" data may leave dtype, shape and chunks to its file: shape and
// chunks are then empty and dtypeKnown is false until the store has opened the file.
struct ArraySpec {
    QString id;
    QString store; // the id of a registered StoreKind: "memory", "zarr", "hdf5", "carray"
    QString like;
    DType dtype;
    bool dtypeKnown = true;
    std::vector<int64_t> shape;
    std::vector<int64_t> chunks; // carray: {chunklen, shape[1], ...}
    FillSpec fill;
    bool overwrite = false;
    // The store kind's own keys, of the options type its folder defines (ZarrOptions, ...).
    StoreOptions options;
    QJsonObject given;

    // The registered kind of `store`, or nullptr.
    const StoreKind *kind() const;
    // What the store is created or opened from.
    StoreArray storeArray() const;
    // The options as their type, made default ones when they are not of that type yet.
    template <class Options> Options &optionsAs()
    {
        if (!std::any_cast<Options>(&options))
            options = Options();
        return *std::any_cast<Options>(&options);
    }
    template <class Options> const Options *optionsIf() const { return std::any_cast<Options>(&options); }
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
    // "passthrough": whether chunks may move as stored, without decoding (stores/passthrough.h).
    PassthroughMode passthrough = PassthroughMode::Never;
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
    // How the copy grid's tasks are shared among the ranks of an MPI job ("distribution"), and, not
    // keys, which rank of how many this process is.
    Distribution distribution = Distribution::Block;
    int rank = 0;
    int ranks = 1;
    bool prefault = false; // touch a fresh in-memory target before the timed copy
    // Fork an idle child process as the copy starts, as dask's ResourceProfiler does, so that the
    // copy pays the copy-on-write faults such a fork causes.
    bool forkDuringCopy = false;
    // "leave_one_core": with workers 0 (one per logical CPU), one fewer, at least 1, so that the
    // window's own thread does not compete with the workers. The parser resolves `workers` with it.
    bool leaveOneCore = false;
    std::optional<SweepInfo> sweep;
};

// How repeats and sweep points are executed: interleaved runs one repeat of every run, then the next
// (A B C A B C), so that a drift of the machine's speed falls on every run alike; sequential runs all
// repeats of a run before the next (A A A B B B).
enum class RunOrder { Interleaved, Sequential };
// "interleaved" or "sequential", the values of the top-level "order".
QString runOrderName(RunOrder order);
std::optional<RunOrder> runOrderFromName(const QJsonValue &name);

struct Scenario {
    QString name;
    QString description;
    RunOrder order = RunOrder::Interleaved;
    bool orderGiven = false; // the file said "order", so saving writes it back even when it is the default
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
