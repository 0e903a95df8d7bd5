// The array form's rows for a Zarr array on an S3-compatible server, driven with keys: they appear
// with an s3:// path, each edit sets one key of the "s3" object, the scenario's errors show under the
// key they name, a saved file reopens the same, and no credential is ever shown.

#include "formdriving.h"
#include "testfiles.h"
#include "windows/scenariodocument.h"
#include "windowtests.h"

#include <QAbstractItemModel>
#include <QAbstractItemView>
#include <QComboBox>
#include <QJsonArray>
#include <QJsonDocument>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QTemporaryDir>
#include <QtTest>

using namespace cs;

namespace {

// Array z of each test, as the file gives it. (No raw strings with "//" in them: moc takes that for a
// comment.)
const char *const kInMemory = R"({"store": "zarr", "like": "src", "fill": "empty"})";
const char *const kAllowHttpYes
    = "{\"store\": \"zarr\", \"like\": \"src\", \"fill\": \"empty\", \"path\": "
      "\"s3://my-bucket/z.zarr\", \"s3\": {\"region\": \"eu-west-1\", \"allow_http\": \"yes\"}}";
const char *const kBesideLocalPath
    = R"({"store": "zarr", "like": "src", "fill": "empty", "s3": {"region": "eu-west-1"}})";
const char *const kWithSecret = "{\"store\": \"zarr\", \"like\": \"src\", \"fill\": \"empty\", \"path\": "
                                "\"s3://my-bucket/z.zarr\", \"s3\": {\"region\": "
                                "\"eu-west-1\", \"secret_access_key\": \"PASTEDSECRETVALUE\"}}";

QJsonObject object(const char *text)
{
    return QJsonDocument::fromJson(text).object();
}

// A scenario that copies an array in memory to array z.
QByteArray scenarioWithZ(const char *z)
{
    const QJsonObject src = object(R"({"store": "memory", "dtype": "<i4", "shape": [400, 600], "chunks": [100, 100],
                                       "fill": "arange"})");
    const QJsonObject run = object(R"({"name": "to s3", "source": "src", "target": "z"})");
    return QJsonDocument(QJsonObject{{QStringLiteral("chunkscope"), 1},
                                     {QStringLiteral("arrays"),
                                      QJsonObject{{QStringLiteral("src"), src}, {QStringLiteral("z"), object(z)}}},
                                     {QStringLiteral("runs"), QJsonArray{run}}})
        .toJson();
}

QLineEdit *lineAt(ArrayForm *form, const char *key)
{
    return qobject_cast<QLineEdit *>(form->rows().editor(QLatin1String(key)));
}

QComboBox *allowHttp(ArrayForm *form)
{
    return qobject_cast<QComboBox *>(form->rows().editor(QStringLiteral("s3/allow_http")));
}

// Every text the window shows or would show on hover: labels, fields and their placeholders, combo
// box entries, text panes, item views, tooltips and the window title.
QStringList shownTexts(QWidget *window)
{
    QStringList texts{window->windowTitle()};
    for (QWidget *w : window->findChildren<QWidget *>()) {
        texts.append(w->toolTip());
        if (auto *l = qobject_cast<QLabel *>(w))
            texts.append(l->text());
        if (auto *e = qobject_cast<QLineEdit *>(w))
            texts << e->text() << e->placeholderText();
        if (auto *c = qobject_cast<QComboBox *>(w))
            for (int i = 0; i < c->count(); ++i)
                texts.append(c->itemText(i));
        if (auto *t = qobject_cast<QPlainTextEdit *>(w))
            texts.append(t->toPlainText());
        if (auto *v = qobject_cast<QAbstractItemView *>(w); v && v->model())
            for (int r = 0; r < v->model()->rowCount(); ++r)
                for (int c = 0; c < v->model()->columnCount(); ++c)
                    texts.append(v->model()->index(r, c).data().toString());
    }
    return texts;
}

// Sets environment variables for the life of a test, and unsets them when it ends, failed or not.
struct SetEnvironment {
    SetEnvironment(std::initializer_list<std::pair<const char *, QByteArray>> variables)
    {
        for (const auto &[name, value] : variables) {
            qputenv(name, value);
            names.append(name);
        }
    }
    ~SetEnvironment()
    {
        for (const char *name : names)
            qunsetenv(name);
    }
    QList<const char *> names;
};

} // namespace

class TestS3Form : public QObject {
    Q_OBJECT

private slots:
    void initTestCase()
    {
        startFromEmptySettings();
        QVERIFY(m_dir.isValid());
    }

    // From an array in memory to one on S3 by the form alone, saved, reopened and shown the same.
    void editsTheS3ObjectAndSavesIt()
    {
        const QString path = writeFileIn(m_dir, QStringLiteral("memory.json"), scenarioWithZ(kInMemory));
        MainWindow w;
        ArrayForm *form = openArrayZ(w, path);
        QVERIFY(form);
        QVERIFY(!lineAt(form, "s3/endpoint")->isVisibleTo(form)); // no s3:// path, no S3 rows

        typeInto(lineAt(form, "path"), QStringLiteral("s3://my-bucket/runs/z.zarr"));
        for (const char *key : {"s3", "s3/endpoint", "s3/region", "s3/profile", "s3/allow_http"})
            QVERIFY2(form->rows().editor(QLatin1String(key))->isVisibleTo(form), key);
        typeInto(lineAt(form, "s3/endpoint"), QStringLiteral("http://10.0.0.5:9000"));
        typeInto(lineAt(form, "s3/region"), QStringLiteral("eu-west-1"));
        typeInto(lineAt(form, "s3/profile"), QStringLiteral("lab"));
        choose(allowHttp(form), QStringLiteral("true"));
        const auto given = [&] { return w.document()->scenario().array(QStringLiteral("z"))->given; };
        const QJsonObject s3 = object("{\"endpoint\": \"http://10.0.0.5:9000\", \"region\": \"eu-west-1\", "
                                      "\"profile\": \"lab\", \"allow_http\": true}");
        QCOMPARE(given().value(QLatin1String("s3")).toObject(), s3);
        QCOMPARE(given().value(QLatin1String("path")).toString(), QStringLiteral("s3://my-bucket/runs/z.zarr"));
        QVERIFY2(w.document()->isValid(), qPrintable(w.document()->error()));

        // Saved: the file holds the same object; reopened, the rows show it.
        const QString saved = m_dir.filePath(QStringLiteral("s3.json"));
        QString error;
        QVERIFY2(w.saveScenario(saved, &error), qPrintable(error));
        QFile file(saved);
        QVERIFY(file.open(QIODevice::ReadOnly));
        const QJsonObject z = QJsonDocument::fromJson(file.readAll())
                                  .object()
                                  .value(QLatin1String("arrays"))
                                  .toObject()
                                  .value(QLatin1String("z"))
                                  .toObject();
        QCOMPARE(z.value(QLatin1String("s3")).toObject(), s3);
        MainWindow again;
        ArrayForm *form2 = openArrayZ(again, saved);
        QVERIFY(form2);
        QCOMPARE(again.document()->scenario().array(QStringLiteral("z"))->given, given());
        QCOMPARE(lineAt(form2, "s3/endpoint")->text(), QStringLiteral("http://10.0.0.5:9000"));
        QCOMPARE(lineAt(form2, "s3/region")->text(), QStringLiteral("eu-west-1"));
        QCOMPARE(lineAt(form2, "s3/profile")->text(), QStringLiteral("lab"));
        QCOMPARE(allowHttp(form2)->currentText(), QStringLiteral("true"));

        // Emptied field by field, the array gives no "s3" at all; its other keys stay.
        const QJsonObject before = given();
        typeInto(lineAt(form, "s3/endpoint"), QString());
        QCOMPARE(given().value(QLatin1String("s3")).toObject(),
                 object(R"({"region": "eu-west-1", "profile": "lab", "allow_http": true})"));
        typeInto(lineAt(form, "s3/region"), QString());
        typeInto(lineAt(form, "s3/profile"), QString());
        choose(allowHttp(form), QStringLiteral("default (HTTPS, or HTTP on loopback)"));
        QJsonObject expected = before;
        expected.remove(QStringLiteral("s3"));
        QCOMPARE(given(), expected);
        w.document()->load(path, &error); // leave without the unsaved-changes prompt
    }

    // An "s3" value the scenario refuses: its error under its own row, and a fix there clears it.
    void showsErrorsUnderTheirKey()
    {
        const QString path = writeFileIn(m_dir, QStringLiteral("allowhttp.json"), scenarioWithZ(kAllowHttpYes));
        MainWindow w;
        ArrayForm *form = openArrayZ(w, path);
        QVERIFY(form);
        QVERIFY(!w.document()->isValid());
        const QString line = w.document()->error();
        QCOMPARE(line, path + QStringLiteral(": /arrays/z/s3/allow_http: must be true or false"));
        QCOMPARE(form->rows().errorText(QStringLiteral("s3/allow_http")), line);
        QCOMPARE(allowHttp(form)->currentText(), QStringLiteral("custom: \"yes\""));
        QVERIFY(form->rows().errorText(QStringLiteral("s3/region")).isEmpty());
        choose(allowHttp(form), QStringLiteral("false"));
        QVERIFY2(w.document()->isValid(), qPrintable(w.document()->error()));
        QVERIFY(form->rows().errorText(QStringLiteral("s3/allow_http")).isEmpty());
        QCOMPARE(w.document()->scenario().array(QStringLiteral("z"))->given.value(QLatin1String("s3")).toObject(),
                 object(R"({"region": "eu-west-1", "allow_http": false})"));
    }

    // "s3" beside a local path is refused, and the rows stay so that the error shows and "s3" can go.
    void anS3ObjectBesideALocalPathShowsItsError()
    {
        const QString path = writeFileIn(m_dir, QStringLiteral("local.json"), scenarioWithZ(kBesideLocalPath));
        MainWindow w;
        ArrayForm *form = openArrayZ(w, path);
        QVERIFY(form);
        QVERIFY(lineAt(form, "s3/region")->isVisibleTo(form));
        QCOMPARE(
            form->rows().errorText(QStringLiteral("s3")),
            path + QStringLiteral(": /arrays/z/s3: only an array whose \"path\" is s3://bucket/prefix takes \"s3\""));
        typeInto(lineAt(form, "s3/region"), QString());
        QVERIFY2(w.document()->isValid(), qPrintable(w.document()->error()));
        QVERIFY(!w.document()->scenario().array(QStringLiteral("z"))->given.contains(QLatin1String("s3")));
        QVERIFY(!lineAt(form, "s3/region")->isVisibleTo(form));
    }

    // Credentials in the environment or pasted into the file: the form says whether there are any,
    // never what they are, and the key pasted in is an error under the "s3" row.
    void neverShowsACredential()
    {
        const QByteArray secret = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";
        const QByteArray keyId = "AKIAIOSFODNN7EXAMPLE";
        const QByteArray token = "FwoGZXIvYXdzEXAMPLETOKEN";
        const QByteArray urlPassword = "URLPASSWORDEXAMPLE";
        const SetEnvironment environment{{"AWS_ACCESS_KEY_ID", keyId},
                                         {"AWS_SECRET_ACCESS_KEY", secret},
                                         {"AWS_SESSION_TOKEN", token},
                                         {"AWS_ENDPOINT_URL", "http://user:" + urlPassword + "@127.0.0.1:9000"}};
        const QString path = writeFileIn(m_dir, QStringLiteral("secret.json"), scenarioWithZ(kWithSecret));
        MainWindow w;
        ArrayForm *form = openArrayZ(w, path);
        QVERIFY(form);
        QCOMPARE(
            form->rows().errorText(QStringLiteral("s3")),
            path
                + QStringLiteral(": /arrays/z/s3/secret_access_key: credentials are never kept in a scenario: set "
                                 "AWS_ACCESS_KEY_ID, "
                                 "AWS_SECRET_ACCESS_KEY and AWS_SESSION_TOKEN, or name a \"profile\" of the shared "
                                 "credentials file"));
        // The endpoint the environment gives, without the user and password a URL may carry.
        QCOMPARE(lineAt(form, "s3/endpoint")->placeholderText(),
                 QStringLiteral("http://127.0.0.1:9000 (AWS_ENDPOINT_URL)"));
        QCOMPARE(form->findChild<QLabel *>(QStringLiteral("s3Credentials"))->text(),
                 QStringLiteral("Credentials: from AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY (set)"));
        // An edit of another key changes only that key.
        typeInto(lineAt(form, "s3/region"), QStringLiteral("us-west-2"));
        QCOMPARE(w.document()->scenario().array(QStringLiteral("z"))->given.value(QLatin1String("s3")).toObject(),
                 object(R"({"region": "us-west-2", "secret_access_key": "PASTEDSECRETVALUE"})"));
        const QString all = shownTexts(&w).join(QLatin1Char('\n'));
        for (const QByteArray &text : {secret, keyId, token, urlPassword, QByteArray("PASTEDSECRETVALUE")})
            QVERIFY2(!all.contains(QString::fromLatin1(text)), text.constData());
        QString error;
        w.document()->load(path, &error); // leave without the unsaved-changes prompt
    }

private:
    QTemporaryDir m_dir;
};

QTEST_MAIN(TestS3Form)
#include "tst_s3form.moc"
