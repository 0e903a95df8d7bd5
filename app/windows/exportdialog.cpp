#include "exportdialog.h"

#include <QComboBox>
#include <QDialogButtonBox>
#include <QDoubleSpinBox>
#include <QFileDialog>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLineEdit>
#include <QPushButton>
#include <QSpinBox>

namespace cs {

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
    setWindowTitle(tr("Export PNG"));
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
        const QString p
            = QFileDialog::getSaveFileName(this, tr("Export PNG"), m_path->text(), tr("PNG images (*.png)"));
        if (!p.isEmpty())
            m_path->setText(p.endsWith(QLatin1String(".png"), Qt::CaseInsensitive) ? p : p + QStringLiteral(".png"));
    });
    connect(box, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(box, &QDialogButtonBox::rejected, this, &QDialog::reject);
    targetChanged();
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
    return m_path->text();
}

} // namespace cs
