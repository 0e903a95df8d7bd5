// The S3 key-value backend against s3rver, a real S3-compatible server, on loopback: the bytes read back,
// ranges, listing across pages, erasing, multipart uploads, the exact error texts, and the requests
// recorded for the task's profile. s3rver itself does not check SigV4 signatures; serve.mjs checks
// them in front of it, so a wrong secret is refused as S3 refuses it.

#include "engine/copyrun.h"
#include "kv/s3keyvalue.h"
#include "results/resultsjson.h"
#include "s3server.h"
#include "stores/generatorstore.h"
#include "stores/memory/memorystore.h"
#include "stores/zarr/zarrstore.h"
#include "task/taskcontext.h"

#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

#include <algorithm>
#include <atomic>
#include <cstring>
#include <thread>
#include <vector>

using namespace cs;

namespace {

const QString kBucket = QStringLiteral("chunkscope-test");

// Bytes that differ at every offset within a value and between seeds, so a shifted range shows.
QByteArray pattern(qsizetype size, uint32_t seed)
{
    QByteArray out(size, Qt::Uninitialized);
    uint32_t x = seed * 2654435761u + 1;
    for (qsizetype i = 0; i < size; ++i) {
        x = x * 1664525u + 1013904223u;
        out[i] = char(x >> 24);
    }
    return out;
}

// The message of the StoreError that `action` throws; empty when it throws none.
template <typename Action> QString errorOf(Action &&action)
{
    try {
        action();
    } catch (const StoreError &e) {
        return e.message();
    }
    return QString();
}

KvKey key(const QByteArray &text)
{
    return KvKey(text);
}

// Binds a log to this thread for the duration, as the engine binds a worker's.
struct BoundLog {
    RequestLog log;
    BoundLog() { RequestLog::current() = &log; }
    ~BoundLog() { RequestLog::current() = nullptr; }
    int count(RequestTiming::Method method) const
    {
        return int(std::count_if(log.begin(), log.end(), [&](const RequestTiming &t) { return t.method == method; }));
    }
};

} // namespace

class TestS3KeyValue : public QObject {
    Q_OBJECT

    testing::S3Server m_server;
    QString m_serverError;

    std::unique_ptr<S3KeyValue> store(const QString &prefix, S3Config config = {}) const
    {
        const S3Config base = m_server.config();
        if (config.endpoint.isEmpty())
            config.endpoint = base.endpoint;
        config.region = base.region;
        if (config.accessKeyId.isEmpty()) {
            config.accessKeyId = base.accessKeyId;
            config.secretAccessKey = base.secretAccessKey;
        }
        return std::make_unique<S3KeyValue>(S3Location::parse(QStringLiteral("s3://%1/%2").arg(kBucket, prefix)),
                                            config);
    }

private slots:
    void initTestCase() { m_serverError = m_server.start(kBucket); }

    void setThenGetWholeReturnsTheBytes()
    {
        QVERIFY2(m_serverError.isEmpty(), qPrintable(m_serverError));
        auto kv = store(QStringLiteral("whole"));
        const QByteArray value = pattern(10000, 1);
        kv->set(key("a/0.0"), value);
        QCOMPARE(kv->getCopy(key("a/0.0")).value_or(QByteArray()), value);
        const QByteArray empty;
        kv->set(key("empty"), empty);
        const std::optional<QByteArray> readEmpty = kv->getCopy(key("empty"));
        QVERIFY(readEmpty.has_value());
        QCOMPARE(readEmpty->size(), 0);
        // A key with characters that URLs encode reads back under its own name.
        kv->set(key("odd key+%/é"), value.left(77));
        QCOMPARE(kv->getCopy(key("odd key+%/é")).value_or(QByteArray()), value.left(77));
        QCOMPARE(kv->list(),
                 QStringList({QStringLiteral("a/0.0"), QStringLiteral("empty"), QStringLiteral("odd key+%/é")}));
    }

    void rangesReturnTheirBytes()
    {
        QVERIFY2(m_serverError.isEmpty(), qPrintable(m_serverError));
        auto kv = store(QStringLiteral("ranges"));
        const QByteArray value = pattern(4096, 2);
        kv->set(key("v"), value);
        QCOMPARE(kv->getCopy(key("v"), ByteRange::span(100, 333)).value_or(QByteArray()), value.mid(100, 333));
        QCOMPARE(kv->getCopy(key("v"), ByteRange::suffix(16)).value_or(QByteArray()), value.right(16));
        QCOMPARE(kv->getCopy(key("v"), ByteRange::span(4095, 1)).value_or(QByteArray()), value.right(1));

        // The caller's buffer is used when the range fills it exactly, and the value's size comes back.
        TaskContext ctx;
        std::vector<char> direct(333);
        const KvValue got
            = kv->get(key("v"), ByteRange::span(100, 333), ValueLimit(), ctx, direct.data(), direct.size());
        QVERIFY(got.present);
        QCOMPARE(got.data, direct.data());
        QCOMPARE(got.total, uint64_t(4096));
        QCOMPARE(QByteArray(got.data, qsizetype(got.size)), value.mid(100, 333));

        // An empty range gives the size and no bytes.
        const KvValue size = kv->get(key("v"), ByteRange::span(0, 0), ValueLimit(), ctx, nullptr, 0);
        QVERIFY(size.present);
        QCOMPARE(size.size, size_t(0));
        QCOMPARE(size.total, uint64_t(4096));
    }

    void refusedReadsNameTheObject()
    {
        QVERIFY2(m_serverError.isEmpty(), qPrintable(m_serverError));
        auto kv = store(QStringLiteral("refused"));
        kv->set(key("v"), pattern(1000, 3));
        const auto message = [&](ByteRange range, const ValueLimit &limit) {
            return errorOf([&] { kv->getCopy(key("v"), range, limit); });
        };
        QCOMPARE(message(ByteRange::span(990, 20), ValueLimit()),
                 QStringLiteral("cannot read bytes [990, 1010) of s3://chunkscope-test/refused/v: it has 1000 bytes"));
        QCOMPARE(message(ByteRange::span(2000, 10), ValueLimit()),
                 QStringLiteral("cannot read bytes [2000, 2010) of s3://chunkscope-test/refused/v: it has 1000 bytes"));
        QCOMPARE(
            message(ByteRange::suffix(1001), ValueLimit()),
            QStringLiteral("cannot read the last 1001 bytes of s3://chunkscope-test/refused/v: it has 1000 bytes"));
        const ValueLimit limit{QStringLiteral("chunk"), 999, QStringLiteral("an encoded chunk of 999 bytes can take")};
        QCOMPARE(message(ByteRange::whole(), limit),
                 QStringLiteral("s3://chunkscope-test/refused/v is 1000 bytes, more than the 999 an encoded chunk of "
                                "999 bytes can take"));
    }

    void aMissingKeyIsAbsent()
    {
        QVERIFY2(m_serverError.isEmpty(), qPrintable(m_serverError));
        auto kv = store(QStringLiteral("missing"));
        QVERIFY(!kv->getCopy(key("never")).has_value());
        QVERIFY(!kv->getCopy(key("never"), ByteRange::suffix(8)).has_value());
        QVERIFY(!kv->getCopy(key("never"), ByteRange::span(0, 0)).has_value());
        QVERIFY(!kv->erase(key("never")));
    }

    void eraseRemovesTheValue()
    {
        QVERIFY2(m_serverError.isEmpty(), qPrintable(m_serverError));
        auto kv = store(QStringLiteral("erase"));
        kv->set(key("x"), pattern(10, 4));
        kv->set(key("y"), pattern(10, 5));
        QVERIFY(kv->erase(key("x")));
        QVERIFY(!kv->getCopy(key("x")).has_value());
        QVERIFY(!kv->erase(key("x")));
        QCOMPARE(kv->list(), QStringList({QStringLiteral("y")}));
    }

    void listingFollowsContinuationTokens()
    {
        QVERIFY2(m_serverError.isEmpty(), qPrintable(m_serverError));
        // More keys than one ListObjectsV2 page holds (1,000), written by four threads, each with its own
        // connection.
        auto kv = store(QStringLiteral("many"));
        constexpr int kKeys = 1234;
        std::atomic<int> next{0};
        std::atomic<int> failures{0};
        std::vector<std::thread> writers;
        for (int t = 0; t < 4; ++t)
            writers.emplace_back([&] {
                for (int i = next++; i < kKeys; i = next++) {
                    try {
                        kv->set(key(QByteArray::number(i)), pattern(i % 17, uint32_t(i)), Sync::NoFlush);
                    } catch (const StoreError &) {
                        ++failures;
                    }
                }
            });
        for (std::thread &t : writers)
            t.join();
        QCOMPARE(failures.load(), 0);
        QStringList expected;
        int64_t bytes = 0;
        for (int i = 0; i < kKeys; ++i) {
            expected.append(QString::number(i));
            bytes += i % 17;
        }
        expected.sort();
        BoundLog requests;
        QCOMPARE(kv->list(), expected);
        QCOMPARE(requests.count(RequestTiming::Method::Get), 2); // two pages
        QCOMPARE(kv->valueCount(), int64_t(kKeys));
        QCOMPARE(kv->storedBytes(), bytes);
        QCOMPARE(kv->list(QStringLiteral("123")),
                 QStringList({QStringLiteral("123"), QStringLiteral("1230"), QStringLiteral("1231"),
                              QStringLiteral("1232"), QStringLiteral("1233")}));
    }

    void largeValuesGoUpInParts()
    {
        QVERIFY2(m_serverError.isEmpty(), qPrintable(m_serverError));
        S3Config config;
        config.multipartThreshold = size_t(5) << 20; // S3's smallest part
        auto kv = store(QStringLiteral("multipart"), config);
        const QByteArray value = pattern((qsizetype(5) << 20) * 2 + 12345, 6);
        BoundLog requests;
        kv->set(key("big"), value);
        // Initiate and complete, and one PUT per part: 5 MiB, 5 MiB and the rest.
        QCOMPARE(requests.count(RequestTiming::Method::Post), 2);
        QCOMPARE(requests.count(RequestTiming::Method::Put), 3);
        int64_t sent = 0;
        for (const RequestTiming &t : requests.log)
            if (t.method == RequestTiming::Method::Put)
                sent += t.bytesSent;
        QCOMPARE(sent, int64_t(value.size()));
        QCOMPARE(kv->getCopy(key("big"), ByteRange::whole(), ValueLimit()).value_or(QByteArray()), value);
        // A value at the threshold goes up in one PUT.
        requests.log.clear();
        kv->set(key("small"), value.left(qsizetype(5) << 20));
        QCOMPARE(requests.log.count(), 1);
        QCOMPARE(requests.log[0].method, RequestTiming::Method::Put);
    }

    void requestsAreTimed()
    {
        QVERIFY2(m_serverError.isEmpty(), qPrintable(m_serverError));
        auto kv = store(QStringLiteral("timed"));
        kv->set(key("v"), pattern(5000, 7));
        BoundLog requests;
        const int64_t before = monotonicNs();
        QCOMPARE(kv->getCopy(key("v"), ByteRange::span(1000, 2000)).value_or(QByteArray()),
                 pattern(5000, 7).mid(1000, 2000));
        QCOMPARE(requests.log.count(), 1);
        const RequestTiming &t = requests.log[0];
        QCOMPARE(t.method, RequestTiming::Method::Get);
        QCOMPARE(t.status, int16_t(206));
        QCOMPARE(t.attempt, uint8_t(0));
        QCOMPARE(t.curlCode, 0);
        QCOMPARE(t.bytesReceived, int64_t(2000));
        QVERIFY(t.startNs >= before);
        // The PUT just before left the thread's connection open: this GET made none.
        QCOMPARE(t.lookupUs, int64_t(0));
        QCOMPARE(t.connectUs, int64_t(0));
        // libcurl's times are cumulative from the attempt's start.
        QVERIFY(t.firstByteUs > 0);
        QVERIFY(t.firstByteUs <= t.totalUs);
        QVERIFY(t.totalUs > 0);
        QVERIFY(t.totalUs * 1000 <= monotonicNs() - t.startNs);
    }

    void requestsSurviveTheResultsDocument()
    {
        QVERIFY2(m_serverError.isEmpty(), qPrintable(m_serverError));
        auto kv = store(QStringLiteral("document"));
        kv->set(key("v"), pattern(3000, 9));
        BoundLog requests;
        QVERIFY(kv->getCopy(key("v"), ByteRange::span(0, 1000)).has_value());
        QVERIFY(!kv->getCopy(key("absent")).has_value());
        kv->set(key("w"), pattern(500, 10));
        QCOMPARE(requests.log.count(), 3);

        RunResult run;
        run.name = QStringLiteral("s3");
        for (const RequestTiming &t : requests.log)
            run.requests.push_back({7, 1, t});
        run.requestsDropped = 2;
        const QByteArray json = resultsToJson(QStringLiteral("requests"), HostInfo(), {run});
        QVERIFY2(json.contains("{\"task\": 7, \"worker\": 1, \"method\": \"GET\", \"attempt\": 0, \"status\": 404"),
                 json.constData());
        QString error;
        const std::optional<ResultsDocument> doc = parseResults(json, QStringLiteral("requests.json"), &error);
        QVERIFY2(doc, qPrintable(error));
        const RunResult &back = doc->runs.at(0);
        QCOMPARE(back.requestsDropped, int64_t(2));
        QCOMPARE(back.requests.size(), size_t(3));
        const RequestTiming::Method methods[]
            = {RequestTiming::Method::Get, RequestTiming::Method::Get, RequestTiming::Method::Put};
        const int16_t statuses[] = {206, 404, 200};
        for (size_t i = 0; i < 3; ++i) {
            const RequestTiming &a = requests.log[int(i)];
            const RequestTiming &b = back.requests[i].timing;
            QCOMPARE(back.requests[i].task, int64_t(7));
            QCOMPARE(back.requests[i].worker, 1);
            QCOMPARE(b.method, methods[i]);
            QCOMPARE(b.status, statuses[i]);
            QCOMPARE(b.attempt, a.attempt);
            QCOMPARE(b.curlCode, a.curlCode);
            QVERIFY(std::abs(b.startNs - a.startNs) < 1000);
            QCOMPARE(b.firstByteUs, a.firstByteUs);
            QCOMPARE(b.totalUs, a.totalUs);
            QCOMPARE(b.connectUs, a.connectUs);
            QCOMPARE(b.bytesSent, a.bytesSent);
            QCOMPARE(b.bytesReceived, a.bytesReceived);
        }
        QCOMPARE(back.requests[0].timing.bytesReceived, int64_t(1000));
        QCOMPARE(back.requests[2].timing.bytesSent, int64_t(500));
    }

    void aCopyThroughS3RecordsEachTasksRequests()
    {
        QVERIFY2(m_serverError.isEmpty(), qPrintable(m_serverError));
        // memory -> Zarr v2 on S3 -> memory, 12 chunks over 3 and 2 workers, each with its own connection.
        const DType dtype(DType::Kind::Int, 4);
        Coords shape;
        shape.rank = 2;
        shape[0] = 40;
        shape[1] = 30;
        Coords chunks = shape;
        chunks[0] = chunks[1] = 10;
        MemoryStore source(QStringLiteral("src"), dtype, shape, chunks);
        FillSpec fill;
        fill.kind = FillSpec::Kind::Random;
        fill.seed = 17;
        TaskContext ctx;
        GeneratorStore(fill, dtype, shape, chunks).read(Region::whole(shape), source.data(), ctx);
        const StoreArray array{QStringLiteral("z"), dtype, true, {40, 30}, {10, 10}};
        const ZarrMetadata meta = ZarrMetadata::fromOptions(ZarrOptions(), array);
        auto kv = store(QStringLiteral("copy/z"));
        kv->set(KvKey(QByteArrayLiteral(".zarray")), meta.toJson());
        ZarrStore zarr(array.id, meta, std::move(kv));
        MemoryStore target(QStringLiteral("dst"), dtype, shape, chunks);

        const auto copy = [](Store &from, Store &to, int workers) {
            CopyOptions options;
            options.workers = workers;
            options.lock = LockMode::None;
            auto run = std::make_unique<CopyRun>(from, to, options);
            run->start();
            run->wait();
            return run;
        };
        const auto up = copy(source, zarr, 3);
        QVERIFY2(!up->failed(), qPrintable(up->error()));
        QCOMPARE(up->verified(), std::optional<bool>(true));
        const auto down = copy(zarr, target, 2);
        QVERIFY2(!down->failed(), qPrintable(down->error()));
        QVERIFY(std::memcmp(source.data(), target.data(), size_t(40 * 30 * 4)) == 0);

        // Each write task made exactly one PUT of its chunk, each read task one GET; the engine's
        // verification reads outside any task and records nothing.
        const auto check = [](const CopyRun &run, RequestTiming::Method method, int16_t status) {
            const std::vector<TaskRequest> requests = run.requests();
            const std::vector<TaskEvent> events = run.events();
            QCOMPARE(requests.size(), size_t(12));
            for (size_t i = 0; i < requests.size(); ++i) {
                QCOMPARE(requests[i].task, int64_t(i));
                QCOMPARE(requests[i].timing.method, method);
                QCOMPARE(requests[i].timing.status, status);
                const TaskEvent &event = events.at(i);
                QCOMPARE(requests[i].worker, event.worker);
                QVERIFY(requests[i].timing.startNs >= event.startNs);
                QVERIFY(requests[i].timing.startNs + requests[i].timing.totalUs * 1000 <= event.endNs);
            }
            QCOMPARE(run.requestsDropped(), int64_t(0));
        };
        check(*up, RequestTiming::Method::Put, 200);
        check(*down, RequestTiming::Method::Get, 200);
        QCOMPARE(down->requests().at(0).timing.bytesReceived, int64_t(10 * 10 * 4));
    }

    void throttledRequestsAreRetriedWithTheirStatus()
    {
        QVERIFY2(m_serverError.isEmpty(), qPrintable(m_serverError));
        S3Config config;
        config.backoffMs = 1;
        auto kv = store(QStringLiteral("throttled"), config);
        BoundLog requests;
        const QByteArray value = pattern(2000, 11);
        kv->set(key("slow-put"), value); // serve.mjs answers 503 SlowDown twice per key
        QCOMPARE(requests.log.count(), 3);
        const int16_t statuses[] = {503, 503, 200};
        for (int i = 0; i < 3; ++i) {
            QCOMPARE(requests.log[i].method, RequestTiming::Method::Put);
            QCOMPARE(requests.log[i].attempt, uint8_t(i));
            QCOMPARE(requests.log[i].status, statuses[i]);
        }
        QCOMPARE(kv->getCopy(key("slow-put")).value_or(QByteArray()), value);

        // Out of attempts: the error names the last status and how many tries there were.
        config.maxAttempts = 2;
        auto impatient = store(QStringLiteral("throttled"), config);
        const QString message = errorOf([&] { impatient->getCopy(key("slow-get")); });
        QCOMPARE(message,
                 QStringLiteral("s3://chunkscope-test/throttled/slow-get: GET failed with HTTP 503 SlowDown: "
                                "Please reduce your request rate. (after 2 attempts)"));
    }

    void connectionFailuresAreRetriedAndRecorded()
    {
        QVERIFY2(m_serverError.isEmpty(), qPrintable(m_serverError));
        // A port nothing listens on: the server's, once another server there has stopped.
        testing::S3Server gone;
        QVERIFY(gone.start(QStringLiteral("gone-bucket")).isEmpty());
        const int port = gone.port();
        gone.stop();
        S3Config config;
        config.endpoint = QStringLiteral("http://127.0.0.1:%1").arg(port);
        config.maxAttempts = 3;
        config.backoffMs = 1;
        auto kv = store(QStringLiteral("retries"), config);
        BoundLog requests;
        const QString message = errorOf([&] { kv->getCopy(key("v")); });
        QVERIFY2(message.startsWith(QStringLiteral("s3://chunkscope-test/retries/v: GET failed with no answer: ")),
                 qPrintable(message));
        QVERIFY2(message.endsWith(QStringLiteral(" (after 3 attempts)")), qPrintable(message));
        QCOMPARE(requests.log.count(), 3);
        for (int i = 0; i < 3; ++i) {
            QCOMPARE(requests.log[i].attempt, uint8_t(i));
            QCOMPARE(requests.log[i].status, int16_t(0));
            QVERIFY(requests.log[i].curlCode != 0);
        }
    }

    void httpsIsVerified()
    {
        QVERIFY2(m_serverError.isEmpty(), qPrintable(m_serverError));
        // A server whose certificate no authority signed: libcurl must refuse it, as it would refuse
        // someone in the middle, and the refusal is not retried.
        QTemporaryDir dir;
        const QString keyFile = dir.filePath(QStringLiteral("key.pem"));
        const QString certFile = dir.filePath(QStringLiteral("cert.pem"));
        QProcess openssl;
        openssl.start(QStringLiteral("openssl"),
                      {QStringLiteral("req"), QStringLiteral("-x509"), QStringLiteral("-newkey"),
                       QStringLiteral("rsa:2048"), QStringLiteral("-nodes"), QStringLiteral("-days"),
                       QStringLiteral("1"), QStringLiteral("-subj"), QStringLiteral("/CN=127.0.0.1"),
                       QStringLiteral("-keyout"), keyFile, QStringLiteral("-out"), certFile});
        QVERIFY2(openssl.waitForFinished(60000) && openssl.exitCode() == 0, "openssl could not make a certificate");
        testing::S3Server tls;
        const QString tlsError = tls.start(kBucket, keyFile, certFile);
        QVERIFY2(tlsError.isEmpty(), qPrintable(tlsError));
        S3Config config;
        config.endpoint = tls.endpoint();
        auto kv = store(QStringLiteral("tls"), config);
        BoundLog requests;
        const QString message = errorOf([&] { kv->getCopy(key("v")); });
        QCOMPARE(message,
                 QStringLiteral("s3://chunkscope-test/tls/v: GET failed with no answer: SSL certificate problem: "
                                "self-signed certificate"));
        QCOMPARE(requests.log.count(), 1);
    }

    void aWrongSecretFailsWithTheServersWords()
    {
        QVERIFY2(m_serverError.isEmpty(), qPrintable(m_serverError));
        S3Config config;
        config.accessKeyId = QLatin1String(testing::S3Server::kAccessKey);
        config.secretAccessKey = QStringLiteral("not-the-secret");
        auto kv = store(QStringLiteral("secret"), config);
        const QString message = errorOf([&] { kv->set(key("v"), pattern(10, 8)); });
        QCOMPARE(message,
                 QStringLiteral("s3://chunkscope-test/secret/v: PUT failed with HTTP 403 SignatureDoesNotMatch: The "
                                "request signature we calculated does not match the signature you provided. Check "
                                "your key and signing method."));
        QVERIFY(!message.contains(QStringLiteral("not-the-secret")));
        QVERIFY(!store(QStringLiteral("secret"))->getCopy(key("v")).has_value());
    }

    void plainHttpToARemoteHostIsRefusedBeforeAnyRequest()
    {
        S3Config config;
        config.endpoint = QStringLiteral("http://192.0.2.7:9000"); // TEST-NET-1: nothing answers there
        config.accessKeyId = QStringLiteral("key");
        config.secretAccessKey = QStringLiteral("secret");
        BoundLog requests;
        const QString message
            = errorOf([&] { S3KeyValue kv(S3Location::parse(QStringLiteral("s3://bucket/p")), config); });
        QCOMPARE(message,
                 QStringLiteral("endpoint http://192.0.2.7:9000 is plain HTTP to a host that is not loopback: requests "
                                "and data would cross the network unencrypted; use https, or set allow_http"));
        QCOMPARE(requests.log.count(), 0);
        config.allowHttp = true;
        S3KeyValue allowed(S3Location::parse(QStringLiteral("s3://bucket/p")), config);
        QCOMPARE(allowed.location(), QStringLiteral("s3://bucket/p/"));
        QCOMPARE(requests.log.count(), 0);
    }

    void pathsAndConfigurationsAreChecked()
    {
        const auto parseError = [](const QString &path) { return errorOf([&] { S3Location::parse(path); }); };
        QCOMPARE(parseError(QStringLiteral("s3://A_b/x")),
                 QStringLiteral("\"s3://A_b/x\" names no valid bucket: a bucket is 3 to 63 lower-case letters, "
                                "digits, dots and hyphens"));
        const S3Location plain = S3Location::parse(QStringLiteral("s3://my-bucket//arrays/a"));
        QCOMPARE(plain.bucket, QStringLiteral("my-bucket"));
        QCOMPARE(plain.prefix, QStringLiteral("arrays/a/"));
        QCOMPARE(S3Location::parse(QStringLiteral("s3://my-bucket")).prefix, QString());

        S3Config config;
        config.endpoint = QStringLiteral("ftp://host");
        config.accessKeyId = QStringLiteral("k");
        config.secretAccessKey = QStringLiteral("s");
        const QString message = errorOf([&] { config.resolved(); });
        QCOMPARE(message, QStringLiteral("endpoint \"ftp://host\" is not an http(s)://host[:port] address"));
        // Loopback needs no allow_http, and no endpoint means AWS's, over HTTPS.
        config.endpoint = QStringLiteral("http://localhost:9000/");
        QCOMPARE(config.resolved().endpoint, QStringLiteral("http://localhost:9000"));
        config.endpoint.clear();
        config.region = QStringLiteral("eu-west-3");
        qputenv("AWS_ENDPOINT_URL", QByteArray());
        QCOMPARE(config.resolved().endpoint, QStringLiteral("https://s3.eu-west-3.amazonaws.com"));
    }
};

QTEST_GUILESS_MAIN(TestS3KeyValue)
#include "tst_s3keyvalue.moc"
