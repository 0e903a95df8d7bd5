#include "s3connection.h"

#include "kv/s3xml.h"
#include "kv/storeerror.h"
#include "profiler/phase.h"

#include <curl/curl.h>

#include <algorithm>
#include <chrono>
#include <cstring>
#include <mutex>
#include <random>
#include <thread>

namespace cs {

namespace {
// libcurl's buffers for one connection: see S3Connection::S3Connection. The upload buffer's limit is 2 MiB.
constexpr int kReceiveBuffer = 64 * 1024;
constexpr int kSendBuffer = 256 * 1024;

// An error answer larger than this is kept only in part: the message is at its start.
constexpr size_t kMaxErrorText = size_t(1) << 20;
// A listing page of 1,000 keys is about 300 kB; anything far beyond it is not an S3 answer.
constexpr size_t kMaxText = size_t(64) << 20;

void initialiseCurl()
{
    // curl_global_init is not thread-safe, and workers start their handles concurrently.
    static std::once_flag once;
    std::call_once(once, [] {
        if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK)
            throw StoreError(QStringLiteral("libcurl failed to initialise"));
    });
}

bool startsWithNoCase(const char *line, size_t size, const char *prefix)
{
    const size_t n = std::strlen(prefix);
    return size >= n && strncasecmp(line, prefix, n) == 0;
}

int64_t parseNumber(const char *&p, const char *end)
{
    int64_t value = -1;
    while (p < end && *p >= '0' && *p <= '9') {
        value = (value < 0 ? 0 : value * 10) + (*p - '0');
        ++p;
    }
    return value;
}

// The statuses and transport failures worth another try: the server or the path to it was busy or
// broken for a moment. 4xx other than 429 will answer the same again.
bool retryable(CURLcode code, long status)
{
    switch (code) {
    case CURLE_OK:
        return status == 429 || status == 500 || status == 502 || status == 503 || status == 504;
    case CURLE_COULDNT_CONNECT:
    case CURLE_OPERATION_TIMEDOUT:
    case CURLE_SEND_ERROR:
    case CURLE_RECV_ERROR:
    case CURLE_GOT_NOTHING:
    case CURLE_PARTIAL_FILE:
        return true;
    default:
        return false;
    }
}

int64_t info(CURL *curl, CURLINFO what)
{
    curl_off_t value = 0;
    curl_easy_getinfo(curl, what, &value);
    return int64_t(value);
}

} // namespace

// libcurl's callbacks, with access to the connection they fill.
struct S3Callbacks {
    static size_t header(char *line, size_t, size_t size, void *self)
    {
        auto *c = static_cast<S3Connection *>(self);
        const char *end = line + size;
        if (startsWithNoCase(line, size, "HTTP/")) {
            // libcurl times an upload's "start transfer" when the body starts to go out, not when the
            // answer starts to come back: the first status line is the first byte of the answer.
            if (c->m_firstByteNs == 0)
                c->m_firstByteNs = monotonicNs();
            // A new answer (after 100 Continue, or a retry): forget the previous one's headers.
            const char *p = static_cast<const char *>(std::memchr(line, ' ', size));
            c->m_status = p ? long(parseNumber(++p, end)) : 0;
            c->m_contentLength = c->m_rangeStart = c->m_rangeTotal = -1;
            c->m_etag.clear();
            c->m_toSink = false;
        } else if (startsWithNoCase(line, size, "content-length:")) {
            const char *p = line + 15;
            while (p < end && *p == ' ')
                ++p;
            c->m_contentLength = parseNumber(p, end);
        } else if (startsWithNoCase(line, size, "content-range:")) {
            // "bytes 0-99/1234" or, for a refused range, "bytes */1234".
            const char *p = static_cast<const char *>(std::memchr(line, ' ', size));
            p = p ? static_cast<const char *>(std::memchr(p + 1, ' ', size_t(end - p - 1))) : nullptr;
            if (p) {
                ++p;
                c->m_rangeStart = parseNumber(p, end);
                const char *slash = static_cast<const char *>(std::memchr(p, '/', size_t(end - p)));
                if (slash) {
                    p = slash + 1;
                    c->m_rangeTotal = parseNumber(p, end);
                }
            }
        } else if (startsWithNoCase(line, size, "etag:")) {
            const char *p = line + 5;
            while (p < end && *p == ' ')
                ++p;
            const char *stop = end;
            while (stop > p && (stop[-1] == '\r' || stop[-1] == '\n' || stop[-1] == ' '))
                --stop;
            c->m_etag.assign(p, size_t(stop - p));
        } else if (size <= 2 && c->m_status >= 200 && c->m_status < 300 && c->m_sink) {
            // The end of a successful answer's headers: the sink decides where its body goes.
            c->m_toSink = true;
            if (!c->m_sink->begin(c->m_contentLength, c->m_rangeStart, c->m_rangeTotal)) {
                c->m_refused = true;
                return 0;
            }
        }
        return size;
    }

    static size_t body(char *data, size_t, size_t size, void *self)
    {
        auto *c = static_cast<S3Connection *>(self);
        if (c->m_wire)
            c->m_wire->addBytes(int64_t(size));
        if (c->m_toSink) {
            c->m_sink->write(data, size);
            return size;
        }
        const bool failed = c->m_status < 200 || c->m_status >= 300;
        const size_t cap = failed ? kMaxErrorText : kMaxText;
        const size_t room = cap > c->m_text.size() ? cap - c->m_text.size() : 0;
        if (size > room && !failed)
            return 0; // an answer this large is no S3 document; fail rather than hold it
        c->m_text.append(data, std::min(size, room));
        return size;
    }

    static size_t read(char *out, size_t, size_t size, void *self)
    {
        auto *c = static_cast<S3Connection *>(self);
        const size_t n = std::min(size, c->m_uploadSize - c->m_uploadPos);
        std::memcpy(out, c->m_upload + c->m_uploadPos, n);
        c->m_uploadPos += n;
        if (c->m_wire)
            c->m_wire->addBytes(int64_t(n));
        return n;
    }

    // libcurl rewinds the upload when it must send it again on the same attempt.
    static int seek(void *self, curl_off_t offset, int origin)
    {
        auto *c = static_cast<S3Connection *>(self);
        if (origin != SEEK_SET || offset < 0 || size_t(offset) > c->m_uploadSize)
            return CURL_SEEKFUNC_FAIL;
        c->m_uploadPos = size_t(offset);
        return CURL_SEEKFUNC_OK;
    }
};

void appendUriEncoded(std::string &url, const char *text, size_t size, bool keepSlash)
{
    static const char hex[] = "0123456789ABCDEF";
    for (size_t i = 0; i < size; ++i) {
        const auto byte = static_cast<unsigned char>(text[i]);
        if ((byte >= 'A' && byte <= 'Z') || (byte >= 'a' && byte <= 'z') || (byte >= '0' && byte <= '9') || byte == '-'
            || byte == '_' || byte == '.' || byte == '~' || (keepSlash && byte == '/')) {
            url += char(byte);
        } else {
            url += '%';
            url += hex[byte >> 4];
            url += hex[byte & 15];
        }
    }
}

S3Session::S3Session(const S3Config &resolved)
    : m_config(resolved)
    , m_user(resolved.accessKeyId.toStdString())
    , m_secret(resolved.secretAccessKey.toStdString())
    , m_sigv4("aws:amz:" + resolved.region.toStdString() + ":s3")
{
    initialiseCurl();
    // The payload is not hashed into the signature: hashing every chunk would cost a pass over its bytes
    // per write, and TLS already protects them in transit. "Expect:" saves the round trip that
    // 100-continue would add to every PUT.
    const char *fixed[] = {"x-amz-content-sha256: UNSIGNED-PAYLOAD", "Expect:", "Content-Type:"};
    for (const char *header : fixed)
        m_headers = curl_slist_append(m_headers, header);
    if (!resolved.sessionToken.isEmpty())
        m_headers
            = curl_slist_append(m_headers, ("x-amz-security-token: " + resolved.sessionToken.toStdString()).c_str());
    if (!m_headers)
        throw StoreError(QStringLiteral("out of memory for the request headers"));
}

S3Session::~S3Session()
{
    curl_slist_free_all(m_headers);
}

S3Connection &S3Connection::forThisThread()
{
    thread_local S3Connection connection;
    return connection;
}

S3Connection::S3Connection()
{
    initialiseCurl();
    m_curl = curl_easy_init();
    if (!m_curl)
        throw StoreError(QStringLiteral("libcurl could not make a handle"));
    // Chunks are objects of a MiB or more: libcurl's default 16 KiB receive and 64 KiB send buffers cost
    // a system call and a callback per 16 or 64 KiB. Larger ones, once per connection, cut that CPU,
    // which competes with the workers' codecs.
    curl_easy_setopt(m_curl, CURLOPT_BUFFERSIZE, long(kReceiveBuffer));
    curl_easy_setopt(m_curl, CURLOPT_UPLOAD_BUFFERSIZE, long(kSendBuffer));
}

S3Connection::~S3Connection()
{
    curl_easy_cleanup(m_curl);
}

S3Outcome S3Connection::perform(const S3Session &session, const S3Call &call, RequestLog *log)
{
    CURL *c = m_curl;
    const S3Config &config = session.config();
    curl_easy_setopt(c, CURLOPT_URL, call.url);
    curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(c, CURLOPT_TCP_KEEPALIVE, 1L);
    curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT_MS, 10000L);
    // A stalled transfer fails (and is retried) instead of hanging the copy.
    curl_easy_setopt(c, CURLOPT_LOW_SPEED_LIMIT, 1L);
    curl_easy_setopt(c, CURLOPT_LOW_SPEED_TIME, 60L);
    curl_easy_setopt(c, CURLOPT_ERRORBUFFER, m_error);
    curl_easy_setopt(c, CURLOPT_AWS_SIGV4, session.m_sigv4.c_str());
    curl_easy_setopt(c, CURLOPT_USERNAME, session.m_user.c_str());
    curl_easy_setopt(c, CURLOPT_PASSWORD, session.m_secret.c_str());
    curl_easy_setopt(c, CURLOPT_HTTPHEADER, session.m_headers);
    curl_easy_setopt(c, CURLOPT_HEADERFUNCTION, &S3Callbacks::header);
    curl_easy_setopt(c, CURLOPT_HEADERDATA, this);
    curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, &S3Callbacks::body);
    curl_easy_setopt(c, CURLOPT_WRITEDATA, this);
    curl_easy_setopt(c, CURLOPT_RANGE, call.range);
    // HTTPGET resets NOBODY and UPLOAD left by the thread's previous request.
    curl_easy_setopt(c, CURLOPT_HTTPGET, 1L);
    curl_easy_setopt(c, CURLOPT_CUSTOMREQUEST, nullptr);
    using Method = RequestTiming::Method;
    switch (call.method) {
    case Method::Get:
        break;
    case Method::Head:
        curl_easy_setopt(c, CURLOPT_NOBODY, 1L);
        break;
    case Method::Delete:
        curl_easy_setopt(c, CURLOPT_CUSTOMREQUEST, "DELETE");
        break;
    case Method::Put:
    case Method::Post:
        curl_easy_setopt(c, CURLOPT_UPLOAD, 1L);
        curl_easy_setopt(c, CURLOPT_INFILESIZE_LARGE, curl_off_t(call.bodySize));
        curl_easy_setopt(c, CURLOPT_READFUNCTION, &S3Callbacks::read);
        curl_easy_setopt(c, CURLOPT_READDATA, this);
        curl_easy_setopt(c, CURLOPT_SEEKFUNCTION, &S3Callbacks::seek);
        curl_easy_setopt(c, CURLOPT_SEEKDATA, this);
        if (call.method == Method::Post)
            curl_easy_setopt(c, CURLOPT_CUSTOMREQUEST, "POST");
        break;
    }

    thread_local std::minstd_rand jitter(
        unsigned(std::hash<std::thread::id>()(std::this_thread::get_id()) ^ uint64_t(monotonicNs())));
    S3Outcome out;
    m_wire = WireCounters::current();
    for (int attempt = 0; attempt < config.maxAttempts; ++attempt) {
        m_sink = call.sink;
        m_upload = call.body;
        m_uploadSize = call.bodySize;
        m_uploadPos = 0;
        m_status = 0;
        m_firstByteNs = 0;
        m_toSink = false;
        m_refused = false;
        m_text.clear();
        m_error[0] = '\0';
        const int64_t start = monotonicNs();
        // On the wire while libcurl has it, not during the pause before a retry.
        if (m_wire)
            m_wire->begin();
        const CURLcode code = curl_easy_perform(c);
        if (m_wire)
            m_wire->end();
        const int64_t end = monotonicNs();
        out = S3Outcome{m_status, int(code), attempt + 1, m_refused};
        if (code != CURLE_OK)
            out.status = 0; // a status line followed by a broken transfer is no answer
        if (log) {
            RequestTiming t;
            t.method = call.method;
            t.attempt = uint8_t(std::min(attempt, 255));
            t.status = int16_t(out.status);
            t.curlCode = int32_t(code);
            t.startNs = start;
            t.connectUs = info(c, CURLINFO_CONNECT_TIME_T);
            // On a reused connection libcurl reports no connect time but a few microseconds of "lookup"
            // (its cache); none was made.
            t.lookupUs = t.connectUs > 0 ? info(c, CURLINFO_NAMELOOKUP_TIME_T) : 0;
            t.tlsUs = info(c, CURLINFO_APPCONNECT_TIME_T);
            t.totalUs = info(c, CURLINFO_TOTAL_TIME_T);
            // Counted back from the end, so that it stays within libcurl's total.
            t.firstByteUs = m_firstByteNs > 0 ? std::max<int64_t>(0, t.totalUs - (end - m_firstByteNs) / 1000) : 0;
            t.bytesSent = info(c, CURLINFO_SIZE_UPLOAD_T);
            t.bytesReceived = info(c, CURLINFO_SIZE_DOWNLOAD_T);
            log->add(t);
        }
        if (m_refused || !retryable(code, out.status) || attempt + 1 == config.maxAttempts)
            break;
        // Exponential backoff with jitter, so that throttled workers do not return in step.
        const int64_t ceiling = std::min<int64_t>(int64_t(config.backoffMs) << std::min(attempt, 16), 5000);
        const int64_t pause = ceiling / 2 + int64_t(jitter() % uint64_t(ceiling / 2 + 1));
        std::this_thread::sleep_for(std::chrono::milliseconds(pause));
    }
    m_sink = nullptr;
    m_upload = nullptr;
    m_wire = nullptr;
    return out;
}

QString S3Connection::describe(const S3Outcome &outcome) const
{
    QString what;
    if (outcome.code != CURLE_OK && outcome.status == 0) {
        const char *detail = m_error[0] ? m_error : curl_easy_strerror(CURLcode(outcome.code));
        what = QStringLiteral("no answer: %1").arg(QString::fromUtf8(detail));
    } else {
        const s3xml::ErrorBody error = s3xml::parseError(m_text.data(), m_text.size());
        what = QStringLiteral("HTTP %1").arg(outcome.status);
        if (!error.code.isEmpty())
            what += QLatin1Char(' ') + error.code;
        if (!error.message.isEmpty())
            what += QStringLiteral(": ") + error.message;
    }
    if (outcome.attempts > 1)
        what += QStringLiteral(" (after %1 attempts)").arg(outcome.attempts);
    return what;
}

} // namespace cs
