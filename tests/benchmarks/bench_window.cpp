// What watching costs: the same copy run headless (`chunkscope run`) and in the window with its live
// profile showing (`chunkscope SCENARIO --run-all --write-results FILE --quit-when-done`), in
// alternating order round after round, so that the machine's drift falls on both alike. Prints each
// round's median copy time of both and their ratio, the median ratio with the middle half of the
// rounds, and the CPU the window (its GUI thread and pool threads) took during the copies
// (`ui_cpu_percent`, sampled by the run itself).
//
//   bench_window [--n 100000000] [--chunk 1048576] [--workers 2] [--repeat 5] [--rounds 8]
//                [--store memory|zarr] [--cname blosclz] [--sample-ms 20] [--tab profile|scaling]
//                [--binary PATH]
//
// `--cname` is the Zarr arrays' blosc codec (clevel 5, byte shuffle): `zstd` makes the notebook-size
// copy last seconds, so that the window shows it live, where `blosclz` ends it before the quarter
// second after which a copy is shown live.
// `--tab scaling` keeps the live profile out of sight in the window, to measure what watching costs
// when nothing is drawn.
//
// The window runs on the platform the environment names, `offscreen` when none is set (it paints all
// the same, into an image).
#include "results/resultsjson.h"

#include "quantile.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>

#include <algorithm>
#include <cstdio>
#include <vector>

using namespace cs;
using cs::bench::quantile;

namespace {

struct Settings {
    qint64 n = 100000000;
    qint64 chunk = 1 << 20;
    int workers = 2;
    int repeat = 5;
    int rounds = 8;
    int sampleMs = 20;
    QString store = QStringLiteral("memory");
    QString cname = QStringLiteral("blosclz");
    QString tab = QStringLiteral("profile");
    QString binary = QStringLiteral(CHUNKSCOPE_BINARY);
};

QByteArray scenarioJson(const Settings &s)
{
    QJsonObject source{{QStringLiteral("store"), s.store},
                       {QStringLiteral("dtype"), QStringLiteral("<i4")},
                       {QStringLiteral("shape"), QJsonArray{s.n}},
                       {QStringLiteral("chunks"), QJsonArray{s.chunk}},
                       {QStringLiteral("fill"), QStringLiteral("arange")}};
    if (s.store == QLatin1String("zarr"))
        source.insert(QStringLiteral("compressor"),
                      QJsonObject{{QStringLiteral("id"), QStringLiteral("blosc")},
                                  {QStringLiteral("cname"), s.cname},
                                  {QStringLiteral("clevel"), 5},
                                  {QStringLiteral("shuffle"), 1}});
    const QJsonObject target{{QStringLiteral("store"), s.store},
                             {QStringLiteral("like"), QStringLiteral("src")},
                             {QStringLiteral("fill"), QStringLiteral("empty")}};
    QJsonObject run{{QStringLiteral("name"), QStringLiteral("copy")},
                    {QStringLiteral("source"), QStringLiteral("src")},
                    {QStringLiteral("target"), QStringLiteral("dst")},
                    {QStringLiteral("workers"), s.workers},
                    {QStringLiteral("lock"), false},
                    {QStringLiteral("repeat"), s.repeat + 1}, // the first touches the target's pages
                    {QStringLiteral("sample_ms"), s.sampleMs}};
    const QJsonObject root{
        {QStringLiteral("chunkscope"), 1},
        {QStringLiteral("name"), QStringLiteral("window cost")},
        {QStringLiteral("arrays"), QJsonObject{{QStringLiteral("src"), source}, {QStringLiteral("dst"), target}}},
        {QStringLiteral("runs"), QJsonArray{run}}};
    return QJsonDocument(root).toJson();
}

struct Outcome {
    bool ok = false;
    double medianSeconds = 0;
    double uiCpuMean = -1; // % of one core over the copies, weighted by sample interval
    double uiCpuMax = -1;
};

// Runs one process and reads back the copy times of every repeat but the first.
Outcome runOnce(const Settings &s, const QStringList &arguments, const QString &results)
{
    Outcome o;
    QFile::remove(results);
    QProcess p;
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    if (!env.contains(QStringLiteral("QT_QPA_PLATFORM")))
        env.insert(QStringLiteral("QT_QPA_PLATFORM"), QStringLiteral("offscreen"));
    p.setProcessEnvironment(env);
    p.start(s.binary, arguments);
    // The platform's own notes on stderr are noise between the figures; they are shown on failure.
    if (!p.waitForFinished(600000) || p.exitCode() != 0) {
        std::fprintf(stderr, "%s exited with %d\n%s", qPrintable(arguments.join(QLatin1Char(' '))), p.exitCode(),
                     p.readAllStandardError().constData());
        return o;
    }
    QString error;
    const std::optional<ResultsDocument> doc = readResultsFile(results, &error);
    if (!doc) {
        std::fprintf(stderr, "%s\n", qPrintable(error));
        return o;
    }
    std::vector<double> seconds;
    double weighted = 0;
    double span = 0;
    for (const RunResult &r : doc->runs) {
        if (r.repeatIndex == 0)
            continue;
        seconds.push_back(r.wallSeconds);
        for (size_t i = 1; i < r.samples.size(); ++i) {
            const ResourceSample &x = r.samples[i];
            if (x.uiCpuPercent < 0)
                continue;
            const double dt = double(x.tNs - r.samples[i - 1].tNs);
            weighted += x.uiCpuPercent * dt;
            span += dt;
            // A sample taken a moment after the one before (the last one, at the copy's end) says
            // little about a rate: the largest counts whole intervals only.
            if (dt >= 0.5e6 * s.sampleMs)
                o.uiCpuMax = std::max(o.uiCpuMax, x.uiCpuPercent);
        }
    }
    o.ok = !seconds.empty();
    o.medianSeconds = quantile(seconds, 0.5);
    if (span > 0)
        o.uiCpuMean = weighted / span;
    return o;
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    QCommandLineParser parser;
    parser.addHelpOption();
    const QCommandLineOption nOpt(QStringLiteral("n"), QStringLiteral("Elements (int32)."), QStringLiteral("N"));
    const QCommandLineOption chunkOpt(QStringLiteral("chunk"), QStringLiteral("Chunk elements."), QStringLiteral("N"));
    const QCommandLineOption workersOpt(QStringLiteral("workers"), QStringLiteral("Workers."), QStringLiteral("N"));
    const QCommandLineOption repeatOpt(QStringLiteral("repeat"), QStringLiteral("Timed copies per process."),
                                       QStringLiteral("N"));
    const QCommandLineOption roundsOpt(QStringLiteral("rounds"), QStringLiteral("Headless/window pairs."),
                                       QStringLiteral("N"));
    const QCommandLineOption storeOpt(QStringLiteral("store"), QStringLiteral("memory or zarr."),
                                      QStringLiteral("KIND"));
    const QCommandLineOption cnameOpt(QStringLiteral("cname"), QStringLiteral("Zarr's blosc codec."),
                                      QStringLiteral("NAME"));
    const QCommandLineOption sampleOpt(QStringLiteral("sample-ms"), QStringLiteral("Sampling interval."),
                                       QStringLiteral("MS"));
    const QCommandLineOption tabOpt(QStringLiteral("tab"), QStringLiteral("The window's tab: profile or scaling."),
                                    QStringLiteral("NAME"));
    const QCommandLineOption binaryOpt(QStringLiteral("binary"), QStringLiteral("The chunkscope executable."),
                                       QStringLiteral("PATH"));
    parser.addOptions(
        {nOpt, chunkOpt, workersOpt, repeatOpt, roundsOpt, storeOpt, cnameOpt, sampleOpt, tabOpt, binaryOpt});
    parser.process(app);
    Settings s;
    if (parser.isSet(nOpt))
        s.n = parser.value(nOpt).toLongLong();
    if (parser.isSet(chunkOpt))
        s.chunk = parser.value(chunkOpt).toLongLong();
    if (parser.isSet(workersOpt))
        s.workers = parser.value(workersOpt).toInt();
    if (parser.isSet(repeatOpt))
        s.repeat = std::max(1, parser.value(repeatOpt).toInt());
    if (parser.isSet(roundsOpt))
        s.rounds = std::max(1, parser.value(roundsOpt).toInt());
    if (parser.isSet(storeOpt))
        s.store = parser.value(storeOpt);
    if (parser.isSet(cnameOpt))
        s.cname = parser.value(cnameOpt);
    if (parser.isSet(sampleOpt))
        s.sampleMs = parser.value(sampleOpt).toInt();
    if (parser.isSet(tabOpt))
        s.tab = parser.value(tabOpt);
    if (parser.isSet(binaryOpt))
        s.binary = parser.value(binaryOpt);

    QTemporaryDir dir;
    const QString scenario = dir.filePath(QStringLiteral("window-cost.json"));
    QFile f(scenario);
    if (!f.open(QIODevice::WriteOnly) || f.write(scenarioJson(s)) < 0)
        return 1;
    f.close();
    const QString headlessJson = dir.filePath(QStringLiteral("headless.json"));
    const QString windowJson = dir.filePath(QStringLiteral("window.json"));
    const QStringList headless{QStringLiteral("run"), scenario, QStringLiteral("--quiet"), QStringLiteral("--json"),
                               headlessJson};
    const QStringList window{scenario,   QStringLiteral("--run-all"),        QStringLiteral("--write-results"),
                             windowJson, QStringLiteral("--quit-when-done"), QStringLiteral("--tab"),
                             s.tab};

    std::printf("%s tab in view; ", qPrintable(s.tab));
    std::printf("%lld int32 in chunks of %lld, %s%s, %d workers; %d rounds of a headless and a window process "
                "(alternating which goes first), median of %d copies each\n",
                s.n, s.chunk, qPrintable(s.store),
                qPrintable(s.store == QLatin1String("zarr") ? QStringLiteral(" (blosc ") + s.cname + QLatin1Char(')')
                                                            : QString()),
                s.workers, s.rounds, s.repeat);
    std::printf("%-6s %12s %12s %8s %16s %16s\n", "round", "headless s", "window s", "ratio", "window CPU mean",
                "largest sample");
    std::vector<double> ratios, head, win, uiMeans;
    for (int round = 0; round < s.rounds; ++round) {
        Outcome h, w;
        if (round % 2 == 0) {
            h = runOnce(s, headless, headlessJson);
            w = runOnce(s, window, windowJson);
        } else {
            w = runOnce(s, window, windowJson);
            h = runOnce(s, headless, headlessJson);
        }
        if (!h.ok || !w.ok)
            return 1;
        const double ratio = w.medianSeconds / h.medianSeconds;
        ratios.push_back(ratio);
        head.push_back(h.medianSeconds);
        win.push_back(w.medianSeconds);
        uiMeans.push_back(w.uiCpuMean);
        std::printf("%-6d %12.4f %12.4f %8.3f %15.1f%% %15.1f%%\n", round + 1, h.medianSeconds, w.medianSeconds, ratio,
                    w.uiCpuMean, w.uiCpuMax);
        std::fflush(stdout);
    }
    std::printf("\nheadless median %.4f s, window median %.4f s\n", quantile(head, 0.5), quantile(win, 0.5));
    std::printf("window/headless: median %.3fx (middle half %.3f-%.3f, range %.3f-%.3f)\n", quantile(ratios, 0.5),
                quantile(ratios, 0.25), quantile(ratios, 0.75), quantile(ratios, 0), quantile(ratios, 1));
    std::printf("the window's threads during the copies: median of rounds %.1f%% of one core\n",
                quantile(uiMeans, 0.5));
    return 0;
}
