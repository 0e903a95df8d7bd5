#include "processstats.h"

#include <cstdio>
#include <cstring>
#include <fcntl.h>
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
    static const long ticksPerSecond = sysconf(_SC_CLK_TCK);
    static const long pageSize = sysconf(_SC_PAGESIZE);
    ProcessStats s;
    char buf[1024];
    if (readProcFile("/proc/self/stat", buf, sizeof buf) > 0) {
        // Fields after the command name, which is in parentheses and may contain spaces.
        const char *p = std::strrchr(buf, ')');
        if (p) {
            unsigned long long minflt = 0, utime = 0, stime = 0;
            // state ppid pgrp session tty_nr tpgid flags minflt cminflt majflt cmajflt utime stime
            if (std::sscanf(p + 2, "%*c %*d %*d %*d %*d %*d %*u %llu %*u %*u %*u %llu %llu", &minflt, &utime, &stime)
                == 3) {
                s.minorFaults = int64_t(minflt);
                s.cpuNs = int64_t((utime + stime) * 1000000000ull / (unsigned long long)ticksPerSecond);
            }
        }
    }
    if (readProcFile("/proc/self/statm", buf, sizeof buf) > 0) {
        unsigned long long size = 0, resident = 0;
        if (std::sscanf(buf, "%llu %llu", &size, &resident) == 2)
            s.rssBytes = int64_t(resident) * pageSize;
    }
    return s;
}

} // namespace cs
