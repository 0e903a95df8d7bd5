#pragma once

#include <cstdint>

namespace cs {

// One attempt of one request a store made to a remote server (an S3 GET, PUT, ...), as libcurl timed
// it. The times are microseconds from the attempt's start, each cumulative as libcurl reports them:
// name lookup done, connected, TLS done, first response byte (0 when no answer came), finished. A reused connection has
// lookup, connect and TLS at 0. A retried request appears once per attempt, each with its status.
struct RequestTiming {
    enum class Method : uint8_t { Get, Head, Put, Post, Delete };
    Method method = Method::Get;
    uint8_t attempt = 0; // 0 for the first try, 1 for the first retry, ...
    int16_t status = 0; // HTTP status; 0 when no response came (connection refused, reset, timeout)
    int32_t curlCode = 0; // libcurl's CURLcode, 0 on a completed transfer
    int64_t startNs = 0; // monotonicNs() when the attempt began
    int64_t lookupUs = 0;
    int64_t connectUs = 0;
    int64_t tlsUs = 0;
    int64_t firstByteUs = 0;
    int64_t totalUs = 0;
    int64_t bytesSent = 0;
    int64_t bytesReceived = 0;

    // An attempt the client gives up on: no answer, a broken transfer, or an answer that a retry may
    // change (5xx, 429 "slow down"). A 404 is an answer: a chunk that was never written.
    bool failed() const { return status == 0 || curlCode != 0 || status >= 500 || status == 429; }
};

// The requests of one task, in the order they were made. Fixed capacity, so that recording costs no
// allocation on the copy's hot path; a task that makes more keeps the first kCapacity and counts the
// rest, whose time is still in the task's phases.
class RequestLog {
public:
    static constexpr int kCapacity = 32;

    void add(const RequestTiming &timing)
    {
        if (m_count < kCapacity)
            m_entries[m_count++] = timing;
        else
            ++m_dropped;
    }
    void clear()
    {
        m_count = 0;
        m_dropped = 0;
    }
    // The log of the task this thread runs: the engine binds each worker's own. Stores reach it here
    // because a key-value write carries no task context. Null on threads that run no copy.
    static RequestLog *&current()
    {
        thread_local RequestLog *log = nullptr;
        return log;
    }

    int count() const { return m_count; }
    int64_t dropped() const { return m_dropped; }
    const RequestTiming &operator[](int i) const { return m_entries[i]; }
    const RequestTiming *begin() const { return m_entries; }
    const RequestTiming *end() const { return m_entries + m_count; }

private:
    RequestTiming m_entries[kCapacity];
    int m_count = 0;
    int64_t m_dropped = 0;
};

} // namespace cs
