// `chunkscope run` with Zarr arrays at s3:// paths, against s3rver on loopback: copies memory → S3
// (v2 and v3), S3 → memory and S3 → S3 (into and out of a sharded v3 array), read back element by
// element, the S3 → S3 copies by zarrita over HTTP; the objects in the bucket are the keys
// and bytes of the same array written to a directory; the results carry the requests; a wrong
// endpoint, a wrong secret and a missing bucket fail their runs with the array and the HTTP status
// while the next run goes on; overwrite deletes only a Zarr array's objects; and no output of any of
// these runs holds the secret or the session token.

#include "array/region.h"
#include "kv/s3keyvalue.h"
#include "s3cli.h"
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
using namespace cs::testing;

namespace {

const QString kBucket = QStringLiteral("chunkscope-runs");

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

// Zarr v3 shards of 40 x 36 in inner chunks of 20 x 12 (edge shards and inner chunks on the second axis),
// zstd inside and the index, with its checksum, at the end, as zarr-python writes them.
const QByteArray kShardedArray = q("{'store': 'zarr', 'zarr_format': 3, 'dtype': '<i4', 'shape': [120, 70], "
                                   "'chunks': [40, 36], 'codecs': [{'name': 'sharding_indexed', 'configuration': "
                                   "{'chunk_shape': [20, 12], 'codecs': [{'name': 'bytes', 'configuration': "
                                   "{'endian': 'little'}}, {'name': 'zstd', 'configuration': {'level': 1, "
                                   "'checksum': false}}], 'index_codecs': [{'name': 'bytes', 'configuration': "
                                   "{'endian': 'little'}}, {'name': 'crc32c'}], 'index_location': 'end'}}]");

// S3 → S3: the v2 array written above into a sharded v3 array, whole shards per task.
const QByteArray kToShardedScenario
    = q("{'chunkscope': 1, 'name': 's3 to s3', 'arrays': {"
        " 'r2': {'store': 'zarr', 'fill': 'existing', 'path': 's3://chunkscope-runs/w/v2.zarr'},"
        " 'sh': ")
    + kShardedArray
    + q(", 'fill': 'empty', 'path': 's3://chunkscope-runs/x/sharded.zarr'}},"
        " 'runs': [{'name': 'v2 to sharded', 'source': 'r2', 'target': 'sh', 'chunks': [40, 36], 'workers': 2}]}");

// The sharded array as a source: into a v2 array on S3 in chunks that cut across shards, and into memory.
const QByteArray kFromShardedScenario
    = q("{'chunkscope': 1, 'name': 'sharded s3', 'arrays': {"
        " 'sh': {'store': 'zarr', 'fill': 'existing', 'path': 's3://chunkscope-runs/x/sharded.zarr'},"
        " 't2': {'store': 'zarr', 'dtype': '<i4', 'shape': [120, 70], 'chunks': [50, 30], 'fill': 'empty', "
        "'path': 's3://chunkscope-runs/x/v2.zarr'},"
        " 'm': {'store': 'memory', 'dtype': '<i4', 'shape': [120, 70], 'chunks': [40, 36], 'fill': 'empty'}},"
        " 'runs': [{'name': 'sharded to v2', 'source': 'sh', 'target': 't2', 'workers': 2},"
        " {'name': 'sharded to memory', 'source': 'sh', 'target': 'm', 'workers': 2}]}");

} // namespace

class TestS3Runs : public QObject {
    Q_OBJECT

    S3Server m_server;
    QString m_serverError;
    QTemporaryDir m_dir;
    std::unique_ptr<S3Cli> m_cli;

    QJsonObject runScenario(const QByteArray &scenario, const QString &name, const QString &stem, CliRun *cli)
    {
        return m_cli->runScenario(scenario, name, stem, cli);
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
        m_cli = std::make_unique<S3Cli>(m_dir, m_server.endpoint());
        // The in-process stores of this test find their credentials as the runs do.
        qputenv("AWS_ACCESS_KEY_ID", testing::S3Server::kOtherAccessKey);
        qputenv("AWS_SECRET_ACCESS_KEY", testing::S3Server::kOtherSecret);
        qunsetenv("AWS_SESSION_TOKEN");
        qunsetenv("AWS_PROFILE");
        qunsetenv("AWS_ENDPOINT_URL");
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

    void copiesBetweenS3ArraysShardedOrNotKeepEveryElement()
    {
        QVERIFY2(m_serverError.isEmpty(), qPrintable(m_serverError));
        CliRun r;
        QJsonObject res
            = runScenario(kToShardedScenario, QStringLiteral("tosharded.json"), QStringLiteral("shardres"), &r);
        QVERIFY2(r.exitCode == 0, r.err.constData());
        QJsonObject run = runNamed(res, QStringLiteral("v2 to sharded"));
        QCOMPARE(run.value(QStringLiteral("status")).toString(), QStringLiteral("ok"));
        QCOMPARE(run.value(QStringLiteral("verified")), QJsonValue(true));
        // Each of the 3 x 2 tasks writes its whole shard in one PUT, from the source's chunks it covers.
        QCOMPARE(countMethod(run, QStringLiteral("PUT")), 6);
        QVERIFY(countMethod(run, QStringLiteral("GET")) >= 6);
        QCOMPARE(objectsBelow(QStringLiteral("x/sharded.zarr")).keys(),
                 QStringList({QStringLiteral("c/0/0"), QStringLiteral("c/0/1"), QStringLiteral("c/1/0"),
                              QStringLiteral("c/1/1"), QStringLiteral("c/2/0"), QStringLiteral("c/2/1"),
                              QStringLiteral("zarr.json")}));

        res = runScenario(kFromShardedScenario, QStringLiteral("fromsharded.json"), QStringLiteral("fromshardres"), &r);
        QVERIFY2(r.exitCode == 0, r.err.constData());
        for (const QString &name : {QStringLiteral("sharded to v2"), QStringLiteral("sharded to memory")}) {
            run = runNamed(res, name);
            QCOMPARE(run.value(QStringLiteral("status")).toString(), QStringLiteral("ok"));
            QCOMPARE(run.value(QStringLiteral("verified")), QJsonValue(true));
        }
        // The target's 50 x 30 chunks cut across the 40 x 36 tasks: each task writes a part of every
        // chunk it meets (5 rows of chunks met, over the tasks, times 4 columns), reading the rest back.
        QCOMPARE(countMethod(runNamed(res, QStringLiteral("sharded to v2")), QStringLiteral("PUT")), 20);

        // An independent client reads both arrays over HTTP, straight from the server: zarrita's
        // FetchStore, with a ranged GET per shard index and inner chunk. They hold 0, 1, 2, ... in C order.
        QVERIFY2(QFileInfo::exists(zarritaDir() + QStringLiteral("/node_modules/zarrita/package.json")),
                 "zarrita is not installed: run npm ci in tests/interop/zarrita");
        for (const QString &prefix : {QStringLiteral("x/sharded.zarr"), QStringLiteral("x/v2.zarr")}) {
            QByteArray output;
            const QString url = QStringLiteral("http://127.0.0.1:%1/%2/%3").arg(m_server.port()).arg(kBucket, prefix);
            QVERIFY2(runZarrita({zarritaDir() + QStringLiteral("/read.mjs"), url}, &output), output.constData());
            const QJsonObject read = QJsonDocument::fromJson(output).object();
            QCOMPARE(read.value(QStringLiteral("shape")).toArray(), QJsonArray({120, 70}));
            QCOMPARE(read.value(QStringLiteral("data_type")).toString(), QStringLiteral("int32"));
            const QJsonArray values = read.value(QStringLiteral("values")).toArray();
            QCOMPARE(values.size(), 120 * 70);
            for (int i = 0; i < int(values.size()); ++i)
                QCOMPARE(values.at(i).toInt(-1), i);
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
        QString error;
        const QList<QPair<QString, QByteArray>> outputs = m_cli->outputs(&error);
        QVERIFY2(!outputs.isEmpty(), qPrintable(error));
        // The results, CSV and trace files of every run, and the failures' messages among them, so that
        // a secret in one would be found.
        QVERIFY(std::count_if(outputs.cbegin(), outputs.cend(),
                              [](const auto &o) { return o.first.contains(QLatin1String("res")); })
                >= 9);
        QVERIFY(std::any_of(outputs.cbegin(), outputs.cend(),
                            [](const auto &o) { return o.second.contains("SignatureDoesNotMatch"); }));
        for (const auto &[what, bytes] : outputs) {
            QVERIFY2(!bytes.isEmpty() || what.startsWith(QLatin1String("std")), qPrintable(what));
            for (const QByteArray &secret : S3Cli::secrets())
                QVERIFY2(!bytes.contains(secret), qPrintable(what + QStringLiteral(" holds a secret")));
        }
    }
};

QTEST_GUILESS_MAIN(TestS3Runs)
#include "tst_s3runs.moc"
