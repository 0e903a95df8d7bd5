#pragma once

// Driving the scenario panel's forms as a user does, with keys: shared by the tests of the array
// form's rows.

#include "windows/arrayform.h"
#include "windows/mainwindow.h"
#include "windows/scenariopanel.h"

#include <QApplication>
#include <QComboBox>
#include <QLineEdit>
#include <QtTest>

// Moves a combo box to `text` with the arrow keys, as a user does; each step is "activated".
inline void choose(QComboBox *combo, const QString &text)
{
    QVERIFY(combo->findText(text) >= 0);
    combo->setFocus();
    const Qt::Key key = combo->findText(text) > combo->currentIndex() ? Qt::Key_Down : Qt::Key_Up;
    for (int i = 0; i < combo->count() && combo->currentText() != text; ++i)
        QTest::keyClick(combo, key);
    QCOMPARE(combo->currentText(), text);
    QApplication::processEvents(); // the form reloads after the document revalidates
}

// Replaces the text of `edit` by typing, then Return.
inline void typeInto(QLineEdit *edit, const QString &text)
{
    edit->setFocus();
    edit->selectAll();
    if (text.isEmpty())
        QTest::keyClick(edit, Qt::Key_Delete);
    QTest::keyClicks(edit, text);
    QTest::keyClick(edit, Qt::Key_Return);
    QApplication::processEvents();
}

// Shows the scenario at `path` in `w`, with array z's form; nullptr when it does not open.
inline cs::ArrayForm *openArrayZ(cs::MainWindow &w, const QString &path)
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
