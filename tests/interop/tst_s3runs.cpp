// `chunkscope run` with Zarr arrays at s3:// paths, against s3rver on loopback: copies memory → S3
// (v2 and v3) and S3 → memory, read back element by element; the objects in the bucket are the keys
// and bytes of the same array written to a directory; the results carry the requests; a wrong
// endpoint, a wrong secret and a missing bucket fail their runs with the array and the HTTP status
// while the next run goes on; overwrite deletes only a Zarr array's objects; and no output of any of
// these runs holds the secret or the session token.

#include "array/region.h"
#include "kv/s3keyvalue.h"
#include "s3server.h"
#include "scenario/scenarioparser.h"
#include "scenario/scenariowriter.h"
#include "stores/zarr/zarrstore.h"
#include "task/taskcontext.h"

#include <QDirIterator>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QTest>

#include <algorithm>
#include <vector>

using namespace cs;

namespace {

// JSON text written with single quotes, which stand for double quotes.
QByteArray q(const char *text)
{
    return QByteArray(text).replace('\'', '"');
}

const QString kBucket = QStringLiteral("chunkscope-runs");
const QByteArray kToken = "cs-session-token-Zx81/qLm+Vt3";
const QByteArray kWrongSecret = "wrong-secret-Qq9/Lp+4";

struct CliRun {
    int exitCode = -1;
    QByteArray out;
    QByteArray err;
};

QJsonObject readJson(const QString &file)
{
    QFile f(file);
    if (!f.open(QIODevice::ReadOnly))
        return {};
    return QJsonDocument::fromJson(f.readAll()).object();
}

QByteArray readAll(const QString &file)
{
    QFile f(file);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

bool writeFile(const QString &file, const QByteArray &bytes)
{
    QFile f(file);
    return f.open(QIODevice::WriteOnly | QIODevice::Truncate) && f.write(bytes) == bytes.size();
}

// Every file below `dir`, by its path relative to it, with its bytes.
QMap<QString, QByteArray> filesBelow(const QString &dir)
{
    QMap<QString, QByteArray> out;
    QDirIterator it(dir, QDir::Files | QDir::Hidden, QDirIterator::Subdirectories);
    while (it.hasNext()) {
        const QString file = it.next();
        out.insert(QDir(dir).relativeFilePath(file), readAll(file));
    }
    return out;
}

QJsonObject runNamed(const QJsonObject &results, const QString &name)
{
    for (const QJsonValue &run : results.value(QStringLiteral("runs")).toArray())
        if (run.toObject().value(QStringLiteral("name")).toString() == name)
            return run.toObject();
    return {};
}

int countMethod(const QJsonObject &run, const QString &method)
{
    int n = 0;
    for (const QJsonValue &r : run.value(QStringLiteral("requests")).toArray())
        n += r.toObject().value(QStringLiteral("method")).toString() == method ? 1 : 0;
    return n;
}

const QByteArray kSource
    = R"("a": {"store": "memory", "dtype": "<i4", "shape": [120, 70], "chunks": [50, 30], "fill": "arange"})";

const QByteArray kWriteScenario = R"({"chunkscope": 1, "name": "to s3", "arrays": {)" + kSource
    + q(","
        " 's2': {'store': 'zarr', 'like': 'a', 'fill': 'empty', 'path': 's3://chunkscope-runs/w/v2.zarr'},"
        " 's3': {'store': 'zarr', 'like': 'a', 'fill': 'empty', 'zarr_format': 3, 'path': "
        "'s3://chunkscope-runs/w/v3.zarr'},"
        " 'd2': {'store': 'zarr', 'like': 'a', 'fill': 'empty', 'path': 'd2.zarr'},"
        " 'd3': {'store': 'zarr', 'like': 'a', 'fill': 'empty', 'zarr_format': 3, 'path': 'd3.zarr'}},"
        " 'runs': [{'name': 'to s3 v2', 'source': 'a', 'target': 's2', 'workers': 2},"
        " {'name': 'to s3 v3', 'source': 'a', 'target': 's3', 'workers': 2},"
        " {'name': 'to dir v2', 'source': 'a', 'target': 'd2', 'workers': 2},"
        " {'name': 'to dir v3', 'source': 'a', 'target': 'd3', 'workers': 2}]}");

const QByteArray kReadScenario
    = q("{'chunkscope': 1, 'name': 'from s3', 'arrays': {"
        " 'r2': {'store': 'zarr', 'fill': 'existing', 'path': 's3://chunkscope-runs/w/v2.zarr'},"
        " 'r3': {'store': 'zarr', 'fill': 'existing', 'path': 's3://chunkscope-runs/w/v3.zarr'},"
        " 'm2': {'store': 'memory', 'dtype': '<i4', 'shape': [120, 70], 'chunks': [50, 30], 'fill': 'empty'},"
        " 'm3': {'store': 'memory', 'like': 'm2'}},"
        " 'runs': [{'name': 'from s3 v2', 'source': 'r2', 'target': 'm2', 'workers': 2},"
        " {'name': 'from s3 v3', 'source': 'r3', 'target': 'm3', 'workers': 2}]}");

const QByteArray kFailuresScenario = R"({"chunkscope": 1, "name": "failures", "arrays": {)" + kSource
    + q(","
        " 'unreachable': {'store': 'zarr', 'like': 'a', 'path': 's3://chunkscope-runs/e/1', 's3': {'endpoint': "
        "'http://127.0.0.1:1'}},"
        " 'forbidden': {'store': 'zarr', 'like': 'a', 'path': 's3://chunkscope-runs/e/2', 's3': {'profile': 'wrong'}},"
        " 'nobucket': {'store': 'zarr', 'like': 'a', 'path': 's3://no-such-bucket-cs/e/3'},"
        " 'cleartext': {'store': 'zarr', 'like': 'a', 'path': 's3://chunkscope-runs/e/4', 's3': {'endpoint': "
        "'http://s3.example.com'}},"
        " 'good': {'store': 'zarr', 'like': 'a', 'path': 's3://chunkscope-runs/e/5'}},"
        " 'runs': [{'name': 'unreachable', 'source': 'a', 'target': 'unreachable'},"
        " {'name': 'forbidden', 'source': 'a', 'target': 'forbidden'},"
        " {'name': 'no bucket', 'source': 'a', 'target': 'nobucket'},"
        " {'name': 'cleartext', 'source': 'a', 'target': 'cleartext'},"
        " {'name': 'after', 'source': 'a', 'target': 'good'}]}");

} // namespace

class TestS3Runs : public QObject {
    Q_OBJECT

    testing::S3Server m_server;
    QString m_serverError;
    QTemporaryDir m_dir;
    QList<CliRun> m_outputs; // every run's stdout and stderr, for the secrets test

    QProcessEnvironment environment() const
    {
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        for (const QString &name : env.keys())
            if (name.startsWith(QLatin1String("AWS_")))
                env.remove(name);
        env.insert(QStringLiteral("HOME"), m_dir.path()); // no ~/.aws of the machine's
        env.insert(QStringLiteral("AWS_ACCESS_KEY_ID"), QLatin1String(testing::S3Server::kOtherAccessKey));
        env.insert(QStringLiteral("AWS_SECRET_ACCESS_KEY"), QLatin1String(testing::S3Server::kOtherSecret));
        env.insert(QStringLiteral("AWS_SESSION_TOKEN"), QString::fromLatin1(kToken));
        env.insert(QStringLiteral("AWS_ENDPOINT_URL"), m_server.endpoint());
        env.insert(QStringLiteral("AWS_REGION"), QStringLiteral("us-east-1"));
        env.insert(QStringLiteral("AWS_SHARED_CREDENTIALS_FILE"), m_dir.filePath(QStringLiteral("credentials")));
        return env;
    }

    CliRun run(const QString &scenario, const QString &stem)
    {
        QProcess p;
        p.setProcessEnvironment(environment());
        p.setWorkingDirectory(m_dir.path());
        p.start(QStringLiteral(CHUNKSCOPE_BINARY),
                {QStringLiteral("run"), scenario, QStringLiteral("--json"),
                 m_dir.filePath(stem + QStringLiteral(".json")), QStringLiteral("--csv"),
                 m_dir.filePath(stem + QStringLiteral("-csv")), QStringLiteral("--trace"),
                 m_dir.filePath(stem + QStringLiteral(".trace.json"))});
        CliRun r;
        if (!p.waitForFinished(180000)) {
            p.kill();
            p.waitForFinished();
        }
        r.exitCode = p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -2;
        r.out = p.readAllStandardOutput();
        r.err = p.readAllStandardError();
        m_outputs.append(r);
        return r;
    }

    // Writes the scenario into the folder as `name`, runs it, and reads the results document it wrote.
    QJsonObject runScenario(const QByteArray &scenario, const QString &name, const QString &stem, CliRun *cli)
    {
        const QString file = m_dir.filePath(name);
        if (!writeFile(file, scenario))
            return {};
        *cli = run(file, stem);
        return readJson(m_dir.filePath(stem + QStringLiteral(".json")));
    }

    // The objects of the bucket under `prefix`, by key below it, with their bytes.
    QMap<QString, QByteArray> objectsBelow(const QString &prefix) const
    {
        const S3KeyValue kv(S3Location::parse(QStringLiteral("s3://%1/%2").arg(kBucket, prefix)), m_server.config());
        QMap<QString, QByteArray> out;
        for (const QString &key : kv.list())
            out.insert(key, kv.getCopy(KvKey(key.toUtf8())).value_or(QByteArray("missing")));
        return out;
    }

    ZarrOptions s3Options(const QString &prefix) const
    {
        ZarrOptions o;
        o.path = QStringLiteral("s3://%1/%2").arg(kBucket, prefix);
        o.s3.endpoint = m_server.endpoint();
        return o;
    }

private slots:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        m_serverError = m_server.start(kBucket);
        // The in-process stores of this test find their credentials as the runs do.
        qputenv("AWS_ACCESS_KEY_ID", testing::S3Server::kOtherAccessKey);
        qputenv("AWS_SECRET_ACCESS_KEY", testing::S3Server::kOtherSecret);
        qunsetenv("AWS_SESSION_TOKEN");
        qunsetenv("AWS_PROFILE");
        qunsetenv("AWS_ENDPOINT_URL");
        QVERIFY(writeFile(m_dir.filePath(QStringLiteral("credentials")),
                          "[wrong]\naws_access_key_id = " + QByteArray(testing::S3Server::kOtherAccessKey)
                              + "\naws_secret_access_key = " + kWrongSecret + "\n"));
    }

    void copiesToS3WriteTheKeysAndBytesOfADirectoryCopy()
    {
        QVERIFY2(m_serverError.isEmpty(), qPrintable(m_serverError));
        CliRun r;
        const QJsonObject res
            = runScenario(kWriteScenario, QStringLiteral("towrite.json"), QStringLiteral("writeres"), &r);
        QVERIFY2(r.exitCode == 0, r.err.constData());
        QVERIFY(!res.isEmpty());
        for (const QString &name : {QStringLiteral("to s3 v2"), QStringLiteral("to s3 v3")}) {
            const QJsonObject run = runNamed(res, name);
            QCOMPARE(run.value(QStringLiteral("status")).toString(), QStringLiteral("ok"));
            QCOMPARE(run.value(QStringLiteral("verified")), QJsonValue(true));
            // One PUT per chunk of the 3 × 3 grid, each answered 200.
            QCOMPARE(countMethod(run, QStringLiteral("PUT")), 9);
            for (const QJsonValue &req : run.value(QStringLiteral("requests")).toArray())
                QCOMPARE(req.toObject().value(QStringLiteral("status")).toInt(), 200);
            QCOMPARE(run.value(QStringLiteral("target")).toObject().value(QStringLiteral("chunks_initialized")).toInt(),
                     9);
        }
        QVERIFY(!runNamed(res, QStringLiteral("to dir v2")).contains(QStringLiteral("requests")));

        // The bucket holds exactly the keys and bytes the directory copies hold.
        for (const auto &[prefix, dir] : {std::pair{QStringLiteral("w/v2.zarr"), QStringLiteral("d2.zarr")},
                                          std::pair{QStringLiteral("w/v3.zarr"), QStringLiteral("d3.zarr")}}) {
            const QMap<QString, QByteArray> objects = objectsBelow(prefix);
            const QMap<QString, QByteArray> files = filesBelow(m_dir.filePath(dir));
            QCOMPARE(objects.keys(), files.keys());
            QVERIFY(objects.size() == 10); // the metadata and 9 chunks
            for (auto it = files.cbegin(); it != files.cend(); ++it)
                QVERIFY2(objects.value(it.key()) == it.value(), qPrintable(prefix + QLatin1Char('/') + it.key()));
        }
        QVERIFY(objectsBelow(QStringLiteral("w/v3.zarr")).contains(QStringLiteral("c/2/1")));
        QVERIFY(objectsBelow(QStringLiteral("w/v2.zarr")).contains(QStringLiteral("2.1")));
    }

    void copiesFromS3ReadEveryElement()
    {
        QVERIFY2(m_serverError.isEmpty(), qPrintable(m_serverError));
        CliRun r;
        const QJsonObject res
            = runScenario(kReadScenario, QStringLiteral("toread.json"), QStringLiteral("readres"), &r);
        QVERIFY2(r.exitCode == 0, r.err.constData());
        for (const QString &name : {QStringLiteral("from s3 v2"), QStringLiteral("from s3 v3")}) {
            const QJsonObject run = runNamed(res, name);
            QCOMPARE(run.value(QStringLiteral("status")).toString(), QStringLiteral("ok"));
            QCOMPARE(run.value(QStringLiteral("verified")), QJsonValue(true));
            QCOMPARE(countMethod(run, QStringLiteral("GET")), 9);
            QCOMPARE(countMethod(run, QStringLiteral("PUT")), 0);
        }

        // Independently of the run's own verification: the arrays in the bucket, read in this
        // process, hold 0, 1, 2, ... in C order.
        for (const QString &prefix : {QStringLiteral("w/v2.zarr"), QStringLiteral("w/v3.zarr")}) {
            StoreArray array;
            array.id = QStringLiteral("check");
            array.dtypeKnown = false;
            array.existing = true;
            const std::unique_ptr<Store> store = createZarrStore(s3Options(prefix), array);
            QCOMPARE(store->shape().toString(), QStringLiteral("[120, 70]"));
            std::vector<int32_t> values(120 * 70, -1);
            TaskContext ctx;
            store->read(Region::whole(store->shape()), values.data(), ctx);
            for (int32_t i = 0; i < int32_t(values.size()); ++i)
                QCOMPARE(values[size_t(i)], i);
        }
    }

    void failuresNameTheArrayAndTheStatusAndTheNextRunGoesOn()
    {
        QVERIFY2(m_serverError.isEmpty(), qPrintable(m_serverError));
        CliRun r;
        const QJsonObject res
            = runScenario(kFailuresScenario, QStringLiteral("failures.json"), QStringLiteral("failres"), &r);
        QCOMPARE(r.exitCode, 1);
        const auto error = [&](const QString &name) -> QString {
            const QJsonObject run = runNamed(res, name);
            return run.value(QStringLiteral("status")).toString() + QStringLiteral(": ")
                + run.value(QStringLiteral("error")).toString();
        };
        // libcurl says how long the refused connection took; that figure is the only part that varies.
        QCOMPARE(error(QStringLiteral("unreachable"))
                     .replace(QRegularExpression(QStringLiteral("after [0-9]+ ms")), QStringLiteral("after N ms")),
                 QStringLiteral("failed: array unreachable: s3://chunkscope-runs/e/1/: listing failed with no answer: "
                                "Failed to connect to 127.0.0.1 port 1 after N ms: Couldn't connect to server (after 5 "
                                "attempts)"));
        QCOMPARE(error(QStringLiteral("forbidden")),
                 QStringLiteral("failed: array forbidden: s3://chunkscope-runs/e/2/: listing failed with HTTP 403 "
                                "SignatureDoesNotMatch: The request signature we calculated does not match the "
                                "signature you provided. Check your key and signing method."));
        QCOMPARE(error(QStringLiteral("no bucket")),
                 QStringLiteral("failed: array nobucket: s3://no-such-bucket-cs/e/3/: listing failed with HTTP 404 "
                                "NoSuchBucket: The specified bucket does not exist"));
        QCOMPARE(error(QStringLiteral("cleartext")),
                 QStringLiteral("failed: array cleartext: endpoint http://s3.example.com is plain HTTP to a host that "
                                "is not loopback: requests and data would cross the network unencrypted; use https, "
                                "or set allow_http"));
        QCOMPARE(error(QStringLiteral("after")), QStringLiteral("ok: "));
        QCOMPARE(runNamed(res, QStringLiteral("after")).value(QStringLiteral("verified")), QJsonValue(true));
        // The summary on the terminal says it too.
        const QByteArray terminal = r.out + r.err;
        QVERIFY2(
            terminal.contains("forbidden: array forbidden: s3://chunkscope-runs/e/2/: listing failed with HTTP 403"),
            terminal.constData());
    }

    void overwriteDeletesOnlyAZarrArraysObjects()
    {
        QVERIFY2(m_serverError.isEmpty(), qPrintable(m_serverError));
        StoreArray array;
        array.id = QStringLiteral("z");
        array.dtype = DType::parse(QStringLiteral("<i4")).value();
        array.shape = {20, 20};
        array.chunks = {10, 10};
        const auto create = [&](const ZarrOptions &o) -> QString {
            try {
                std::unique_ptr<Store> store = createZarrStore(o, array);
                std::vector<int32_t> ones(400, 1);
                TaskContext ctx;
                store->write(Region::whole(store->shape()), ones.data(), ctx);
            } catch (const StoreError &e) {
                return e.message();
            }
            return QString();
        };
        ZarrOptions v2 = s3Options(QStringLiteral("o/arr"));
        QCOMPARE(create(v2), QString());
        QCOMPARE(objectsBelow(QStringLiteral("o/arr")).keys(),
                 QStringList({QStringLiteral(".zarray"), QStringLiteral("0.0"), QStringLiteral("0.1"),
                              QStringLiteral("1.0"), QStringLiteral("1.1")}));
        // Without "overwrite", what is there stays.
        QCOMPARE(create(v2),
                 QStringLiteral("array z: s3://chunkscope-runs/o/arr/ already exists (set \"overwrite\": "
                                "true to replace it)"));
        // With it, a v3 array replaces the v2 array's every object.
        array.overwrite = true;
        ZarrOptions v3 = v2;
        v3.zarrFormat = 3;
        QCOMPARE(create(v3), QString());
        QCOMPARE(objectsBelow(QStringLiteral("o/arr")).keys(),
                 QStringList({QStringLiteral("c/0/0"), QStringLiteral("c/0/1"), QStringLiteral("c/1/0"),
                              QStringLiteral("c/1/1"), QStringLiteral("zarr.json")}));

        // A user's object beside the array: nothing is deleted.
        S3KeyValue kv(S3Location::parse(QStringLiteral("s3://%1/o/arr").arg(kBucket)), m_server.config());
        kv.set(KvKey(QByteArrayLiteral("notes.txt")), QByteArray("mine"));
        QCOMPARE(create(v2),
                 QStringLiteral("array z: s3://chunkscope-runs/o/arr/ holds objects that are not a Zarr "
                                "array's (notes.txt); not removing any"));
        QCOMPARE(objectsBelow(QStringLiteral("o/arr")).size(), 6);
        // A prefix of other objects only is no Zarr array.
        S3KeyValue other(S3Location::parse(QStringLiteral("s3://%1/o/data").arg(kBucket)), m_server.config());
        other.set(KvKey(QByteArrayLiteral("table.csv")), QByteArray("1,2\n"));
        QCOMPARE(create(s3Options(QStringLiteral("o/data"))),
                 QStringLiteral("array z: s3://chunkscope-runs/o/data/ exists and is not a Zarr array (no .zarray); "
                                "not removing it"));
        QCOMPARE(objectsBelow(QStringLiteral("o/data")).keys(), QStringList({QStringLiteral("table.csv")}));
        // Nor is it an array to open.
        StoreArray existing;
        existing.id = QStringLiteral("e");
        existing.dtypeKnown = false;
        existing.existing = true;
        QString openError;
        try {
            createZarrStore(s3Options(QStringLiteral("o/data")), existing);
        } catch (const StoreError &e) {
            openError = e.message();
        }
        QCOMPARE(openError,
                 QStringLiteral("array e: s3://chunkscope-runs/o/data/ holds no Zarr array (no zarr.json or .zarray)"));
    }

    void noOutputHoldsASecret()
    {
        QVERIFY2(m_serverError.isEmpty(), qPrintable(m_serverError));
        QVERIFY(m_outputs.size() >= 3);
        QList<QPair<QString, QByteArray>> outputs;
        for (qsizetype i = 0; i < m_outputs.size(); ++i) {
            outputs.append({QStringLiteral("stdout %1").arg(i), m_outputs.at(i).out});
            outputs.append({QStringLiteral("stderr %1").arg(i), m_outputs.at(i).err});
        }
        // The results, CSV and trace files the runs wrote.
        const QMap<QString, QByteArray> files = filesBelow(m_dir.path());
        int written = 0;
        for (auto it = files.cbegin(); it != files.cend(); ++it) {
            if (it.key() == QLatin1String("credentials"))
                continue;
            if (it.key().contains(QLatin1String("res"))) {
                outputs.append({it.key(), it.value()});
                ++written;
            }
        }
        QVERIFY(written >= 9);
        // And every scenario saved again.
        for (const QString &name :
             {QStringLiteral("towrite.json"), QStringLiteral("toread.json"), QStringLiteral("failures.json")}) {
            QString error;
            const std::optional<Scenario> s = loadScenarioFile(m_dir.filePath(name), &error);
            QVERIFY2(s, qPrintable(error));
            outputs.append({QStringLiteral("saved ") + name, scenarioToJson(*s)});
        }
        // The failures' messages are among what is searched, so a secret in one would be found.
        QVERIFY(std::any_of(outputs.cbegin(), outputs.cend(),
                            [](const auto &o) { return o.second.contains("SignatureDoesNotMatch"); }));
        for (const auto &[what, bytes] : outputs) {
            QVERIFY2(!bytes.isEmpty() || what.startsWith(QLatin1String("std")), qPrintable(what));
            for (const QByteArray &secret : {QByteArray(testing::S3Server::kOtherSecret), kToken, kWrongSecret})
                QVERIFY2(!bytes.contains(secret), qPrintable(what + QStringLiteral(" holds a secret")));
        }
    }
};

QTEST_GUILESS_MAIN(TestS3Runs)
#include "tst_s3runs.moc"
