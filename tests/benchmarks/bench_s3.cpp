// How a copy to and from object storage scales with workers when every request waits: s3rver on
// loopback behind the fault proxy (tests/interop/s3rver), which holds each request `--latency-ms`
// before passing it on. A copy of `--objects` objects of 1 MiB (uint8, no compressor, so each chunk is
// one object of exactly 1 MiB) runs memory → S3 (one PUT per object) and then S3 → memory (one GET
// each) on 1, 2, 4, ... workers: first through the proxy to s3rver, then with the proxy keeping the
// chunks in its own memory (its memory=1), so that the server's own limits are out of the way. Each
// line prints the throughputs against the bound latency and concurrency set, workers × object size /
// latency, with the share of it reached; then the median times to the first byte, and the ceiling:
// the held copies at the most workers with no latency added; and what the profile costs these copies.
//
//   bench_s3 [--latency-ms 20] [--objects 128] [--workers 1,2,4,8,16,32]
//
// Needs node with tests/interop/s3rver installed (npm ci there).
#include "faultproxy.h"
#include "runner/arrayset.h"
#include "runner/runexecutor.h"
#include "s3server.h"
#include "scenario/scenarioparser.h"

#include "quantile.h"

#include <QCommandLineParser>
#include <QCoreApplication>

#include <cstdio>
#include <vector>

using namespace cs;
using cs::bench::quantile;

namespace {

constexpr int64_t kObjectBytes = int64_t(1) << 20;
// Pairs of held GET copies, one profiled and one not, that measure what the profile costs.
constexpr int kProfilePairs = 8;

struct Copy {
    int workers = 1;
    bool profile = true;
};

// The copies of one direction, a run each: `objects` MiB of uint8 in 1 MiB chunks in
// memory, and a Zarr v2 array at `path` through the proxy at `endpoint`, written by every PUT run in
// turn and read by every GET run (a scenario of its own: an array that reads where another writes is
// refused). The GET target is filled with zeros first, so that no run pays for its pages' first touch,
// which on a virtual machine can cost more than the wire.
QByteArray scenarioText(bool put, const QString &endpoint, const QString &path, int objects, const QList<Copy> &copies)
{
    QByteArray text = R"({"chunkscope": 1, "name": "bench s3", "arrays": {"m": {"store": "memory", "dtype": "|u1", )"
                      R"("shape": [)"
        + QByteArray::number(int64_t(objects) * kObjectBytes) + R"(], "chunks": [1048576], "fill": )"
        + (put ? R"({"random": {"seed": 1}}})" : R"("zeros"})") + R"(, "s3": {"store": "zarr", "path": ")"
        + path.toUtf8() + R"(", "s3": {"endpoint": ")" + endpoint.toUtf8() + R"("}, )"
        + (put ? R"("like": "m", "fill": "empty", "overwrite": true, "compressor": null)" : R"("fill": "existing")")
        + R"(}}, "runs": [)";
    for (qsizetype i = 0; i < copies.size(); ++i)
        text += QByteArray(i ? ", " : "") + R"({"name": "run )" + QByteArray::number(i) + R"(", "source": ")"
            + (put ? "m" : "s3") + R"(", "target": ")" + (put ? "s3" : "m") + R"(", "workers": )"
            + QByteArray::number(copies.at(i).workers) + R"(, "lock": false, "verify": false, "profile": )"
            + (copies.at(i).profile ? "true" : "false") + "}";
    return text + "]}";
}

// Runs every copy of the scenario; empty, with the reason printed, when one fails.
QList<RunResult> runAll(const QByteArray &text)
{
    QString error;
    const std::optional<Scenario> scenario = parseScenario(text, QStringLiteral("bench_s3.json"), &error);
    if (!scenario) {
        std::fprintf(stderr, "bench_s3: %s\n", qPrintable(error));
        return {};
    }
    ArraySet arrays(*scenario);
    QList<RunResult> results;
    for (const RunSpec &run : scenario->runs) {
        const RunResult r = executeRun(run, arrays).constFirst();
        if (r.status != RunResult::Status::Ok) {
            std::fprintf(stderr, "bench_s3: %d workers: %s\n", r.workers, qPrintable(r.error));
            return {};
        }
        results.append(r);
    }
    return results;
}

double medianFirstByteMs(const RunResult &run)
{
    std::vector<double> ms;
    for (const TaskRequest &r : run.requests)
        ms.push_back(double(r.timing.firstByteUs) / 1e3);
    return ms.empty() ? 0 : quantile(ms, 0.5);
}

double mbps(const RunResult &run)
{
    return run.wallSeconds > 0 ? double(run.bytes) / run.wallSeconds / 1e6 : 0;
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    QCommandLineParser parser;
    parser.addHelpOption();
    parser.addOption({QStringLiteral("latency-ms"), QStringLiteral("Latency the proxy adds."), QStringLiteral("ms"),
                      QStringLiteral("20")});
    parser.addOption({QStringLiteral("objects"), QStringLiteral("Objects of 1 MiB per copy."), QStringLiteral("n"),
                      QStringLiteral("128")});
    parser.addOption({QStringLiteral("workers"), QStringLiteral("Worker counts."), QStringLiteral("list"),
                      QStringLiteral("1,2,4,8,16,32")});
    parser.process(app);
    const int latencyMs = parser.value(QStringLiteral("latency-ms")).toInt();
    const int objects = parser.value(QStringLiteral("objects")).toInt();
    QList<int> workers;
    for (const QString &w : parser.value(QStringLiteral("workers")).split(QLatin1Char(',')))
        workers.append(w.toInt());

    if (qEnvironmentVariableIsEmpty("CHUNKSCOPE_TEST_DATA"))
        qputenv("CHUNKSCOPE_TEST_DATA", CHUNKSCOPE_TEST_DATA);
    testing::S3Server server;
    QString error = server.start(QStringLiteral("bench"));
    if (!error.isEmpty()) {
        std::fprintf(stderr, "bench_s3: %s\n", qPrintable(error));
        return 1;
    }
    qputenv("AWS_ACCESS_KEY_ID", testing::S3Server::kAccessKey);
    qputenv("AWS_SECRET_ACCESS_KEY", testing::S3Server::kSecret);
    qputenv("AWS_REGION", "us-east-1");
    qunsetenv("AWS_SESSION_TOKEN");
    qunsetenv("AWS_PROFILE");
    std::printf("%d objects of 1 MiB, %d ms added to every request; bound = workers x 1 MiB / %d ms\n", objects,
                latencyMs, latencyMs);
    std::fflush(stdout);

    // Through the proxy to s3rver, then with the proxy holding the chunks itself (memory=1): the
    // second shows what the client reaches when the server is not the limit. Last, held and with no
    // latency added, at the most workers: what this machine's loopback, proxy and client move at all,
    // the ceiling beside the bound. That copy runs twice and the second counts: the first warms up a
    // proxy that has served nothing yet. Then what the profile costs: held GETs at the most workers,
    // alternately profiled and not.
    const QString latency = QStringLiteral("latency_ms=%1").arg(latencyMs);
    const QString held = QStringLiteral("memory=1");
    const QString match = QStringLiteral("match=^(PUT|GET) /bench/[mcp]\\.zarr/[0-9]+$");
    const QStringList setups[] = {{latency}, {latency, held, match}, {held, match}, {latency, held, match}};
    const QString paths[] = {QStringLiteral("s3://bench/s.zarr"), QStringLiteral("s3://bench/m.zarr"),
                             QStringLiteral("s3://bench/c.zarr"), QStringLiteral("s3://bench/p.zarr")};
    QList<Copy> each;
    for (int w : workers)
        each.append({w, true});
    const Copy most{workers.last(), true};
    QList<Copy> alternating;
    for (int i = 0; i < kProfilePairs; ++i)
        alternating << most << Copy{workers.last(), false};
    const QList<Copy> copies[][2] = {{each, each}, {each, each}, {{most, most}, {most, most}}, {{most}, alternating}};
    QList<RunResult> results[4][2]; // [setup][put, get]
    for (int i = 0; i < 4; ++i) {
        testing::FaultProxy proxy;
        error = proxy.start(server, setups[i]);
        for (int put = 1; put >= 0 && error.isEmpty(); --put) {
            results[i][1 - put] = runAll(scenarioText(put, proxy.endpoint(), paths[i], objects, copies[i][1 - put]));
            if (results[i][1 - put].isEmpty())
                return 1;
        }
        if (!error.isEmpty()) {
            std::fprintf(stderr, "bench_s3: %s\n", qPrintable(error));
            return 1;
        }
    }
    std::printf("%7s  %10s  %-29s  %-29s\n", "", "", "s3rver", "held by the proxy");
    std::printf("%7s  %10s  %-13s  %-13s  %-13s  %-13s\n", "workers", "bound MB/s", "PUT MB/s", "GET MB/s", "PUT MB/s",
                "GET MB/s");
    for (qsizetype w = 0; w < workers.size(); ++w) {
        const double bound = double(workers.at(w)) * double(kObjectBytes) / (latencyMs / 1e3) / 1e6;
        std::printf("%7d  %10.0f", workers.at(w), bound);
        for (int i = 0; i < 2; ++i)
            for (const QList<RunResult> &direction : results[i])
                std::printf("  %5.0f (%3.0f%%)", mbps(direction.at(w)), 100 * mbps(direction.at(w)) / bound);
        std::printf("\n");
    }
    std::printf("median time to first byte, ms (s3rver PUT, GET; held PUT, GET) at %d workers:", workers.last());
    for (int i = 0; i < 2; ++i)
        for (const QList<RunResult> &direction : results[i])
            std::printf(" %.1f", medianFirstByteMs(direction.last()));
    std::printf("\nceiling, held with no latency added, %d workers: PUT %.0f MB/s, GET %.0f MB/s\n", workers.last(),
                mbps(results[2][0].constLast()), mbps(results[2][1].constLast()));
    std::vector<double> profiled, unprofiled;
    for (const RunResult &r : results[3][1])
        (r.profiled ? profiled : unprofiled).push_back(r.wallSeconds);
    const double on = quantile(profiled, 0.5), off = quantile(unprofiled, 0.5);
    std::printf("the profile's cost, %d held GET copies at %d workers, alternately profiled and not: median %.4f s "
                "profiled, %.4f s not, %.3fx\n",
                2 * kProfilePairs, workers.last(), on, off, off > 0 ? on / off : 0);
    return 0;
}
