// Runs, sweeps and a fixture with known times, shared by the chart tests: every bar, sample and
// interval is where these functions put it, so a test can look for it at its pixel.
#pragma once

#include "charts/ganttchart.h"
#include "charts/overviewstrip.h"
#include "charts/phasepalette.h"
#include "charts/profileexport.h"
#include "charts/profileview.h"
#include "charts/resourcechart.h"
#include "charts/scalingchart.h"
#include "charts/timeaxis.h"
#include "charts/verdictlabel.h"
#include "engine/copyrun.h"
#include "imagechecks.h"
#include "results/verdict.h"

#include <QElapsedTimer>
#include <QGraphicsScene>
#include <QGraphicsTextItem>
#include <QLabel>
#include <QLegend>
#include <QLegendMarker>
#include <QLineSeries>
#include <QRegularExpression>
#include <QSet>
#include <QTemporaryDir>
#include <QToolButton>
#include <QValueAxis>
#include <QtTest>

namespace cs {
namespace testing {

constexpr int64_t kMs = 1000000;

// How a live run of syntheticRun()'s copy starts: 2 workers, 40 chunks of 1000.
inline LiveRunInfo syntheticLiveRun(const QString &name)
{
    LiveRunInfo info;
    info.name = name;
    info.workers = 2;
    info.shape = Coords::fromVector({40000});
    info.chunks = Coords::fromVector({1000});
    return info;
}

// Two workers, 40 tasks of 1000 int32 each. Worker w runs task k (k % 2 == w) from k/2 * 10 ms to
// k/2 * 10 + 8 ms: 2 ms read, then 6 ms write (odd tasks wait 3 ms for the lock before writing).
inline RunResult syntheticRun(int tasks = 40)
{
    RunResult r;
    r.name = QStringLiteral("synthetic, lock");
    r.workers = 2;
    r.lock = LockMode::Target;
    r.shape = Coords::fromVector({int64_t(tasks) * 1000});
    r.chunks = Coords::fromVector({1000});
    r.tasks = tasks;
    r.bytes = int64_t(tasks) * 4000;
    r.wallSeconds = double((tasks / 2) * 10 * kMs) / 1e9;
    r.cpuMeanPercent = 150;
    r.peakRssBytes = 300 << 20;
    r.verified = true;
    r.source.id = QStringLiteral("a1");
    r.source.store = QStringLiteral("memory");
    r.target.id = QStringLiteral("a2");
    r.target.store = QStringLiteral("memory");
    for (int k = 0; k < tasks; ++k) {
        TaskEvent e;
        e.task = k;
        e.worker = k % 2;
        e.startNs = (k / 2) * 10 * kMs;
        e.endNs = e.startNs + 8 * kMs;
        e.bytes = 4000;
        e.phaseNs[size_t(Phase::Read)] = 2 * kMs;
        if (k % 2) {
            e.phaseNs[size_t(Phase::LockWait)] = 3 * kMs;
            e.phaseNs[size_t(Phase::Write)] = 3 * kMs;
        } else {
            e.phaseNs[size_t(Phase::Write)] = 6 * kMs;
        }
        r.events.push_back(e);
    }
    for (int s = 0; s <= 40; ++s) {
        ResourceSample sample;
        sample.tNs = s * 5 * kMs;
        sample.cpuPercent = s == 20 ? 199 : 100 + s;
        sample.rssBytes = (200 + s) * (int64_t(1) << 20);
        sample.inflightBytes = 8000;
        sample.minorFaultsPerSec = 1000 * s;
        if (s > 0)
            sample.machineCpuPercent = s == 20 ? 200 : 150;
        r.samples.push_back(sample);
    }
    return r;
}

// A copy from S3 to S3 as a user profiles one: 4 workers, 32 chunks of 1 MiB, each task a GET (the
// read phase) and a PUT (the write phase) tens of milliseconds long, mostly waiting for the first byte.
// Each worker's first request sets up its connection; task 3's GET is answered 503 and retried, task 10's
// PUT loses its connection (curl 56) and is retried.
inline RunResult objectStorageRun()
{
    constexpr int kWorkers = 4;
    constexpr int kTasks = 32;
    constexpr int64_t kChunk = 1 << 20;
    RunResult r;
    r.name = QStringLiteral("s3 -> s3, 4 workers");
    r.workers = kWorkers;
    r.shape = Coords::fromVector({kTasks * kChunk / 4});
    r.chunks = Coords::fromVector({kChunk / 4});
    r.tasks = kTasks;
    r.bytes = kTasks * kChunk;
    r.cpuMeanPercent = 14;
    r.peakRssBytes = 140 << 20;
    r.verified = true;
    r.source.id = QStringLiteral("a1");
    r.source.store = QStringLiteral("zarr");
    r.target.id = QStringLiteral("a2");
    r.target.store = QStringLiteral("zarr");
    std::array<int64_t, kWorkers> free{};
    const auto request = [&](int64_t task, int worker, RequestTiming::Method method, int status, int attempt,
                             int64_t startNs, int64_t connectUs, int64_t waitUs, int64_t transferUs) {
        TaskRequest q{task, worker, {}};
        q.timing.method = method;
        q.timing.status = int16_t(status);
        q.timing.curlCode = status == 0 ? 56 : 0;
        q.timing.attempt = uint8_t(attempt);
        q.timing.startNs = startNs;
        q.timing.lookupUs = connectUs / 4;
        q.timing.connectUs = connectUs / 2;
        q.timing.tlsUs = connectUs;
        q.timing.firstByteUs = connectUs + waitUs;
        q.timing.totalUs = connectUs + waitUs + transferUs;
        (method == RequestTiming::Method::Put ? q.timing.bytesSent : q.timing.bytesReceived)
            = status == 200 && transferUs > 0 ? kChunk : 0;
        r.requests.push_back(q);
        return startNs + q.timing.totalUs * 1000;
    };
    for (int k = 0; k < kTasks; ++k) {
        TaskEvent e;
        e.task = k;
        e.worker = k % kWorkers;
        e.startNs = free[size_t(e.worker)] + 300 * 1000;
        e.bytes = kChunk;
        const int64_t connectUs = k < kWorkers ? 9000 : 0; // the worker's first request connects
        int64_t t = e.startNs;
        if (k == 3) // answered 503, retried after a backoff of 8 ms
            t = request(k, e.worker, RequestTiming::Method::Get, 503, 0, t, connectUs, 12000, 400) + 8 * kMs;
        t = request(k, e.worker, RequestTiming::Method::Get, 200, k == 3 ? 1 : 0, t, k == 3 ? 0 : connectUs,
                    18000 + (k * 7 % 11) * 1000, 6000 + (k * 3 % 5) * 1000);
        e.phaseNs[size_t(Phase::Read)] = t - e.startNs;
        e.phaseNs[size_t(Phase::Decode)] = 2 * kMs;
        e.phaseNs[size_t(Phase::Encode)] = 3 * kMs;
        t += 5 * kMs;
        const int64_t writeFrom = t;
        if (k == 10) // the connection reset mid-upload, retried at once
            t = request(k, e.worker, RequestTiming::Method::Put, 0, 0, t, 0, 9000, 0);
        t = request(k, e.worker, RequestTiming::Method::Put, 200, k == 10 ? 1 : 0, t, k == 10 ? 9000 : 0,
                    25000 + (k * 5 % 9) * 1000, 300);
        e.phaseNs[size_t(Phase::Write)] = t - writeFrom;
        e.endNs = t;
        free[size_t(e.worker)] = t;
        r.events.push_back(e);
    }
    std::stable_sort(r.requests.begin(), r.requests.end(),
                     [](const TaskRequest &a, const TaskRequest &b) { return a.task < b.task; });
    const int64_t end = *std::max_element(free.begin(), free.end());
    r.wallSeconds = double(end) / 1e9;
    for (int64_t t = 0; t <= end; t += 10 * kMs) {
        ResourceSample sample;
        sample.tNs = t;
        sample.cpuPercent = 12 + (t / kMs % 7);
        sample.rssBytes = (120 + t / (20 * kMs)) * (int64_t(1) << 20);
        sample.inflightBytes = kWorkers * kChunk;
        sample.machineCpuPercent = 40;
        r.samples.push_back(sample);
    }
    return r;
}

// A sweep of one line with a point of one run at 1 and 2 workers, at 1 and 2 GB/s.
inline SweepSummary twoPointSweep()
{
    SweepSummary summary;
    summary.name = QStringLiteral("zarr");
    summary.swept = QStringList{QStringLiteral("workers")};
    ScalingLine line;
    line.label = QStringLiteral("lock=target");
    for (int workers : {1, 2}) {
        ScalingPoint p;
        p.workers = workers;
        p.gbps = workers;
        p.repeats = 1;
        line.points.append(p);
    }
    summary.lines.append(line);
    return summary;
}

// The texts a chart shows: its axis labels and titles.
inline QStringList visibleLabels(const QChartView *c)
{
    QStringList out;
    for (QGraphicsItem *item : c->scene()->items())
        if (const auto *text = dynamic_cast<QGraphicsTextItem *>(item); text && text->isVisible())
            out.append(text->toPlainText());
    return out;
}

// The view both chart suites start each test with: syntheticRun() shown at 1200 x 800, on screen.
inline std::unique_ptr<ProfileView> shownProfileView(const std::shared_ptr<RunResult> &run)
{
    auto view = std::make_unique<ProfileView>();
    view->resize(1200, 800);
    view->showRuns({run});
    view->show();
    return view;
}

} // namespace testing
} // namespace cs
