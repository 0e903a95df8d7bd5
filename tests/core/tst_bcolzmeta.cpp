// The bcolz rootdir metadata parser on its own: what bcolz could not have written, or what would not
// write back as the same JSON, is refused naming the file; a hint that is no exact integer falls back.
#include "stores/carray/bcolzrootdir.h"
#include "stores/store.h"

#include <QtTest>

using namespace cs;

namespace {

QString parseError(const QByteArray &storage, const QByteArray &sizes)
{
    try {
        BcolzRootdir::parseMeta(storage, sizes, QStringLiteral("S"), QStringLiteral("Z"));
    } catch (const StoreError &e) {
        return e.message();
    }
    return QStringLiteral("(no error)");
}

} // namespace

class TestBcolzMeta : public QObject {
    Q_OBJECT

private slots:
    // bcolz metadata that would not write back as the same JSON, or that no bcolz could have written.
    void metadataBounds_data()
    {
        QTest::addColumn<QByteArray>("cparams");
        QTest::addColumn<QString>("error");
        QTest::newRow("cname with a backslash and a quote")
            << QByteArray("{\"clevel\": 5, \"shuffle\": 1, \"cname\": \"lz\\\\4\\\"\"}")
            << QStringLiteral("S: \"cname\" must be one of blosclz, lz4, lz4hc, snappy, zlib, zstd");
        QTest::newRow("clevel 10") << QByteArray("{\"clevel\": 10, \"shuffle\": 1}")
                                   << QStringLiteral("S: \"clevel\" must be an integer from 0 to 9");
        QTest::newRow("shuffle 3") << QByteArray("{\"clevel\": 1, \"shuffle\": 3}")
                                   << QStringLiteral("S: \"shuffle\" must be an integer from 0 to 2");
    }
    void metadataBounds()
    {
        QFETCH(QByteArray, cparams);
        QFETCH(QString, error);
        const QByteArray storage = "{\"dtype\": \"int32\", \"cparams\": " + cparams + ", \"chunklen\": 4}";
        const QByteArray sizes = "{\"shape\": [10], \"nbytes\": 40, \"cbytes\": 0}";
        QCOMPARE(parseError(storage, sizes), error);
    }

    // An expectedlen that is not an exact integer is only a hint, so the length replaces it.
    void inexactExpectedlenFallsBackToTheLength()
    {
        const QByteArray sizes = "{\"shape\": [10], \"nbytes\": 40, \"cbytes\": 0}";
        for (const char *expected : {"1e300", "1.5", "-3"}) {
            const QByteArray storage
                = QByteArray("{\"dtype\": \"int32\", \"cparams\": {\"clevel\": 5, \"shuffle\": 1}, \"chunklen\": 4, "
                             "\"expectedlen\": ")
                + expected + '}';
            QCOMPARE(BcolzRootdir::parseMeta(storage, sizes, QStringLiteral("S"), QStringLiteral("Z")).expectedlen,
                     int64_t(10));
        }
    }
};

QTEST_GUILESS_MAIN(TestBcolzMeta)
#include "tst_bcolzmeta.moc"
