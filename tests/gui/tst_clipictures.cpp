// `chunkscope run --png` with --png-size and --png-scale, on the built binary: the pictures have the
// size asked for, and a size or scale out of range is refused before anything runs.
#include "testfiles.h"
#include "tinyscenario.h"

#include <QDir>
#include <QImage>
#include <QProcess>
#include <QTemporaryDir>
#include <QtTest>

namespace {

struct Outcome {
    int exitCode = -1;
    QString stderrText;
};

Outcome runChunkscope(const QStringList &arguments, const QString &workingDirectory)
{
    QProcess p;
    p.setWorkingDirectory(workingDirectory);
    p.start(QStringLiteral(CHUNKSCOPE_BINARY), arguments);
    Outcome o;
    if (!p.waitForFinished(60000))
        return o;
    o.exitCode = p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -2;
    o.stderrText = QString::fromUtf8(p.readAllStandardError());
    return o;
}

} // namespace

class TestCliPictures : public QObject {
    Q_OBJECT

private:
    QTemporaryDir m_dir;

private slots:
    void initTestCase() { QVERIFY(m_dir.isValid()); }

    void sizeAndScale()
    {
        const QString scenario = writeFileIn(m_dir, QStringLiteral("s.json"), kTinyScenario);
        const QString out = m_dir.filePath(QStringLiteral("png"));
        const Outcome o = runChunkscope({QStringLiteral("run"), scenario, QStringLiteral("--quiet"),
                                         QStringLiteral("--png"), out, QStringLiteral("--png-size"),
                                         QStringLiteral("900x600"), QStringLiteral("--png-scale"), QStringLiteral("2")},
                                        m_dir.path());
        QVERIFY2(o.exitCode == 0, qPrintable(o.stderrText));
        const QImage image(QDir(out).filePath(QStringLiteral("copy.png")));
        QCOMPARE(image.size(), QSize(1800, 1200));

        // Without them, the pictures are 1600 wide at ratio 1, and 900 high or as much more as the
        // profile's charts need to show whole.
        const QString plain = m_dir.filePath(QStringLiteral("plain"));
        const Outcome p = runChunkscope(
            {QStringLiteral("run"), scenario, QStringLiteral("--quiet"), QStringLiteral("--png"), plain}, m_dir.path());
        QVERIFY2(p.exitCode == 0, qPrintable(p.stderrText));
        const QImage plainImage(QDir(plain).filePath(QStringLiteral("copy.png")));
        QCOMPARE(plainImage.width(), 1600);
        QVERIFY2(plainImage.height() >= 900, qPrintable(QString::number(plainImage.height())));
    }

    void refusals_data()
    {
        QTest::addColumn<QStringList>("options");
        QTest::addColumn<QString>("error");
        const QString png = QStringLiteral("--png");
        const QString dir = QStringLiteral("never");
        QTest::newRow("not WxH") << QStringList{png, dir, QStringLiteral("--png-size"), QStringLiteral("big")}
                                 << QStringLiteral(
                                        "error: --png-size: \"big\" is not WIDTHxHEIGHT, for example 1600x900\n");
        QTest::newRow("too small") << QStringList{png, dir, QStringLiteral("--png-size"), QStringLiteral("100x100")}
                                   << QStringLiteral(
                                          "error: --png-size: image size 100x100 is outside 200x150 to 16384x16384\n");
        QTest::newRow("scale") << QStringList{png, dir, QStringLiteral("--png-scale"), QStringLiteral("9")}
                               << QStringLiteral("error: --png-scale: \"9\" is not a number from 0.5 to 4\n");
        QTest::newRow("too many pixels")
            << QStringList{png,
                           dir,
                           QStringLiteral("--png-size"),
                           QStringLiteral("16384x16384"),
                           QStringLiteral("--png-scale"),
                           QStringLiteral("2")}
            << QStringLiteral(
                   "error: --png-scale: a 32768x32768 pixel image needs 4.0 GiB of memory, more than the 1.0 GiB "
                   "a picture may take; lower the size or the pixel ratio\n");
        QTest::newRow("no pictures") << QStringList{QStringLiteral("--png-scale"), QStringLiteral("2")}
                                     << QStringLiteral("error: --png-size and --png-scale need --png or --svg\n");
    }
    void refusals()
    {
        QFETCH(QStringList, options);
        QFETCH(QString, error);
        const QString scenario = writeFileIn(m_dir, QStringLiteral("s.json"), kTinyScenario);
        const Outcome o = runChunkscope(QStringList{QStringLiteral("run"), scenario} + options, m_dir.path());
        QCOMPARE(o.exitCode, 2);
        QCOMPARE(o.stderrText, error);
        QVERIFY(!QFileInfo::exists(m_dir.filePath(QStringLiteral("never"))));
    }
};

QTEST_GUILESS_MAIN(TestCliPictures)
#include "tst_clipictures.moc"
