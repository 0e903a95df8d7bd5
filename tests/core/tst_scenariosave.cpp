// Saving scenarios: what is written parses back to the same arrays, runs and keys, laid out as a
// person would write them.
#include "scenario/arrayparser.h"
#include "scenario/scenariodraft.h"
#include "scenario/scenariowriter.h"
#include "scenariotext.h"
#include "stores/carray/carrayoptions.h"
#include "stores/hdf5/hdf5options.h"
#include "stores/zarr/zarroptions.h"
#include "testfiles.h"

#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QTemporaryDir>
#include <QTest>

using namespace cs;

namespace {

void compareArrays(const ArraySpec &a, const ArraySpec &b)
{
    QCOMPARE(a.id, b.id);
    QCOMPARE(a.store, b.store);
    QCOMPARE(a.like, b.like);
    QCOMPARE(a.dtype, b.dtype);
    QCOMPARE(a.dtypeKnown, b.dtypeKnown);
    QVERIFY(a.shape == b.shape);
    QVERIFY(a.chunks == b.chunks);
    QVERIFY(a.fill == b.fill);
    QCOMPARE(a.overwrite, b.overwrite);
    QCOMPARE(opt<ZarrOptions>(a).path, opt<ZarrOptions>(b).path);
    QCOMPARE(opt<ZarrOptions>(a).compressor.has_value(), opt<ZarrOptions>(b).compressor.has_value());
    if (opt<ZarrOptions>(a).compressor)
        QVERIFY(*opt<ZarrOptions>(a).compressor == *opt<ZarrOptions>(b).compressor);
    QCOMPARE(opt<ZarrOptions>(a).fillValue, opt<ZarrOptions>(b).fillValue);
    QCOMPARE(opt<ZarrOptions>(a).order, opt<ZarrOptions>(b).order);
    QCOMPARE(opt<ZarrOptions>(a).dimensionSeparator, opt<ZarrOptions>(b).dimensionSeparator);
    QCOMPARE(opt<Hdf5Options>(a).file, opt<Hdf5Options>(b).file);
    QCOMPARE(opt<Hdf5Options>(a).dataset, opt<Hdf5Options>(b).dataset);
    QCOMPARE(opt<Hdf5Options>(a).compression, opt<Hdf5Options>(b).compression);
    QCOMPARE(opt<Hdf5Options>(a).compressionOpts, opt<Hdf5Options>(b).compressionOpts);
    QCOMPARE(opt<Hdf5Options>(a).shuffle, opt<Hdf5Options>(b).shuffle);
    QCOMPARE(opt<CarrayOptions>(a).chunklen, opt<CarrayOptions>(b).chunklen);
    QVERIFY(opt<CarrayOptions>(a).cparams == opt<CarrayOptions>(b).cparams);
    QCOMPARE(opt<CarrayOptions>(a).rootdir, opt<CarrayOptions>(b).rootdir);
    QCOMPARE(a.given, b.given);
}

void compareRuns(const RunSpec &a, const RunSpec &b)
{
    QCOMPARE(a.name, b.name);
    QCOMPARE(a.source, b.source);
    QCOMPARE(a.target, b.target);
    QVERIFY(a.chunks == b.chunks);
    QCOMPARE(a.workers, b.workers);
    QCOMPARE(a.lock, b.lock);
    QCOMPARE(a.profile, b.profile);
    QCOMPARE(a.sampleMs, b.sampleMs);
    QCOMPARE(a.verify, b.verify);
    QCOMPARE(a.hdf5Path, b.hdf5Path);
    QCOMPARE(a.repeat, b.repeat);
    QCOMPARE(a.warmup, b.warmup);
    QCOMPARE(a.prefault, b.prefault);
    QCOMPARE(a.forkDuringCopy, b.forkDuringCopy);
    QCOMPARE(a.sweep.has_value(), b.sweep.has_value());
    if (a.sweep) {
        QCOMPARE(a.sweep->of, b.sweep->of);
        QCOMPARE(a.sweep->values, b.sweep->values);
    }
}

void compareScenarios(const Scenario &a, const Scenario &b)
{
    QCOMPARE(a.name, b.name);
    QCOMPARE(a.description, b.description);
    QCOMPARE(a.order, b.order);
    QCOMPARE(a.orderGiven, b.orderGiven);
    QCOMPARE(a.arrays.size(), b.arrays.size());
    for (qsizetype i = 0; i < a.arrays.size(); ++i) {
        compareArrays(a.arrays.at(i), b.arrays.at(i));
        if (QTest::currentTestFailed()) {
            qWarning() << "array" << a.arrays.at(i).id;
            return;
        }
    }
    QCOMPARE(a.runs.size(), b.runs.size());
    for (qsizetype i = 0; i < a.runs.size(); ++i) {
        compareRuns(a.runs.at(i), b.runs.at(i));
        if (QTest::currentTestFailed()) {
            qWarning() << "run" << a.runs.at(i).name;
            return;
        }
    }
    QCOMPARE(a.givenRuns, b.givenRuns);
}

// A value other than the default for every key the parser accepts, keyed "kind/key" for arrays and
// "key" for runs. A key missing here fails the tests below, so a new key cannot go unsaved.
const QHash<QString, QJsonValue> &arrayKeyValues()
{
    static const QHash<QString, QJsonValue> k = {
        {QStringLiteral("store"), QStringLiteral("memory")},
        {QStringLiteral("like"), QStringLiteral("a1")},
        {QStringLiteral("dtype"), QStringLiteral(">u2")},
        {QStringLiteral("shape"), QJsonArray{50}},
        {QStringLiteral("chunks"), QJsonArray{25}},
        {QStringLiteral("fill"), QStringLiteral("zeros")},
        {QStringLiteral("overwrite"), true},
        {QStringLiteral("zarr/path"), QStringLiteral("x.zarr")},
        {QStringLiteral("zarr/s3"),
         QJsonObject{{QStringLiteral("region"), QStringLiteral("eu-west-1")}, {QStringLiteral("allow_http"), true}}},
        {QStringLiteral("zarr/compressor"),
         QJsonObject{{QStringLiteral("id"), QStringLiteral("zlib")}, {QStringLiteral("level"), 3}}},
        {QStringLiteral("zarr/fill_value"), 7},
        {QStringLiteral("zarr/order"), QStringLiteral("F")},
        {QStringLiteral("zarr/dimension_separator"), QStringLiteral("/")},
        {QStringLiteral("zarr/filters"),
         QJsonArray{QJsonObject{{QStringLiteral("id"), QStringLiteral("delta")},
                                {QStringLiteral("dtype"), QStringLiteral("<i4")}}}},
        {QStringLiteral("zarr/zarr_format"), 3},
        {QStringLiteral("zarr/codecs"),
         QJsonArray{QJsonObject{
             {QStringLiteral("name"), QStringLiteral("bytes")},
             {QStringLiteral("configuration"), QJsonObject{{QStringLiteral("endian"), QStringLiteral("big")}}}}}},
        {QStringLiteral("zarr/chunk_key_encoding"),
         QJsonObject{
             {QStringLiteral("name"), QStringLiteral("v2")},
             {QStringLiteral("configuration"), QJsonObject{{QStringLiteral("separator"), QStringLiteral(".")}}}}},
        {QStringLiteral("zarr/dimension_names"), QJsonArray{QStringLiteral("t")}},
        {QStringLiteral("zarr/attributes"), QJsonObject{{QStringLiteral("units"), QStringLiteral("m")}}},
        {QStringLiteral("hdf5/file"), QStringLiteral("x.h5")},
        {QStringLiteral("hdf5/dataset"), QStringLiteral("/g/x")},
        {QStringLiteral("hdf5/compression"), QStringLiteral("lzf")},
        {QStringLiteral("hdf5/compression_opts"), 3},
        {QStringLiteral("hdf5/shuffle"), true},
        {QStringLiteral("carray/chunklen"), 20},
        {QStringLiteral("carray/cparams"),
         QJsonObject{{QStringLiteral("cname"), QStringLiteral("zstd")}, {QStringLiteral("clevel"), 2}}},
        {QStringLiteral("carray/rootdir"), QStringLiteral("x.bcolz")},
    };
    return k;
}

const QHash<QString, QJsonValue> &runKeyValues()
{
    static const QHash<QString, QJsonValue> k = {
        {QStringLiteral("name"), QStringLiteral("r")},
        {QStringLiteral("source"), QStringLiteral("a1")},
        {QStringLiteral("target"), QStringLiteral("x")},
        {QStringLiteral("chunks"), QJsonArray{20}},
        {QStringLiteral("workers"), 3},
        {QStringLiteral("lock"), QStringLiteral("io")},
        {QStringLiteral("profile"), false},
        {QStringLiteral("sample_ms"), 7},
        {QStringLiteral("verify"), false},
        {QStringLiteral("hdf5_path"), QStringLiteral("library")},
        {QStringLiteral("repeat"), 3},
        {QStringLiteral("warmup"), 2},
        {QStringLiteral("prefault"), true},
        {QStringLiteral("fork_during_copy"), true},
        {QStringLiteral("leave_one_core"), true},
        {QStringLiteral("distribution"), QStringLiteral("cyclic")},
        {QStringLiteral("passthrough"), QStringLiteral("auto")},
    };
    return k;
}

// An array of `kind` that needs nothing more to parse, with its kind's required keys.
QJsonObject baseArray(const QString &kind)
{
    QJsonObject o{{QStringLiteral("store"), kind},
                  {QStringLiteral("dtype"), QStringLiteral("<i4")},
                  {QStringLiteral("shape"), QJsonArray{100}},
                  {QStringLiteral("chunks"), QJsonArray{10}}};
    if (kind == QLatin1String("hdf5"))
        o.insert(QStringLiteral("dataset"), QStringLiteral("d"));
    if (kind == QLatin1String("hdf5") || kind == QLatin1String("carray"))
        o.remove(QStringLiteral("chunks")); // hdf5 clips them, carray takes them from chunklen
    return o;
}

// Array `x` beside a1, and run `r` from a1 into x, parsed as if the file were in `dir`.
std::optional<Scenario> parseIn(const QTemporaryDir &dir, const QJsonObject &x, const QJsonObject &run, QString *error)
{
    const QJsonObject a1{{QStringLiteral("store"), QStringLiteral("memory")},
                         {QStringLiteral("dtype"), x.value(QStringLiteral("dtype")).toString(QStringLiteral("<i4"))},
                         {QStringLiteral("shape"), QJsonArray{100}},
                         {QStringLiteral("chunks"), QJsonArray{10}},
                         {QStringLiteral("fill"), QStringLiteral("arange")}};
    const QJsonObject root{
        {QStringLiteral("chunkscope"), 1},
        {QStringLiteral("arrays"), QJsonObject{{QStringLiteral("a1"), a1}, {QStringLiteral("x"), x}}},
        {QStringLiteral("runs"), run.isEmpty() ? QJsonArray() : QJsonArray{run}}};
    return parseScenario(QJsonDocument(root).toJson(), QStringLiteral("k.json"), error, dir.path());
}

// Saved from the keys as given, and from the resolved fields alone: both parse back to `first`.
void checkBothWaysOfSaving(const QTemporaryDir &dir, const Scenario &first)
{
    QString error;
    const auto given = parseScenario(scenarioToJson(first), QStringLiteral("k.json"), &error, dir.path());
    QVERIFY2(given, qPrintable(error));
    compareScenarios(first, *given);
    if (QTest::currentTestFailed())
        return;
    Scenario fieldsOnly = first;
    fieldsOnly.givenRuns = QJsonArray();
    for (ArraySpec &a : fieldsOnly.arrays)
        a.given = QJsonObject();
    const auto resolved = parseScenario(scenarioToJson(fieldsOnly), QStringLiteral("k.json"), &error, dir.path());
    QVERIFY2(resolved, qPrintable(error));
    for (qsizetype i = 0; i < first.arrays.size(); ++i) {
        ArraySpec expected = first.arrays.at(i);
        ArraySpec got = resolved->arrays.at(i);
        expected.given = got.given = QJsonObject();
        expected.like = got.like = QString();
        compareArrays(got, expected);
        QCOMPARE(arraySpecToJson(got), arraySpecToJson(expected));
    }
    QCOMPARE(resolved->runs.size(), first.runs.size());
    for (qsizetype i = 0; i < first.runs.size(); ++i) {
        RunSpec expected = first.runs.at(i);
        expected.sweep.reset();
        compareRuns(resolved->runs.at(i), expected);
        QCOMPARE(runSpecToJson(resolved->runs.at(i)), runSpecToJson(expected));
    }
}

} // namespace

class TestScenarioSave : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void roundTrip_data()
    {
        QTest::addColumn<QString>("file");
        QTest::newRow("rich") << QStringLiteral("data/scenarios/rich.json");
        QTest::newRow("default") << QStringLiteral("../resources/default-scenario.json");
    }

    void roundTrip()
    {
        QFETCH(QString, file);
        const QByteArray text = readAll(dataPath(file));
        QVERIFY(!text.isEmpty());
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        QVERIFY(QDir(dir.path()).mkpath(QStringLiteral("in.zarr"))); // rich.json's "existing" data
        // Parsed as if the file were in dir, so that the saved copy there resolves paths alike.
        QString error;
        const auto first = parseScenario(text, file, &error, dir.path());
        QVERIFY2(first, qPrintable(error));

        const QString saved = dir.filePath(QStringLiteral("saved.json"));
        QVERIFY2(saveScenarioFile(*first, saved, &error), qPrintable(error));
        const auto second = loadScenarioFile(saved, &error);
        QVERIFY2(second, qPrintable(error));
        compareScenarios(*first, *second);
        if (QTest::currentTestFailed())
            return;
        QCOMPARE(second->filePath, QFileInfo(saved).absoluteFilePath());

        // Saving is stable: the saved text saves to itself.
        QCOMPARE(scenarioToJson(*second), readAll(saved));
        // And a scenario written from resolved fields alone parses to the same specs.
        Scenario fieldsOnly = *first;
        fieldsOnly.givenRuns = QJsonArray();
        for (ArraySpec &a : fieldsOnly.arrays)
            a.given = QJsonObject();
        const auto third = parseScenario(scenarioToJson(fieldsOnly), file, &error, dir.path());
        QVERIFY2(third, qPrintable(error));
        QCOMPARE(third->arrays.size(), first->arrays.size());
        for (qsizetype i = 0; i < first->arrays.size(); ++i) {
            ArraySpec expected = first->arrays.at(i);
            ArraySpec got = third->arrays.at(i);
            expected.given = got.given = QJsonObject();
            expected.like = got.like = QString();
            compareArrays(got, expected);
            if (QTest::currentTestFailed())
                return;
        }
        QCOMPARE(third->runs.size(), first->runs.size());
        for (qsizetype i = 0; i < first->runs.size(); ++i) {
            RunSpec expected = first->runs.at(i);
            expected.sweep.reset(); // written one by one, the expanded runs are no sweep
            compareRuns(third->runs.at(i), expected);
        }
    }

    void writerLayout()
    {
        const auto s = parseOk(doc(R"("z9": {"fill": "empty", "like": "a1", "store": "zarr"}, )" + A1,
                                   R"([{"target": "z9", "source": "a1", "name": "n"}])"));
        QVERIFY(s);
        Scenario named = *s;
        named.name = QStringLiteral("N");
        QCOMPARE(scenarioToJson(named), QByteArray(R"({
  "chunkscope": 1,
  "name": "N",
  "arrays": {
    "z9": {"store": "zarr", "like": "a1", "fill": "empty"},
    "a1": {"store": "memory", "dtype": "<i4", "shape": [100], "chunks": [10], "fill": "arange"}
  },
  "runs": [
    {"name": "n", "source": "a1", "target": "z9"}
  ]
}
)"));
        // Too long for one line: one key per line.
        Scenario wide = named;
        wide.arrays[1].given.insert(QStringLiteral("fill"),
                                    QJsonObject{{QStringLiteral("copy"), QString(QStringLiteral("x")).repeated(80)}});
        QVERIFY(scenarioToJson(wide).contains(R"(    "a1": {
      "store": "memory",
      "dtype": "<i4",)"));
    }

    void rebuildAfterEdit()
    {
        auto s = parseOk(doc(A1 + ", " + A2, R"([{"name": "r", "source": "a1", "target": "a2"}])"));
        QVERIFY(s);
        Scenario edited = *s;
        edited.arrays[0].given.insert(QStringLiteral("shape"), QJsonArray{200});
        edited.arrays[0].given.insert(QStringLiteral("chunks"), QJsonArray{50});
        QString error;
        const auto rebuilt = rebuildScenario(edited, &error);
        QVERIFY2(rebuilt, qPrintable(error));
        QVERIFY(rebuilt->array(QStringLiteral("a2"))->shape == v({200})); // through `like`
        QVERIFY(rebuilt->runs.at(0).chunks == v({50}));
        edited.arrays[0].given.insert(QStringLiteral("shape"), QJsonArray{-3});
        QVERIFY(!rebuildScenario(edited, &error));
        QCOMPARE(error, QStringLiteral("scenario: /arrays/a1/shape/0: must be a non-negative integer"));
    }

    // Every array key of every store kind, from the tables the parser checks keys against.
    void everyArrayKeySurvivesSaving()
    {
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        for (const StoreKind *kind : storeKinds()) {
            QStringList keys = kind->id() == QLatin1String("memory") ? commonArrayKeys() : QStringList();
            for (const KindKey &key : kind->keys())
                keys.append(key.name);
            for (const QString &key : std::as_const(keys)) {
                const QString row = commonArrayKeys().contains(key) ? key : kind->id() + QLatin1Char('/') + key;
                if (!arrayKeyValues().contains(row))
                    QFAIL(qPrintable(QStringLiteral("no value to save for the array key %1").arg(row)));
                QJsonObject with = baseArray(kind->id());
                with.insert(key, arrayKeyValues().value(row));
                if (key == QLatin1String("like")) // like takes the geometry of a1
                    for (const char *k : {"dtype", "shape", "chunks"})
                        with.remove(QLatin1String(k));
                // zarr.json's own keys belong to a Zarr v3 array.
                if (QStringList{QStringLiteral("codecs"), QStringLiteral("chunk_key_encoding"),
                                QStringLiteral("dimension_names"), QStringLiteral("attributes")}
                        .contains(key))
                    with.insert(QStringLiteral("zarr_format"), 3);
                if (key == QLatin1String("s3")) // an "s3" object belongs to an s3:// path
                    with.insert(QStringLiteral("path"), QStringLiteral("s3://my-bucket/x.zarr"));
                if (key == QLatin1String("compression_opts"))
                    with.insert(QStringLiteral("compression"), QStringLiteral("gzip"));
                if (key == QLatin1String("overwrite")) { // overwrite needs a place to overwrite
                    with.insert(QStringLiteral("store"), QStringLiteral("zarr"));
                    with.insert(QStringLiteral("path"), QStringLiteral("o.zarr"));
                }
                QString error;
                const auto first = parseIn(dir, with, {}, &error);
                QVERIFY2(first, qPrintable(row + QStringLiteral(": ") + error));
                // The value is not a default: leaving it out resolves otherwise, or does not parse.
                QJsonObject without = with;
                without.remove(key);
                if (const auto plain = parseIn(dir, without, {}, &error))
                    QVERIFY2(arraySpecToJson(*plain->array(QStringLiteral("x")))
                                     != arraySpecToJson(*first->array(QStringLiteral("x")))
                                 || key == QLatin1String("like"),
                             qPrintable(row));
                checkBothWaysOfSaving(dir, *first);
                if (QTest::currentTestFailed()) {
                    qWarning().noquote() << "array key" << row;
                    return;
                }
            }
        }
    }

    // Every run key, from the table the parser checks run keys against.
    void everyRunKeySurvivesSaving()
    {
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        const QJsonObject base{{QStringLiteral("name"), QStringLiteral("r")},
                               {QStringLiteral("source"), QStringLiteral("a1")},
                               {QStringLiteral("target"), QStringLiteral("x")}};
        for (const QString &key : scenarioRunKeys()) {
            if (!runKeyValues().contains(key))
                QFAIL(qPrintable(QStringLiteral("no value to save for the run key %1").arg(key)));
            QJsonObject run = base;
            run.insert(key, runKeyValues().value(key));
            // hdf5_path is about HDF5 arrays; the others copy into a memory array.
            QJsonObject x = baseArray(QStringLiteral("memory"));
            if (key == QLatin1String("hdf5_path"))
                x = baseArray(QStringLiteral("hdf5"));
            x.insert(QStringLiteral("fill"), QStringLiteral("empty"));
            QString error;
            const auto first = parseIn(dir, x, run, &error);
            QVERIFY2(first, qPrintable(key + QStringLiteral(": ") + error));
            QJsonObject without = run;
            without.remove(key);
            if (const auto plain = parseIn(dir, x, without, &error))
                QVERIFY2(runSpecToJson(plain->runs.at(0)) != runSpecToJson(first->runs.at(0)), qPrintable(key));
            checkBothWaysOfSaving(dir, *first);
            if (QTest::currentTestFailed()) {
                qWarning().noquote() << "run key" << key;
                return;
            }
        }
    }

    // The top-level keys come back as the file gave them, "order" included even at its default, and
    // a draft holds them too.
    void everyTopLevelKeySurvivesSaving()
    {
        const QHash<QString, QByteArray> values
            = {{QStringLiteral("chunkscope"), "1"},
               {QStringLiteral("name"), "\"N\""},
               {QStringLiteral("description"), "\"D\""},
               {QStringLiteral("order"), "\"sequential\""},
               {QStringLiteral("arrays"), "{" + A1 + ", " + A2 + "}"},
               {QStringLiteral("runs"), R"([{"name": "r", "source": "a1", "target": "a2"}])"}};
        QByteArray text = "{";
        for (const QString &key : scenarioTopKeys()) {
            if (!values.contains(key))
                QFAIL(qPrintable(QStringLiteral("no value to save for the top-level key %1").arg(key)));
            text += (text.size() > 1 ? ", \"" : "\"") + key.toUtf8() + "\": " + values.value(key);
        }
        text += "}";
        for (const QByteArray &order : {QByteArray("\"sequential\""), QByteArray("\"interleaved\"")}) {
            const QByteArray file = QByteArray(text).replace("\"sequential\"", order);
            const auto first = parseOk(file);
            QVERIFY(first);
            const QByteArray saved = scenarioToJson(*first);
            QCOMPARE(QJsonDocument::fromJson(saved).object(), QJsonDocument::fromJson(file).object());
            const auto second = parseOk(saved);
            QVERIFY(second);
            compareScenarios(*first, *second);
            const std::optional<Scenario> draft = parseScenarioDraft(file);
            QVERIFY(draft);
            QCOMPARE(draft->order, first->order);
            QCOMPARE(QJsonDocument::fromJson(scenarioToJson(*draft)).object(), QJsonDocument::fromJson(file).object());
        }
        // Left out, the order is the default and saving adds nothing.
        const auto plain = parseOk(doc(A1));
        QVERIFY(plain);
        QVERIFY(!scenarioToJson(*plain).contains("order"));
    }
};

QTEST_GUILESS_MAIN(TestScenarioSave)
#include "tst_scenariosave.moc"
