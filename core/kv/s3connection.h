#pragma once

#include "kv/s3config.h"
#include "profiler/requestlog.h"
#include "profiler/wirecounters.h"

#include <QString>

#include <cstdint>
#include <string>

typedef void CURL;
struct curl_slist;

namespace cs {

// Appends bytes to a URL as SigV4 wants them: everything but A-Z a-z 0-9 - _ . ~ (and '/' in a path)
// as %XX with upper-case digits, so that the server's canonical request matches libcurl's.
void appendUriEncoded(std::string &url, const char *text, size_t size, bool keepSlash);

// What every request to one server shares: the credentials libcurl signs with (SigV4) and the fixed
// headers. Built once per store and only read afterwards, so every worker uses it without a lock.
class S3Session {
public:
    explicit S3Session(const S3Config &resolved);
    ~S3Session();
    S3Session(const S3Session &) = delete;
    S3Session &operator=(const S3Session &) = delete;

    const S3Config &config() const { return m_config; }

private:
    friend class S3Connection;
    S3Config m_config;
    std::string m_user;
    std::string m_secret;
    std::string m_sigv4; // "aws:amz:<region>:s3"
    curl_slist *m_headers = nullptr;
};

// Where the body of a successful answer goes, for reads that land in a caller's buffer.
class S3BodySink {
public:
    virtual ~S3BodySink() = default;
    // Called once an answer's headers are in, again for each retry. rangeStart and rangeTotal come from
    // Content-Range (-1 without one). False aborts the transfer: the sink refuses the value.
    virtual bool begin(int64_t contentLength, int64_t rangeStart, int64_t rangeTotal) = 0;
    virtual void write(const char *data, size_t size) = 0;
};

// One request: its method, the complete URL (already encoded), an optional byte range in libcurl's
// spelling ("0-99", "-16"), the bytes it sends and where its answer goes.
struct S3Call {
    RequestTiming::Method method = RequestTiming::Method::Get;
    const char *url = nullptr;
    const char *range = nullptr;
    const char *body = nullptr;
    size_t bodySize = 0;
    S3BodySink *sink = nullptr; // null: a successful answer's body goes to text() too
};

struct S3Outcome {
    long status = 0; // the last attempt's HTTP status; 0 when it got no answer
    int code = 0; // the last attempt's CURLcode
    int attempts = 0;
    bool refused = false; // the sink refused the value

    bool ok() const { return code == 0 && status >= 200 && status < 300; }
};

// A libcurl handle of this thread's own, reused for every request the thread makes to any server:
// its connections stay open between requests (keep-alive), and no lock is shared with other
// workers. Its buffers grow to the largest answer and are then reused.
class S3Connection {
public:
    static S3Connection &forThisThread();
    ~S3Connection();
    S3Connection(const S3Connection &) = delete;
    S3Connection &operator=(const S3Connection &) = delete;

    // Makes the request, again after a growing, jittered pause on 5xx, 429 and broken connections, up
    // to the session's maxAttempts. Each attempt goes into `log` when there is one.
    S3Outcome perform(const S3Session &session, const S3Call &call, RequestLog *log);
    // The body of the last answer that had no sink, or of a failed one.
    const std::string &text() const { return m_text; }
    // The ETag of the last answer, quotes included (a multipart upload lists its parts by them).
    const std::string &etag() const { return m_etag; }
    // Why the last request failed, for a message: "HTTP 404 NoSuchKey: The specified key does not
    // exist." or "no answer: Couldn't connect to server", with the attempts when there were several.
    QString describe(const S3Outcome &outcome) const;
    // The total size a refused range named (Content-Range: bytes */N), or -1.
    int64_t rangeTotal() const { return m_rangeTotal; }
    // A buffer to spell URLs in, reused so that a warm worker allocates none.
    std::string &urlBuffer() { return m_url; }

private:
    S3Connection();
    friend struct S3Callbacks;
    CURL *m_curl = nullptr;
    S3BodySink *m_sink = nullptr;
    WireCounters::Slot *m_wire = nullptr; // the running copy's counters for this thread, during perform()
    const char *m_upload = nullptr;
    size_t m_uploadSize = 0;
    size_t m_uploadPos = 0;
    long m_status = 0;
    int64_t m_firstByteNs = 0; // monotonicNs() when the attempt's answer began; 0 before
    int64_t m_contentLength = -1;
    int64_t m_rangeStart = -1;
    int64_t m_rangeTotal = -1;
    bool m_toSink = false;
    bool m_refused = false;
    std::string m_text;
    std::string m_etag;
    std::string m_url;
    char m_error[256] = {};
};

} // namespace cs
