#pragma once

#include <pthread.h>
#include <sched.h>

// Puts the calling thread in the real-time class (SCHED_FIFO, lowest real-time priority) for its
// lifetime; threads it starts meanwhile inherit the class. A verdict that tells a codec-bound copy
// from a CPU-starved one needs a test whose workers get the CPUs they ask for, and on this shared
// machine nice values do not help: the kernel shares CPUs between sessions first (autogroups).
// Without the right to do so the test runs as before, and may then see its workers starved.
class FirstInLine {
public:
    FirstInLine()
    {
        pthread_getschedparam(pthread_self(), &m_policy, &m_param);
        sched_param fifo{};
        fifo.sched_priority = 1;
        m_changed = pthread_setschedparam(pthread_self(), SCHED_FIFO, &fifo) == 0;
    }
    ~FirstInLine()
    {
        if (m_changed)
            pthread_setschedparam(pthread_self(), m_policy, &m_param);
    }
    FirstInLine(const FirstInLine &) = delete;
    FirstInLine &operator=(const FirstInLine &) = delete;

private:
    int m_policy = SCHED_OTHER;
    sched_param m_param{};
    bool m_changed = false;
};
