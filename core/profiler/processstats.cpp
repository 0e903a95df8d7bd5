#include "processstats.h"

#include <algorithm>
#include <cstdio>
#include <cstring>
#include <ctime>
#include <fcntl.h>
#include <sys/resource.h>
#include <unistd.h>

namespace cs {

long readProcFile(const char *path, char *buf, unsigned long size)
{
    const int fd = ::open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return -1;
    const ssize_t n = ::read(fd, buf, size - 1);
    ::close(fd);
    if (n >= 0)
        buf[n] = 0;
    return long(n);
}

ProcessStats ProcessStats::read()
{
    static const long pageSize = sysconf(_SC_PAGESIZE);
    ProcessStats s;
    // CPU time with nanosecond resolution: /proc's utime and stime count 10 ms ticks, too coarse for
    // 20 ms samples.
    timespec cpu{};
    if (clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &cpu) == 0)
        s.cpuNs = int64_t(cpu.tv_sec) * 1000000000 + cpu.tv_nsec;
    rusage usage{};
    if (getrusage(RUSAGE_SELF, &usage) == 0)
        s.minorFaults = usage.ru_minflt;
    char buf[256];
    if (readProcFile("/proc/self/statm", buf, sizeof buf) > 0) {
        unsigned long long size = 0, resident = 0;
        if (std::sscanf(buf, "%llu %llu", &size, &resident) == 2)
            s.rssBytes = int64_t(resident) * pageSize;
    }
    return s;
}

MachineStats MachineStats::read()
{
    static const int onlineCpus = int(std::max(1L, sysconf(_SC_NPROCESSORS_ONLN)));
    MachineStats m;
    m.cpus = onlineCpus;
    // The first line sums every CPU: "cpu  user nice system idle iowait irq softirq steal guest guest_nice".
    // Guest time is already inside user and nice. Steal is time the hypervisor gave another machine:
    // busy, as far as this machine's workers are concerned.
    char buf[512];
    if (readProcFile("/proc/stat", buf, sizeof buf) > 0) {
        unsigned long long v[8] = {};
        if (std::sscanf(buf, "cpu %llu %llu %llu %llu %llu %llu %llu %llu", &v[0], &v[1], &v[2], &v[3], &v[4], &v[5],
                        &v[6], &v[7])
            >= 7) {
            const unsigned long long busy = v[0] + v[1] + v[2] + v[5] + v[6] + v[7];
            m.busyTicks = int64_t(busy);
            m.totalTicks = int64_t(busy + v[3] + v[4]);
        }
    }
    if (readProcFile("/proc/loadavg", buf, sizeof buf) > 0) {
        double load = 0;
        if (std::sscanf(buf, "%lf", &load) == 1)
            m.loadAverage = load;
    }
    return m;
}

double MachineStats::percentBetween(const MachineStats &from, const MachineStats &to)
{
    if (from.busyTicks < 0 || to.busyTicks < 0)
        return -1;
    const int64_t total = to.totalTicks - from.totalTicks;
    if (total <= 0)
        return -1;
    const int64_t busy = std::clamp<int64_t>(to.busyTicks - from.busyTicks, 0, total);
    return 100.0 * to.cpus * double(busy) / double(total);
}

} // namespace cs
