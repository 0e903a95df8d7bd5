// The array form's Zarr v3 rows, driven as a user drives them (keys, clicks): the format, the codecs as
// an ordered list, sharding, chunk keys and dimension names; checked against the exact JSON the scenario
// document holds, the file saved from it, and the core's own words for a codecs list it refuses.

#include "codecs/chunkcodec.h"
#include "stores/zarr/v3/zarrv3codecs.h"
#include "testfiles.h"
#include "windows/arrayform.h"
#include "windows/codeclisteditor.h"
#include "windows/mainwindow.h"
#include "windows/scenariodocument.h"
#include "windows/scenariopanel.h"
#include "windowtests.h"

#include <QCheckBox>
#include <QComboBox>
#include <QJsonArray>
#include <QJsonDocument>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QPushButton>
#include <QScrollArea>
#include <QSpinBox>
#include <QTemporaryDir>
#include <QtTest>

using namespace cs;

namespace {

const char *const kV2Scenario = R"({
  "chunkscope": 1,
  "arrays": {
    "src": {"store": "memory", "dtype": "<i4", "shape": [400, 600], "chunks": [100, 100], "fill": "arange"},
    "z": {"store": "zarr", "like": "src", "compressor": {"id": "zlib", "level": 3}, "fill": "empty"}
  },
  "runs": [{"name": "to zarr", "source": "src", "target": "z"}]
})";

// Written by hand: a sharded v3 array as zarr.json would list it, with keys the fields do not cover
// (blosc's typesize, the index codecs) that must survive.
const char *const kShardedScenario = R"({
  "chunkscope": 1,
  "arrays": {
    "src": {"store": "memory", "dtype": "<i4", "shape": [400, 600], "chunks": [100, 100], "fill": "arange"},
    "z": {"store": "zarr", "zarr_format": 3, "dtype": "<i4", "shape": [400, 600], "chunks": [200, 300],
          "fill": "empty",
          "codecs": [{"name": "sharding_indexed", "configuration": {
              "chunk_shape": [100, 100],
              "codecs": [{"name": "transpose", "configuration": {"order": [1, 0]}},
                         {"name": "bytes", "configuration": {"endian": "big"}},
                         {"name": "blosc", "configuration": {"cname": "lz4", "clevel": 7, "shuffle": "bitshuffle",
                                                              "typesize": 4, "blocksize": 0}},
                         {"name": "crc32c"}],
              "index_codecs": [{"name": "bytes", "configuration": {"endian": "little"}}, {"name": "crc32c"}],
              "index_location": "start"}}],
          "chunk_key_encoding": {"name": "v2", "configuration": {"separator": "."}},
          "dimension_names": ["y", null],
          "attributes": {"units": "m"}}
  },
  "runs": [{"name": "to zarr", "source": "src", "target": "z"}]
})";

QJsonValue json(const char *text)
{
    const QJsonDocument doc = QJsonDocument::fromJson(QByteArray("[") + text + "]");
    return doc.array().at(0);
}

// Moves a combo box to `text` with the arrow keys, as a user does; each step is "activated".
void choose(QComboBox *combo, const QString &text)
{
    QVERIFY(combo->findText(text) >= 0);
    combo->setFocus();
    const Qt::Key key = combo->findText(text) > combo->currentIndex() ? Qt::Key_Down : Qt::Key_Up;
    for (int i = 0; i < combo->count() && combo->currentText() != text; ++i)
        QTest::keyClick(combo, key);
    QCOMPARE(combo->currentText(), text);
    QApplication::processEvents(); // the form reloads after the document revalidates
}

void click(CodecListEditor *editor, const char *button)
{
    auto *b = editor->findChild<QPushButton *>(QLatin1String(button));
    QVERIFY2(b && b->isEnabled(), button);
    QTest::mouseClick(b, Qt::LeftButton);
    QApplication::processEvents();
}

void selectRow(CodecListEditor *editor, int row)
{
    QListWidget *list = editor->list();
    QTest::mouseClick(list->viewport(), Qt::LeftButton, {}, list->visualItemRect(list->item(row)).center());
    QCOMPARE(list->currentRow(), row);
}

void typeInto(QLineEdit *edit, const QString &text)
{
    edit->setFocus();
    edit->selectAll();
    QTest::keyClicks(edit, text);
    QTest::keyClick(edit, Qt::Key_Return);
    QApplication::processEvents();
}

// Shows the scenario at `path` in `w`, with array z's form; nullptr when it does not open.
ArrayForm *openArrayZ(MainWindow &w, const QString &path)
{
    w.show();
    QString error;
    if (!w.openScenario(path, &error)) {
        qWarning("%s", qPrintable(error));
        return nullptr;
    }
    w.scenarioPanel()->selectArray(QStringLiteral("z"));
    QApplication::processEvents();
    return w.scenarioPanel()->arrayForm();
}

QStringList rowTexts(const QListWidget *list)
{
    QStringList texts;
    for (int i = 0; i < list->count(); ++i)
        texts.append(list->item(i)->text());
    return texts;
}

} // namespace

class TestZarrV3Form : public QObject {
    Q_OBJECT

private slots:
    void initTestCase()
    {
        startFromEmptySettings();
        QVERIFY(m_dir.isValid());
    }

    // From a v2 array to a sharded v3 one by the form alone, then saved, reopened and shown the same.
    void buildsAShardedV3ArrayAndSavesIt()
    {
        const QString path = writeFileIn(m_dir, QStringLiteral("v2.json"), kV2Scenario);
        MainWindow w;
        ArrayForm *form = openArrayZ(w, path);
        QVERIFY(form);
        QString error;
        auto *format = qobject_cast<QComboBox *>(form->rows().editor(QStringLiteral("zarr_format")));
        auto *editor = qobject_cast<CodecListEditor *>(form->rows().editor(QStringLiteral("codecs")));
        QVERIFY(format && editor);
        QVERIFY(form->rows().editor(QStringLiteral("compressor"))->isVisibleTo(form));
        QVERIFY(!editor->isVisibleTo(form));

        choose(format, QStringLiteral("3"));
        const auto given = [&] { return w.document()->scenario().array(QStringLiteral("z"))->given; };
        QCOMPARE(given().value(QLatin1String("zarr_format")), QJsonValue(3));
        QVERIFY(!given().contains(QLatin1String("compressor"))); // a v2 key would be an error now
        QVERIFY2(w.document()->isValid(), qPrintable(w.document()->error()));
        QVERIFY(!form->rows().editor(QStringLiteral("compressor"))->isVisibleTo(form));
        QVERIFY(editor->isVisibleTo(form));
        // No list given: the default shows, and the scenario leaves "codecs" out.
        QCOMPARE(rowTexts(editor->list()),
                 (QStringList{QStringLiteral("1. bytes: endian little"),
                              QStringLiteral("2. zstd: checksum false, level 0")}));
        QVERIFY(!given().contains(QLatin1String("codecs")));

        // Add blosc after bytes, set its level, then move zstd above it and remove zstd; add crc32c last.
        selectRow(editor, 0);
        choose(editor->findChild<QComboBox *>(QStringLiteral("codecChoice")), QStringLiteral("blosc"));
        click(editor, "addCodec");
        QCOMPARE(editor->list()->currentRow(), 1);
        auto *clevel = qobject_cast<QSpinBox *>(editor->field(QStringLiteral("blosc/clevel")));
        QVERIFY(clevel && clevel->isVisibleTo(form));
        clevel->setFocus();
        QTest::keyClick(clevel, Qt::Key_Up); // 5 -> 6
        QApplication::processEvents();
        selectRow(editor, 2);
        click(editor, "moveUp");
        QCOMPARE(editor->list()->currentRow(), 1);
        click(editor, "removeCodec");
        selectRow(editor, 1);
        choose(editor->findChild<QComboBox *>(QStringLiteral("codecChoice")), QStringLiteral("crc32c"));
        click(editor, "addCodec");
        QCOMPARE(given().value(QLatin1String("codecs")),
                 json(R"([{"name": "bytes", "configuration": {"endian": "little"}},
                          {"name": "blosc", "configuration": {"cname": "zstd", "clevel": 6, "shuffle": "shuffle",
                                                             "blocksize": 0, "typesize": 4}},
                          {"name": "crc32c"}])"));
        QVERIFY2(w.document()->isValid(), qPrintable(w.document()->error()));

        // Sharding: the list so far encodes each inner chunk; "chunks" becomes the shard shape.
        auto *sharding = form->findChild<QCheckBox *>(QStringLiteral("sharding"));
        auto *inner = form->findChild<QLineEdit *>(QStringLiteral("innerChunks"));
        QVERIFY(sharding && inner && sharding->isVisibleTo(form));
        typeInto(inner, QStringLiteral("50, 50"));
        QTest::mouseClick(sharding, Qt::LeftButton, {}, QPoint(4, sharding->height() / 2));
        QApplication::processEvents();
        QVERIFY(sharding->isChecked());
        auto *chunks = qobject_cast<QLineEdit *>(form->rows().editor(QStringLiteral("chunks")));
        typeInto(chunks, QStringLiteral("200, 300"));
        auto *location = qobject_cast<QComboBox *>(form->rows().editor(QStringLiteral("codecs/index_location")));
        QVERIFY(location && location->isVisibleTo(form));
        choose(location, QStringLiteral("start"));
        // zarr-python's checksummed little-endian index until another is chosen.
        auto *index = qobject_cast<QComboBox *>(form->rows().editor(QStringLiteral("codecs/index_codecs")));
        QVERIFY(index && index->isVisibleTo(form));
        QCOMPARE(index->currentText(), QStringLiteral("bytes (little), crc32c"));
        choose(index, QStringLiteral("bytes (big)"));
        auto *keys = qobject_cast<QComboBox *>(form->rows().editor(QStringLiteral("chunk_key_encoding")));
        choose(keys, QStringLiteral("default, separator . (c.0.0)"));
        typeInto(qobject_cast<QLineEdit *>(form->rows().editor(QStringLiteral("dimension_names"))),
                 QStringLiteral("y, x"));
        QVERIFY2(w.document()->isValid(), qPrintable(w.document()->error()));

        const QJsonObject expected = QJsonDocument::fromJson(R"({
            "store": "zarr", "like": "src", "fill": "empty", "zarr_format": 3, "chunks": [200, 300],
            "codecs": [{"name": "sharding_indexed", "configuration": {
                "chunk_shape": [50, 50],
                "codecs": [{"name": "bytes", "configuration": {"endian": "little"}},
                           {"name": "blosc", "configuration": {"cname": "zstd", "clevel": 6, "shuffle": "shuffle",
                                                              "blocksize": 0, "typesize": 4}},
                           {"name": "crc32c"}],
                "index_codecs": [{"name": "bytes", "configuration": {"endian": "big"}}],
                "index_location": "start"}}],
            "chunk_key_encoding": {"name": "default", "configuration": {"separator": "."}},
            "dimension_names": ["y", "x"]})")
                                         .object();
        QCOMPARE(given(), expected);
        QCOMPARE(form->rows().editor(QStringLiteral("chunks")), chunks);

        // Saved, reopened: the same keys, and the form shows them.
        const QString saved = m_dir.filePath(QStringLiteral("v3.json"));
        QVERIFY2(w.saveScenario(saved, &error), qPrintable(error));
        MainWindow again;
        ArrayForm *form2 = openArrayZ(again, saved);
        QVERIFY(form2);
        QCOMPARE(again.document()->scenario().array(QStringLiteral("z"))->given, expected);
        auto *editor2 = qobject_cast<CodecListEditor *>(form2->rows().editor(QStringLiteral("codecs")));
        QCOMPARE(rowTexts(editor2->list()), rowTexts(editor->list()));
        QVERIFY(form2->findChild<QCheckBox *>(QStringLiteral("sharding"))->isChecked());
        QCOMPARE(form2->findChild<QLineEdit *>(QStringLiteral("innerChunks"))->text(), QStringLiteral("50, 50"));
        QCOMPARE(qobject_cast<QComboBox *>(form2->rows().editor(QStringLiteral("codecs/index_codecs")))->currentText(),
                 QStringLiteral("bytes (big)"));
        w.document()->load(path, &error); // leave without the unsaved-changes prompt
    }

    // A hand-written sharded array: every field shows what the file says, and saving it untouched
    // keeps every key.
    void showsAHandWrittenShardedArray()
    {
        const QString path = writeFileIn(m_dir, QStringLiteral("sharded.json"), kShardedScenario);
        MainWindow w;
        ArrayForm *form = openArrayZ(w, path);
        QVERIFY(form);
        QString error;
        QVERIFY2(w.document()->isValid(), qPrintable(w.document()->error()));
        FormRows &rows = form->rows();
        QCOMPARE(qobject_cast<QComboBox *>(rows.editor(QStringLiteral("zarr_format")))->currentText(),
                 QStringLiteral("3"));
        QVERIFY(form->findChild<QCheckBox *>(QStringLiteral("sharding"))->isChecked());
        QCOMPARE(form->findChild<QLineEdit *>(QStringLiteral("innerChunks"))->text(), QStringLiteral("100, 100"));
        auto *editor = qobject_cast<CodecListEditor *>(rows.editor(QStringLiteral("codecs")));
        QCOMPARE(
            rowTexts(editor->list()),
            (QStringList{QStringLiteral("1. transpose: order [1, 0]"), QStringLiteral("2. bytes: endian big"),
                         QStringLiteral("3. blosc: blocksize 0, clevel 7, cname lz4, shuffle bitshuffle, typesize 4"),
                         QStringLiteral("4. crc32c")}));
        selectRow(editor, 2);
        QCOMPARE(qobject_cast<QComboBox *>(editor->field(QStringLiteral("blosc/cname")))->currentText(),
                 QStringLiteral("lz4"));
        QCOMPARE(qobject_cast<QSpinBox *>(editor->field(QStringLiteral("blosc/clevel")))->value(), 7);
        QCOMPARE(qobject_cast<QComboBox *>(editor->field(QStringLiteral("blosc/shuffle")))->currentText(),
                 QStringLiteral("bitshuffle"));
        selectRow(editor, 1);
        QCOMPARE(qobject_cast<QComboBox *>(editor->field(QStringLiteral("bytes/endian")))->currentText(),
                 QStringLiteral("big"));
        QCOMPARE(qobject_cast<QComboBox *>(rows.editor(QStringLiteral("codecs/index_location")))->currentText(),
                 QStringLiteral("start"));
        QCOMPARE(qobject_cast<QComboBox *>(rows.editor(QStringLiteral("chunk_key_encoding")))->currentText(),
                 QStringLiteral("v2, separator . (0.0)"));
        QCOMPARE(qobject_cast<QLineEdit *>(rows.editor(QStringLiteral("dimension_names")))->text(),
                 QStringLiteral("y, null"));
        QCOMPARE(qobject_cast<QLineEdit *>(rows.editor(QStringLiteral("attributes")))->text(),
                 QStringLiteral("{\"units\":\"m\"}"));
        QCOMPARE(qobject_cast<QLineEdit *>(rows.editor(QStringLiteral("chunks")))->text(), QStringLiteral("200, 300"));
        // The rows say what the numbers mean for a sharded array, in full.
        const auto labelOf = [form](const QString &text) {
            for (QLabel *l : form->findChildren<QLabel *>())
                if (l->text() == text && l->isVisibleTo(form))
                    return true;
            return false;
        };
        QVERIFY(labelOf(QStringLiteral("Shard shape")));
        QVERIFY(labelOf(QStringLiteral("Inner codecs")));
        QVERIFY(!rows.editor(QStringLiteral("compressor"))->isVisibleTo(form));
        QVERIFY(!rows.editor(QStringLiteral("order"))->isVisibleTo(form));

        // An edit of one field leaves every other key as written (typesize, index_codecs, attributes).
        auto *clevel = qobject_cast<QSpinBox *>(editor->field(QStringLiteral("blosc/clevel")));
        selectRow(editor, 2);
        clevel->setFocus();
        QTest::keyClick(clevel, Qt::Key_Down); // 7 -> 6
        QApplication::processEvents();
        QJsonObject expected = QJsonDocument::fromJson(kShardedScenario)
                                   .object()
                                   .value(QLatin1String("arrays"))
                                   .toObject()
                                   .value(QLatin1String("z"))
                                   .toObject();
        QCOMPARE(w.document()->scenario().array(QStringLiteral("z"))->given.value(QLatin1String("codecs")),
                 json(R"([{"name": "sharding_indexed", "configuration": {
              "chunk_shape": [100, 100],
              "codecs": [{"name": "transpose", "configuration": {"order": [1, 0]}},
                         {"name": "bytes", "configuration": {"endian": "big"}},
                         {"name": "blosc", "configuration": {"cname": "lz4", "clevel": 6, "shuffle": "bitshuffle",
                                                              "typesize": 4, "blocksize": 0}},
                         {"name": "crc32c"}],
              "index_codecs": [{"name": "bytes", "configuration": {"endian": "little"}}, {"name": "crc32c"}],
              "index_location": "start"}}])"));
        expected.remove(QStringLiteral("codecs"));
        QJsonObject rest = w.document()->scenario().array(QStringLiteral("z"))->given;
        rest.remove(QStringLiteral("codecs"));
        QCOMPARE(rest, expected);

        // Sharding off: the inner codecs become the array's own.
        auto *sharding = form->findChild<QCheckBox *>(QStringLiteral("sharding"));
        QTest::mouseClick(sharding, Qt::LeftButton, {}, QPoint(4, sharding->height() / 2));
        QApplication::processEvents();
        QCOMPARE(w.document()->scenario().array(QStringLiteral("z"))->given.value(QLatin1String("codecs")),
                 json(R"([{"name": "transpose", "configuration": {"order": [1, 0]}},
                          {"name": "bytes", "configuration": {"endian": "big"}},
                          {"name": "blosc", "configuration": {"cname": "lz4", "clevel": 6, "shuffle": "bitshuffle",
                                                               "typesize": 4, "blocksize": 0}},
                          {"name": "crc32c"}])"));
        QVERIFY(!rows.editor(QStringLiteral("codecs/index_location"))->isVisibleTo(form));
        QVERIFY(!rows.editor(QStringLiteral("codecs/index_codecs"))->isVisibleTo(form));
        QVERIFY(labelOf(QStringLiteral("Chunks")));
        w.document()->load(path, &error);
    }

    // A codecs list out of order is refused as the core words it, under the Codecs row.
    void invalidCodecOrderShowsTheCoreError_data()
    {
        QTest::addColumn<QString>("add");
        QTest::addColumn<int>("moves"); // how often the new codec moves up
        QTest::newRow("crc32c before bytes") << QStringLiteral("crc32c") << 1;
        QTest::newRow("two array-to-bytes codecs") << QStringLiteral("bytes") << 0;
        QTest::newRow("transpose after bytes") << QStringLiteral("transpose") << 0;
    }

    void invalidCodecOrderShowsTheCoreError()
    {
        QFETCH(QString, add);
        QFETCH(int, moves);
        const QString path = writeFileIn(m_dir, QStringLiteral("v2.json"), kV2Scenario);
        MainWindow w;
        ArrayForm *form = openArrayZ(w, path);
        QVERIFY(form);
        QString error;
        choose(qobject_cast<QComboBox *>(form->rows().editor(QStringLiteral("zarr_format"))), QStringLiteral("3"));
        auto *editor = qobject_cast<CodecListEditor *>(form->rows().editor(QStringLiteral("codecs")));
        selectRow(editor, 0);
        choose(editor->findChild<QComboBox *>(QStringLiteral("codecChoice")), add);
        click(editor, "addCodec");
        for (int i = 0; i < moves; ++i)
            click(editor, "moveUp");
        QVERIFY(!w.document()->isValid());

        // The core's message for the same list, chunks and dtype.
        QList<ZarrV3Codec> codecs;
        for (const QJsonValue &v : editor->codecs())
            codecs.append({v.toObject().value(QLatin1String("name")).toString(),
                           v.toObject().value(QLatin1String("configuration")).toObject(), true});
        QString core;
        try {
            makeZarrV3Codecs(codecs, Coords::fromVector({100, 100}), *DType::parse(QStringLiteral("<i4")));
        } catch (const CodecError &e) {
            core = e.message();
        }
        QVERIFY(!core.isEmpty());
        const QString line = path + QStringLiteral(": /arrays/z/codecs: ") + core;
        QCOMPARE(w.document()->error(), line);
        QCOMPARE(form->rows().errorText(QStringLiteral("codecs")), line);

        // Removing the codec again clears it.
        click(editor, "removeCodec");
        QVERIFY2(w.document()->isValid(), qPrintable(w.document()->error()));
        QVERIFY(form->rows().errorText(QStringLiteral("codecs")).isEmpty());
        w.document()->load(path, &error);
    }

    // An empty list (every codec removed) is the core's error too, and the form keeps working.
    void removingEveryCodecShowsTheCoreError()
    {
        const QString path = writeFileIn(m_dir, QStringLiteral("sharded.json"), kShardedScenario);
        MainWindow w;
        ArrayForm *form = openArrayZ(w, path);
        QVERIFY(form);
        QString error;
        auto *sharding = form->findChild<QCheckBox *>(QStringLiteral("sharding"));
        QTest::mouseClick(sharding, Qt::LeftButton, {}, QPoint(4, sharding->height() / 2));
        QApplication::processEvents();
        auto *editor = qobject_cast<CodecListEditor *>(form->rows().editor(QStringLiteral("codecs")));
        selectRow(editor, 0);
        for (int i = 0; i < 4; ++i)
            click(editor, "removeCodec");
        QCOMPARE(editor->list()->count(), 0);
        QCOMPARE(w.document()->scenario().array(QStringLiteral("z"))->given.value(QLatin1String("codecs")),
                 QJsonValue(QJsonArray()));
        const QString line = path
            + QStringLiteral(": /arrays/z/codecs: codecs must hold an array-to-bytes codec "
                             "(bytes or sharding_indexed)");
        QCOMPARE(form->rows().errorText(QStringLiteral("codecs")), line);
        QVERIFY(!form->findChild<QPushButton *>(QStringLiteral("removeCodec"))->isEnabled());
        choose(editor->findChild<QComboBox *>(QStringLiteral("codecChoice")), QStringLiteral("bytes"));
        click(editor, "addCodec");
        QVERIFY2(w.document()->isValid(), qPrintable(w.document()->error()));
        w.document()->load(path, &error);
    }

    // Back to v2, the v2 keys the array had come back; v3's go aside.
    void switchingFormatKeepsEachFormatsKeys()
    {
        const QString path = writeFileIn(m_dir, QStringLiteral("v2.json"), kV2Scenario);
        MainWindow w;
        ArrayForm *form = openArrayZ(w, path);
        QVERIFY(form);
        QString error;
        auto *format = qobject_cast<QComboBox *>(form->rows().editor(QStringLiteral("zarr_format")));
        const QJsonObject v2 = w.document()->scenario().array(QStringLiteral("z"))->given;
        choose(format, QStringLiteral("3"));
        typeInto(qobject_cast<QLineEdit *>(form->rows().editor(QStringLiteral("dimension_names"))),
                 QStringLiteral("y, x"));
        choose(format, QStringLiteral("default (2)"));
        QCOMPARE(w.document()->scenario().array(QStringLiteral("z"))->given, v2);
        QVERIFY2(w.document()->isValid(), qPrintable(w.document()->error()));
        choose(format, QStringLiteral("3"));
        QCOMPARE(w.document()->scenario().array(QStringLiteral("z"))->given.value(QLatin1String("dimension_names")),
                 json(R"(["y", "x"])"));
        w.document()->load(path, &error);
    }

    // At the smallest supported window and a common one, the sharded array's form shows every label and
    // button in full and the codec rows unclipped; the form scrolls rather than squeezes.
    void shardedFormIsLegible_data()
    {
        QTest::addColumn<QSize>("size");
        QTest::addColumn<QByteArray>("scenario");
        QTest::addColumn<int>("row"); // the codec whose settings show
        const QByteArray sharded = kShardedScenario;
        const QByteArray plain
            = QByteArray(kV2Scenario).replace(R"("compressor": {"id": "zlib", "level": 3})", R"("zarr_format": 3)");
        QTest::newRow("sharded 1024x700") << QSize(1024, 700) << sharded << 2; // blosc: the most fields
        QTest::newRow("sharded 1600x1000") << QSize(1600, 1000) << sharded << 2;
        QTest::newRow("default codecs 1024x700") << QSize(1024, 700) << plain << 1;
    }

    void shardedFormIsLegible()
    {
        QFETCH(QSize, size);
        QFETCH(QByteArray, scenario);
        QFETCH(int, row);
        const QString path = writeFileIn(m_dir, QStringLiteral("legible.json"), scenario);
        MainWindow w;
        w.resize(size);
        ArrayForm *form = openArrayZ(w, path);
        QVERIFY(form);
        QString error;
        for (int i = 0; i < 5; ++i) {
            QApplication::processEvents();
            QTest::qWait(10);
        }
        auto *editor = qobject_cast<CodecListEditor *>(form->rows().editor(QStringLiteral("codecs")));
        selectRow(editor, row);
        QApplication::processEvents();
        int checked = 0;
        for (QLabel *l : form->findChildren<QLabel *>()) {
            if (!l->isVisibleTo(form) || l->text().isEmpty() || l->wordWrap())
                continue;
            QVERIFY2(l->width() >= l->sizeHint().width(),
                     qPrintable(QStringLiteral("label \"%1\": %2 of %3 px")
                                    .arg(l->text())
                                    .arg(l->width())
                                    .arg(l->sizeHint().width())));
            ++checked;
        }
        for (QPushButton *b : editor->findChildren<QPushButton *>()) {
            if (!b->isVisibleTo(form))
                continue;
            QVERIFY2(b->width() >= b->fontMetrics().horizontalAdvance(b->text()) + 8, qPrintable(b->text()));
            ++checked;
        }
        QVERIFY(checked >= 20); // the checks saw the form
        QListWidget *list = editor->list();
        for (int i = 0; i < list->count(); ++i) {
            const QRect r = list->visualItemRect(list->item(i));
            QVERIFY2(list->viewport()->rect().contains(r), qPrintable(list->item(i)->text()));
        }
        if (const QString shots = qEnvironmentVariable("CHUNKSCOPE_SCREENSHOTS"); !shots.isEmpty()) {
            QDir().mkpath(shots);
            const QString name = QStringLiteral("zarr-v3-form-%1")
                                     .arg(QLatin1String(QTest::currentDataTag()))
                                     .replace(QLatin1Char(' '), QLatin1Char('-'));
            QVERIFY(form->grab().save(QDir(shots).filePath(name + QStringLiteral("-whole.png"))));
            for (QWidget *p = form; p; p = p->parentWidget())
                if (auto *scroll = qobject_cast<QScrollArea *>(p))
                    scroll->ensureWidgetVisible(editor, 0, 0);
            QApplication::processEvents();
            QVERIFY(w.grab().save(QDir(shots).filePath(name + QStringLiteral(".png"))));
        }
        w.document()->load(path, &error);
    }

private:
    QTemporaryDir m_dir;
};

QTEST_MAIN(TestZarrV3Form)
#include "tst_zarrv3form.moc"
