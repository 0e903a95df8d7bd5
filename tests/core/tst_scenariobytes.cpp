// A scenario file is read once: the bytes the ranks of an MPI job hash and compare are the bytes each
// parses and runs, even when the file changes between the two.

#include "cluster/clusterplan.h"
#include "scenario/scenarioparser.h"
#include "stores/storekind.h"
#include "testfiles.h"

#include <QCryptographicHash>
#include <QDir>
#include <QTemporaryDir>
#include <QTest>

using namespace cs;

namespace {

QByteArray scenarioNamed(const char *name)
{
    return QByteArray(R"({"chunkscope": 1, "name": ")") + name + R"(", "arrays": {
        "src": {"store": "zarr", "path": "src.zarr", "dtype": "<i4", "shape": [8], "chunks": [4], "fill": "arange"},
        "dst": {"store": "memory", "like": "src", "fill": "empty"}},
        "runs": [{"name": "copy", "source": "src", "target": "dst"}]})";
}

QByteArray sha256(const QByteArray &bytes)
{
    return QCryptographicHash::hash(bytes, QCryptographicHash::Sha256);
}

} // namespace

class TestScenarioBytes : public QObject {
    Q_OBJECT

private Q_SLOTS:
    // The file is rewritten after it was read: the hash and the parse both hold what was read.
    void hashAndParseTakeTheBytesReadOnce()
    {
        QTemporaryDir dir;
        const QByteArray first = scenarioNamed("first");
        const QString path = writeFileIn(dir, QStringLiteral("s.json"), first);
        const ScenarioBytes file = ScenarioBytes::read(path);
        QVERIFY(writeAll(path, scenarioNamed("second")));

        QCOMPARE(file.data, std::optional<QByteArray>(first));
        QCOMPARE(scenarioFingerprint(file, {}), sha256(first));
        QCOMPARE(scenarioFingerprint(file, {QStringLiteral("copy")}), sha256(first + '\0' + "copy"));
        QString error;
        const std::optional<Scenario> s = parseScenarioBytes(file, &error);
        QVERIFY2(s, qPrintable(error));
        QCOMPARE(s->name, QStringLiteral("first"));
        // Still a file's scenario: its paths resolve against the file's directory.
        QCOMPARE(s->filePath, QDir(dir.path()).absoluteFilePath(QStringLiteral("s.json")));
        const ArraySpec *src = s->array(QStringLiteral("src"));
        QCOMPARE(src->kind()->location(src->options), dir.filePath(QStringLiteral("src.zarr")));

        // A rank that reads the file now reads the other scenario, and its hash says so.
        const ScenarioBytes later = ScenarioBytes::read(path);
        QCOMPARE(later.data, std::optional<QByteArray>(scenarioNamed("second")));
        QVERIFY(scenarioFingerprint(later, {}) != scenarioFingerprint(file, {}));
    }

    // A file that cannot be read: ranks that all failed alike agree, and the parse gives the read's error.
    void unreadableFileHashesItsReason()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("missing.json"));
        const ScenarioBytes file = ScenarioBytes::read(path);
        QVERIFY(!file.data);
        QCOMPARE(file.error, path + QStringLiteral(": cannot open: No such file or directory"));
        QCOMPARE(scenarioFingerprint(file, {}), sha256("unreadable: " + file.error.toUtf8()));
        QString error;
        QVERIFY(!parseScenarioBytes(file, &error));
        QCOMPARE(error, file.error);
    }
};

QTEST_GUILESS_MAIN(TestScenarioBytes)
#include "tst_scenariobytes.moc"
