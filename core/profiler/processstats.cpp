#include "processstats.h"

#include <cstdio>
#include <cstring>
#include <ctime>
#include <fcntl.h>
#include <sys/resource.h>
#include <unistd.h>

namespace cs {

namespace {

// Reads a small /proc file into buf with plain syscalls: no allocation, no stdio locking.
ssize_t readProcFile(const char *path, char *buf, size_t size)
{
    const int fd = ::open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return -1;
    const ssize_t n = ::read(fd, buf, size - 1);
    ::close(fd);
    if (n >= 0)
        buf[n] = 0;
    return n;
}

} // namespace

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

} // namespace cs
