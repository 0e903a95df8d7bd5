// The window's Help menu and its examples: the built-in scenario and those shipped with Chunkscope.
#include "mainwindow.h"

#include "runcontroller.h"
#include "scenariodocument.h"
#include "scenariopanel.h"

#include <QAction>
#include <QCoreApplication>
#include <QDialog>
#include <QDialogButtonBox>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLabel>
#include <QMenu>
#include <QMenuBar>
#include <QMessageBox>
#include <QVBoxLayout>

namespace cs {

namespace {
const QString kDefaultScenario = QStringLiteral(":/default-scenario.json");
const QString kExamples = QStringLiteral(":/examples");
} // namespace

QStringList MainWindow::examples()
{
    QStringList files{kDefaultScenario};
    for (const QString &name : QDir(kExamples).entryList({QStringLiteral("*.json")}, QDir::Files, QDir::Name))
        files.append(kExamples + QLatin1Char('/') + name);
    return files;
}

bool MainWindow::openExample(const QString &resource, QString *error)
{
    QFile f(resource);
    QString message;
    if (!f.open(QIODevice::ReadOnly)) {
        message = tr("%1: cannot read the example").arg(resource);
    } else if (m_doc->loadBytes(f.readAll(), QFileInfo(resource).fileName(), &message)) {
        // An example is not tied to a file: saving it asks where, and it never overwrites the example.
        m_showsBuiltIn = resource == kDefaultScenario;
        m_panel->selectScenario();
        updateTitle();
        updateActions();
        return true;
    }
    if (error)
        *error = message;
    else
        showError(tr("Open example"), message);
    return false;
}

void MainWindow::addExamplesMenu(QMenu *file)
{
    QMenu *menu = file->addMenu(tr("Open e&xample"));
    menu->setObjectName(QStringLiteral("examplesMenu"));
    menu->setToolTipsVisible(true);
    for (const QString &resource : examples()) {
        // The scenario's own name, as the window title shows it once opened.
        QFile f(resource);
        const QJsonObject o
            = f.open(QIODevice::ReadOnly) ? QJsonDocument::fromJson(f.readAll()).object() : QJsonObject();
        QString title = o.value(QStringLiteral("name")).toString(QFileInfo(resource).completeBaseName());
        if (resource == kDefaultScenario)
            title = tr("%1 (the built-in scenario)").arg(title);
        QAction *a = menu->addAction(title);
        a->setToolTip(o.value(QStringLiteral("description")).toString());
        connect(a, &QAction::triggered, this, [this, resource] {
            if (!m_controller->isRunning() && maybeSave())
                openExample(resource);
        });
    }
}

QString MainWindow::shortcutsText() const
{
    QStringList rows;
    for (const QAction *a : m_actions) {
        if (a->shortcuts().isEmpty())
            continue;
        QStringList keys;
        for (const QKeySequence &k : a->shortcuts())
            if (!k.isEmpty())
                keys.append(k.toString(QKeySequence::NativeText));
        if (keys.isEmpty()) // a standard key the platform does not define (Quit on some)
            continue;
        rows.append(QStringLiteral("<tr><td style='padding-right:16px'><b>%1</b></td><td>%2</td></tr>")
                        .arg(keys.join(QStringLiteral(", ")).toHtmlEscaped(),
                             QString(a->iconText()).remove(QChar(0x2026)).toHtmlEscaped()));
    }
    return QStringLiteral("<table>%1</table>").arg(rows.join(QString()));
}

void MainWindow::createHelpMenu()
{
    QMenu *help = menuBar()->addMenu(tr("&Help"));
    QAction *keys = help->addAction(tr("&Keyboard shortcuts"));
    keys->setObjectName(QStringLiteral("shortcuts"));
    keys->setShortcut(QKeySequence(QStringLiteral("Ctrl+/")));
    m_actions.append(keys);
    connect(keys, &QAction::triggered, this, [this] {
        QDialog dialog(this);
        dialog.setObjectName(QStringLiteral("shortcutsDialog"));
        dialog.setWindowTitle(tr("Keyboard shortcuts"));
        auto *layout = new QVBoxLayout(&dialog);
        auto *text = new QLabel(shortcutsText(), &dialog);
        text->setTextFormat(Qt::RichText);
        layout->addWidget(text);
        auto *buttons = new QDialogButtonBox(QDialogButtonBox::Close, &dialog);
        connect(buttons, &QDialogButtonBox::rejected, &dialog, &QDialog::reject);
        layout->addWidget(buttons);
        dialog.exec();
    });
    QAction *about = help->addAction(tr("&About Chunkscope"));
    about->setObjectName(QStringLiteral("about"));
    m_actions.append(about);
    connect(about, &QAction::triggered, this, [this] {
        QMessageBox box(QMessageBox::Information, tr("About Chunkscope"),
                        tr("<b>Chunkscope %1</b>").arg(QCoreApplication::applicationVersion().toHtmlEscaped()),
                        QMessageBox::Close, this);
        box.setObjectName(QStringLiteral("aboutBox"));
        box.setInformativeText(
            tr("A profiler for chunked array copies between NumPy-like memory, Zarr, HDF5 and bcolz stores: a "
               "Gantt chart of every task on every worker, coloured by phase, over the process's CPU, memory "
               "and page faults.<br><br>Everything the window does also runs headless: "
               "<tt>chunkscope run SCENARIO</tt>. Built with Qt %1.")
                .arg(QString::fromLatin1(qVersion())));
        box.exec();
    });
}

} // namespace cs
