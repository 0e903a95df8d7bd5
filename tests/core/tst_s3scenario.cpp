// Zarr arrays at s3:// paths in a scenario, without a server: the path is kept as written, the "s3"
// object is read and saved without credentials, and two arrays on one bucket and prefix of one
// endpoint are refused however they are spelt.

#include "scenario/scenariowriter.h"
#include "scenario/storagecheck.h"
#include "scenario/storagelocation.h"
#include "scenariotext.h"
#include "stores/zarr/zarroptions.h"

#include <QTemporaryDir>
#include <QTest>
#include <QThread>

using namespace cs;

namespace {

// JSON text written with single quotes, which stand for double quotes.
QByteArray q(const char *text)
{
    return QByteArray(text).replace('\'', '"');
}

// The parse error of `json`, parsed from a scenario file in `baseDir`; empty when it parses.
QString parseError(const QByteArray &json, const QString &baseDir = QString())
{
    QString error;
    const std::optional<Scenario> s = parseScenario(json, QStringLiteral("t.json"), &error, baseDir);
    return s ? QString() : error;
}

QByteArray s3Array(const QByteArray &id, const QByteArray &path, const QByteArray &extra = QByteArray())
{
    return "\"" + id + "\": {\"store\": \"zarr\", \"like\": \"a1\", \"path\": \"" + path + "\"" + extra + "}";
}

// Sets an environment variable for the scope, and restores it.
struct ScopedEnv {
    QByteArray name;
    QByteArray old;
    bool had;
    ScopedEnv(const char *n, const QByteArray &value)
        : name(n)
        , old(qgetenv(n))
        , had(qEnvironmentVariableIsSet(n))
    {
        qputenv(n, value);
    }
    ~ScopedEnv()
    {
        if (had)
            qputenv(name.constData(), old);
        else
            qunsetenv(name.constData());
    }
};

} // namespace

class TestS3Scenario : public QObject {
    Q_OBJECT

private slots:
    void s3PathIsNotResolvedAgainstTheScenarioFolder()
    {
        const std::optional<Scenario> s
            = parseScenario(doc(A1 + ", " + s3Array("z", "s3://my-bucket/data/a.zarr")), QStringLiteral("t.json"),
                            nullptr, QStringLiteral("/home/user/scenarios"));
        QVERIFY(s);
        const ArraySpec &z = *s->array(QStringLiteral("z"));
        QCOMPARE(opt<ZarrOptions>(z).path, QStringLiteral("s3://my-bucket/data/a.zarr"));
        QVERIFY(isRemote(z));
        QVERIFY(!isRemote(*s->array(QStringLiteral("a1"))));
        // A local path still is.
        const std::optional<Scenario> local = parseScenario(doc(A1 + ", " + s3Array("z", "data/a.zarr")),
                                                            QStringLiteral("t.json"), nullptr, QStringLiteral("/srv"));
        QVERIFY(local);
        QCOMPARE(opt<ZarrOptions>(*local->array(QStringLiteral("z"))).path, QStringLiteral("/srv/data/a.zarr"));
    }

    void workersMayFarExceedTheCpusForObjectStorage()
    {
        // Each worker of a copy to S3 mostly waits on one request: 256 of them on a machine of a few
        // CPUs keep 256 requests in flight (tst_s3faults runs such a copy), and are not refused.
        const QByteArray runs = q("[{'name': 'wide', 'source': 'a1', 'target': 'z', 'workers': 256, 'lock': false}]");
        const std::optional<Scenario> s = parseScenario(doc(A1 + ", " + s3Array("z", "s3://my-bucket/w.zarr"), runs),
                                                        QStringLiteral("t.json"), nullptr);
        QVERIFY(s);
        QCOMPARE(s->runs.at(0).workers, 256);
        QVERIFY(QThread::idealThreadCount() < 256);
        QCOMPARE(
            parseError(doc(A1 + ", " + s3Array("z", "s3://my-bucket/w.zarr"), QByteArray(runs).replace("256", "1025"))),
            QStringLiteral("t.json: /runs/0/workers: must be an integer from 0 to 1024"));
    }

    void s3ObjectIsReadAndItsKeysChecked()
    {
        const std::optional<Scenario> s
            = parseOk(doc(A1 + ", "
                          + s3Array("z", "s3://my-bucket/p",
                                    q(", 's3': {'endpoint': 'http://127.0.0.1:9000', 'region': 'eu-west-1', 'profile': "
                                      "'lab', 'allow_http': true}"))));
        QVERIFY(s);
        const S3Config &c = opt<ZarrOptions>(*s->array(QStringLiteral("z"))).s3;
        QCOMPARE(c.endpoint, QStringLiteral("http://127.0.0.1:9000"));
        QCOMPARE(c.region, QStringLiteral("eu-west-1"));
        QCOMPARE(c.profile, QStringLiteral("lab"));
        QVERIFY(c.allowHttp);

        const QByteArray typo = R"(, "s3": {"endpont": "x"})";
        const QByteArray notBool = R"(, "s3": {"allow_http": "yes"})";
        const QByteArray region = R"(, "s3": {"region": "eu-west-1"})";
        QCOMPARE(parseError(doc(A1 + ", " + s3Array("z", "s3://my-bucket/p", typo))),
                 QStringLiteral("t.json: /arrays/z/s3/endpont: unknown key \"endpont\"; did you mean \"endpoint\"?"));
        QCOMPARE(parseError(doc(A1 + ", " + s3Array("z", "s3://my-bucket/p", notBool))),
                 QStringLiteral("t.json: /arrays/z/s3/allow_http: must be true or false"));
        QCOMPARE(
            parseError(doc(A1 + ", " + s3Array("z", "dir.zarr", R"(, "s3": {"region": "eu-west-1"})"))),
            QStringLiteral("t.json: /arrays/z/s3: only an array whose \"path\" is s3://bucket/prefix takes \"s3\""));
        QCOMPARE(parseError(doc(A1 + ", " + s3Array("z", "s3://No_Bucket/p"))),
                 QStringLiteral("t.json: /arrays/z/path: \"s3://No_Bucket/p\" names no valid bucket: a bucket is 3 to "
                                "63 lower-case letters, digits, dots and hyphens"));
    }

    void credentialsAreRefusedInAScenario_data()
    {
        QTest::addColumn<QString>("key");
        QTest::newRow("secret") << QStringLiteral("secret_access_key");
        QTest::newRow("access key") << QStringLiteral("access_key_id");
        QTest::newRow("token") << QStringLiteral("session_token");
        QTest::newRow("aws spelling") << QStringLiteral("aws_secret_access_key");
    }

    void credentialsAreRefusedInAScenario()
    {
        QFETCH(QString, key);
        const QByteArray extra = ", \"s3\": {\"" + key.toUtf8() + "\": \"hunter2\"}";
        const QString error = parseError(doc(A1 + ", " + s3Array("z", "s3://my-bucket/p", extra)));
        QCOMPARE(error,
                 QStringLiteral("t.json: /arrays/z/s3/%1: credentials are never kept in a scenario: set "
                                "AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY and AWS_SESSION_TOKEN, or name a \"profile\" "
                                "of the shared credentials file")
                     .arg(key));
        QVERIFY(!error.contains(QLatin1String("hunter2")));
    }

    void endpointWithAPasswordIsRefusedUnnamed()
    {
        S3Config c;
        c.endpoint = QStringLiteral("https://user:pw-Secret-77@s3.example.com");
        c.accessKeyId = QStringLiteral("id");
        c.secretAccessKey = QStringLiteral("key");
        QString error;
        try {
            c.resolved();
        } catch (const StoreError &e) {
            error = e.message();
        }
        QCOMPARE(error,
                 QStringLiteral("the endpoint holds credentials (user:password@host); give them through "
                                "AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY instead"));
    }

    void savedScenarioKeepsTheS3ObjectAndNoCredential()
    {
        const ScopedEnv secret("AWS_SECRET_ACCESS_KEY", "env-secret-never-saved");
        const ScopedEnv id("AWS_ACCESS_KEY_ID", "env-key-id");
        std::optional<Scenario> s = parseOk(doc(
            A1 + ", " + s3Array("z", "s3://my-bucket/p", R"(, "s3": {"region": "eu-west-1", "allow_http": true})")));
        QVERIFY(s);
        // Even credentials set on the options in code are not written.
        ZarrOptions &o = *std::any_cast<ZarrOptions>(&s->arrays[1].options);
        o.s3.secretAccessKey = QStringLiteral("code-secret-never-saved");
        o.s3.sessionToken = QStringLiteral("code-token-never-saved");
        const QByteArray saved = scenarioToJson(*s);
        const QByteArray path = q("'path': 's3://my-bucket/p'");
        const QByteArray object = R"("s3": {"allow_http": true, "region": "eu-west-1"})";
        QVERIFY2(saved.contains(path), saved.constData());
        QVERIFY2(saved.contains(object), saved.constData());
        for (const char *secretText : {"never-saved", "env-key-id"})
            QVERIFY2(!saved.contains(secretText), saved.constData());
        // And it reads back as it was.
        const std::optional<Scenario> again = parseOk(saved);
        QVERIFY(again);
        QCOMPARE(opt<ZarrOptions>(*again->array(QStringLiteral("z"))).s3.region, QStringLiteral("eu-west-1"));
        QVERIFY(opt<ZarrOptions>(*again->array(QStringLiteral("z"))).s3.allowHttp);
    }

    void likeTakesNoLocation()
    {
        const std::optional<Scenario> s
            = parseOk(doc(A1 + ", " + s3Array("z", "s3://my-bucket/p", R"(, "s3": {"region": "eu-west-1"})")
                          + R"(, "y": {"store": "zarr", "like": "z"})"));
        QVERIFY(s);
        const ZarrOptions &y = opt<ZarrOptions>(*s->array(QStringLiteral("y")));
        QVERIFY(y.path.isEmpty());
        QVERIFY(y.s3.region.isEmpty());
    }

    void oneBucketAndPrefixOfOneEndpointIsOneLocation_data()
    {
        QTest::addColumn<QByteArray>("first");
        QTest::addColumn<QByteArray>("second");
        QTest::addColumn<QString>("error");
        const QString same = QStringLiteral("t.json: /arrays/w/path: the same location as /arrays/z");
        const QByteArray local = q(", 's3': {'endpoint': 'http://127.0.0.1:9000'}");
        QTest::newRow("trailing slash") << s3Array("z", "s3://bkt/p", local) << s3Array("w", "s3://bkt/p/", local)
                                        << same;
        QTest::newRow("endpoint spelt otherwise")
            << s3Array("z", "s3://bkt/p", local)
            << s3Array("w", "s3://bkt/p", q(", 's3': {'endpoint': 'HTTP://127.0.0.1:9000/'}")) << same;
        QTest::newRow("endpoint from the environment")
            << s3Array("z", "s3://bkt/p", local) << s3Array("w", "s3://bkt/p") << same;
        QTest::newRow("inside") << s3Array("z", "s3://bkt/p", local) << s3Array("w", "s3://bkt/p/inner", local)
                                << QStringLiteral("t.json: /arrays/w/path: inside the location of /arrays/z");
        QTest::newRow("holds") << s3Array("z", "s3://bkt/p/inner", local) << s3Array("w", "s3://bkt/p", local)
                               << QStringLiteral("t.json: /arrays/w/path: holds the location of /arrays/z");
        QTest::newRow("other endpoint") << s3Array(
            "z", "s3://bkt/p", local) << s3Array("w", "s3://bkt/p", q(", 's3': {'endpoint': 'http://127.0.0.1:9001'}"))
                                        << QString();
        QTest::newRow("other bucket") << s3Array("z", "s3://bkt/p", local) << s3Array("w", "s3://bkt2/p", local)
                                      << QString();
        QTest::newRow("prefix that only starts alike")
            << s3Array("z", "s3://bkt/p", local) << s3Array("w", "s3://bkt/p2", local) << QString();
    }

    void oneBucketAndPrefixOfOneEndpointIsOneLocation()
    {
        QFETCH(QByteArray, first);
        QFETCH(QByteArray, second);
        QFETCH(QString, error);
        const ScopedEnv endpoint("AWS_ENDPOINT_URL", "http://127.0.0.1:9000");
        const QByteArray runs
            = R"([{"name": "r1", "source": "a1", "target": "z"}, {"name": "r2", "source": "a1", "target": "w"}])";
        QCOMPARE(parseError(doc(A1 + ", " + first + ", " + second, runs)), error);
    }

    void s3ArrayIsNeverALocalPath()
    {
        // A directory named like the bucket beside the scenario is another place, and an "existing"
        // fill is not looked for on disk (the server is asked when the store opens).
        QTemporaryDir dir;
        QVERIFY(QDir(dir.path()).mkpath(QStringLiteral("s3:/bkt/p")));
        const QByteArray arrays = A1 + ", " + s3Array("z", "s3://bkt/p", R"(, "fill": "existing")") + ", "
            + R"("d": {"store": "zarr", "like": "a1", "path": "s3:/bkt/p"})";
        const QByteArray runs = R"([{"name": "r", "source": "z", "target": "d"}])";
        QCOMPARE(parseError(doc(arrays, runs), dir.path()), QString());
        // The same "existing" fill at a local path that is not there is refused before anything runs.
        const QByteArray missing
            = A1 + ", " + R"("d": {"store": "zarr", "like": "a1", "path": "nowhere", "fill": "existing"})";
        QCOMPARE(parseError(doc(missing), dir.path()),
                 QStringLiteral("t.json: /arrays/d/path: %1/nowhere does not exist").arg(dir.path()));
    }
};

QTEST_GUILESS_MAIN(TestS3Scenario)
#include "tst_s3scenario.moc"
