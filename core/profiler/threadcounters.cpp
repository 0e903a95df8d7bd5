#include "threadcounters.h"

#include <cstdlib>
#include <ctime>
#include <fcntl.h>
#include <sys/resource.h>
#include <unistd.h>

namespace cs {

ThreadCounters::ThreadCounters()
{
    // "thread-self" names the opening thread; the file descriptor keeps naming it afterwards.
    m_schedstat = ::open("/proc/thread-self/schedstat", O_RDONLY | O_CLOEXEC);
}

ThreadCounters::~ThreadCounters()
{
    if (m_schedstat >= 0)
        ::close(m_schedstat);
}

int64_t ThreadCounters::cpuNsNow()
{
    timespec cpu{};
    if (clock_gettime(CLOCK_THREAD_CPUTIME_ID, &cpu) != 0)
        return 0;
    return int64_t(cpu.tv_sec) * 1000000000 + cpu.tv_nsec;
}

ThreadUsage ThreadCounters::read() const
{
    ThreadUsage u;
    u.cpuNs = cpuNsNow();
    if (m_schedstat >= 0) {
        // "<on-cpu ns> <run-queue wait ns> <timeslices>\n"; pread at 0 makes the kernel render it anew.
        char buf[96];
        const ssize_t n = ::pread(m_schedstat, buf, sizeof buf - 1, 0);
        if (n > 0) {
            buf[n] = 0;
            char *p = nullptr;
            std::strtoull(buf, &p, 10);
            char *q = nullptr;
            const unsigned long long wait = std::strtoull(p, &q, 10);
            if (q != p)
                u.runqNs = int64_t(wait);
        }
    }
    rusage usage{};
    if (getrusage(RUSAGE_THREAD, &usage) == 0) {
        u.volCs = usage.ru_nvcsw;
        u.involCs = usage.ru_nivcsw;
        u.minflt = usage.ru_minflt;
    }
    return u;
}

} // namespace cs
