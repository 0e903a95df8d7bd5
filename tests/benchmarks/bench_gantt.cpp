// Paints the Gantt chart of 1,000,000 synthetic tasks on 2 workers into a 1600x400 image, in the full
// view and zoomed in, and prints the median milliseconds per frame of 50 frames. Goal: under 16 ms.
// With --requests every task also made two requests (a GET in its read phase, a PUT in its write
// phase), as a copy on object storage does, which wide bars draw inside them.
#include "charts/ganttchart.h"
#include "charts/timeaxis.h"

#include <QApplication>
#include <QElapsedTimer>
#include <QImage>
#include <QPainter>

#include <algorithm>
#include <cstdio>
#include <random>
#include <string>
#include <vector>

using namespace cs;

namespace {

std::vector<TaskEvent> syntheticTasks(int64_t count, int workers)
{
    // Each worker runs its tasks back to back with small gaps, like a copy of 4 KiB chunks: most
    // time writing, some reading, and in a lock run about half of it waiting for the lock.
    std::mt19937_64 rng(42);
    std::uniform_int_distribution<int64_t> duration(400, 1600);
    std::uniform_int_distribution<int64_t> gap(20, 120);
    std::vector<int64_t> clock(size_t(workers), 0);
    std::vector<TaskEvent> events;
    events.reserve(size_t(count));
    for (int64_t t = 0; t < count; ++t) {
        const int w = int(t % workers);
        TaskEvent e;
        e.task = t;
        e.worker = w;
        e.startNs = clock[size_t(w)] + gap(rng);
        const int64_t d = duration(rng);
        e.endNs = e.startNs + d;
        e.bytes = 4096;
        e.phaseNs[size_t(Phase::Read)] = d / 5;
        e.phaseNs[size_t(Phase::LockWait)] = (t / 1000) % 2 ? d / 2 : 0;
        e.phaseNs[size_t(Phase::Write)] = d - d / 5 - e.phaseNs[size_t(Phase::LockWait)] - 30;
        clock[size_t(w)] = e.endNs;
        events.push_back(e);
    }
    return events;
}

// A GET over the task's read phase and a PUT over its write phase, each half waiting for the first byte.
std::vector<TaskRequest> syntheticRequests(const std::vector<TaskEvent> &events)
{
    std::vector<TaskRequest> requests;
    requests.reserve(events.size() * 2);
    for (const TaskEvent &e : events) {
        const int64_t read = e.phaseNs[size_t(Phase::Read)];
        const int64_t write = e.phaseNs[size_t(Phase::Write)];
        TaskRequest get{e.task, e.worker, {}};
        get.timing.status = 200;
        get.timing.startNs = e.startNs;
        get.timing.firstByteUs = read / 2000;
        get.timing.totalUs = read / 1000;
        TaskRequest put = get;
        put.timing.method = RequestTiming::Method::Put;
        put.timing.startNs = e.endNs - write;
        put.timing.firstByteUs = write / 2000;
        put.timing.totalUs = write / 1000;
        requests.push_back(get);
        requests.push_back(put);
    }
    return requests;
}

double medianFrameMs(GanttChart &chart, QImage &image, int frames)
{
    std::vector<double> ms;
    for (int f = 0; f < frames; ++f) {
        QElapsedTimer timer;
        timer.start();
        QPainter painter(&image);
        chart.paint(painter);
        painter.end();
        ms.push_back(double(timer.nsecsElapsed()) / 1e6);
    }
    std::sort(ms.begin(), ms.end());
    return ms[ms.size() / 2];
}

} // namespace

int main(int argc, char **argv)
{
    qputenv("QT_QPA_PLATFORM", "offscreen");
    QApplication app(argc, argv);
    const int64_t tasks = 1000000;
    const int workers = 2;
    const QSize size(1600, 400);
    const int frames = 50;

    TimeAxis axis;
    GanttChart chart(&axis);
    chart.resize(size);
    axis.setPlotGeometry(TimeAxis::kLeftMargin, size.width() - TimeAxis::kLeftMargin - TimeAxis::kRightMargin);

    QElapsedTimer load;
    load.start();
    const std::vector<TaskEvent> events = syntheticTasks(tasks, workers);
    chart.data().setWorkers(workers);
    chart.data().append(events);
    const bool requests = std::find(argv + 1, argv + argc, std::string("--requests")) != argv + argc;
    if (requests)
        chart.data().setRequests(syntheticRequests(events));
    const double loadMs = double(load.nsecsElapsed()) / 1e6;
    const double end = double(chart.data().endNs()) / 1e9;
    axis.setDataEnd(end);

    QImage image(size, QImage::Format_ARGB32_Premultiplied);
    std::printf("bench_gantt: %lld tasks on %d workers%s, %.3f s of timeline, %dx%d image, median of %d frames\n",
                static_cast<long long>(tasks), workers, requests ? ", 2 requests each" : "", end, size.width(),
                size.height(), frames);
    std::printf("  %-28s %10.2f ms (once)\n", "build rows", loadMs);

    struct View {
        const char *name;
        double zoom;
    };
    for (const View &v : {View{"full view", 1}, View{"zoom 10x", 10}, View{"zoom 100x", 100}, View{"zoom 1000x", 1000},
                          View{"zoom 10000x", 10000}, View{"zoom 100000x (wide bars)", 100000}}) {
        axis.resetZoom();
        if (v.zoom > 1) {
            const double span = end / v.zoom;
            axis.setRange(end / 2 - span / 2, end / 2 + span / 2);
        }
        std::printf("  %-28s %10.2f ms per frame\n", v.name, medianFrameMs(chart, image, frames));
    }
    return 0;
}
