// The copy benchmark: the notebook's copies through Chunkscope's engine, through dask (the project's
// dask_peer.py on Debian's dask, zarr and h5py) and through the machine's limit loops, in one
// invocation. Prints medians and the ratios the performance goals are stated in.
//
//   bench_copy [--n 400000000] [--chunk 1048576] [--workers 2] [--repeat 3] [--cases numpy,zarr,hdf5]
//              [--no-peer] [--python /usr/bin/python3]
#include "engine/copyrun.h"
#include "machinelimits.h"
#include "profiler/processstats.h"
#include "runner/arrayset.h"
#include "stores/storefactory.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QDir>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>

#include <algorithm>
#include <cstdio>
#include <map>

using namespace cs;

namespace {

struct Settings {
    int64_t n = 400000000;
    int64_t chunk = 1 << 20;
    int workers = 2;
    int repeat = 3;
    QStringList cases;
    bool peer = true;
    QString python;
};

double median(std::vector<double> v)
{
    if (v.empty())
        return 0;
    std::sort(v.begin(), v.end());
    return v.size() % 2 ? v[v.size() / 2] : (v[v.size() / 2 - 1] + v[v.size() / 2]) / 2;
}

ArraySpec arraySpec(const QString &id, const QString &store, const Settings &s)
{
    ArraySpec a;
    a.id = id;
    a.store = store;
    a.dtype = DType(DType::Kind::Int, 4);
    a.shape = {s.n};
    a.chunks = {s.chunk};
    if (store == QLatin1String("zarr")) {
        CompressorSpec c;
        c.id = QStringLiteral("blosc");
        c.cname = QStringLiteral("blosclz");
        c.clevel = 5;
        c.shuffle = 1;
        a.compressor = c;
    } else if (store == QLatin1String("hdf5")) {
        a.dataset = id;
        a.compression = QStringLiteral("lzf");
        a.shuffle = true;
    }
    return a;
}

struct Measured {
    double medianS = 0;
    int64_t peakRss = 0;
    QString path;
};

// Times `repeat` copies from the source into a fresh target each time (a NumPy target is reused, as
// the peer reuses its destination, and warmed once so that no run pays first-touch faults).
Measured measure(Store &source, const ArraySpec &targetSpec, LockMode lock, bool profile, Hdf5Path path,
                 const Settings &s, int &serial)
{
    std::vector<double> times;
    Measured m;
    std::unique_ptr<Store> reused;
    for (int r = 0; r < s.repeat; ++r) {
        ArraySpec spec = targetSpec;
        if (spec.store == QLatin1String("hdf5"))
            spec.dataset = spec.id + QStringLiteral("_%1").arg(++serial);
        std::unique_ptr<Store> fresh;
        Store *target = nullptr;
        if (spec.store == QLatin1String("memory")) {
            if (!reused) {
                reused = createStore(spec);
                std::memset(reused->contiguousMutable(Region::whole(reused->shape())), 0, size_t(reused->nbytes()));
            }
            target = reused.get();
        } else {
            fresh = createStore(spec);
            target = fresh.get();
        }
        CopyOptions o;
        o.chunks = Coords::fromVector({s.chunk});
        o.workers = s.workers;
        o.lock = lock;
        o.profile = profile;
        o.sampleMs = 20;
        o.verify = r == 0; // checked once, outside the timed part
        const ChunkGrid grid(source.shape(), o.chunks);
        source.prepareCopy(grid, path);
        m.path = target->prepareCopy(grid, path);
        target->beginWriting();
        CopyRun run(source, *target, o);
        run.start();
        run.wait();
        target->endWriting();
        if (run.failed() || (run.verified() && !*run.verified())) {
            std::fprintf(stderr, "bench_copy: %s -> %s failed: %s %s\n", qPrintable(source.id()), qPrintable(spec.id),
                         qPrintable(run.error()), qPrintable(run.verifyMessage()));
            std::exit(1);
        }
        times.push_back(run.wallSeconds());
        m.peakRss = std::max(m.peakRss, profile ? run.peakRssBytes() : ProcessStats::read().rssBytes);
    }
    m.medianS = median(times);
    return m;
}

// dask_peer.py's lines, keyed by "case/lock/profile".
std::map<QString, double> runPeer(const Settings &s)
{
    std::map<QString, double> out;
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
                        s.cases.join(QLatin1Char(',')),
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

} // namespace

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
                                       QStringLiteral("R"), QStringLiteral("3"));
    const QCommandLineOption casesOpt(QStringLiteral("cases"), QStringLiteral("numpy,zarr,hdf5"),
                                      QStringLiteral("LIST"), QStringLiteral("numpy,zarr,hdf5"));
    const QCommandLineOption noPeerOpt(QStringLiteral("no-peer"), QStringLiteral("Skip dask."));
    const QCommandLineOption pythonOpt(QStringLiteral("python"), QStringLiteral("Python with dask, zarr, h5py."),
                                       QStringLiteral("PATH"), QStringLiteral("/usr/bin/python3"));
    parser.addOptions({nOpt, chunkOpt, workersOpt, repeatOpt, casesOpt, noPeerOpt, pythonOpt});
    parser.process(app);
    Settings s;
    s.n = parser.value(nOpt).toLongLong();
    s.chunk = parser.value(chunkOpt).toLongLong();
    s.workers = parser.value(workersOpt).toInt();
    s.repeat = std::max(1, parser.value(repeatOpt).toInt());
    s.cases = parser.value(casesOpt).split(QLatin1Char(','));
    s.peer = !parser.isSet(noPeerOpt);
    s.python = parser.value(pythonOpt);

    std::printf("bench_copy: %lld int32 elements (%.2f GB) in chunks of %lld, %d workers, median of %d\n",
                (long long)s.n, double(s.n) * 4 / 1e9, (long long)s.chunk, s.workers, s.repeat);
    std::fflush(stdout);

    const size_t n = size_t(s.n), chunk = size_t(s.chunk);
    std::map<QString, double> limit;
    limit[QStringLiteral("numpy")] = bench::memcpyLimit(n, chunk, s.workers);
    if (s.cases.contains(QStringLiteral("zarr")))
        limit[QStringLiteral("zarr")] = bench::bloscLimit(n, chunk, s.workers);
    if (s.cases.contains(QStringLiteral("hdf5")))
        limit[QStringLiteral("hdf5")] = bench::lzfLimit(n, chunk, s.workers);

    Scenario scenario;
    scenario.arrays.append(arraySpec(QStringLiteral("a1"), QStringLiteral("memory"), s));
    scenario.arrays.last().fill.kind = FillSpec::Kind::Arange;
    for (const QString &store : {QStringLiteral("zarr"), QStringLiteral("hdf5")}) {
        ArraySpec src = arraySpec(store.left(1) + QStringLiteral("1"), store, s);
        src.fill.kind = FillSpec::Kind::Copy;
        src.fill.copyOf = QStringLiteral("a1");
        scenario.arrays.append(src);
    }
    ArraySet arrays(scenario);

    struct Row {
        QString name;
        Measured lockTarget, lockNone, lockIo, unprofiled;
        double pairedProfiled = 0; // the best lock mode, profiled, measured alternately with `unprofiled`
        QString bestLock;
    };
    std::vector<Row> rows;
    int serial = 0;
    for (const QString &c : s.cases) {
        const QString store = c == QLatin1String("numpy") ? QStringLiteral("memory") : c;
        const QString srcId = c == QLatin1String("numpy") ? QStringLiteral("a1") : c.left(1) + QStringLiteral("1");
        Store &source = arrays.get(srcId);
        const ArraySpec targetSpec = arraySpec(c.left(1) + QStringLiteral("2"), store, s);
        Row row;
        row.name = c;
        row.lockTarget = measure(source, targetSpec, LockMode::Target, true, Hdf5Path::Auto, s, serial);
        row.lockNone = measure(source, targetSpec, LockMode::None, true, Hdf5Path::Auto, s, serial);
        row.lockIo = measure(source, targetSpec, LockMode::Io, true, Hdf5Path::Auto, s, serial);
        const bool noneBest = row.lockNone.medianS <= row.lockTarget.medianS;
        row.bestLock = noneBest ? QStringLiteral("none") : QStringLiteral("target");
        // Profiling cost: the best lock mode with and without the profiler, alternating run by run so
        // that drift in the machine's speed falls on both alike.
        const LockMode best = noneBest ? LockMode::None : LockMode::Target;
        Settings once = s;
        once.repeat = 1;
        std::vector<double> on, off;
        for (int r = 0; r < s.repeat; ++r) {
            on.push_back(measure(source, targetSpec, best, true, Hdf5Path::Auto, once, serial).medianS);
            off.push_back(measure(source, targetSpec, best, false, Hdf5Path::Auto, once, serial).medianS);
        }
        row.pairedProfiled = median(on);
        row.unprofiled = measure(source, targetSpec, best, false, Hdf5Path::Auto, once, serial);
        row.unprofiled.medianS = median(off);
        rows.push_back(row);
        std::printf("  measured %s\n", qPrintable(c));
        std::fflush(stdout);
    }

    std::map<QString, double> peer;
    if (s.peer)
        peer = runPeer(s);

    std::printf("\n| copy | Chunkscope lock=target | lock=none | lock=io | profile off | dask lock=True | dask "
                "lock=False | dask + ResourceProfiler | limit, %d threads |\n",
                s.workers);
    std::printf("|---|---|---|---|---|---|---|---|---|\n");
    for (const Row &r : rows) {
        auto d = [&](const char *lock, const char *prof) {
            const auto it
                = peer.find(r.name + QLatin1Char('/') + QLatin1String(lock) + QLatin1Char('/') + QLatin1String(prof));
            return it == peer.end() ? 0.0 : it->second;
        };
        const double prMin = std::min(d("lock", "PR") > 0 ? d("lock", "PR") : 1e300,
                                      d("nolock", "PR") > 0 ? d("nolock", "PR") : 1e300);
        std::printf("| %s | %s | %s | %s | %s | %s | %s | %s | %s |\n", qPrintable(r.name),
                    qPrintable(seconds(r.lockTarget.medianS)), qPrintable(seconds(r.lockNone.medianS)),
                    qPrintable(seconds(r.lockIo.medianS)), qPrintable(seconds(r.unprofiled.medianS)),
                    qPrintable(seconds(d("lock", "none"))), qPrintable(seconds(d("nolock", "none"))),
                    qPrintable(seconds(prMin < 1e300 ? prMin : 0)), qPrintable(seconds(limit[r.name])));
    }

    std::printf("\n| copy | best Chunkscope (profiled) | vs dask's best | vs limit | profiling cost | peak RSS "
                "| RSS budget | path |\n");
    std::printf("|---|---|---|---|---|---|---|---|\n");
    const int64_t bytes = s.n * 4;
    for (const Row &r : rows) {
        const Measured &best = r.bestLock == QLatin1String("none") ? r.lockNone : r.lockTarget;
        auto d = [&](const char *lock) {
            const auto it = peer.find(r.name + QLatin1Char('/') + QLatin1String(lock) + QStringLiteral("/none"));
            return it == peer.end() ? 0.0 : it->second;
        };
        double daskBest = std::min(d("lock") > 0 ? d("lock") : 1e300, d("nolock") > 0 ? d("nolock") : 1e300);
        if (daskBest >= 1e300)
            daskBest = 0;
        // Source + target + workers x 3 chunk buffers + 128 MiB; compressed stores hold less than nbytes.
        const int64_t budget = 2 * bytes + int64_t(s.workers) * 3 * s.chunk * 4 + (int64_t(128) << 20);
        const double cost = r.unprofiled.medianS > 0 ? (r.pairedProfiled / r.unprofiled.medianS - 1) * 100 : 0;
        std::printf("| %s | %s s (lock=%s) | %s faster | %s of limit | %+.1f%% | %.2f GB | %.2f GB | %s |\n",
                    qPrintable(r.name), qPrintable(seconds(best.medianS)), qPrintable(r.bestLock),
                    qPrintable(ratio(daskBest, best.medianS)), qPrintable(ratio(best.medianS, limit[r.name])), cost,
                    double(best.peakRss) / 1e9, double(budget) / 1e9,
                    qPrintable(best.path.isEmpty() ? QStringLiteral("-") : best.path));
    }
    return 0;
}
