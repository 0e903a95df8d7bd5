#include "exportdialog.h"

#include <algorithm>

#include "charts/ganttchart.h"
#include "charts/profileexport.h"
#include "charts/profileview.h"
#include "charts/resourcechart.h"
#include "charts/scalingchart.h"
#include "charts/timeaxis.h"
#include "filedialogs.h"
#include "results/filestems.h"

#include <QComboBox>
#include <QDialogButtonBox>
#include <QDir>
#include <QDoubleSpinBox>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLineEdit>
#include <QPushButton>
#include <QRegularExpression>
#include <QSpinBox>

namespace cs {

// At ratio 1 a picture's text is about 11 pixels high, blurred once scaled up in a document or
// slides; 2 keeps it sharp. A screen that is denser still keeps its own ratio.
qreal ExportDialog::defaultPixelRatio(const QWidget *parent)
{
    return std::max<qreal>(2, parent ? parent->devicePixelRatioF() : 1);
}

ExportDialog::ExportDialog(const QList<Target> &targets, qreal devicePixelRatio, const QString &suggestedPath,
                           QWidget *parent)
    : QDialog(parent)
    , m_targets(targets)
    , m_target(new QComboBox(this))
    , m_width(new QSpinBox(this))
    , m_height(new QSpinBox(this))
    , m_ratio(new QDoubleSpinBox(this))
    , m_path(new QLineEdit(suggestedPath, this))
{
    setWindowTitle(tr("Export picture"));
    auto *form = new QFormLayout(this);
    for (const Target &t : targets)
        m_target->addItem(t.label);
    form->addRow(tr("Picture of"), m_target);
    auto *sizeRow = new QHBoxLayout;
    for (QSpinBox *s : {m_width, m_height}) {
        s->setRange(200, 16384);
        s->setSuffix(tr(" px"));
    }
    sizeRow->addWidget(m_width);
    sizeRow->addWidget(m_height);
    auto *windowSize = new QPushButton(tr("Window size"), this);
    sizeRow->addWidget(windowSize);
    form->addRow(tr("Size"), sizeRow);
    m_ratio->setRange(0.5, 4);
    m_ratio->setSingleStep(0.5);
    m_ratio->setValue(devicePixelRatio);
    m_ratio->setToolTip(tr("Device pixels per logical pixel: 2 gives a sharp image on high-DPI screens"));
    form->addRow(tr("Pixel ratio"), m_ratio);
    auto *pathRow = new QHBoxLayout;
    auto *browse = new QPushButton(tr("Browse…"), this);
    pathRow->addWidget(m_path, 1);
    pathRow->addWidget(browse);
    form->addRow(tr("File"), pathRow);
    auto *box = new QDialogButtonBox(QDialogButtonBox::Save | QDialogButtonBox::Cancel, this);
    form->addRow(box);

    connect(m_target, &QComboBox::currentIndexChanged, this, &ExportDialog::targetChanged);
    connect(windowSize, &QPushButton::clicked, this, &ExportDialog::targetChanged);
    connect(browse, &QPushButton::clicked, this, [this] {
        const QString png = tr("PNG images (*.png)");
        const QString svg = tr("SVG drawings (*.svg)");
        QString filter = pictureFormatFor(m_path->text()) == PictureFormat::Svg ? svg : png;
        const QString p
            = getSaveFileName(this, tr("Export picture"), m_path->text(), png + QStringLiteral(";;") + svg, &filter);
        if (p.isEmpty())
            return;
        const bool known = p.endsWith(QLatin1String(".png"), Qt::CaseInsensitive)
            || p.endsWith(QLatin1String(".svg"), Qt::CaseInsensitive);
        m_path->setText(known ? p : p + (filter == svg ? QStringLiteral(".svg") : QStringLiteral(".png")));
    });
    // An SVG is a drawing: it has a size but no pixel ratio.
    connect(m_path, &QLineEdit::textChanged, this,
            [this](const QString &text) { m_ratio->setEnabled(pictureFormatFor(text) == PictureFormat::Png); });
    connect(box, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(box, &QDialogButtonBox::rejected, this, &QDialog::reject);
    targetChanged();
}

bool ExportDialog::exportProfile(ProfileView *view, QWidget *parent, QString *savedPath, QString *error)
{
    const QList<std::shared_ptr<const RunResult>> runs = view->runs();
    ProfilePane *pane = view->pane(0);
    if (runs.isEmpty() || !pane)
        return false;
    // Each chart alone, at the size it has now times the number of runs stacked.
    const int n = view->paneCount();
    QList<Target> targets;
    targets.append({tr("the whole profile view"), ProfilePane::All, view->size()});
    targets.append({tr("the Gantt chart"), ProfilePane::Title | ProfilePane::Gantt,
                    QSize(pane->width(), n * pane->gantt()->height())});
    targets.append({tr("the CPU and memory chart"), ProfilePane::Title | ProfilePane::Resources,
                    QSize(pane->width(), n * pane->resources()->height())});
    targets.append({tr("the page faults chart"), ProfilePane::Title | ProfilePane::Faults,
                    QSize(pane->width(), n * std::max(120, pane->faults()->height()))});
    QString file = runs.size() == 1 ? runs.first()->name : QStringLiteral("comparison");
    file.replace(QRegularExpression(QStringLiteral("[^A-Za-z0-9_.-]+")), QStringLiteral("_"));
    ExportDialog dialog(targets, defaultPixelRatio(parent), QDir::home().filePath(file + QStringLiteral(".png")),
                        parent);
    if (dialog.exec() != QDialog::Accepted)
        return false;
    ProfileImageSpec spec;
    spec.runs = runs;
    spec.parts = targets.value(dialog.targetIndex()).parts;
    spec.size = dialog.imageSize();
    spec.devicePixelRatio = dialog.devicePixelRatio();
    spec.t0 = view->axis()->t0();
    spec.t1 = view->axis()->t1();
    spec.showFaults = view->showsFaults();
    if (!checkPictureMemory(spec.size, spec.devicePixelRatio, dialog.path(), error)
        || !saveProfilePicture(spec, dialog.path(), error))
        return false;
    if (savedPath)
        *savedPath = dialog.path();
    return true;
}

bool ExportDialog::exportScaling(ScalingChart *chart, QWidget *parent, QString *savedPath, QString *error)
{
    if (!chart || !chart->hasSummary())
        return false;
    const QSize size = chart->isVisible() ? chart->size() : chart->sizeHint();
    const QList<Target> targets = {{tr("the scaling chart and its table"), ProfilePane::Parts(), size}};
    const QString file = sweepFileStems({chart->summary()}).first() + QStringLiteral(".scaling.png");
    ExportDialog dialog(targets, defaultPixelRatio(parent), QDir::home().filePath(file), parent);
    if (dialog.exec() != QDialog::Accepted)
        return false;
    if (!exportScalingPicture(chart->summary(), dialog.path(), dialog.imageSize(), dialog.devicePixelRatio(), error))
        return false;
    if (savedPath)
        *savedPath = dialog.path();
    return true;
}

void ExportDialog::targetChanged()
{
    const Target t = m_targets.value(m_target->currentIndex());
    m_width->setValue(t.windowSize.width());
    m_height->setValue(t.windowSize.height());
}

int ExportDialog::targetIndex() const
{
    return m_target->currentIndex();
}

QSize ExportDialog::imageSize() const
{
    return QSize(m_width->value(), m_height->value());
}

qreal ExportDialog::devicePixelRatio() const
{
    return m_ratio->value();
}

QString ExportDialog::path() const
{
    const QString p = m_path->text().trimmed();
    if (p.endsWith(QLatin1String(".png"), Qt::CaseInsensitive)
        || p.endsWith(QLatin1String(".svg"), Qt::CaseInsensitive))
        return p;
    return p + QStringLiteral(".png");
}

} // namespace cs
