// The copy benchmark: the notebook's copies through Chunkscope's engine, through dask (the project's
// dask_peer.py on Debian's dask, zarr and h5py) and through the machine's limit loops, in one
// invocation. zarr3 and zarr3sharded are the Zarr copy as Zarr v3, [bytes, blosc] with the same blosc
// settings, unsharded and in shards of 16 chunks (copied a shard per task); the peer runs only the
// notebook's cases. Prints medians and the ratios the performance goals are stated in; the ratios to the
// limit and to an unprofiled copy are taken within paired rounds.
//
// With --passthrough it also times, side by side, the Zarr copy (v2 to v2, to v3 and to v3 shards, in
// memory) and the HDF5 direct copy decoded and re-encoded against the same copies moving their chunks
// as stored ("passthrough"), and a bare loop that copies the same stored bytes; then the Zarr copy between
// directory stores under --dir (v2 to v2, to v3 and to v3 shards, passed through) against `cp -r` of the
// source directory, all in one run with the page cache warm.
//
//   bench_copy [--n 400000000] [--chunk 1048576] [--workers 2] [--repeat 5] [--rounds 11]
//              [--sample-ms 20]
//              [--cases numpy,zarr,hdf5,zarr3,zarr3sharded]
//              [--no-peer] [--python /usr/bin/python3] [--passthrough] [--dir /tmp]
#include "engine/copyrun.h"
#include "machinelimits.h"
#include "profiler/processstats.h"
#include "profiler/threadcounters.h"
#include "quantile.h"
#include "runner/arrayset.h"
#include "runner/arraystore.h"
#include "stores/hdf5/hdf5options.h"
#include "stores/passthrough.h"
#include "stores/zarr/zarrarraystore.h"
#include "stores/zarr/zarroptions.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QDir>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>

#include <algorithm>
#include <atomic>
#include <cstdio>
#include <iterator>
#include <map>
#include <thread>

using namespace cs;
using cs::bench::median;
using cs::bench::quantile;

namespace {

struct Settings {
    int64_t n = 400000000;
    int64_t chunk = 1 << 20;
    int workers = 2;
    int repeat = 5;
    int rounds = 11;
    int sampleMs = 20;
    QStringList cases;
    bool peer = true;
    QString python;
    QString dir; // where the directory stores of --passthrough go
};

constexpr int64_t kChunksPerShard = 16;

// The copy's chunks for a case: a shard per task when the target is sharded, so that each task writes
// whole shards.
int64_t copyChunk(const QString &name, const Settings &s)
{
    return name.startsWith(QLatin1String("zarr3sharded")) ? s.chunk * kChunksPerShard : s.chunk;
}

ArraySpec arraySpec(const QString &id, const QString &kind, const Settings &s)
{
    // "zarrdir", "zarr3dir", "zarr3shardeddir": the Zarr case in a directory store under --dir.
    const bool inDirectory = kind.endsWith(QLatin1String("dir"));
    const QString store = inDirectory ? kind.chopped(3) : kind;
    ArraySpec a;
    a.id = id;
    a.store = store;
    a.dtype = DType(DType::Kind::Int, 4);
    a.shape = {s.n};
    a.chunks = {s.chunk};
    if (store.startsWith(QLatin1String("zarr3"))) {
        // The v2 case's blosc settings as a v3 codec.
        const QJsonArray codecs{QJsonObject{{QStringLiteral("name"), QStringLiteral("bytes")},
                                            {QStringLiteral("configuration"),
                                             QJsonObject{{QStringLiteral("endian"), QStringLiteral("little")}}}},
                                QJsonObject{{QStringLiteral("name"), QStringLiteral("blosc")},
                                            {QStringLiteral("configuration"),
                                             QJsonObject{{QStringLiteral("cname"), QStringLiteral("blosclz")},
                                                         {QStringLiteral("clevel"), 5},
                                                         {QStringLiteral("shuffle"), QStringLiteral("shuffle")},
                                                         {QStringLiteral("typesize"), 4},
                                                         {QStringLiteral("blocksize"), 0}}}}};
        a.store = QStringLiteral("zarr");
        ZarrOptions &o = a.optionsAs<ZarrOptions>();
        o.zarrFormat = 3;
        o.codecs = codecs;
        if (store == QLatin1String("zarr3sharded")) {
            a.chunks = {s.chunk * kChunksPerShard};
            const QJsonArray index{codecs.at(0), QJsonObject{{QStringLiteral("name"), QStringLiteral("crc32c")}}};
            o.codecs = QJsonArray{QJsonObject{{QStringLiteral("name"), QStringLiteral("sharding_indexed")},
                                              {QStringLiteral("configuration"),
                                               QJsonObject{{QStringLiteral("chunk_shape"), QJsonArray{qint64(s.chunk)}},
                                                           {QStringLiteral("codecs"), codecs},
                                                           {QStringLiteral("index_codecs"), index}}}}};
        }
    } else if (store == QLatin1String("zarr")) {
        CompressorSpec c;
        c.id = QStringLiteral("blosc");
        c.cname = QStringLiteral("blosclz");
        c.clevel = 5;
        c.shuffle = 1;
        a.optionsAs<ZarrOptions>().compressor = c;
    } else if (store == QLatin1String("hdf5")) {
        a.optionsAs<Hdf5Options>().dataset = id;
        a.optionsAs<Hdf5Options>().compression = QStringLiteral("lzf");
        a.optionsAs<Hdf5Options>().shuffle = true;
    }
    if (inDirectory)
        a.optionsAs<ZarrOptions>().path = s.dir + QLatin1Char('/') + id + QStringLiteral(".zarr");
    return a;
}

// One case of the benchmark: its source and the target spec it copies into. A NumPy-like target is
// made once, written once (so that no run pays first-touch faults) and reused, as the peer reuses its
// destination; every other run gets a fresh target (a new HDF5 dataset each time).
class CaseBench {
public:
    CaseBench(Store &source, ArraySpec targetSpec, const Settings &s, int &serial, int64_t chunk)
        : m_source(source)
        , m_spec(std::move(targetSpec))
        , m_settings(s)
        , m_serial(serial)
        , m_chunk(chunk)
    {
        if (m_spec.store == QLatin1String("memory")) {
            m_memoryTarget = createStore(m_spec);
            std::memset(m_memoryTarget->contiguousMutable(Region::whole(m_memoryTarget->shape())), 0,
                        size_t(m_memoryTarget->nbytes()));
        }
    }

    Store *memoryTarget() const { return m_memoryTarget.get(); }
    // Move chunks as stored; every copy then checks that the stores allow it.
    void setPassthrough(bool on) { m_passthrough = on; }
    int64_t bytesPassedThrough() const { return m_bytesPassed; }
    int64_t peakRss() const { return m_peakRss; }
    const QString &path() const { return m_path; }

    // One timed copy, in seconds. The first copy of a case is verified, outside the timed part; a copy
    // that fails or differs ends the benchmark.
    double once(LockMode lock, bool profile)
    {
        ArraySpec spec = m_spec;
        if (spec.store == QLatin1String("hdf5"))
            spec.optionsAs<Hdf5Options>().dataset = spec.id + QStringLiteral("_%1").arg(++m_serial);
        QString directory; // a directory store's, new for each copy and removed after it
        if (spec.store == QLatin1String("zarr") && !spec.optionsAs<ZarrOptions>().path.isEmpty()) {
            directory = spec.optionsAs<ZarrOptions>().path + QStringLiteral("_%1").arg(++m_serial);
            spec.optionsAs<ZarrOptions>().path = directory;
        }
        const int64_t wholeStart = monotonicNs();
        std::unique_ptr<Store> fresh = m_memoryTarget ? nullptr : createStore(spec);
        Store &target = m_memoryTarget ? *m_memoryTarget : *fresh;
        CopyOptions o;
        o.chunks = Coords::fromVector({m_chunk});
        o.workers = m_settings.workers;
        o.lock = lock;
        o.profile = profile;
        o.sampleMs = m_settings.sampleMs;
        o.verify = !m_verified;
        const ChunkGrid grid(m_source.shape(), o.chunks);
        m_source.prepareCopy(grid, Hdf5Path::Auto);
        m_path = target.prepareCopy(grid, Hdf5Path::Auto);
        if (m_passthrough) {
            const PassthroughPlan plan = planPassthrough(m_source, target, o.chunks);
            if (!plan.passes()) {
                std::fprintf(stderr, "bench_copy: %s -> %s cannot pass chunks through: %s\n", qPrintable(m_source.id()),
                             qPrintable(spec.id), qPrintable(*plan.refusal));
                std::exit(1);
            }
            o.passthrough = true;
            o.passEdges = plan.passesEdges();
            o.pack = plan.packs;
        }
        target.beginWriting();
        CopyRun run(m_source, target, o);
        run.start();
        run.wait();
        target.endWriting();
        m_wholeSeconds = double(monotonicNs() - wholeStart) / 1e9;
        if (run.failed() || (run.verified() && !*run.verified())) {
            std::fprintf(stderr, "bench_copy: %s -> %s failed: %s %s\n", qPrintable(m_source.id()), qPrintable(spec.id),
                         qPrintable(run.error()), qPrintable(run.verifyMessage()));
            std::exit(1);
        }
        m_verified = true;
        m_bytesPassed = run.bytesPassedThrough();
        m_peakRss = std::max(m_peakRss, profile ? run.peakRssBytes() : ProcessStats::read().rssBytes);
        const double seconds = run.wallSeconds();
        if (!directory.isEmpty()) {
            fresh.reset();
            QDir(directory).removeRecursively();
        }
        return seconds;
    }
    // The last copy from creating its target to the end of writing (the array's metadata, the workers'
    // start, the copy, the flush), as a command that copies the directory is timed; with its
    // verification, when it was the first.
    double wholeSeconds() const { return m_wholeSeconds; }

    double median(LockMode lock, bool profile)
    {
        std::vector<double> t;
        for (int r = 0; r < m_settings.repeat; ++r)
            t.push_back(once(lock, profile));
        return ::median(t);
    }

private:
    Store &m_source;
    ArraySpec m_spec;
    const Settings &m_settings;
    int &m_serial;
    int64_t m_chunk;
    std::unique_ptr<Store> m_memoryTarget;
    bool m_verified = false;
    bool m_passthrough = false;
    int64_t m_bytesPassed = 0;
    double m_wholeSeconds = 0;
    int64_t m_peakRss = 0;
    QString m_path;
};

// The limit loop each case is held against.
std::unique_ptr<bench::LimitLoop> limitLoop(const QString &name, Store &source, const CaseBench &bench,
                                            const Settings &s)
{
    const size_t n = size_t(s.n), chunk = size_t(s.chunk);
    if (name.startsWith(QLatin1String("zarr")))
        return bench::bloscLoop(n, chunk, s.workers);
    if (name == QLatin1String("hdf5"))
        return bench::lzfLoop(n, chunk, s.workers);
    Store *target = bench.memoryTarget();
    return bench::memcpyLoop(source.contiguous(Region::whole(source.shape())),
                             target->contiguousMutable(Region::whole(target->shape())), n, chunk, s.workers);
}

// dask_peer.py's lines, keyed by "case/lock/profile".
std::map<QString, double> runPeer(const Settings &s)
{
    std::map<QString, double> out;
    QStringList peerCases;
    for (const QString &c : s.cases)
        if (c == QLatin1String("numpy") || c == QLatin1String("zarr") || c == QLatin1String("hdf5"))
            peerCases << c;
    if (peerCases.isEmpty())
        return out;
    const QString script = QStringLiteral(CHUNKSCOPE_BENCH_DIR "/dask_peer.py");
    QStringList args = {script,
                        QStringLiteral("--n"),
                        QString::number(s.n),
                        QStringLiteral("--chunk"),
                        QString::number(s.chunk),
                        QStringLiteral("--workers"),
                        QString::number(s.workers),
                        QStringLiteral("--repeat"),
                        QString::number(s.repeat),
                        QStringLiteral("--cases"),
                        peerCases.join(QLatin1Char(',')),
                        QStringLiteral("--profile"),
                        QStringLiteral("none,PR")};
    QProcess p;
    p.setProcessChannelMode(QProcess::ForwardedErrorChannel);
    p.start(s.python, args);
    if (!p.waitForFinished(3600 * 1000) || p.exitCode() != 0) {
        std::fprintf(stderr, "bench_copy: the dask peer did not run (%s)\n", qPrintable(p.errorString()));
        return out;
    }
    for (const QByteArray &line : p.readAllStandardOutput().split('\n')) {
        const QJsonObject o = QJsonDocument::fromJson(line).object();
        if (o.isEmpty())
            continue;
        const QString key = o.value(QStringLiteral("case")).toString() + QLatin1Char('/')
            + (o.value(QStringLiteral("lock")).toBool() ? QStringLiteral("lock") : QStringLiteral("nolock"))
            + QLatin1Char('/') + o.value(QStringLiteral("profile")).toString();
        out[key] = o.value(QStringLiteral("median_s")).toDouble();
    }
    return out;
}

QString seconds(double s)
{
    return s > 0 ? QString::number(s, 'f', 3) : QStringLiteral("-");
}

QString ratio(double a, double b)
{
    return a > 0 && b > 0 ? QString::number(a / b, 'f', 2) + QLatin1Char('x') : QStringLiteral("-");
}

// The floor of a passthrough copy in memory: `workers` threads copying every stored chunk value of a
// Zarr array into a fresh value of its own, as an in-memory store keeps one, and nothing else.
double bareStoredCopy(Store &source, int workers)
{
    auto &zarr = dynamic_cast<ZarrArrayStore &>(source);
    std::vector<QByteArray> from;
    for (int64_t i = 0; i < zarr.grid().chunkCount(); ++i)
        from.push_back(zarr.get(zarr.chunkKey(zarr.grid().chunkCoords(i))));
    std::vector<QByteArray> to(from.size());
    // Timed from when every thread is up to when the last is done, as the engine times its copy.
    std::atomic<int> ready{0};
    std::atomic<bool> go{false};
    std::atomic<int64_t> lastEnd{0};
    std::vector<std::thread> threads;
    for (int w = 0; w < workers; ++w)
        threads.emplace_back([&, w] {
            ready.fetch_add(1);
            while (!go.load(std::memory_order_acquire))
                std::this_thread::yield();
            for (size_t i = size_t(w); i < from.size(); i += size_t(workers))
                to[i] = QByteArray(from[i].constData(), from[i].size());
            const int64_t end = monotonicNs();
            int64_t seen = lastEnd.load();
            while (end > seen && !lastEnd.compare_exchange_weak(seen, end)) { }
        });
    while (ready.load() < workers)
        std::this_thread::yield();
    const int64_t start = monotonicNs();
    go.store(true, std::memory_order_release);
    for (std::thread &t : threads)
        t.join();
    return double(lastEnd.load() - start) / 1e9;
}

// Decode + encode against passthrough, one line per pair of stores, each the median of `repeat` copies
// of each kind taken in turns, unprofiled, lock "none".
void printPassthrough(ArraySet &arrays, const Settings &s, int &serial)
{
    struct Pair {
        QString name, source, target;
    };
    const Pair pairs[]
        = {{QStringLiteral("zarr v2 -> v2, memory"), QStringLiteral("zarr"), QStringLiteral("zarr")},
           {QStringLiteral("zarr v2 -> v3, memory"), QStringLiteral("zarr"), QStringLiteral("zarr3")},
           {QStringLiteral("zarr v2 -> v3, 16 chunks a shard, memory"), QStringLiteral("zarr"),
            QStringLiteral("zarr3sharded")},
           {QStringLiteral("hdf5 direct -> direct, lzf + shuffle"), QStringLiteral("hdf5"), QStringLiteral("hdf5")}};
    std::printf("\n| copy | decode + encode | passed through | bare loop of the stored bytes | passthrough speed-up | "
                "vs bare loop | stored bytes moved |\n|---|---|---|---|---|---|---|\n");
    std::map<QString, double> passed; // by target
    for (const Pair &p : pairs) {
        Store &source = arrays.get(p.source + QStringLiteral("_1"));
        const int64_t chunk = copyChunk(p.target, s);
        CaseBench decoding(source, arraySpec(p.target + QStringLiteral("_dec"), p.target, s), s, serial, chunk);
        CaseBench passing(source, arraySpec(p.target + QStringLiteral("_pass"), p.target, s), s, serial, chunk);
        passing.setPassthrough(true);
        std::vector<double> dec, pass, bare;
        for (int r = 0; r < s.repeat; ++r) {
            dec.push_back(decoding.once(LockMode::None, false));
            pass.push_back(passing.once(LockMode::None, false));
            if (p.source == QLatin1String("zarr"))
                bare.push_back(bareStoredCopy(source, s.workers));
        }
        const double b = bare.empty() ? 0 : median(bare);
        std::printf("| %s | %s s | %s s | %s | %s | %s | %.1f MB of %.2f GB |\n", qPrintable(p.name),
                    qPrintable(seconds(median(dec))), qPrintable(seconds(median(pass))),
                    qPrintable(b > 0 ? seconds(b) + QStringLiteral(" s") : QStringLiteral("-")),
                    qPrintable(ratio(median(dec), median(pass))), qPrintable(ratio(median(pass), b)),
                    double(passing.bytesPassedThrough()) / 1e6, double(s.n) * 4 / 1e9);
        std::fflush(stdout);
        passed[p.target] = median(pass);
    }
    std::printf("\nzarr v2 -> v3 passed through, memory: %s of zarr v2 -> v2 passed through (goal: within 1.20x)\n",
                qPrintable(ratio(passed[QStringLiteral("zarr3")], passed[QStringLiteral("zarr")])));
}

// `cp -r` of a directory to a new one, in seconds, the process's start included; the copy is removed
// after the timing.
double copyDirectory(const QString &from, const QString &to)
{
    const int64_t start = monotonicNs();
    const int code = QProcess::execute(QStringLiteral("cp"), {QStringLiteral("-r"), from, to});
    const double seconds = double(monotonicNs() - start) / 1e9;
    if (code != 0) {
        std::fprintf(stderr, "bench_copy: cp -r %s %s failed\n", qPrintable(from), qPrintable(to));
        std::exit(1);
    }
    QDir(to).removeRecursively();
    return seconds;
}

// The Zarr copy between directory stores on local disk, passed through, against `cp -r` of the source
// directory: each the median of `repeat` copies taken in turns, after one untimed (verified) copy of each,
// so that the source is in the page cache. A passed-through copy is timed from creating its target to the
// end of writing, as cp -r is timed whole (creating the target writes its metadata durably, with an
// fsync, which cp -r does not), and by the engine's copy alone.
void printDirectoryPassthrough(ArraySet &arrays, const Settings &s, int &serial)
{
    Store &source = arrays.get(QStringLiteral("zarrdir_1"));
    const QString sourceDir
        = arraySpec(QStringLiteral("zarrdir_1"), QStringLiteral("zarrdir"), s).optionsAs<ZarrOptions>().path;
    struct Copy {
        QString name, target;
        std::unique_ptr<CaseBench> bench;
        std::vector<double> whole, engine;
    };
    Copy copies[]
        = {{QStringLiteral("zarr v2 -> v2"), QStringLiteral("zarrdir"), nullptr, {}, {}},
           {QStringLiteral("zarr v2 -> v3"), QStringLiteral("zarr3dir"), nullptr, {}, {}},
           {QStringLiteral("zarr v2 -> v3, 16 chunks a shard"), QStringLiteral("zarr3shardeddir"), nullptr, {}, {}}};
    for (Copy &c : copies) {
        c.bench = std::make_unique<CaseBench>(source, arraySpec(c.target + QStringLiteral("_pass"), c.target, s), s,
                                              serial, copyChunk(c.target, s));
        c.bench->setPassthrough(true);
        c.bench->once(LockMode::None, false);
    }
    const QString cpTarget = s.dir + QStringLiteral("/cp_target.zarr");
    copyDirectory(sourceDir, cpTarget);
    std::vector<double> cp;
    // Each round starts one later in the order, so that no copy always follows the same one (the file
    // system's work of removing the last copy's files, for one).
    constexpr int kKinds = 1 + int(std::size(copies));
    for (int r = 0; r < s.repeat; ++r) {
        for (int k = 0; k < kKinds; ++k) {
            const int kind = (r + k) % kKinds;
            if (kind == 0) {
                cp.push_back(copyDirectory(sourceDir, cpTarget));
                continue;
            }
            Copy &c = copies[kind - 1];
            c.engine.push_back(c.bench->once(LockMode::None, false));
            c.whole.push_back(c.bench->wholeSeconds());
        }
    }
    const double cpMedian = median(cp);
    const double v2 = median(copies[0].whole);
    std::printf("\n| copy between directories on local disk (%s) | passed through, whole | the copy alone | vs cp -r | "
                "vs zarr v2 -> v2 | stored bytes moved |\n|---|---|---|---|---|---|\n",
                qPrintable(s.dir));
    std::printf("| cp -r of the source directory | %s s | - | 1.00x | %s | - |\n", qPrintable(seconds(cpMedian)),
                qPrintable(ratio(cpMedian, v2)));
    for (const Copy &c : copies)
        std::printf("| %s | %s s | %s s | %s | %s | %.1f MB |\n", qPrintable(c.name),
                    qPrintable(seconds(median(c.whole))), qPrintable(seconds(median(c.engine))),
                    qPrintable(ratio(median(c.whole), cpMedian)), qPrintable(ratio(median(c.whole), v2)),
                    double(c.bench->bytesPassedThrough()) / 1e6);
    std::printf("\nzarr v2 -> v2 passed through between directories: %s of cp -r (goal: within 1.20x); "
                "zarr v2 -> v3: %s of v2 -> v2 (goal: within 1.20x)\n",
                qPrintable(ratio(v2, cpMedian)), qPrintable(ratio(median(copies[1].whole), v2)));
    std::fflush(stdout);
}

} // namespace

// What a profiled task adds for its CPU accounting: one reading of the worker thread's counters
// (CLOCK_THREAD_CPUTIME_ID, schedstat, getrusage), taken at the end of every task.
void printAccountingCost()
{
    const ThreadCounters counters;
    std::vector<double> perRead;
    for (int batch = 0; batch < 101; ++batch) {
        const int64_t start = monotonicNs();
        for (int i = 0; i < 1000; ++i)
            counters.read();
        perRead.push_back(double(monotonicNs() - start) / 1000);
    }
    std::sort(perRead.begin(), perRead.end());
    std::printf("per-task CPU accounting: %.2f us per task (one reading of the worker's counters, median of 101 "
                "batches of 1000; run-queue wait %s)\n",
                perRead[perRead.size() / 2] / 1000, counters.hasRunQueue() ? "read" : "not kept by this kernel");
}

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral("Chunkscope vs dask vs the machine's limits"));
    parser.addHelpOption();
    const QCommandLineOption nOpt(QStringLiteral("n"), QStringLiteral("Elements (int32)."), QStringLiteral("N"),
                                  QStringLiteral("400000000"));
    const QCommandLineOption chunkOpt(QStringLiteral("chunk"), QStringLiteral("Chunk elements."), QStringLiteral("C"),
                                      QStringLiteral("1048576"));
    const QCommandLineOption workersOpt(QStringLiteral("workers"), QStringLiteral("Worker threads."),
                                        QStringLiteral("W"), QStringLiteral("2"));
    const QCommandLineOption repeatOpt(QStringLiteral("repeat"), QStringLiteral("Runs per median."),
                                       QStringLiteral("R"), QStringLiteral("5"));
    const QCommandLineOption casesOpt(QStringLiteral("cases"), QStringLiteral("numpy,zarr,hdf5,zarr3,zarr3sharded"),
                                      QStringLiteral("LIST"), QStringLiteral("numpy,zarr,hdf5"));
    const QCommandLineOption noPeerOpt(QStringLiteral("no-peer"), QStringLiteral("Skip dask."));
    const QCommandLineOption pythonOpt(QStringLiteral("python"), QStringLiteral("Python with dask, zarr, h5py."),
                                       QStringLiteral("PATH"), QStringLiteral("/usr/bin/python3"));
    const QCommandLineOption roundsOpt(QStringLiteral("rounds"),
                                       QStringLiteral("Rounds of profiled, bare, limit, limit, bare, profiled."),
                                       QStringLiteral("K"), QStringLiteral("11"));
    const QCommandLineOption sampleOpt(QStringLiteral("sample-ms"),
                                       QStringLiteral("The profiled runs' resource sampling interval."),
                                       QStringLiteral("MS"), QStringLiteral("20"));
    const QCommandLineOption passthroughOpt(QStringLiteral("passthrough"),
                                            QStringLiteral("Also time copies that move chunks as stored."));
    const QCommandLineOption dirOpt(
        QStringLiteral("dir"),
        QStringLiteral("Where --passthrough's directory stores go (a temporary directory in it)."),
        QStringLiteral("PATH"), QDir::tempPath());
    parser.addOptions({nOpt, chunkOpt, workersOpt, repeatOpt, roundsOpt, sampleOpt, casesOpt, noPeerOpt, pythonOpt,
                       passthroughOpt, dirOpt});
    parser.process(app);
    Settings s;
    s.n = parser.value(nOpt).toLongLong();
    s.chunk = parser.value(chunkOpt).toLongLong();
    s.workers = parser.value(workersOpt).toInt();
    s.repeat = std::max(1, parser.value(repeatOpt).toInt());
    s.rounds = std::max(1, parser.value(roundsOpt).toInt());
    s.sampleMs = std::max(1, parser.value(sampleOpt).toInt());
    s.cases = parser.value(casesOpt).split(QLatin1Char(','), Qt::SkipEmptyParts); // "": only --passthrough
    s.peer = !parser.isSet(noPeerOpt);
    s.python = parser.value(pythonOpt);
    // Removed, with every store in it, when the benchmark ends.
    QTemporaryDir directories(parser.value(dirOpt) + QStringLiteral("/bench_copy-XXXXXX"));
    s.dir = directories.path();

    std::printf("bench_copy: %lld int32 elements (%.2f GB) in chunks of %lld, %d workers, lock modes median of %d, "
                "%d paired rounds\n",
                (long long)s.n, double(s.n) * 4 / 1e9, (long long)s.chunk, s.workers, s.repeat, s.rounds);
    printAccountingCost();
    std::fflush(stdout);

    Scenario scenario;
    scenario.arrays.append(arraySpec(QStringLiteral("a1"), QStringLiteral("memory"), s));
    scenario.arrays.last().fill.kind = FillSpec::Kind::Arange;
    QStringList sources = s.cases;
    if (parser.isSet(passthroughOpt))
        for (const QString &store : {QStringLiteral("zarr"), QStringLiteral("hdf5"), QStringLiteral("zarrdir")})
            if (!sources.contains(store))
                sources.append(store);
    for (const QString &store : sources) {
        if (store == QLatin1String("numpy"))
            continue;
        ArraySpec src = arraySpec(store + QStringLiteral("_1"), store, s);
        src.fill.kind = FillSpec::Kind::Copy;
        src.fill.copyOf = QStringLiteral("a1");
        scenario.arrays.append(src);
    }
    ArraySet arrays(scenario);

    struct Row {
        QString name, bestLock, path;
        double lockTarget = 0, lockNone = 0, lockIo = 0;
        // Paired rounds of the best lock mode: profiled, bare, and the limit loop.
        std::vector<double> on, off, limit;
        int64_t peakRss = 0;
    };
    std::vector<Row> rows;
    int serial = 0;
    if (parser.isSet(passthroughOpt)) {
        printPassthrough(arrays, s, serial);
        printDirectoryPassthrough(arrays, s, serial);
    }
    for (const QString &c : s.cases) {
        const QString store = c == QLatin1String("numpy") ? QStringLiteral("memory") : c;
        const QString srcId = c == QLatin1String("numpy") ? QStringLiteral("a1") : c + QStringLiteral("_1");
        Store &source = arrays.get(srcId);
        CaseBench bench(source, arraySpec(c + QStringLiteral("_2"), store, s), s, serial, copyChunk(c, s));
        Row row;
        row.name = c;
        row.lockTarget = bench.median(LockMode::Target, true);
        row.lockNone = bench.median(LockMode::None, true);
        row.lockIo = bench.median(LockMode::Io, true);
        const bool noneBest = row.lockNone <= row.lockTarget;
        row.bestLock = noneBest ? QStringLiteral("none") : QStringLiteral("target");
        // Read before the limit loop below holds its own copy of the data.
        row.peakRss = bench.peakRss();
        const LockMode best = noneBest ? LockMode::None : LockMode::Target;
        // Each round runs the best lock mode profiled, bare, and the limit loop back to back, then again in
        // the reverse order (on, off, limit, limit, off, on), so that a drift in the machine's speed falls
        // on all three alike and no one of them always follows another; ratios are taken within a round.
        const std::unique_ptr<bench::LimitLoop> limit = limitLoop(c, source, bench, s);
        for (int r = 0; r < s.rounds; ++r) {
            double on = bench.once(best, true);
            double off = bench.once(best, false);
            double lim = limit->pass() + limit->pass();
            off += bench.once(best, false);
            on += bench.once(best, true);
            on /= 2;
            off /= 2;
            lim /= 2;
            row.on.push_back(on);
            row.off.push_back(off);
            row.limit.push_back(lim);
        }
        row.path = bench.path();
        rows.push_back(row);
        std::printf("  %s rounds, profiled / bare / limit, mean of two (s):", qPrintable(c));
        for (int r = 0; r < s.rounds; ++r)
            std::printf(" %.3f/%.3f/%.3f", row.on[size_t(r)], row.off[size_t(r)], row.limit[size_t(r)]);
        std::printf("\n");
        std::fflush(stdout);
    }

    std::map<QString, double> peer;
    if (s.peer)
        peer = runPeer(s);
    auto dask = [&](const Row &r, const char *lock, const char *prof) {
        const auto it
            = peer.find(r.name + QLatin1Char('/') + QLatin1String(lock) + QLatin1Char('/') + QLatin1String(prof));
        return it == peer.end() ? 0.0 : it->second;
    };
    auto fastest = [](double a, double b) { return a > 0 && b > 0 ? std::min(a, b) : std::max(a, b); };

    std::printf("\n| copy | Chunkscope lock=target | lock=none | lock=io | dask lock=True | dask lock=False | dask + "
                "ResourceProfiler |\n");
    std::printf("|---|---|---|---|---|---|---|\n");
    for (const Row &r : rows)
        std::printf("| %s | %s | %s | %s | %s | %s | %s |\n", qPrintable(r.name), qPrintable(seconds(r.lockTarget)),
                    qPrintable(seconds(r.lockNone)), qPrintable(seconds(r.lockIo)),
                    qPrintable(seconds(dask(r, "lock", "none"))), qPrintable(seconds(dask(r, "nolock", "none"))),
                    qPrintable(seconds(fastest(dask(r, "lock", "PR"), dask(r, "nolock", "PR")))));

    std::printf("\n| copy | Chunkscope, profiled | profile off | limit, %d threads | vs dask's best | vs limit | "
                "profiling cost (middle half of rounds) | peak RSS | RSS budget | path |\n",
                s.workers);
    std::printf("|---|---|---|---|---|---|---|---|---|---|\n");
    const int64_t bytes = s.n * 4;
    for (const Row &r : rows) {
        std::vector<double> toLimit, toBare;
        for (size_t k = 0; k < r.on.size(); ++k) {
            toLimit.push_back(r.on[k] / r.limit[k]);
            toBare.push_back(r.on[k] / r.off[k]);
        }
        const double on = median(r.on);
        const double daskBest = fastest(dask(r, "lock", "none"), dask(r, "nolock", "none"));
        // Source + target + workers x 3 chunk buffers + 128 MiB; compressed stores hold less than nbytes.
        const int64_t budget = 2 * bytes + int64_t(s.workers) * 3 * s.chunk * 4 + (int64_t(128) << 20);
        // The middle half of the rounds' costs shows how far the machine's noise alone moves the figure.
        std::printf("| %s | %s s (lock=%s) | %s s | %s s | %s faster | %.2fx of limit | %+.1f%% (%+.1f to %+.1f) | "
                    "%.2f GB | %.2f GB | %s |\n",
                    qPrintable(r.name), qPrintable(seconds(on)), qPrintable(r.bestLock),
                    qPrintable(seconds(median(r.off))), qPrintable(seconds(median(r.limit))),
                    qPrintable(ratio(daskBest, on)), median(toLimit), (median(toBare) - 1) * 100,
                    (quantile(toBare, 0.25) - 1) * 100, (quantile(toBare, 0.75) - 1) * 100, double(r.peakRss) / 1e9,
                    double(budget) / 1e9, qPrintable(r.path.isEmpty() ? QStringLiteral("-") : r.path));
    }
    return 0;
}
