#pragma once

#include "profiler/processstats.h"

#include <QDir>
#include <QElapsedTimer>
#include <QStringList>
#include <QThread>

#include <cstdint>

// What the reliability tests watch of their own process: threads (/proc/self/task), open file
// descriptors (/proc/self/fd) and resident memory.
namespace reliability {

inline int threadCount()
{
    return int(QDir(QStringLiteral("/proc/self/task")).entryList(QDir::Dirs | QDir::NoDotAndDotDot).size());
}

inline int openFdCount()
{
    // The listing itself holds one descriptor while it runs; it is the same one every time.
    return int(
        QDir(QStringLiteral("/proc/self/fd")).entryList(QDir::AllEntries | QDir::System | QDir::NoDotAndDotDot).size());
}

inline int64_t rssBytes()
{
    return cs::ProcessStats::read().rssBytes;
}

// Qt starts its threads detached: QThread::wait() and so QThreadPool's destructor return once a
// thread has finished its work, and the thread leaves the process a moment later. The count once
// threads that are finishing have gone, for a baseline.
inline int quietThreadCount()
{
    int n = threadCount();
    for (int i = 0; i < 200; ++i) {
        QThread::msleep(10);
        const int m = threadCount();
        if (m == n)
            return n;
        n = m;
    }
    return n;
}

// The count once it is back to `expected`, waiting up to timeoutMs for finishing threads to leave.
inline int settledThreadCount(int expected, int timeoutMs = 2000)
{
    QElapsedTimer timer;
    timer.start();
    int n = threadCount();
    while (n != expected && timer.elapsed() < timeoutMs) {
        QThread::msleep(5);
        n = threadCount();
    }
    return n;
}

// What a finished run did not give back of the threads and file descriptors counted before it:
// empty when both are back, else which differ and by how much.
inline QString leftBehind(int threadsBefore, int fdsBefore)
{
    QStringList left;
    if (const int threads = settledThreadCount(threadsBefore); threads != threadsBefore)
        left << QStringLiteral("threads %1 -> %2").arg(threadsBefore).arg(threads);
    if (const int fds = openFdCount(); fds != fdsBefore)
        left << QStringLiteral("file descriptors %1 -> %2").arg(fdsBefore).arg(fds);
    return left.join(QStringLiteral(", "));
}

// ASan's quarantine and TSan's shadow keep freed memory resident on purpose, so resident memory
// says nothing about leaks there (LeakSanitizer does that job in those builds).
#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
constexpr bool kRssIsMeaningful = false;
#elif defined(__has_feature)
#if __has_feature(address_sanitizer) || __has_feature(thread_sanitizer)
constexpr bool kRssIsMeaningful = false;
#else
constexpr bool kRssIsMeaningful = true;
#endif
#else
constexpr bool kRssIsMeaningful = true;
#endif

} // namespace reliability
