#pragma once

#include "codecs/compressorspec.h"
#include "io/jsoncheck.h"
#include "stores/store.h"
#include "stores/storearray.h"

#include <QJsonObject>
#include <QJsonValue>
#include <QList>
#include <QString>
#include <QStringList>

#include <any>
#include <functional>
#include <memory>
#include <optional>

namespace cs {

// The options of one array of some store kind: a ZarrOptions, Hdf5Options, CarrayOptions or
// MemoryOptions, which only that kind reads.
using StoreOptions = std::any;

// What a kind's keys are read against: the array's own keys as the file gave them, and what the
// scenario has settled for the array before the kind's keys.
struct KindParse {
    QJsonObject given; // the array's own keys
    QString pointer; // "/arrays/z1"
    StoreArray array; // dtype (when known), shape and chunks as settled so far
    // Resolves a path key against the scenario file's directory; checks it is a string.
    std::function<QString(const QJsonValue &value, const QString &pointer)> localPath;

    QString at(const QString &key) const { return jsonPointer(pointer, key); }
    bool has(const QString &key) const { return given.contains(key); }
};

// One key of a kind's arrays. The scenario parser, the scenario writer and the window's array form
// all work from a kind's table of these, so a key is described once.
struct KindKey {
    QString name;
    QString type; // the JSON it takes, as the form's tooltip says it
    QString defaultText; // what leaving it out means
    // The rows of the array form the key drives ("compressor", "compressor/cname").
    QStringList formFields;
    // Reads the key into the options; called in table order whether or not the file gives the key
    // (value is then undefined), so that a key may be required or checked against the array. Null
    // for a key that a kind hook reads (a carray's chunklen belongs with the chunks). Throws JsonError.
    std::function<void(const QJsonValue &value, const KindParse &parse, StoreOptions &options)> read;
    // Adds the key's resolved value to the array's JSON; may add nothing.
    std::function<void(const StoreOptions &options, QJsonObject &out)> write;
    bool setsChunks = false; // names the storage chunks, as "chunks" does (a carray's chunklen)
    bool locates = false; // says where the array is stored (a path, a file, a dataset in it)
};

// How an array's chunks were settled before its kind's chunk rule sees them.
enum class ChunkSource { Given, Borrowed, Default, Unknown };

// What `chunkscope check` says an array holds in memory.
struct MemoryEstimate {
    int64_t bytes = 0; // held in memory
    QString note;
};

// A fact an opened store knows and a scenario may also give: dtype, shape, chunks, or one of the
// kind's own keys. `agrees` says whether the given value matches the stored one.
struct StoredFact {
    QString key;
    QString stored;
    QString given;
    bool agrees = true;
};

// One store kind, in the spirit of tensorstore's driver registration: each kind lives in its own
// folder under core/stores and describes its keys, options, memory estimate, storage location and
// how to open its stores. Nothing outside that folder compares a store kind's id to a name.
//
// Adding a kind: a folder core/stores/<kind>/ (listed in core/CMakeLists.txt's CORE_FOLDERS) with
// its options struct, a TypedStoreKind<Options> whose keys() table and hooks describe it, and its
// Store; then one line in storekinds.cpp. The scenario parser, the writer, `check`'s memory
// estimate, the storage checks, the runner and the window's forms pick it up from there (the array
// form still needs an editor for each form field the table names).
class StoreKind {
public:
    virtual ~StoreKind() = default;

    virtual QString id() const = 0;
    // One line for the form's tooltip: "zarr: Zarr v2".
    virtual QString summary() const = 0;
    virtual const QList<KindKey> &keys() const = 0;
    // The options of an array that is not `like` one of the same kind.
    virtual StoreOptions defaults() const = 0;
    // The options of an array `like` one of this kind with options `base`: its codec settings,
    // never its location.
    virtual StoreOptions likeOptions(const StoreOptions &base) const = 0;

    // Settles the chunks after the common rules (which give a one-chunk default unless
    // defaultsToOneChunk() is false) and reads any key that names them. Throws JsonError.
    virtual void settleChunks(const KindParse &, ChunkSource, std::vector<int64_t> &chunks, StoreOptions &) const
    {
        (void)chunks;
    }
    virtual bool defaultsToOneChunk() const { return true; }
    // Whether chunks pass through a compressor, which holds them to blosc's 2 GiB limit.
    virtual bool compressesChunks(const StoreOptions &) const { return false; }
    // The largest chunk in bytes the format allows by itself; -1 for no limit of its own.
    virtual int64_t maxChunkBytes() const { return -1; }
    virtual QString maxChunkBytesWho() const { return QString(); }

    // What the array holds in memory, `nbytes` being its uncompressed size.
    virtual MemoryEstimate memoryEstimate(const StoreOptions &, int64_t nbytes) const = 0;
    // The store's Store::scratchBytesPerWorker() for the array the options describe, before it is
    // opened; 0 when it takes none or cannot tell yet (an array whose description is in its files).
    virtual int64_t scratchBytesPerWorker(const StoreOptions &, const StoreArray &, bool writing) const
    {
        (void)writing;
        return 0;
    }

    // The key that puts the array on disk ("path", "file", "rootdir"); empty when it never is.
    virtual QString locationKey() const { return QString(); }
    // The array's path on disk; empty when it is in memory.
    virtual QString location(const StoreOptions &) const { return QString(); }
    // Where an array kept on a server is, spelt so that every spelling of one place is equal and a
    // place inside another starts with its text and a slash ("s3:https://host:9000/bucket/prefix"); empty
    // for an array on disk or in memory. Such a location is never resolved against the disk; what
    // exists there is checked when the store opens.
    virtual QString remoteLocation(const StoreOptions &) const { return QString(); }
    // An object inside the file at location() that is the array's own (an HDF5 dataset), or empty.
    virtual QString objectWithin(const StoreOptions &) const { return QString(); }
    // Why creating the array may not replace what exists at `path` even with "overwrite", or
    // nullopt when it may. The message names the path but not the array.
    virtual std::optional<QString> overwriteRefusal(const QString &path) const
    {
        (void)path;
        return std::nullopt;
    }
    // Why the existing object inside the file may not be written (replaced, or written through when
    // the array is a run's target): {key to blame, message}, or nullopt.
    virtual std::optional<std::pair<QString, QString>> objectRefusal(const StoreOptions &, const StoreArray &,
                                                                     bool runTarget) const
    {
        (void)runTarget;
        return std::nullopt;
    }

    // Why the ranks of an MPI job cannot each write their own chunks of this array at once, or empty
    // when they can: it is stored at a path every rank sees, each chunk in a file of its own.
    virtual QString sharedWriteRefusal(const StoreOptions &o) const
    {
        return location(o).isEmpty()
            ? QStringLiteral("it is held in one process's memory, and every rank would copy into a memory of its "
                             "own; under MPI a run's target must be stored at a path every rank sees")
            : QString();
    }

    // Creates the store, or opens the data at its location when array.existing. Throws StoreError
    // naming the array.
    virtual std::unique_ptr<Store> open(const StoreOptions &, const StoreArray &array) const = 0;
    // The array's store as a run's plan sees it before the run (`check`, "passthrough": "require"): a
    // new array's without storage of its own, an existing one's opened only to read what it holds.
    // Null when the kind keeps no encoded chunks to plan with. Throws StoreError.
    virtual std::unique_ptr<Store> planningStore(const StoreOptions &, const StoreArray &) const { return nullptr; }
    // What an opened store holds that the scenario may also give, in the order they are checked.
    virtual QList<StoredFact> storedFacts(const Store &store, const StoreOptions &, const StoreArray &array) const;
    // "dataset x.h5:/h has dtype >i2, not <i4": the message after "array ID: " for a fact that
    // does not agree.
    virtual QString disagreement(const Store &store, const StoreOptions &, const StoredFact &fact) const = 0;

    // Run keys: whether "hdf5_path" picks this kind's chunk path, and whether a target of this kind
    // has pages to touch before the copy ("prefault").
    virtual bool takesHdf5Path() const { return false; }
    virtual bool prefaultable() const { return false; }
    // Keys a new array of this kind gets when the form switches to it ({"dataset": "/ID"} for HDF5).
    virtual QJsonObject keysForNewArray(const QString &arrayId) const
    {
        (void)arrayId;
        return {};
    }
    // The form rows that apply to an array with these given keys.
    virtual QStringList formFields(const QJsonObject &given) const;

protected:
    // The facts of dtype, shape and chunks, in that order.
    static QList<StoredFact> commonFacts(const Store &store, const StoreArray &array);
};

// A kind whose options are of type Options: its hooks read them through options().
template <class Options> class TypedStoreKind : public StoreKind {
public:
    StoreOptions defaults() const override { return Options(); }

protected:
    // Options of another type, or none (an ArraySpec made in code), read as the defaults.
    static const Options &options(const StoreOptions &o)
    {
        static const Options defaults;
        const Options *own = std::any_cast<Options>(&o);
        return own ? *own : defaults;
    }
    static Options &options(StoreOptions &o)
    {
        if (!std::any_cast<Options>(&o))
            o = Options();
        return *std::any_cast<Options>(&o);
    }

    // A key that says where the array is stored: a path resolved against the scenario file's
    // directory, in memory when left out, and left out of a saved array when empty.
    static KindKey pathKey(const QString &name, QString Options::*member)
    {
        KindKey key;
        key.name = name;
        key.type = QStringLiteral("string");
        key.defaultText = QStringLiteral("in memory");
        key.formFields = {name};
        key.read = [name, member](const QJsonValue &v, const KindParse &p, StoreOptions &o) {
            if (!v.isUndefined())
                options(o).*member = p.localPath(v, p.at(name));
        };
        key.write = [name, member](const StoreOptions &o, QJsonObject &out) {
            if (!(options(o).*member).isEmpty())
                out.insert(name, options(o).*member);
        };
        key.locates = true;
        return key;
    }
};

// Every registered kind, in the order the scenario's error messages and the form list them.
const QList<const StoreKind *> &storeKinds();
// The kind of this id, or nullptr.
const StoreKind *findStoreKind(const QString &id);
// "\"memory\", \"zarr\", \"hdf5\" or \"carray\"".
QString storeKindList();

// The estimate of a kind that keeps compressed chunks in memory or on disk: about a quarter of
// nbytes when it compresses, nbytes when not; nothing in memory when it is on disk.
MemoryEstimate chunkedMemoryEstimate(int64_t nbytes, bool compressed, bool onDisk);

// Helpers for kinds' keys.
// "\"a\", \"b\" or \"c\"".
QString quotedList(const QStringList &items);
// "[10, 7]".
QString shapeText(const std::vector<int64_t> &shape);
// The integer range of a dtype that a JSON number holds exactly.
void integerBounds(const DType &dtype, int64_t *min, int64_t *max);
// A blosc compressor of this cname with numcodecs' defaults: clevel 5, byte shuffle, automatic blocksize.
CompressorSpec bloscSpec(const QString &cname);
// A blosc compressor object or bcolz cparams: cname, clevel, shuffle (and blocksize when allowed);
// absent keys keep `defaults`' values. Throws JsonError.
CompressorSpec readBloscKeys(const QJsonObject &object, const QString &pointer, CompressorSpec defaults, int minShuffle,
                             bool withBlocksize);
// The JSON of a blosc compressor, as readBloscKeys reads it.
QJsonObject bloscToJson(const CompressorSpec &c, bool withIdAndBlocksize);

} // namespace cs
