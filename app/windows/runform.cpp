#include "runform.h"

#include "allocationbar.h"

#include <QComboBox>
#include <QGridLayout>
#include <QJsonArray>
#include <QLabel>
#include <QLineEdit>
#include <QSpinBox>
#include <QThread>
#include <QVBoxLayout>

namespace cs {

namespace {

QComboBox *yesNoCombo(QWidget *parent, const QString &defaultText)
{
    auto *c = new QComboBox(parent);
    addJsonItem(c, defaultText, QJsonValue(QJsonValue::Undefined));
    addJsonItem(c, QObject::tr("yes"), true);
    addJsonItem(c, QObject::tr("no"), false);
    return c;
}

// Copy chunks: "65536" is one shape, "65536; 1048576" a sweep over two, "[64, 64]; [128, 128]" too.
QJsonValue parseChunks(const QString &text)
{
    const QStringList shapes = text.split(QLatin1Char(';'), Qt::SkipEmptyParts);
    if (shapes.size() <= 1)
        return parseIntList(text);
    QJsonArray sweep;
    for (const QString &s : shapes)
        sweep.append(parseIntList(s));
    return sweep;
}

QString chunksText(const QJsonValue &v)
{
    const QJsonArray a = v.toArray();
    if (!a.isEmpty() && a.at(0).isArray()) {
        QStringList parts;
        for (const QJsonValue &s : a)
            parts.append(intListText(s));
        return parts.join(QStringLiteral("; "));
    }
    return intListText(v);
}

} // namespace

RunForm::RunForm(QWidget *parent)
    : QWidget(parent)
{
    build();
}

void RunForm::build()
{
    auto *outer = new QVBoxLayout(this);
    outer->addWidget(new QLabel(tr("<b>Run</b>"), this));
    m_summary = new QLabel(this);
    m_summary->setWordWrap(true);
    m_summary->setStyleSheet(QStringLiteral("color: #555;"));
    outer->addWidget(m_summary);
    auto *form = new QGridLayout;
    form->setColumnStretch(1, 1);
    m_rows = FormRows(form);
    outer->addLayout(form);

    m_name = new QLineEdit(this);
    m_rows.add(QStringLiteral("name"), tr("Name"), m_name, tr("Unique within the scenario"));
    connect(m_name, &QLineEdit::editingFinished, this, [this] { apply(QStringLiteral("name"), m_name->text()); });

    m_source = new QComboBox(this);
    m_rows.add(QStringLiteral("source"), tr("Source"), m_source);
    connect(m_source, &QComboBox::activated, this,
            [this] { apply(QStringLiteral("source"), m_source->currentText()); });
    m_target = new QComboBox(this);
    m_rows.add(QStringLiteral("target"), tr("Target"), m_target);
    connect(m_target, &QComboBox::activated, this,
            [this] { apply(QStringLiteral("target"), m_target->currentText()); });

    m_chunks = new QLineEdit(this);
    m_chunks->setClearButtonEnabled(true);
    m_chunks->setPlaceholderText(tr("the source's chunks"));
    m_rows.add(QStringLiteral("chunks"), tr("Copy chunks"), m_chunks,
               tr("One task per chunk of this grid, like dask.array.from_array(x, chunks=...). "
                  "Separate several shapes with ';' to sweep over them"));
    connect(m_chunks, &QLineEdit::editingFinished, this,
            [this] { apply(QStringLiteral("chunks"), parseChunks(m_chunks->text())); });

    m_workers = new QLineEdit(this);
    m_workers->setClearButtonEnabled(true);
    m_workers->setPlaceholderText(tr("all %1 logical CPUs").arg(QThread::idealThreadCount()));
    m_rows.add(QStringLiteral("workers"), tr("Workers"), m_workers,
               tr("Threads in the pool; 0 means one per logical CPU. A list like 1, 2, 4 sweeps"));
    connect(m_workers, &QLineEdit::editingFinished, this,
            [this] { apply(QStringLiteral("workers"), parseIntList(m_workers->text(), true)); });

    m_lock = new QComboBox(this);
    addJsonItem(m_lock, tr("default (target)"), QJsonValue(QJsonValue::Undefined));
    addJsonItem(m_lock, tr("target: lock around each whole write (lock=True)"), true);
    addJsonItem(m_lock, tr("none: no lock (lock=False)"), false);
    addJsonItem(m_lock, tr("io: lock only the raw store write"), QStringLiteral("io"));
    addJsonItem(m_lock, tr("sweep: with and without the lock"), QJsonArray{true, false});
    addJsonItem(m_lock, tr("sweep: target, io, none"),
                QJsonArray{QStringLiteral("target"), QStringLiteral("io"), QStringLiteral("none")});
    m_rows.add(QStringLiteral("lock"), tr("Lock"), m_lock,
               tr("The lock of dask.array.store: held around each write to the target"));
    connect(m_lock, &QComboBox::activated, this, [this] { apply(QStringLiteral("lock"), currentJson(m_lock)); });

    m_sampleMs = new QSpinBox(this);
    m_sampleMs->setRange(0, 60000);
    m_sampleMs->setSpecialValueText(tr("default (100 ms)"));
    m_sampleMs->setSuffix(tr(" ms"));
    m_rows.add(QStringLiteral("sample_ms"), tr("Sample interval"), m_sampleMs,
               tr("Resource sampling interval, the dt of dask's ResourceProfiler"));
    connect(m_sampleMs, &QSpinBox::valueChanged, this, [this](int v) {
        apply(QStringLiteral("sample_ms"), v > 0 ? QJsonValue(v) : QJsonValue(QJsonValue::Undefined));
    });

    m_profile = yesNoCombo(this, tr("default (yes)"));
    m_rows.add(QStringLiteral("profile"), tr("Profile"), m_profile,
               tr("Record task events and resource samples; off measures the bare copy"));
    connect(m_profile, &QComboBox::activated, this,
            [this] { apply(QStringLiteral("profile"), currentJson(m_profile)); });
    m_verify = yesNoCombo(this, tr("default (yes)"));
    m_rows.add(QStringLiteral("verify"), tr("Verify"), m_verify, tr("Compare the target with the source afterwards"));
    connect(m_verify, &QComboBox::activated, this, [this] { apply(QStringLiteral("verify"), currentJson(m_verify)); });
    m_prefault = yesNoCombo(this, tr("default (no)"));
    m_rows.add(QStringLiteral("prefault"), tr("Prefault"), m_prefault,
               tr("Touch a fresh in-memory target's pages before the timed copy"));
    connect(m_prefault, &QComboBox::activated, this,
            [this] { apply(QStringLiteral("prefault"), currentJson(m_prefault)); });

    m_hdf5Path = new QComboBox(this);
    addJsonItem(m_hdf5Path, tr("default (auto)"), QJsonValue(QJsonValue::Undefined));
    for (const char *p : {"auto", "library", "direct"})
        addJsonItem(m_hdf5Path, QString::fromLatin1(p), QString::fromLatin1(p));
    m_rows.add(QStringLiteral("hdf5_path"), tr("HDF5 path"), m_hdf5Path,
               tr("library: H5Dread/H5Dwrite with HDF5's filters; direct: raw chunks, codec on the workers"));
    connect(m_hdf5Path, &QComboBox::activated, this,
            [this] { apply(QStringLiteral("hdf5_path"), currentJson(m_hdf5Path)); });

    m_repeat = new QSpinBox(this);
    m_repeat->setRange(0, 1000);
    m_repeat->setSpecialValueText(tr("default (1)"));
    m_rows.add(QStringLiteral("repeat"), tr("Repeat"), m_repeat, tr("Run the copy this many times"));
    connect(m_repeat, &QSpinBox::valueChanged, this, [this](int v) {
        apply(QStringLiteral("repeat"), v > 0 ? QJsonValue(v) : QJsonValue(QJsonValue::Undefined));
    });

    outer->addSpacing(8);
    outer->addWidget(new QLabel(tr("<b>Memory</b>"), this));
    m_allocation = new AllocationBar(this);
    outer->addWidget(m_allocation);
    outer->addStretch(1);
    // Combo boxes may be narrower than their longest item, so the form fits a narrow dock.
    for (QComboBox *c : findChildren<QComboBox *>()) {
        c->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
        c->setMinimumContentsLength(8);
    }
}

void RunForm::setRun(int index, const QJsonObject &given, const QStringList &arrays, int expanded)
{
    m_loading = true;
    m_index = index;
    m_given = given;
    m_rows.clearErrors();
    m_summary->setText(expanded > 1 ? tr("A sweep: expands into %1 runs.").arg(expanded) : QString());
    m_summary->setVisible(expanded > 1);
    m_name->setText(given.value(QStringLiteral("name")).toString());
    for (QComboBox *c : {m_source, m_target}) {
        c->clear();
        c->addItems(arrays);
    }
    const QString source = given.value(QStringLiteral("source")).toString();
    const QString target = given.value(QStringLiteral("target")).toString();
    if (m_source->findText(source) < 0)
        m_source->addItem(source);
    if (m_target->findText(target) < 0)
        m_target->addItem(target);
    m_source->setCurrentText(source);
    m_target->setCurrentText(target);
    m_chunks->setText(chunksText(given.value(QStringLiteral("chunks"))));
    m_workers->setText(intListText(given.value(QStringLiteral("workers"))));
    selectJson(m_lock, given.value(QStringLiteral("lock")));
    m_sampleMs->setValue(given.value(QStringLiteral("sample_ms")).toInt(0));
    selectJson(m_profile, given.value(QStringLiteral("profile")));
    selectJson(m_verify, given.value(QStringLiteral("verify")));
    selectJson(m_prefault, given.value(QStringLiteral("prefault")));
    selectJson(m_hdf5Path, given.value(QStringLiteral("hdf5_path")));
    m_repeat->setValue(given.value(QStringLiteral("repeat")).toInt(0));
    m_loading = false;
}

void RunForm::apply(const QString &key, const QJsonValue &value)
{
    if (m_loading)
        return;
    if (m_given.value(key) == value || (value.isUndefined() && !m_given.contains(key)))
        return;
    setOrRemove(m_given, key, value);
    emit givenEdited(m_index, m_given);
}

} // namespace cs
