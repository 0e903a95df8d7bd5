// Scenarios at the size limits: long `like` and copy-fill chains, long sweep lists, and every NumPy
// spelling of the supported dtypes. Each is answered quickly and without a recursion as deep as
// the file, and what comes out is checked, not only that parsing returned.
#include "array/dtype.h"
#include "runner/arrayset.h"
#include "runner/runexecutor.h"
#include "scenario/scenarioparser.h"
#include "scenario/scenariowriter.h"
#include "stores/zarr/zarroptions.h"

#include <QElapsedTimer>
#include <QFile>
#include <QTemporaryDir>
#include <QTest>

#include <cstring>

using namespace cs;

namespace {

// Far above what the work takes in a release build (well under a second), so that Debug and
// sanitizer builds pass, yet far below the minutes a quadratic pass or a retry loop takes.
constexpr double kMaxSeconds = 10;
constexpr int kChain = 10000;

double secondsSince(const QElapsedTimer &t)
{
    return double(t.nsecsElapsed()) / 1e9;
}

std::optional<Scenario> parse(const QByteArray &json, QString *error, const QString &baseDir = QString())
{
    return parseScenario(json, QStringLiteral("s.json"), error, baseDir);
}

// a9999 like a9998 ... like a0, listed from the far end so that the first array names the whole chain.
QByteArray likeChain(int n)
{
    QByteArray arrays;
    for (int i = n - 1; i > 0; --i)
        arrays += QStringLiteral(R"("a%1": {"store": "memory", "like": "a%2", "fill": "empty"}, )")
                      .arg(i)
                      .arg(i - 1)
                      .toUtf8();
    arrays += R"("a0": {"store": "memory", "dtype": ">u2", "shape": [4, 3], "chunks": [2, 3], "fill": "zeros"})";
    return R"({"chunkscope": 1, "arrays": {)" + arrays + R"(}, "runs": []})";
}

// c0 is arange; c1 is a copy of c0, ... c9999 a copy of c9998, listed from the far end.
QByteArray copyChain(int n)
{
    QByteArray arrays;
    for (int i = n - 1; i > 0; --i)
        arrays
            += QStringLiteral(R"("c%1": {"store": "memory", "dtype": "<i4", "shape": [4], "fill": {"copy": "c%2"}}, )")
                   .arg(i)
                   .arg(i - 1)
                   .toUtf8();
    arrays += R"("c0": {"store": "memory", "dtype": "<i4", "shape": [4], "fill": "arange"})";
    return R"({"chunkscope": 1, "arrays": {)" + arrays + R"(}, "runs": []})";
}

} // namespace

class TestScenarioLimits : public QObject {
    Q_OBJECT

private slots:
    void likeChainOfTenThousand()
    {
        const QByteArray json = likeChain(kChain);
        QElapsedTimer t;
        t.start();
        QString error;
        const std::optional<Scenario> s = parse(json, &error);
        const double seconds = secondsSince(t);
        qInfo("like chain of %d arrays: checked in %.3f s", kChain, seconds);
        QVERIFY2(s, qPrintable(error));
        QCOMPARE(s->arrays.size(), kChain);
        const ArraySpec &first = s->arrays.first();
        QCOMPARE(first.id, QStringLiteral("a%1").arg(kChain - 1));
        QCOMPARE(first.like, QStringLiteral("a%1").arg(kChain - 2));
        QCOMPARE(first.dtype.typestr(), QStringLiteral(">u2"));
        QCOMPARE(first.shape, std::vector<int64_t>({4, 3}));
        QCOMPARE(first.chunks, std::vector<int64_t>({2, 3}));
        QCOMPARE(s->array(QStringLiteral("a5000"))->like, QStringLiteral("a4999"));
        QVERIFY2(seconds < kMaxSeconds, qPrintable(QString::number(seconds)));
    }

    void likeCycleAtTheEndOfALongChain()
    {
        // The chain runs into a loop of three arrays far from where it starts.
        QByteArray json = likeChain(kChain);
        json.replace(R"("a0": {"store": "memory", "dtype": ">u2")", R"("a0": {"store": "memory", "like": "a2")");
        QString error;
        QVERIFY(!parse(json, &error));
        QCOMPARE(error, QStringLiteral("s.json: /arrays/a2/like: cycle through a2 -> a1 -> a0 -> a2"));
    }

    void copyChainOfTenThousand()
    {
        const QByteArray json = copyChain(kChain);
        QElapsedTimer t;
        t.start();
        QString error;
        const std::optional<Scenario> s = parse(json, &error);
        const double checked = secondsSince(t);
        qInfo("copy-fill chain of %d arrays: checked in %.3f s", kChain, checked);
        QVERIFY2(s, qPrintable(error));
        QVERIFY2(checked < kMaxSeconds, qPrintable(QString::number(checked)));

        // Building the array at the far end fills every array before it, each from the one before.
        t.restart();
        ArraySet arrays(*s);
        QStringList statuses;
        arrays.onStatus = [&](const QString &status) { statuses.append(status); };
        Store &last = arrays.get(QStringLiteral("c%1").arg(kChain - 1));
        const double built = secondsSince(t);
        qInfo("copy-fill chain of %d arrays: built in %.3f s", kChain, built);
        const char *bytes = last.contiguous(last.grid().chunkRegion(0));
        QVERIFY(bytes);
        int32_t values[4];
        std::memcpy(values, bytes, sizeof values);
        QCOMPARE(std::vector<int32_t>(values, values + 4), std::vector<int32_t>({0, 1, 2, 3}));
        for (int i = 0; i < kChain; ++i)
            QVERIFY(arrays.isBuilt(QStringLiteral("c%1").arg(i)));
        // Created from the far end, as each array is asked for; filled from c0 on.
        QCOMPARE(statuses.size(), 2 * kChain);
        QCOMPARE(statuses.first(), QStringLiteral("creating c%1 (memory)").arg(kChain - 1));
        QCOMPARE(statuses.at(kChain - 1), QStringLiteral("creating c0 (memory)"));
        QCOMPARE(statuses.at(kChain), QStringLiteral("filling c0"));
        QCOMPARE(statuses.last(), QStringLiteral("filling c%1 with a copy of c%2").arg(kChain - 1).arg(kChain - 2));

        // The same chain running into a loop far from where it starts is refused, as quickly.
        QByteArray looped = copyChain(kChain);
        looped.replace(R"("c0": {"store": "memory", "dtype": "<i4", "shape": [4], "fill": "arange"})",
                       R"("c0": {"store": "memory", "dtype": "<i4", "shape": [4], "fill": {"copy": "c2"}})");
        t.restart();
        QVERIFY(!parse(looped, &error));
        QVERIFY2(secondsSince(t) < kMaxSeconds, qPrintable(QString::number(secondsSince(t))));
        QCOMPARE(error,
                 QStringLiteral("s.json: /arrays/c%1/fill/copy: cycle through c2 -> c1 -> c0 -> c2").arg(kChain - 1));
    }

    void sweepOfAHundredThousandValues()
    {
        QByteArray chunks;
        for (int i = 1; i <= 100000; ++i)
            chunks += (i > 1 ? ", [" : "[") + QByteArray::number(i) + "]";
        const QByteArray json = R"({"chunkscope": 1, "arrays": {
            "a": {"store": "memory", "dtype": "<i4", "shape": [100000], "fill": "zeros"},
            "b": {"store": "memory", "like": "a", "fill": "empty"}},
            "runs": [{"name": "r", "source": "a", "target": "b", "chunks": [)"
            + chunks + "]}]}";
        QElapsedTimer t;
        t.start();
        QString error;
        QVERIFY(!parse(json, &error));
        const double seconds = secondsSince(t);
        qInfo("sweep of 100,000 chunk values: refused in %.3f s", seconds);
        QCOMPARE(error,
                 QStringLiteral("s.json: /runs/0: the scenario would hold more than 10000 runs; sweep fewer values"));
        QVERIFY2(seconds < kMaxSeconds, qPrintable(QString::number(seconds)));

        // 10,000 values, the limit: each is still compared with the others, quickly.
        QByteArray limitChunks;
        for (int i = 1; i <= 10000; ++i)
            limitChunks += (i > 1 ? ", [" : "[") + QByteArray::number(i) + "]";
        const QByteArray atLimitArrays = R"({"chunkscope": 1, "arrays": {
            "a": {"store": "memory", "dtype": "<i4", "shape": [100000], "fill": "zeros"},
            "b": {"store": "memory", "like": "a", "fill": "empty"}})";
        const QByteArray runs = R"(, "runs": [{"name": "r", "source": "a", "target": "b", "chunks": [)";
        t.restart();
        const std::optional<Scenario> limited = parse(atLimitArrays + runs + limitChunks + "]}]}", &error);
        QVERIFY2(limited, qPrintable(error));
        QCOMPARE(limited->runs.size(), 10000);
        QCOMPARE(limited->runs.last().name, QStringLiteral("r [chunks=10000]"));
        limitChunks.replace(", [10000]", ", [77]");
        QVERIFY(!parse(atLimitArrays + runs + limitChunks + "]}]}", &error));
        const double atLimit = secondsSince(t);
        qInfo("sweep of 10,000 chunk values: accepted, and refused with a repeat, in %.3f s", atLimit);
        QCOMPARE(error, QStringLiteral("s.json: /runs/0/chunks/9999: repeats an earlier value of the sweep"));
        QVERIFY2(atLimit < kMaxSeconds, qPrintable(QString::number(atLimit)));
    }

    // What numpy.dtype(SPELLING).str gives on this (little-endian, 64-bit Linux) host, as NumPy 1.24
    // answered; empty where NumPy refuses the spelling, or where Chunkscope does not support the type.
    void dtypeSpellings_data()
    {
        QTest::addColumn<QString>("spelling");
        QTest::addColumn<QString>("str");
        const char *const accepted[][2] = {
            {"i4", "<i4"},
            {"<i4", "<i4"},
            {">i4", ">i4"},
            {"=i4", "<i4"},
            {"|i4", "<i4"},
            {"i", "<i4"},
            {">i", ">i4"},
            {"l", "<i8"},
            {"q", "<i8"},
            {"p", "<i8"},
            {"h", "<i2"},
            {">H", ">u2"},
            {"I", "<u4"},
            {"L", "<u8"},
            {"Q", "<u8"},
            {"P", "<u8"},
            {"b", "|i1"},
            {"B", "|u1"},
            {"?", "|b1"},
            {"b1", "|b1"},
            {">b1", "|b1"},
            {"i1", "|i1"},
            {"u1", "|u1"},
            {">u1", "|u1"},
            {"i2", "<i2"},
            {"i8", "<i8"},
            {"u2", "<u2"},
            {"u4", "<u4"},
            {"=u8", "<u8"},
            {"f", "<f4"},
            {"d", "<f8"},
            {">d", ">f8"},
            {"f4", "<f4"},
            {"f8", "<f8"},
            {">f8", ">f8"},
            {"=f4", "<f4"},
            {"i04", "<i4"},
            {"bool", "|b1"},
            {"bool_", "|b1"},
            {"bool8", "|b1"},
            {"int8", "|i1"},
            {"int16", "<i2"},
            {"int32", "<i4"},
            {"int64", "<i8"},
            {"uint8", "|u1"},
            {"uint16", "<u2"},
            {"uint32", "<u4"},
            {"uint64", "<u8"},
            {"float32", "<f4"},
            {"float64", "<f8"},
            {"byte", "|i1"},
            {"ubyte", "|u1"},
            {"short", "<i2"},
            {"ushort", "<u2"},
            {"intc", "<i4"},
            {"uintc", "<u4"},
            {"int", "<i8"},
            {"int_", "<i8"},
            {"int0", "<i8"},
            {"intp", "<i8"},
            {"long", "<i8"},
            {"longlong", "<i8"},
            {"uint", "<u8"},
            {"uint0", "<u8"},
            {"uintp", "<u8"},
            {"ulong", "<u8"},
            {"ulonglong", "<u8"},
            {"single", "<f4"},
            {"double", "<f8"},
            {"float", "<f8"},
            {"float_", "<f8"},
            {"<f2", "<f2"},
            {">f2", ">f2"},
            {"=f2", "<f2"},
            {"|f2", "<f2"},
            {"f2", "<f2"},
            {"e", "<f2"},
            {"<e", "<f2"},
            {">e", ">f2"},
            {"float16", "<f2"},
            {"half", "<f2"},
            {"c8", "<c8"},
            {"F", "<c8"},
            {"D", "<c16"},
            {">c16", ">c16"},
            {"complex64", "<c8"},
            {"complex128", "<c16"},
            {"complex", "<c16"},
            {"cdouble", "<c16"},
            {"csingle", "<c8"},
            {"S4", "|S4"},
            {"|S1", "|S1"},
            {"a3", "|S3"},
            {"<U3", "<U3"},
            {">U1", ">U1"},
            {"U7", "<U7"},
            {"M8[ns]", "<M8[ns]"},
            {"<M8[ns]", "<M8[ns]"},
            {">m8[s]", ">m8[s]"},
            {"m8[D]", "<m8[D]"},
            {"datetime64[ms]", "<M8[ms]"},
            {"timedelta64[us]", "<m8[us]"},
            {"<M8[Y]", "<M8[Y]"},
            {"m8[as]", "<m8[as]"},
        };
        for (const auto &row : accepted)
            QTest::addRow("%s", row[0]) << QString::fromLatin1(row[0]) << QString::fromLatin1(row[1]);
        // NumPy refuses these too.
        for (const char *refused : {"b2", "i16", "u", "<u", "f1", "B1", "h2", "<bool", ">int32", "Int32", " i4", "i4 ",
                                    "", "<", "i-4", "i+4"})
            QTest::addRow("numpy refuses '%s'", refused) << QString::fromLatin1(refused) << QString();
        // NumPy reads these, as types Chunkscope does not support: long double and its complex, "c" (S1 by
        // another name), multiples of a time unit.
        for (const char *unsupported : {"c", "g", "f16", "float128", "longdouble", "c32", "M8[10s]", "m8[fortnight]"})
            QTest::addRow("unsupported '%s'", unsupported) << QString::fromLatin1(unsupported) << QString();
    }
    void dtypeSpellings()
    {
        QFETCH(QString, spelling);
        QFETCH(QString, str);
        QString error;
        const std::optional<DType> dt = DType::parse(spelling, &error);
        if (str.isEmpty()) {
            QVERIFY2(!dt, qPrintable(dt ? dt->typestr() : QString()));
            QCOMPARE(error,
                     QStringLiteral("unsupported dtype \"%1\" (expected a NumPy type string such as \"<i4\" or a name "
                                    "such as \"int32\")")
                         .arg(spelling));
        } else {
            QVERIFY2(dt, qPrintable(error));
            QCOMPARE(dt->typestr(), str);
        }
    }

    void dtypesWithoutFixedBytesSayWhy_data()
    {
        QTest::addColumn<QString>("spelling");
        QTest::addColumn<QString>("why");
        const QString object = QStringLiteral("object arrays hold Python objects (variable-length strings, lists), "
                                              "which have no fixed size to copy as bytes");
        const QString structured
            = QStringLiteral("void and structured dtypes are not supported: their fields are not copied as one "
                             "scalar type");
        const QString unit = QStringLiteral("datetime64 and timedelta64 need a unit, such as \"<M8[ns]\" or "
                                            "\"<m8[s]\"");
        const QString length = QStringLiteral("strings need a length of at least one, such as \"|S8\" or \"<U8\"");
        for (const char *spelling : {"O", "|O", "object"})
            QTest::addRow("%s", spelling) << QString::fromLatin1(spelling) << object;
        for (const char *spelling : {"V8", "|V4", "void"})
            QTest::addRow("%s", spelling) << QString::fromLatin1(spelling) << structured;
        for (const char *spelling : {"M8", "<m8", "datetime64"})
            QTest::addRow("%s", spelling) << QString::fromLatin1(spelling) << unit;
        for (const char *spelling : {"S0", "<U0", "U"})
            QTest::addRow("%s", spelling) << QString::fromLatin1(spelling) << length;
    }
    void dtypesWithoutFixedBytesSayWhy()
    {
        QFETCH(QString, spelling);
        QFETCH(QString, why);
        QString error;
        QVERIFY(!DType::parse(spelling, &error));
        QCOMPARE(error, QStringLiteral("unsupported dtype \"%1\": %2").arg(spelling, why));
        const QByteArray json = R"({"chunkscope": 1, "arrays": {"a": {"store": "memory", "dtype": "DT", "shape": [4]}},
            "runs": []})";
        QVERIFY(!parse(QByteArray(json).replace("DT", spelling.toUtf8()), &error));
        QCOMPARE(error, QStringLiteral("s.json: /arrays/a/dtype: unsupported dtype \"%1\": %2").arg(spelling, why));
    }

    void hdf5DirectOnOtherChunksIsRefused()
    {
        const QByteArray json = R"({"chunkscope": 1, "arrays": {
            "a": {"store": "memory", "dtype": "<i4", "shape": [100], "chunks": [10], "fill": "arange"},
            "h": {"store": "hdf5", "like": "a", "dataset": "d", "fill": "empty"}},
            "runs": [{"name": "r", "source": "a", "target": "h", "chunks": CHUNKS, "hdf5_path": "direct"}]})";
        QString error;
        QVERIFY(!parse(QByteArray(json).replace("CHUNKS", "[20]"), &error));
        QCOMPARE(error,
                 QStringLiteral("s.json: /runs/0/hdf5_path: \"direct\" needs the copy's chunks [20] to be h's "
                                "chunks [10]"));
        // One value of a sweep is enough.
        QVERIFY(!parse(QByteArray(json).replace("CHUNKS", "[[10], [25]]"), &error));
        QCOMPARE(error,
                 QStringLiteral("s.json: /runs/0/hdf5_path: \"direct\" needs the copy's chunks [25] to be h's "
                                "chunks [10]"));
        // The dataset's own chunks, and "auto" on any chunks, are accepted.
        QVERIFY2(parse(QByteArray(json).replace("CHUNKS", "[10]"), &error), qPrintable(error));
        QVERIFY2(parse(QByteArray(json).replace("CHUNKS", "[20]").replace("\"direct\"", "\"auto\""), &error),
                 qPrintable(error));
    }

    void hdf5DirectFailsTheRunWhenOnlyTheFileTells()
    {
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        // First write a dataset of chunks [10]; then copy it, as existing data, on chunks [20].
        const QByteArray writing = R"({"chunkscope": 1, "arrays": {
            "h": {"store": "hdf5", "dtype": "<i4", "shape": [100], "chunks": [10], "file": "h.h5", "dataset": "d",
                  "fill": "arange"}}, "runs": []})";
        QString error;
        std::optional<Scenario> s = parse(writing, &error, dir.path());
        QVERIFY2(s, qPrintable(error));
        {
            ArraySet arrays(*s);
            arrays.get(QStringLiteral("h"));
        }
        const QByteArray copying = R"({"chunkscope": 1, "arrays": {
            "h": {"store": "hdf5", "file": "h.h5", "dataset": "d", "fill": "existing"},
            "m": {"store": "memory", "dtype": "<i4", "shape": [100], "chunks": [20], "fill": "empty"}},
            "runs": [{"name": "r", "source": "h", "target": "m", "chunks": [20], "hdf5_path": "PATH"}]})";
        s = parse(QByteArray(copying).replace("PATH", "direct"), &error, dir.path());
        QVERIFY2(s, qPrintable(error));
        ArraySet arrays(*s);
        const QList<RunResult> results = executeRun(s->runs.first(), arrays);
        QCOMPARE(results.size(), 1);
        QCOMPARE(results.first().status, RunResult::Status::Failed);
        QCOMPARE(results.first().error,
                 QStringLiteral("array h: hdf5_path \"direct\" cannot be honoured: the copy's "
                                "chunks [20] are not the dataset's chunks [10]"));
        QCOMPARE(results.first().hdf5Path, QString());

        // "auto" takes the library path there, and says so.
        s = parse(QByteArray(copying).replace("PATH", "auto"), &error, dir.path());
        QVERIFY2(s, qPrintable(error));
        ArraySet autoArrays(*s);
        const QList<RunResult> autoResults = executeRun(s->runs.first(), autoArrays);
        QCOMPARE(autoResults.size(), 1);
        QCOMPARE(autoResults.first().status, RunResult::Status::Ok);
        QCOMPARE(autoResults.first().hdf5Path, QStringLiteral("library"));
    }

    // A scenario gives Zarr's numcodecs compressors, filters and the byte-copied dtypes; its runs copy
    // and verify them. A damaged bz2 chunk then fails only the run that reads it, naming the chunk.
    void numcodecsArraysRunFromAScenario()
    {
        QTemporaryDir dir;
        const QByteArray writing = R"({"chunkscope": 1, "arrays": {
            "h": {"store": "memory", "dtype": "<f2", "shape": [200], "chunks": [50], "fill": "arange"},
            "z": {"store": "zarr", "like": "h", "path": "z.zarr", "fill": "empty", "fill_value": "NaN",
                  "compressor": {"id": "bz2", "level": 9}, "filters": [{"id": "shuffle", "elementsize": 2}]},
            "t": {"store": "memory", "dtype": ">U4", "shape": [30, 7], "chunks": [8, 7], "fill": {"random": {"seed": 3}}},
            "zt": {"store": "zarr", "like": "t", "path": "t.zarr", "fill": "empty", "fill_value": "ab",
                   "compressor": {"id": "lzma", "preset": 1}}},
            "runs": [{"name": "float16", "source": "h", "target": "z"}, {"name": "text", "source": "t", "target": "zt"}]})";
        QString error;
        std::optional<Scenario> s = parse(writing, &error, dir.path());
        QVERIFY2(s, qPrintable(error));
        // Saved and parsed again, the arrays have the same codecs.
        std::optional<Scenario> again = parse(scenarioToJson(*s), &error, dir.path());
        QVERIFY2(again, qPrintable(error));
        for (const int i : {1, 3}) {
            QCOMPARE(again->arrays[i].optionsAs<ZarrOptions>().filters, s->arrays[i].optionsAs<ZarrOptions>().filters);
            QVERIFY(again->arrays[i].optionsAs<ZarrOptions>().compressor
                    == s->arrays[i].optionsAs<ZarrOptions>().compressor);
        }
        {
            ArraySet arrays(*s);
            for (const RunSpec &run : s->runs) {
                const QList<RunResult> results = executeRun(run, arrays);
                QCOMPARE(results.size(), 1);
                QVERIFY2(results.first().status == RunResult::Status::Ok, qPrintable(results.first().error));
                QCOMPARE(results.first().verified, std::optional<bool>(true));
            }
        }
        QFile chunk(dir.filePath(QStringLiteral("z.zarr/1")));
        QVERIFY(chunk.open(QIODevice::ReadWrite));
        QVERIFY(chunk.resize(chunk.size() / 2));
        chunk.close();

        const QByteArray reading = R"({"chunkscope": 1, "arrays": {
            "z": {"store": "zarr", "path": "z.zarr", "fill": "existing"},
            "zt": {"store": "zarr", "path": "t.zarr", "fill": "existing"},
            "m": {"store": "memory", "dtype": "<f2", "shape": [200], "chunks": [50], "fill": "empty"},
            "mt": {"store": "memory", "dtype": ">U4", "shape": [30, 7], "chunks": [8, 7], "fill": "empty"}},
            "runs": [{"name": "damaged", "source": "z", "target": "m"}, {"name": "text", "source": "zt", "target": "mt"}]})";
        s = parse(reading, &error, dir.path());
        QVERIFY2(s, qPrintable(error));
        ArraySet arrays(*s);
        const QList<RunResult> damaged = executeRun(s->runs.at(0), arrays);
        QCOMPARE(damaged.size(), 1);
        QCOMPARE(damaged.first().status, RunResult::Status::Failed);
        QCOMPARE(damaged.first().error, QStringLiteral("array z, chunk [1]: corrupt bz2 stream (truncated)"));
        const QList<RunResult> text = executeRun(s->runs.at(1), arrays);
        QCOMPARE(text.size(), 1);
        QVERIFY2(text.first().status == RunResult::Status::Ok, qPrintable(text.first().error));
        QCOMPARE(text.first().verified, std::optional<bool>(true));
    }
};

QTEST_GUILESS_MAIN(TestScenarioLimits)
#include "tst_scenariolimits.moc"
