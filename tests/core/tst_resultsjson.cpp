#include "results/resultsjson.h"

#include <QElapsedTimer>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QTest>

#include <cmath>

using namespace cs;

namespace {

Coords coords(std::initializer_list<int64_t> values)
{
    return Coords::fromVector(std::vector<int64_t>(values));
}

StoreInfo storeInfo(const QString &id, int64_t stored, int64_t initialized)
{
    StoreInfo s;
    s.id = id;
    s.store = QStringLiteral("zarr");
    s.dtype = DType(DType::Kind::Int, 4, true);
    s.shape = coords({7, 8});
    s.chunks = coords({3, 4});
    s.nbytes = 224;
    s.nbytesStored = stored;
    s.chunksInitialized = initialized;
    s.chunksTotal = 6;
    s.codec = QStringLiteral("blosc(cname=lz4, clevel=5, shuffle=1)");
    s.location = QStringLiteral("/tmp/%1.zarr").arg(id);
    return s;
}

// A failed, swept, profiled 2-D run with every optional field set.
RunResult richRun()
{
    RunResult r;
    r.name = QStringLiteral("zarr sweep [workers=2 lock=io chunks=3x4]");
    r.repeatIndex = 1;
    r.status = RunResult::Status::Failed;
    r.error = QStringLiteral("array z2, chunk [1, 0]: \"disk\" full\n\tsecond line \u00e9");
    r.workers = 2;
    r.lock = LockMode::Io;
    r.chunks = coords({3, 4});
    r.shape = coords({7, 8});
    r.tasks = 6;
    r.bytes = 224;
    r.wallSeconds = 0.000123456789;
    r.cpuMeanPercent = 181.25;
    r.peakRssBytes = 3300000000;
    r.verified = false;
    r.verifyMessage = QStringLiteral("first difference at [0, 1]");
    r.hdf5Path = QStringLiteral("direct");
    SweepInfo sweep;
    sweep.of = QStringLiteral("zarr sweep");
    sweep.values = QJsonObject{{QStringLiteral("workers"), 2},
                               {QStringLiteral("lock"), QStringLiteral("io")},
                               {QStringLiteral("chunks"), QJsonArray{3, 4}}};
    r.sweep = sweep;
    r.source = storeInfo(QStringLiteral("z1"), 100, 6);
    r.target = storeInfo(QStringLiteral("z2"), 0, 0); // nothing stored: an infinite ratio
    r.sourceBefore = storeInfo(QStringLiteral("z1"), 100, 6);
    r.targetBefore = storeInfo(QStringLiteral("z2"), 0, 0);
    for (int64_t t = 0; t < 6; ++t) {
        TaskEvent e;
        e.task = t;
        e.worker = int32_t(t % 2);
        e.startNs = t * 1000003 + 17;
        e.endNs = t == 5 ? 0 : e.startNs + 999999937 + 123456789012 * t; // task 5 still running
        e.bytes = 48;
        for (int p = 0; p < kPhaseCount; ++p)
            e.phaseNs[size_t(p)] = (p + 1) * t + int64_t(987654321) * p;
        if (t != 5) {
            e.usage.cpuNs = 123456789 * t + 7;
            e.usage.runqNs = t == 3 ? -1 : 3456789 * t + 1; // -1: a kernel without schedstat
            e.usage.volCs = int32_t(t);
            e.usage.involCs = int32_t(2 * t + 1);
            e.usage.minflt = int32_t(1024 * t + 3);
        }
        r.events.push_back(e);
    }
    for (int64_t i = 0; i < 3; ++i) {
        ResourceSample s;
        s.tNs = 20000000 * i + 1;
        s.cpuPercent = 195.5 + double(i) / 3;
        s.rssBytes = 3290000000 + i;
        s.inflightBytes = 8388608 * i;
        s.minorFaultsPerSec = 1234.5 * double(i);
        if (i > 0) {
            s.machineCpuPercent = 150.25 + double(i);
            s.loadAverage = 2.5 * double(i);
            s.uiCpuPercent = 2.25 * double(i); // the window's own CPU, when a window watched the run
        }
        if (i == 1) { // a run on object storage counts its requests and the wire
            s.requestsInFlight = 3;
            s.wireBytesPerSec = 1048576.5;
        }
        r.samples.push_back(s);
    }
    return r;
}

// The contract example's run, not profiled and without verification.
RunResult plainRun()
{
    RunResult r;
    r.name = QStringLiteral("numpy, lock");
    r.workers = 2;
    r.chunks = coords({1048576});
    r.shape = coords({400000000});
    r.tasks = 382;
    r.bytes = 1600000000;
    r.wallSeconds = 0.152;
    r.cpuMeanPercent = 181.0;
    r.peakRssBytes = 3300000000;
    r.profiled = false;
    StoreInfo s;
    s.id = QStringLiteral("a1");
    s.store = QStringLiteral("memory");
    s.dtype = DType(DType::Kind::Int, 4);
    s.shape = r.shape;
    s.chunks = r.chunks;
    s.nbytes = s.nbytesStored = 1600000000;
    s.chunksInitialized = s.chunksTotal = 382;
    s.codec = QStringLiteral("none");
    r.source = s;
    s.id = QStringLiteral("a2");
    r.target = s;
    return r;
}

HostInfo host()
{
    HostInfo h;
    h.logicalCpus = 2;
    h.memoryBytes = 25769803776;
    h.availableMemoryBytes = 20000000000;
    h.os = QStringLiteral("Linux 6.1");
    return h;
}

void compareInfo(const StoreInfo &a, const StoreInfo &b)
{
    QCOMPARE(a.id, b.id);
    QCOMPARE(a.store, b.store);
    QCOMPARE(a.dtype, b.dtype);
    QCOMPARE(a.shape, b.shape);
    QCOMPARE(a.chunks, b.chunks);
    QCOMPARE(a.nbytes, b.nbytes);
    QCOMPARE(a.nbytesStored, b.nbytesStored);
    QCOMPARE(a.chunksInitialized, b.chunksInitialized);
    QCOMPARE(a.chunksTotal, b.chunksTotal);
    QCOMPARE(a.codec, b.codec);
    QCOMPARE(a.location, b.location);
}

void compareRuns(const RunResult &a, const RunResult &b)
{
    QCOMPARE(a.name, b.name);
    QCOMPARE(a.repeatIndex, b.repeatIndex);
    QCOMPARE(a.status, b.status);
    QCOMPARE(a.error, b.error);
    QCOMPARE(a.workers, b.workers);
    QCOMPARE(a.lock, b.lock);
    QCOMPARE(a.chunks, b.chunks);
    QCOMPARE(a.shape, b.shape);
    QCOMPARE(a.tasks, b.tasks);
    QCOMPARE(a.bytes, b.bytes);
    QCOMPARE(a.wallSeconds, b.wallSeconds); // exact: the shortest text reads back as the same double
    QCOMPARE(a.cpuMeanPercent, b.cpuMeanPercent);
    QCOMPARE(a.peakRssBytes, b.peakRssBytes);
    QCOMPARE(a.verified, b.verified);
    QCOMPARE(a.verifyMessage, b.verifyMessage);
    QCOMPARE(a.profiled, b.profiled);
    QCOMPARE(a.hdf5Path, b.hdf5Path);
    QCOMPARE(a.sweep.has_value(), b.sweep.has_value());
    if (a.sweep) {
        QCOMPARE(a.sweep->of, b.sweep->of);
        QCOMPARE(a.sweep->values, b.sweep->values);
    }
    for (const auto &[x, y] :
         {std::pair(&a.source, &b.source), std::pair(&a.target, &b.target), std::pair(&a.sourceBefore, &b.sourceBefore),
          std::pair(&a.targetBefore, &b.targetBefore)}) {
        compareInfo(*x, *y);
        if (QTest::currentTestFailed())
            return;
    }
    QCOMPARE(a.events.size(), b.events.size());
    for (size_t i = 0; i < a.events.size(); ++i) {
        const TaskEvent &x = a.events[i];
        const TaskEvent &y = b.events[i];
        QCOMPARE(x.task, y.task);
        QCOMPARE(x.worker, y.worker);
        QCOMPARE(x.startNs, y.startNs);
        QCOMPARE(x.endNs, y.endNs);
        QCOMPARE(x.bytes, y.bytes);
        QVERIFY(x.phaseNs == y.phaseNs);
        QCOMPARE(x.usage.cpuNs, y.usage.cpuNs);
        QCOMPARE(x.usage.runqNs, y.usage.runqNs);
        QCOMPARE(x.usage.volCs, y.usage.volCs);
        QCOMPARE(x.usage.involCs, y.usage.involCs);
        QCOMPARE(x.usage.minflt, y.usage.minflt);
    }
    QCOMPARE(a.samples.size(), b.samples.size());
    for (size_t i = 0; i < a.samples.size(); ++i) {
        QCOMPARE(a.samples[i].tNs, b.samples[i].tNs);
        QCOMPARE(a.samples[i].cpuPercent, b.samples[i].cpuPercent);
        QCOMPARE(a.samples[i].rssBytes, b.samples[i].rssBytes);
        QCOMPARE(a.samples[i].inflightBytes, b.samples[i].inflightBytes);
        QCOMPARE(a.samples[i].minorFaultsPerSec, b.samples[i].minorFaultsPerSec);
        QCOMPARE(a.samples[i].machineCpuPercent, b.samples[i].machineCpuPercent);
        QCOMPARE(a.samples[i].loadAverage, b.samples[i].loadAverage);
        QCOMPARE(a.samples[i].uiCpuPercent, b.samples[i].uiCpuPercent);
        QCOMPARE(a.samples[i].requestsInFlight, b.samples[i].requestsInFlight);
        QCOMPARE(a.samples[i].wireBytesPerSec, b.samples[i].wireBytesPerSec);
    }
}

void requireKeys(const QJsonObject &o, const QStringList &keys, const char *where)
{
    for (const QString &k : keys)
        QVERIFY2(o.contains(k), qPrintable(QStringLiteral("%1 lacks \"%2\"").arg(QLatin1String(where), k)));
}

QStringList words(const char *text)
{
    return QString::fromLatin1(text).split(QLatin1Char(' '));
}

} // namespace

class TestResultsJson : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void roundTrip()
    {
        const QList<RunResult> runs{richRun(), plainRun()};
        QString error;
        const auto doc = parseResults(resultsToJson(QStringLiteral("NumPy and Zarr copies"), host(), runs),
                                      QStringLiteral("r.json"), &error);
        QVERIFY2(doc, qPrintable(error));
        QCOMPARE(doc->scenario, QStringLiteral("NumPy and Zarr copies"));
        QCOMPARE(doc->host.logicalCpus, 2);
        QCOMPARE(doc->host.memoryBytes, int64_t(25769803776));
        QCOMPARE(doc->host.availableMemoryBytes, int64_t(20000000000));
        QCOMPARE(doc->host.os, QStringLiteral("Linux 6.1"));
        QCOMPARE(doc->runs.size(), 2);
        compareRuns(doc->runs.at(0), runs.at(0));
        if (QTest::currentTestFailed())
            return;
        compareRuns(doc->runs.at(1), runs.at(1));

        // The window's share is written only for samples that measured it.
        const QJsonArray samples = QJsonDocument::fromJson(resultsToJson(QStringLiteral("s"), host(), runs))
                                       .object()
                                       .value(QStringLiteral("runs"))
                                       .toArray()
                                       .at(0)
                                       .toObject()
                                       .value(QStringLiteral("samples"))
                                       .toArray();
        QVERIFY(!samples.at(0).toObject().contains(QStringLiteral("ui_cpu_percent")));
        QCOMPARE(samples.at(2).toObject().value(QStringLiteral("ui_cpu_percent")).toDouble(), 4.5);
        // The wire's figures likewise, only where a run on object storage counted them.
        for (int i : {0, 2}) {
            QVERIFY(!samples.at(i).toObject().contains(QStringLiteral("requests_in_flight")));
            QVERIFY(!samples.at(i).toObject().contains(QStringLiteral("wire_bytes_per_sec")));
        }
        QCOMPARE(samples.at(1).toObject().value(QStringLiteral("requests_in_flight")), QJsonValue(3));
        QCOMPARE(samples.at(1).toObject().value(QStringLiteral("wire_bytes_per_sec")), QJsonValue(1048576.5));
    }

    void fileRoundTrip()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("results.json"));
        QString error;
        QVERIFY2(writeResultsFile(path, QStringLiteral("s"), host(), {plainRun(), richRun()}, &error),
                 qPrintable(error));
        const auto doc = readResultsFile(path, &error);
        QVERIFY2(doc, qPrintable(error));
        QCOMPARE(doc->runs.size(), 2);
        compareRuns(doc->runs.at(1), richRun());
        QVERIFY(!writeResultsFile(QStringLiteral("/nonexistent/r.json"), QStringLiteral("s"), host(), {}, &error));
        QVERIFY(error.startsWith(QStringLiteral("/nonexistent/r.json: cannot write: ")));
        QVERIFY(!readResultsFile(QStringLiteral("/nonexistent/r.json"), &error));
        QCOMPARE(error, QStringLiteral("/nonexistent/r.json: cannot open: No such file or directory"));
    }

    void contractKeys()
    {
        const QByteArray text = resultsToJson(QStringLiteral("s"), host(), {plainRun(), richRun()});
        QJsonParseError parseError;
        const QJsonObject root = QJsonDocument::fromJson(text, &parseError).object();
        QCOMPARE(parseError.error, QJsonParseError::NoError);
        requireKeys(root, words("chunkscope_results scenario host runs"), "document");
        QCOMPARE(root.value(QStringLiteral("chunkscope_results")), QJsonValue(1));
        requireKeys(root.value(QStringLiteral("host")).toObject(), words("logical_cpus memory_bytes os"), "host");
        const QJsonArray runs = root.value(QStringLiteral("runs")).toArray();
        QCOMPARE(runs.size(), 2);
        const QStringList runKeys = words("name repeat_index status error workers lock chunks tasks bytes wall_s "
                                          "throughput_gbps cpu_mean_percent peak_rss_bytes verified source target "
                                          "task_events samples");
        const QStringList infoKeys = words("id store dtype shape chunks nbytes nbytes_stored ratio chunks_initialized "
                                           "chunks_total codec");
        for (const QJsonValue &run : runs) {
            requireKeys(run.toObject(), runKeys, "run");
            requireKeys(run[QStringLiteral("source")].toObject(), infoKeys, "source");
            requireKeys(run[QStringLiteral("target")].toObject(), infoKeys, "target");
        }

        // The contract's example run, value for value.
        const QJsonObject plain = runs.at(0).toObject();
        QCOMPARE(plain.value(QStringLiteral("name")), QJsonValue(QStringLiteral("numpy, lock")));
        QCOMPARE(plain.value(QStringLiteral("repeat_index")), QJsonValue(0));
        QCOMPARE(plain.value(QStringLiteral("status")), QJsonValue(QStringLiteral("ok")));
        QVERIFY(plain.value(QStringLiteral("error")).isNull());
        QCOMPARE(plain.value(QStringLiteral("lock")), QJsonValue(QStringLiteral("target")));
        QCOMPARE(plain.value(QStringLiteral("chunks")), QJsonValue(QJsonArray{1048576}));
        QCOMPARE(plain.value(QStringLiteral("tasks")), QJsonValue(382));
        QCOMPARE(plain.value(QStringLiteral("bytes")).toInteger(), qint64(1600000000));
        QCOMPARE(plain.value(QStringLiteral("wall_s")).toDouble(), 0.152);
        QCOMPARE(plain.value(QStringLiteral("throughput_gbps")).toDouble(), 1600000000 / 0.152 / 1e9);
        QCOMPARE(plain.value(QStringLiteral("cpu_mean_percent")).toDouble(), 181.0);
        QCOMPARE(plain.value(QStringLiteral("peak_rss_bytes")).toInteger(), qint64(3300000000));
        QVERIFY(plain.value(QStringLiteral("verified")).isNull());
        QCOMPARE(plain.value(QStringLiteral("task_events")), QJsonValue(QJsonArray()));
        QCOMPARE(plain.value(QStringLiteral("samples")), QJsonValue(QJsonArray()));
        QVERIFY(!plain.contains(QStringLiteral("sweep")));
        const QJsonObject source = plain.value(QStringLiteral("source")).toObject();
        QCOMPARE(source.value(QStringLiteral("dtype")), QJsonValue(QStringLiteral("<i4")));
        QCOMPARE(source.value(QStringLiteral("ratio")), QJsonValue(1.0));
        QCOMPARE(source.value(QStringLiteral("codec")), QJsonValue(QStringLiteral("none")));
        QCOMPARE(source.value(QStringLiteral("chunks_initialized")), QJsonValue(382));

        const QJsonObject rich = runs.at(1).toObject();
        QCOMPARE(rich.value(QStringLiteral("status")), QJsonValue(QStringLiteral("failed")));
        QCOMPARE(rich.value(QStringLiteral("error")).toString(), richRun().error);
        QCOMPARE(rich.value(QStringLiteral("verified")), QJsonValue(false));
        QCOMPARE(rich.value(QStringLiteral("lock")), QJsonValue(QStringLiteral("io")));
        QVERIFY(rich.value(QStringLiteral("target")).toObject().value(QStringLiteral("ratio")).isNull());
        QCOMPARE(rich.value(QStringLiteral("source")).toObject().value(QStringLiteral("dtype")),
                 QJsonValue(QStringLiteral(">i4")));
        QCOMPARE(rich.value(QStringLiteral("sweep")),
                 QJsonValue(QJsonObject{{QStringLiteral("of"), QStringLiteral("zarr sweep")},
                                        {QStringLiteral("workers"), 2},
                                        {QStringLiteral("lock"), QStringLiteral("io")},
                                        {QStringLiteral("chunks"), QJsonArray{3, 4}}}));
        QVERIFY(rich.contains(QStringLiteral("source_before")));
        QCOMPARE(rich.value(QStringLiteral("hdf5_path")), QJsonValue(QStringLiteral("direct")));

        const QJsonArray events = rich.value(QStringLiteral("task_events")).toArray();
        QCOMPARE(events.size(), 6);
        for (const QJsonValue &e : events) {
            requireKeys(e.toObject(), words("task worker start_s end_s bytes region phases"), "task event");
            requireKeys(e[QStringLiteral("phases")].toObject(),
                        words("read_s decode_s lock_wait_s encode_s write_s store_lock_s"), "phases");
        }
        // Task 4 of a 7x8 array in 3x4 chunks: grid 3x2, chunk (2, 0), clipped at row 7.
        const QJsonObject e4 = events.at(4).toObject();
        QCOMPARE(e4.value(QStringLiteral("region")), QJsonValue(QJsonArray{QJsonArray{6, 7}, QJsonArray{0, 4}}));
        QCOMPARE(e4.value(QStringLiteral("worker")), QJsonValue(0));
        QCOMPARE(e4.value(QStringLiteral("start_s")).toDouble(), double(richRun().events[4].startNs) / 1e9);
        QCOMPARE(e4.value(QStringLiteral("end_s")).toDouble(), double(richRun().events[4].endNs) / 1e9);
        QCOMPARE(e4[QStringLiteral("phases")][QStringLiteral("write_s")].toDouble(),
                 double(richRun().events[4].phaseNs[size_t(Phase::Write)]) / 1e9);
        QVERIFY(events.at(5)[QStringLiteral("end_s")].isNull()); // still running

        const QJsonArray samples = rich.value(QStringLiteral("samples")).toArray();
        QCOMPARE(samples.size(), 3);
        for (const QJsonValue &s : samples)
            requireKeys(s.toObject(), words("t_s cpu_percent rss_bytes inflight_bytes minor_faults_per_s"), "sample");
        QCOMPARE(samples.at(1)[QStringLiteral("t_s")].toDouble(), 20000001 / 1e9);
        QCOMPARE(samples.at(2)[QStringLiteral("inflight_bytes")], QJsonValue(16777216));
    }

    void runObjectMatchesTheDocument()
    {
        const RunResult r = richRun();
        const QJsonObject root = QJsonDocument::fromJson(resultsToJson(QStringLiteral("s"), host(), {r})).object();
        QCOMPARE(runResultToJson(r), root.value(QStringLiteral("runs")).toArray().at(0).toObject());
    }

    // Task events are read straight from the text when they look as Chunkscope writes them, through
    // QJsonDocument otherwise: both must give the same events.
    void fastAndGeneralPathsAgree()
    {
        const QByteArray text = resultsToJson(QStringLiteral("s"), host(), {plainRun(), richRun()});
        QByteArray escaped = text;
        escaped.replace("\"task_events\"", "\"task\\u005fevents\"");
        QVERIFY(escaped != text);
        QString error;
        const auto fast = parseResults(text, QStringLiteral("r.json"), &error);
        QVERIFY2(fast, qPrintable(error));
        const auto general = parseResults(escaped, QStringLiteral("r.json"), &error);
        QVERIFY2(general, qPrintable(error));
        compareRuns(fast->runs.at(1), general->runs.at(1));
        compareRuns(fast->runs.at(1), richRun());

        // A whole number written as 4.0 is not the fast path's; the general path takes it.
        QByteArray fraction = text;
        fraction.replace("{\"task\": 4, ", "{\"task\": 4.0, ");
        QVERIFY(fraction != text);
        const auto mixed = parseResults(fraction, QStringLiteral("r.json"), &error);
        QVERIFY2(mixed, qPrintable(error));
        compareRuns(mixed->runs.at(1), richRun());
    }

    // A document written before tasks carried their CPU accounting, and samples the machine's CPU,
    // reads as not measured, on both paths, and is written back without the new keys.
    void olderDocumentsStayReadable()
    {
        const QByteArray text = resultsToJson(QStringLiteral("s"), host(), {richRun()});
        QVERIFY(text.contains("\"cpu_s\": 0.246913585, \"runq_s\": 0.006913579, \"vol_cs\": 2, \"invol_cs\": 5, "
                              "\"minflt\": 2051}"));
        QVERIFY(text.contains("\"runq_s\": null"));
        QVERIFY(text.contains(", \"machine_cpu_percent\": 152.25, \"load_average\": 5, \"ui_cpu_percent\": 4.5}"));
        QString older = QString::fromUtf8(text);
        older.remove(QRegularExpression(QStringLiteral(", \"(cpu_s|runq_s|vol_cs|invol_cs|minflt|machine_cpu_percent|"
                                                       "load_average|blocked_s|other_cpu_percent)\": [^,}]+")));
        QVERIFY(!older.contains(QStringLiteral("cpu_s")));
        for (const QByteArray &variant :
             {older.toUtf8(), older.toUtf8().replace("\"task_events\"", "\"task\\u005fevents\"")}) {
            QString error;
            const auto doc = parseResults(variant, QStringLiteral("old.json"), &error);
            QVERIFY2(doc, qPrintable(error));
            for (const TaskEvent &e : doc->runs.at(0).events) {
                QVERIFY(!e.usage.measured());
                QCOMPARE(e.usage.runqNs, int64_t(-1));
            }
            for (const ResourceSample &s : doc->runs.at(0).samples) {
                QCOMPARE(s.machineCpuPercent, -1.0);
                QCOMPARE(s.loadAverage, -1.0);
            }
            QCOMPARE(QString::fromUtf8(resultsToJson(QStringLiteral("s"), host(), doc->runs)), older);
        }
    }

    void codecUnderStoreLockFollowsTheHdf5Path_data()
    {
        QTest::addColumn<QString>("path");
        QTest::addColumn<bool>("underLock");
        QTest::newRow("library") << QStringLiteral("library") << true;
        QTest::newRow("direct") << QStringLiteral("direct") << false;
        QTest::newRow("direct source, library target") << QStringLiteral("direct/library") << true;
        QTest::newRow("no HDF5") << QString() << false;
    }
    void codecUnderStoreLockFollowsTheHdf5Path()
    {
        // Documents record the path each HDF5 store took; the verdict needs to know whether a codec
        // ran inside HDF5's lock, which only the library path does.
        QFETCH(QString, path);
        QFETCH(bool, underLock);
        RunResult run = plainRun();
        run.hdf5Path = path;
        QString error;
        const auto doc = parseResults(resultsToJson(QString(), host(), {run}), QStringLiteral("r.json"), &error);
        QVERIFY2(doc, qPrintable(error));
        QCOMPARE(doc->runs.at(0).codecUnderStoreLock, underLock);
    }

    void emptyDocument()
    {
        const QByteArray text = resultsToJson(QString(), HostInfo(), {});
        QString error;
        const auto doc = parseResults(text, QStringLiteral("r.json"), &error);
        QVERIFY2(doc, qPrintable(error));
        QVERIFY(doc->runs.isEmpty());
    }

    void parseErrors_data()
    {
        QTest::addColumn<QByteArray>("json");
        QTest::addColumn<QString>("expected");
        const auto row = [](const char *name, const QByteArray &json, const char *message) {
            QTest::newRow(name) << json << QStringLiteral("r.json: ") + QString::fromUtf8(message);
        };
        row("version", R"({"chunkscope_results": 2, "runs": []})",
            "/chunkscope_results: unsupported results format (this Chunkscope reads version 1)");
        row("scenario", R"({"chunkscope": 1, "arrays": {}, "runs": []})",
            "/: this is a scenario, not a results document");
        row("no runs", R"({"chunkscope_results": 1})", R"(/: missing required key "runs")");
        row("list", "[]", "/: must be a JSON object");
        row("truncated", R"({"chunkscope_results": 1, "runs": [)", "invalid JSON at offset 35: unterminated array");
        row("run without name", R"({"chunkscope_results": 1, "runs": [{}]})",
            R"(/runs/0: missing required key "name")");
        row("tasks text", R"({"chunkscope_results": 1, "runs": [{"name": "x", "tasks": "many"}]})",
            "/runs/0/tasks: must be an integer");
        row("status", R"({"chunkscope_results": 1, "runs": [{"name": "x", "status": "weird"}]})",
            R"(/runs/0/status: must be "ok", "failed" or "cancelled")");
        row("lock", R"({"chunkscope_results": 1, "runs": [{"name": "x", "lock": true}]})",
            "/runs/0/lock: must be a string");
        row("start_s", R"({"chunkscope_results": 1, "runs": [{"name": "x", "task_events": [{"start_s": "0"}]}]})",
            "/runs/0/task_events/0/start_s: must be a number");
        row("phases", R"({"chunkscope_results": 1, "runs": [{"name": "x", "task_events": [{"phases": []}]}]})",
            "/runs/0/task_events/0/phases: must be an object");
        row("huge time", R"({"chunkscope_results": 1, "runs": [{"name": "x", "samples": [{"t_s": 1e300}]}]})",
            "/runs/0/samples/0/t_s: is out of range");
        row("dtype", R"({"chunkscope_results": 1, "runs": [{"name": "x", "source": {"dtype": "<c4"}}]})",
            R"(/runs/0/source/dtype: unsupported dtype "<c4" (expected a NumPy type string such as "<i4" or a name such as "int32"))");
        row("shape", R"({"chunkscope_results": 1, "runs": [{"name": "x", "shape": [1, -1]}]})",
            "/runs/0/shape/1: must be a non-negative integer");
        row("verified", R"({"chunkscope_results": 1, "runs": [{"name": "x", "verified": "yes"}]})",
            "/runs/0/verified: must be true or false");
        row("cpu_s", R"({"chunkscope_results": 1, "runs": [{"name": "x", "task_events": [{"cpu_s": -0.5}]}]})",
            "/runs/0/task_events/0/cpu_s: must not be negative");
        row("runq_s",
            R"({"chunkscope_results": 1, "runs": [{"name": "x", "task_events": [{"cpu_s": 0, "runq_s": "1"}]}]})",
            "/runs/0/task_events/0/runq_s: must be a number");
        row("vol_cs",
            R"({"chunkscope_results": 1, "runs": [{"name": "x", "task_events": [{"cpu_s": 0, "vol_cs": -1}]}]})",
            "/runs/0/task_events/0/vol_cs: must be a non-negative integer");
        row("minflt",
            R"({"chunkscope_results": 1, "runs": [{"name": "x", "task_events": [{"cpu_s": 0, "minflt": 1e12}]}]})",
            "/runs/0/task_events/0/minflt: must be a non-negative integer");
    }
    void parseErrors()
    {
        QFETCH(QByteArray, json);
        QFETCH(QString, expected);
        QString error;
        QVERIFY(!parseResults(json, QStringLiteral("r.json"), &error));
        QCOMPARE(error, expected);
    }

    void truncatedDocumentsNeverCrash()
    {
        const QByteArray text = resultsToJson(QStringLiteral("s"), host(), {richRun()});
        const qsizetype end = text.lastIndexOf('}');
        for (qsizetype n = 0; n < end; n += 3) {
            QString error;
            QVERIFY(!parseResults(text.left(n), QStringLiteral("r.json"), &error));
            QVERIFY(error.startsWith(QStringLiteral("r.json: ")));
            QVERIFY(!error.contains(QLatin1Char('\n')));
        }
    }

    // Figures only: a run of 200,000 tasks written and read back. Speed is measured, not asserted.
    void manyTaskEvents()
    {
        RunResult r = plainRun();
        r.profiled = true;
        const int64_t n = 200000;
        r.chunks = coords({2000});
        r.shape = coords({2000 * n});
        for (int64_t t = 0; t < n; ++t) {
            TaskEvent e;
            e.task = t;
            e.worker = int32_t(t % 4);
            e.startNs = t * 7919;
            e.endNs = e.startNs + 5003;
            e.bytes = 8000;
            e.phaseNs = {1, 0, 17, 0, 4985, 0};
            r.events.push_back(e);
        }
        QElapsedTimer timer;
        timer.start();
        const QByteArray text = resultsToJson(QStringLiteral("s"), host(), {r});
        const qint64 writeMs = timer.restart();
        QString error;
        const auto doc = parseResults(text, QStringLiteral("big.json"), &error);
        const qint64 readMs = timer.elapsed();
        QVERIFY2(doc, qPrintable(error));
        QCOMPARE(doc->runs.at(0).events.size(), size_t(n));
        QCOMPARE(doc->runs.at(0).events.back().endNs, r.events.back().endNs);
        qInfo("%lld task events: %lld bytes, written in %lld ms, read in %lld ms", qlonglong(n), qlonglong(text.size()),
              writeMs, readMs);
    }
};

QTEST_GUILESS_MAIN(TestResultsJson)
#include "tst_resultsjson.moc"
