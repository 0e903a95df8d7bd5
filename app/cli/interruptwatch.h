#pragma once

namespace cs {

// SIGINT, SIGTERM and SIGHUP while `run` copies: the first one only raises a flag, which the run loop reads
// to cancel the copy in progress cleanly (in-flight chunk writes complete, so no temporary file is
// left), skip the runs after it and still write the results so far. A second one gets the default
// action, so a stuck run can still be stopped. The previous handlers come back when this ends.
class InterruptWatch {
public:
    InterruptWatch();
    ~InterruptWatch();
    InterruptWatch(const InterruptWatch &) = delete;
    InterruptWatch &operator=(const InterruptWatch &) = delete;

    // The signal that asked to stop (SIGINT, SIGTERM or SIGHUP), or 0.
    static int signal();
    static const char *signalName(int sig);
};

} // namespace cs
