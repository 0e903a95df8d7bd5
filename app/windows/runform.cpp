#include "runform.h"

#include "allocationbar.h"

#include <QCheckBox>
#include <QComboBox>
#include <QGridLayout>
#include <QJsonArray>
#include <QLabel>
#include <QLineEdit>
#include <QSpinBox>
#include <QThread>
#include <QVBoxLayout>

#include <algorithm>

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

    m_idChoices = new IdChoices(this);
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
    // Short item texts, so the closed box is not cut off in a narrow dock; the tooltip explains them.
    addJsonItem(m_lock, tr("default (target)"), QJsonValue(QJsonValue::Undefined));
    addJsonItem(m_lock, tr("target (lock=True)"), true);
    addJsonItem(m_lock, tr("none (lock=False)"), false);
    addJsonItem(m_lock, tr("io (raw store write only)"), QStringLiteral("io"));
    addJsonItem(m_lock, tr("sweep: target, none"), QJsonArray{true, false});
    addJsonItem(m_lock, tr("sweep: target, io, none"),
                QJsonArray{QStringLiteral("target"), QStringLiteral("io"), QStringLiteral("none")});
    m_rows.add(QStringLiteral("lock"), tr("Lock"), m_lock,
               tr("The lock of dask.array.store. target: one lock around each whole write to the target, "
                  "encoding included (lock=True); none: no lock (lock=False); io: the lock is held only around "
                  "the raw store write, encoding runs outside it. A sweep runs the copy once per mode"));
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
    m_hdf5Path = new QComboBox(this);
    addJsonItem(m_hdf5Path, tr("default (auto)"), QJsonValue(QJsonValue::Undefined));
    for (const char *p : {"auto", "library", "direct"})
        addJsonItem(m_hdf5Path, QString::fromLatin1(p), QString::fromLatin1(p));
    m_rows.add(QStringLiteral("hdf5_path"), tr("HDF5 path"), m_hdf5Path,
               tr("library: H5Dread/H5Dwrite with HDF5's filters; direct: raw chunks, codec on the workers"));
    connect(m_hdf5Path, &QComboBox::activated, this,
            [this] { apply(QStringLiteral("hdf5_path"), currentJson(m_hdf5Path)); });
    m_distribution = new QComboBox(this);
    addJsonItem(m_distribution, tr("default (block)"), QJsonValue(QJsonValue::Undefined));
    for (const char *d : {"block", "cyclic"})
        addJsonItem(m_distribution, QString::fromLatin1(d), QString::fromLatin1(d));
    m_rows.add(QStringLiteral("distribution"), tr("Distribution"), m_distribution,
               tr("Under MPI: block gives each rank one range of chunks, cyclic deals them out in turn"));
    connect(m_distribution, &QComboBox::activated, this,
            [this] { apply(QStringLiteral("distribution"), currentJson(m_distribution)); });

    m_passthrough = new QComboBox(this);
    addJsonItem(m_passthrough, tr("default (never)"), QJsonValue(QJsonValue::Undefined));
    for (const char *mode : {"never", "auto", "require"})
        addJsonItem(m_passthrough, QString::fromLatin1(mode), QString::fromLatin1(mode));
    addJsonItem(m_passthrough, tr("sweep: never, auto"), QJsonArray{QStringLiteral("never"), QStringLiteral("auto")});
    m_rows.add(QStringLiteral("passthrough"), tr("Passthrough"), m_passthrough,
               tr("never: decode and re-encode every chunk, as dask does; auto: move a chunk's stored bytes "
                  "without decoding them where both arrays keep chunks alike (same chunks, codecs, dtype and "
                  "fill value); require: as auto, and refuse the run where they do not"));
    connect(m_passthrough, &QComboBox::activated, this,
            [this] { apply(QStringLiteral("passthrough"), currentJson(m_passthrough)); });

    m_repeat = new QSpinBox(this);
    m_repeat->setRange(0, 1000);
    m_repeat->setSpecialValueText(tr("default (1)"));
    m_rows.add(QStringLiteral("repeat"), tr("Repeat"), m_repeat, tr("Run the copy this many times"));
    connect(m_repeat, &QSpinBox::valueChanged, this, [this](int v) {
        apply(QStringLiteral("repeat"), v > 0 ? QJsonValue(v) : QJsonValue(QJsonValue::Undefined));
    });

    m_warmup = new QSpinBox(this);
    m_warmup->setRange(0, 1000);
    m_warmup->setSpecialValueText(tr("default (1 for a sweep, else 0)"));
    m_rows.add(QStringLiteral("warmup"), tr("Warm-up copies"), m_warmup,
               tr("Untimed copies before the timed ones, so that no timed copy meets a fresh target"));
    connect(m_warmup, &QSpinBox::valueChanged, this, [this](int v) {
        apply(QStringLiteral("warmup"), v > 0 ? QJsonValue(v) : QJsonValue(QJsonValue::Undefined));
    });

    // Unchecked leaves the key out, as the writer does for a run that does not set it.
    const auto addFlag = [this](const QString &key, const QString &text, const QString &toolTip) {
        auto *box = new QCheckBox(text, this);
        m_rows.add(key, QString(), box, toolTip);
        connect(box, &QCheckBox::toggled, this,
                [this, key](bool on) { apply(key, on ? QJsonValue(true) : QJsonValue(QJsonValue::Undefined)); });
        return box;
    };
    m_prefault = addFlag(QStringLiteral("prefault"), tr("Pre-fault the target"),
                         tr("Touch a fresh in-memory target before timing, so first-touch page faults are not "
                            "counted: the profile then shows the copy, not the kernel handing out the target's "
                            "pages (np.empty_like maps no memory until it is written)"));
    m_forkDuringCopy = addFlag(QStringLiteral("fork_during_copy"), tr("Fork during copy"),
                               tr("Reproduce dask's ResourceProfiler, whose forked process makes every page "
                                  "copy-on-write: an idle child is forked as the copy starts, so the first write "
                                  "to each page of the target faults and copies it"));
    // A short text, so that the form fits a narrow dock; the tooltip gives the count.
    m_leaveOneCore = addFlag(QStringLiteral("leave_one_core"), tr("Leave one core for the window"),
                             tr("With workers left at one per logical CPU, run %1 instead of %2, so that the "
                                "window's own thread, which draws the live profile, does not take CPU time from "
                                "the workers")
                                 .arg(std::max(1, QThread::idealThreadCount() - 1))
                                 .arg(QThread::idealThreadCount()));

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
    guardWheel(this);
}

void RunForm::setRun(int index, const QJsonObject &given, const QList<ArraySpec> &arrays, int expanded)
{
    m_loading = true;
    m_index = index;
    m_given = given;
    // Held, so that an edit of the scenario's arrays detaches from it: the same data means the same arrays.
    if (arrays.constData() != m_arrays.constData() || arrays.size() != m_arrays.size()) {
        m_arrays = arrays;
        m_ids.clear();
        m_ids.reserve(arrays.size());
        for (const ArraySpec &a : arrays)
            m_ids.append(a.id);
    }
    m_rows.clearErrors();
    m_summary->setText(expanded > 1 ? tr("A sweep: expands into %1 runs.").arg(expanded) : QString());
    m_summary->setVisible(expanded > 1);
    m_name->setText(given.value(QStringLiteral("name")).toString());
    // Both lists share one model of the ids, rebuilt only when they change; a name the file gives
    // that is no array's id is added after them.
    const QString source = given.value(QStringLiteral("source")).toString();
    const QString target = given.value(QStringLiteral("target")).toString();
    m_idChoices->set({}, m_ids);
    QStringList extra;
    for (const QString &name : {source, target})
        if (m_idChoices->row(name) < 0 && !extra.contains(name))
            extra.append(name);
    if (!extra.isEmpty())
        m_idChoices->set({}, m_ids, extra);
    m_idChoices->show(m_source, m_idChoices->row(source));
    m_idChoices->show(m_target, m_idChoices->row(target));
    m_chunks->setText(chunksText(given.value(QStringLiteral("chunks"))));
    m_workers->setText(intListText(given.value(QStringLiteral("workers"))));
    selectJson(m_lock, given.value(QStringLiteral("lock")));
    m_sampleMs->setValue(given.value(QStringLiteral("sample_ms")).toInt(0));
    selectJson(m_profile, given.value(QStringLiteral("profile")));
    selectJson(m_verify, given.value(QStringLiteral("verify")));
    selectJson(m_hdf5Path, given.value(QStringLiteral("hdf5_path")));
    selectJson(m_distribution, given.value(QStringLiteral("distribution")));
    selectJson(m_passthrough, given.value(QStringLiteral("passthrough")));
    m_repeat->setValue(given.value(QStringLiteral("repeat")).toInt(0));
    m_warmup->setValue(given.value(QStringLiteral("warmup")).toInt(0));
    m_prefault->setChecked(given.value(QStringLiteral("prefault")).toBool());
    m_forkDuringCopy->setChecked(given.value(QStringLiteral("fork_during_copy")).toBool());
    m_leaveOneCore->setChecked(given.value(QStringLiteral("leave_one_core")).toBool());
    updateApplies();
    m_loading = false;
}

QString RunForm::storeOf(const QString &id) const
{
    const int row = m_idChoices->row(id); // the ids come first, in the arrays' order
    if (row < 0 || row >= m_arrays.size())
        return {};
    // The given key is the edit; the resolved one may be from the last valid build.
    const ArraySpec &a = m_arrays.at(row);
    return a.given.value(QStringLiteral("store")).toString(a.store);
}

void RunForm::updateApplies()
{
    const QString source = m_given.value(QStringLiteral("source")).toString();
    const QString target = m_given.value(QStringLiteral("target")).toString();
    const auto given = [this](const char *key) { return m_given.contains(QLatin1String(key)); };
    const auto storeText = [this](const QString &id) {
        const QString store = storeOf(id);
        return store.isEmpty() ? id : tr("%1 (store: %2)").arg(id, store);
    };

    const bool profiled = m_given.value(QStringLiteral("profile")).toBool(true);
    m_rows.setApplies(QStringLiteral("sample_ms"), profiled,
                      tr("Not used: the run is not profiled, so nothing is sampled."), given("sample_ms"));

    const auto kindOf = [&](const QString &id) { return findStoreKind(storeOf(id)); };
    const auto takesHdf5Path = [&](const QString &id) { return kindOf(id) && kindOf(id)->takesHdf5Path(); };
    const bool hdf5 = takesHdf5Path(source) || takesHdf5Path(target);
    m_rows.setApplies(QStringLiteral("hdf5_path"), hdf5,
                      tr("Not used: neither the source %1 nor the target %2 is an HDF5 store.")
                          .arg(storeText(source), storeText(target)),
                      given("hdf5_path"));

    // A count the run gives stands; a sweep over counts too.
    const QJsonValue workers = m_given.value(QStringLiteral("workers"));
    const bool autoWorkers = workers.isUndefined() || (workers.isDouble() && workers.toInt() == 0);
    m_rows.setApplies(QStringLiteral("leave_one_core"), autoWorkers,
                      tr("Not used: the run sets its workers (%1).").arg(intListText(workers)),
                      m_leaveOneCore->isChecked());

    // Only a memory store is one buffer whose pages can be touched ahead; other stores allocate
    // their chunks as the copy writes them.
    const bool memory = kindOf(target) && kindOf(target)->prefaultable();
    m_rows.setApplies(QStringLiteral("prefault"), memory,
                      tr("Not used: the target %1 is not an in-memory array, so it has no pages to touch "
                         "before the copy.")
                          .arg(storeText(target)),
                      m_prefault->isChecked());
}

void RunForm::apply(const QString &key, const QJsonValue &value)
{
    if (m_loading || !setOrRemove(m_given, key, value))
        return;
    updateApplies();
    emit givenEdited(m_index, m_given);
}

} // namespace cs
