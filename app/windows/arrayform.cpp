#include "arrayform.h"

#include "allocationbar.h"
#include "filedialogs.h"
#include "s3rows.h"
#include "zarrv3rows.h"

#include "codecs/blosccodec.h"
#include "scenario/scenariowriter.h"
#include "stores/zarr/zarrcodecs.h"
#include "stores/zarr/zarrkind.h"

#include <QCheckBox>
#include <QComboBox>
#include <QGridLayout>
#include <QJsonArray>
#include <QJsonDocument>
#include <QLabel>
#include <QLineEdit>
#include <QSpinBox>
#include <QVBoxLayout>

namespace cs {

namespace {

// A compressor as the resolved array's JSON gives it, with CompressorSpec's defaults for what it
// leaves out (a zlib compressor has a level and nothing else).
CompressorSpec compressorOf(const QJsonValue &json)
{
    CompressorSpec c;
    const QJsonObject o = json.toObject();
    c.id = o.value(QStringLiteral("id")).toString();
    c.cname = o.value(QStringLiteral("cname")).toString(c.cname);
    c.clevel = o.value(QStringLiteral("clevel")).toInt(o.value(QStringLiteral("level")).toInt(c.clevel));
    c.shuffle = o.value(QStringLiteral("shuffle")).toInt(c.shuffle);
    c.blocksize = o.value(QStringLiteral("blocksize")).toInt(c.blocksize);
    return c;
}

// What the "default" entry stands for, in the words of the fields below it.
QString defaultCompressorText(const CompressorSpec &c)
{
    if (zarrCompressorTakesLevel(c.id))
        return QObject::tr("default (%1, level %2)").arg(c.id).arg(c.clevel);
    return QObject::tr("default (%1 %2, clevel %3, shuffle %4)").arg(c.id, c.cname).arg(c.clevel).arg(c.shuffle);
}

QString listText(const std::vector<int64_t> &v)
{
    QStringList parts;
    for (int64_t x : v)
        parts.append(QString::number(x));
    return parts.join(QStringLiteral(", "));
}

void fillShuffleCombo(QComboBox *c, bool withDefault)
{
    if (withDefault)
        c->addItem(QObject::tr("default"), QVariant());
    c->addItem(QObject::tr("-1: auto"), -1);
    c->addItem(QObject::tr("0: none"), 0);
    c->addItem(QObject::tr("1: byte shuffle"), 1);
    c->addItem(QObject::tr("2: bit shuffle"), 2);
}

QLineEdit *lineEdit(QWidget *parent)
{
    auto *e = new QLineEdit(parent);
    e->setClearButtonEnabled(true);
    return e;
}

} // namespace

ArrayForm::ArrayForm(QWidget *parent)
    : QWidget(parent)
    , m_rows(nullptr)
{
    build();
}

void ArrayForm::build()
{
    auto *outer = new QVBoxLayout(this);
    auto *title = new QLabel(tr("<b>Array</b>"), this);
    outer->addWidget(title);
    auto *form = new QGridLayout;
    form->setColumnStretch(1, 1);
    m_rows = FormRows(form);
    outer->addLayout(form);

    m_idEdit = new QLineEdit(this);
    m_rows.add(QStringLiteral("id"), tr("Id"), m_idEdit, tr("The array's key in the scenario; runs refer to it"));
    connect(m_idEdit, &QLineEdit::editingFinished, this, [this] {
        const QString id = m_idEdit->text().trimmed();
        if (!m_loading && !id.isEmpty() && id != m_id)
            emit renameRequested(m_id, id);
    });

    m_store = new QComboBox(this);
    QStringList summaries;
    for (const StoreKind *kind : storeKinds()) {
        m_store->addItem(kind->id(), kind->id());
        summaries.append(kind->summary());
    }
    m_rows.add(QStringLiteral("store"), tr("Store"), m_store, summaries.join(QStringLiteral("; ")));
    connect(m_store, &QComboBox::activated, this, [this] { applyStore(); });
    // A zarr array's format right under its kind: it decides which of the zarr rows apply.
    m_v3 = new ZarrV3Rows(this, m_rows);
    m_v3->addFormatRow();
    connect(m_v3, &ZarrV3Rows::edited, this, [this](const QString &key, const QJsonValue &value) {
        if (key == QLatin1String("zarr_format"))
            applyZarrFormat(value);
        else
            apply(key, value);
    });

    m_like = new QComboBox(this);
    m_rows.add(QStringLiteral("like"), tr("Like"), m_like,
               tr("Take dtype, shape, chunks (and codec settings of the same store kind) from another array"));
    m_likeChoices = new IdChoices(this);
    connect(m_like, &QComboBox::activated, this, [this](int row) {
        // Row 0 is "none"; a row past the ids is the value the file gave that names no array.
        const QJsonValue like = row <= 0 ? QJsonValue(QJsonValue::Undefined)
            : row > int(m_ids.size())    ? m_likeCustom
                                         : QJsonValue(m_ids.at(row - 1));
        apply(QStringLiteral("like"), like);
    });

    m_dtype = new QComboBox(this);
    m_dtype->setEditable(true);
    m_dtype->setInsertPolicy(QComboBox::NoInsert);
    for (const char *t : {"",    "<i4", "<i8", "<i2", "|i1", "<u4",  "<u8", "<u2", "|u1",     "<f4",
                          "<f8", ">i4", "|b1", "<f2", "<c8", "<c16", "|S8", "<U8", "<M8[ns]", "<m8[s]"})
        m_dtype->addItem(QString::fromLatin1(t));
    m_rows.add(QStringLiteral("dtype"), tr("Dtype"), m_dtype, tr("A NumPy typestr (<i4) or name (int32)"));
    connect(m_dtype->lineEdit(), &QLineEdit::editingFinished, this,
            [this] { apply(QStringLiteral("dtype"), parseText(m_dtype->currentText())); });
    connect(m_dtype, &QComboBox::activated, this,
            [this] { apply(QStringLiteral("dtype"), parseText(m_dtype->currentText())); });

    m_shape = lineEdit(this);
    m_rows.add(QStringLiteral("shape"), tr("Shape"), m_shape,
               tr("Elements per dimension, e.g. 400000000 or 1000, 1000"));
    connect(m_shape, &QLineEdit::editingFinished, this,
            [this] { apply(QStringLiteral("shape"), parseIntList(m_shape->text())); });

    m_chunks = lineEdit(this);
    m_rows.add(QStringLiteral("chunks"), tr("Chunks"), m_chunks, tr("Storage chunk shape, e.g. 1048576"));
    connect(m_chunks, &QLineEdit::editingFinished, this,
            [this] { apply(QStringLiteral("chunks"), parseIntList(m_chunks->text())); });

    auto *fillBox = new QWidget(this);
    auto *fillLayout = new QHBoxLayout(fillBox);
    fillLayout->setContentsMargins(0, 0, 0, 0);
    m_fill = new QComboBox(fillBox);
    for (const char *f : {"default", "empty", "zeros", "arange", "constant", "random", "copy", "existing"})
        m_fill->addItem(QString::fromLatin1(f));
    m_fillArg = lineEdit(fillBox);
    fillLayout->addWidget(m_fill);
    fillLayout->addWidget(m_fillArg, 1);
    m_rows.add(QStringLiteral("fill"), tr("Fill"), fillBox,
               tr("How the array is filled before the runs: empty (allocated only), zeros, arange, a constant, "
                  "random numbers from a seed, a copy of another array, or the data already on disk"));
    connect(m_fill, &QComboBox::activated, this, [this] { applyFill(); });
    connect(m_fillArg, &QLineEdit::editingFinished, this, [this] { applyFill(); });

    m_overwrite = new QCheckBox(tr("replace existing files"), this);
    m_rows.add(QStringLiteral("overwrite"), tr("Overwrite"), m_overwrite);
    connect(m_overwrite, &QCheckBox::toggled, this, [this](bool on) {
        apply(QStringLiteral("overwrite"), on ? QJsonValue(true) : QJsonValue(QJsonValue::Undefined));
    });

    // zarr
    m_path = lineEdit(this);
    m_rows.add(QStringLiteral("path"), tr("Path"),
               withBrowseButton(m_path, [this] { return browse(tr("Zarr directory store"), QString(), true); }),
               tr("Directory store, or s3://bucket/prefix on an S3-compatible server; empty keeps the array "
                  "in memory"));
    connect(m_path, &QLineEdit::editingFinished, this,
            [this] { apply(QStringLiteral("path"), parseText(m_path->text())); });
    m_s3 = new S3Rows(this, m_rows);
    m_s3->addRows();
    connect(m_s3, &S3Rows::edited, this, [this](const QJsonValue &s3) { apply(QStringLiteral("s3"), s3); });
    m_compressor = new QComboBox(this);
    addJsonItem(m_compressor, tr("default"), QJsonValue(QJsonValue::Undefined));
    addJsonItem(m_compressor, tr("none"), QJsonValue(QJsonValue::Null));
    m_compressor->addItem(QStringLiteral("blosc"), QStringLiteral("blosc"));
    for (const char *id : {"zlib", "bz2", "lzma", "lz4", "zstd", "gzip"})
        m_compressor->addItem(QLatin1String(id), QLatin1String(id));
    m_rows.add(QStringLiteral("compressor"), tr("Compressor"), m_compressor);
    connect(m_compressor, &QComboBox::activated, this, [this] { applyCompressor(); });
    m_cname = new QComboBox(this);
    m_cname->addItems(BloscCodec::compressorNames());
    m_rows.add(QStringLiteral("compressor/cname"), tr("  cname"), m_cname);
    connect(m_cname, &QComboBox::activated, this, [this] { applyCompressor(); });
    m_clevel = new QSpinBox(this);
    m_clevel->setRange(0, 9);
    m_rows.add(QStringLiteral("compressor/clevel"), tr("  clevel"), m_clevel);
    m_rows.alias(QStringLiteral("compressor/level"), QStringLiteral("compressor/clevel"));
    connect(m_clevel, &QSpinBox::valueChanged, this, [this] { applyCompressor(); });
    m_shuffle = new QComboBox(this);
    fillShuffleCombo(m_shuffle, false);
    m_rows.add(QStringLiteral("compressor/shuffle"), tr("  shuffle"), m_shuffle);
    connect(m_shuffle, &QComboBox::activated, this, [this] { applyCompressor(); });
    m_blocksize = new QSpinBox(this);
    m_blocksize->setRange(0, 1 << 30);
    m_blocksize->setSpecialValueText(tr("auto"));
    m_rows.add(QStringLiteral("compressor/blocksize"), tr("  blocksize"), m_blocksize);
    connect(m_blocksize, &QSpinBox::valueChanged, this, [this] { applyCompressor(); });
    m_filters = lineEdit(this);
    m_filters->setPlaceholderText(tr("none"));
    m_rows.add(QStringLiteral("filters"), tr("Filters"), m_filters,
               tr("numcodecs filters as JSON, applied in order before the compressor, e.g. "
                  "[{\"id\": \"delta\", \"dtype\": \"<i4\"}]"));
    connect(m_filters, &QLineEdit::editingFinished, this, [this] {
        // Text that is not JSON goes to the scenario as a string, whose error then names the field.
        const QString text = m_filters->text().trimmed();
        const QJsonDocument doc = QJsonDocument::fromJson(text.toUtf8());
        apply(QStringLiteral("filters"),
              text.isEmpty()      ? QJsonValue(QJsonValue::Undefined)
                  : doc.isArray() ? QJsonValue(doc.array())
                                  : QJsonValue(text));
    });
    m_fillValue = lineEdit(this);
    m_rows.add(QStringLiteral("fill_value"), tr("fill_value"), m_fillValue,
               tr("What unwritten chunks read as: a number, NaN, Infinity, -Infinity or null"));
    connect(m_fillValue, &QLineEdit::editingFinished, this,
            [this] { apply(QStringLiteral("fill_value"), parseScalar(m_fillValue->text())); });
    m_order = new QComboBox(this);
    addJsonItem(m_order, tr("default (C)"), QJsonValue(QJsonValue::Undefined));
    addJsonItem(m_order, QStringLiteral("C"), QStringLiteral("C"));
    addJsonItem(m_order, QStringLiteral("F"), QStringLiteral("F"));
    m_rows.add(QStringLiteral("order"), tr("Order"), m_order);
    connect(m_order, &QComboBox::activated, this, [this] { apply(QStringLiteral("order"), currentJson(m_order)); });
    m_separator = new QComboBox(this);
    addJsonItem(m_separator, tr("default (.)"), QJsonValue(QJsonValue::Undefined));
    addJsonItem(m_separator, QStringLiteral("."), QStringLiteral("."));
    addJsonItem(m_separator, QStringLiteral("/"), QStringLiteral("/"));
    m_rows.add(QStringLiteral("dimension_separator"), tr("Dimension separator"), m_separator);
    connect(m_separator, &QComboBox::activated, this,
            [this] { apply(QStringLiteral("dimension_separator"), currentJson(m_separator)); });
    m_v3->addRows();

    // hdf5
    m_file = lineEdit(this);
    m_rows.add(QStringLiteral("file"), tr("File"),
               withBrowseButton(m_file,
                                [this] {
                                    return browse(tr("HDF5 file"), tr("HDF5 files (*.h5 *.hdf5 *.he5);;All files (*)"),
                                                  false);
                                }),
               tr("HDF5 file; empty keeps it in memory (core driver)"));
    connect(m_file, &QLineEdit::editingFinished, this,
            [this] { apply(QStringLiteral("file"), parseText(m_file->text())); });
    m_dataset = lineEdit(this);
    m_rows.add(QStringLiteral("dataset"), tr("Dataset"), m_dataset, tr("Path of the dataset inside the file"));
    connect(m_dataset, &QLineEdit::editingFinished, this,
            [this] { apply(QStringLiteral("dataset"), QJsonValue(m_dataset->text())); });
    m_compression = new QComboBox(this);
    // Left out and null both mean no compression: one entry, which a file's null also selects.
    addJsonItem(m_compression, tr("none"), QJsonValue(QJsonValue::Undefined));
    addJsonItem(m_compression, QStringLiteral("lzf"), QStringLiteral("lzf"));
    addJsonItem(m_compression, QStringLiteral("gzip"), QStringLiteral("gzip"));
    m_rows.add(QStringLiteral("compression"), tr("Compression"), m_compression);
    connect(m_compression, &QComboBox::activated, this,
            [this] { apply(QStringLiteral("compression"), currentJson(m_compression)); });
    m_compressionOpts = new QSpinBox(this);
    m_compressionOpts->setRange(-1, 9);
    m_compressionOpts->setSpecialValueText(tr("default"));
    m_rows.add(QStringLiteral("compression_opts"), tr("  gzip level"), m_compressionOpts);
    connect(m_compressionOpts, &QSpinBox::valueChanged, this, [this](int v) {
        apply(QStringLiteral("compression_opts"), v < 0 ? QJsonValue(QJsonValue::Undefined) : QJsonValue(v));
    });
    m_hdf5Shuffle = new QCheckBox(tr("byte shuffle before compressing"), this);
    m_rows.add(QStringLiteral("shuffle"), tr("Shuffle"), m_hdf5Shuffle);
    connect(m_hdf5Shuffle, &QCheckBox::toggled, this, [this](bool on) {
        apply(QStringLiteral("shuffle"), on ? QJsonValue(true) : QJsonValue(QJsonValue::Undefined));
    });

    // carray
    m_chunklen = lineEdit(this);
    m_rows.add(QStringLiteral("chunklen"), tr("Chunklen"), m_chunklen, tr("Rows along axis 0 per chunk"));
    connect(m_chunklen, &QLineEdit::editingFinished, this,
            [this] { apply(QStringLiteral("chunklen"), parseScalar(m_chunklen->text())); });
    m_cpCname = new QComboBox(this);
    m_cpCname->addItem(tr("default"), QString());
    for (const QString &c : BloscCodec::compressorNames())
        m_cpCname->addItem(c, c);
    m_rows.add(QStringLiteral("cparams/cname"), tr("cparams cname"), m_cpCname);
    m_rows.alias(QStringLiteral("cparams"), QStringLiteral("cparams/cname"));
    connect(m_cpCname, &QComboBox::activated, this, [this] { applyCparams(); });
    m_cpClevel = new QSpinBox(this);
    m_cpClevel->setRange(-1, 9);
    m_cpClevel->setSpecialValueText(tr("default"));
    m_rows.add(QStringLiteral("cparams/clevel"), tr("  clevel"), m_cpClevel);
    connect(m_cpClevel, &QSpinBox::valueChanged, this, [this] { applyCparams(); });
    m_cpShuffle = new QComboBox(this);
    fillShuffleCombo(m_cpShuffle, true);
    m_rows.add(QStringLiteral("cparams/shuffle"), tr("  shuffle"), m_cpShuffle);
    connect(m_cpShuffle, &QComboBox::activated, this, [this] { applyCparams(); });
    m_rootdir = lineEdit(this);
    m_rows.add(QStringLiteral("rootdir"), tr("Rootdir"),
               withBrowseButton(m_rootdir, [this] { return browse(tr("bcolz rootdir"), QString(), true); }),
               tr("bcolz directory; empty keeps it in memory"));
    connect(m_rootdir, &QLineEdit::editingFinished, this,
            [this] { apply(QStringLiteral("rootdir"), parseText(m_rootdir->text())); });

    // A kind's key without a tooltip of its own says what it takes and what leaving it out means,
    // as the kind's key table describes it.
    for (const StoreKind *kind : storeKinds())
        for (const KindKey &key : kind->keys())
            if (QWidget *editor = m_rows.editor(key.name); editor && editor->toolTip().isEmpty())
                editor->setToolTip(key.defaultText.isEmpty()
                                       ? tr("\"%1\": %2").arg(key.name, key.type)
                                       : tr("\"%1\": %2; left out: %3").arg(key.name, key.type, key.defaultText));

    auto *memTitle = new QLabel(tr("<b>Memory</b>"), this);
    outer->addSpacing(8);
    outer->addWidget(memTitle);
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

QString ArrayForm::browse(const QString &caption, const QString &filter, bool directory)
{
    // Existing data is opened, so it must exist; anything else names what the run will create.
    const bool existing = m_given.value(QStringLiteral("fill")).toString() == QLatin1String("existing");
    if (directory && existing)
        return getExistingDirectory(this, caption, QString());
    if (existing)
        return getOpenFileName(this, caption, QString(), filter);
    return getSaveFileName(this, caption, QString(), filter.isEmpty() ? tr("All files (*)") : filter);
}

void ArrayForm::setArray(const ArraySpec &edited, const ArraySpec *resolved, const QStringList &ids)
{
    if (edited.id != m_id)
        m_otherFormat = QJsonObject();
    m_id = edited.id;
    m_given = edited.given;
    m_hasResolved = resolved != nullptr;
    m_resolved = resolved ? *resolved : ArraySpec();
    m_ids = ids;
    load();
}

void ArrayForm::load()
{
    m_loading = true;
    const QJsonObject &g = m_given;
    const ArraySpec &r = m_resolved;
    m_rows.clearErrors();
    m_idEdit->setText(m_id);
    m_store->setCurrentIndex(std::max(0, m_store->findData(g.value(QStringLiteral("store")).toString())));

    // One shared list of every id, the array's own hidden: rebuilt only when the ids change.
    const QJsonValue like = g.value(QStringLiteral("like"));
    const int known = like.isString() && like.toString() != m_id ? int(m_ids.indexOf(like.toString())) : -1;
    m_likeCustom = like.isUndefined() || known >= 0 ? QJsonValue(QJsonValue::Undefined) : like;
    m_likeChoices->set({tr("none")}, m_ids,
                       m_likeCustom.isUndefined() ? QStringList()
                                                  : QStringList{QStringLiteral("custom: %1").arg(scalarText(like))});
    const int self = int(m_ids.indexOf(m_id)) + 1; // a scan, cheaper than indexing the ids once per array shown
    m_likeChoices->show(m_like,
                        like.isUndefined()               ? 0
                            : m_likeCustom.isUndefined() ? known + 1
                                                         : int(m_ids.size()) + 1,
                        self > 0 ? self : -1);

    m_dtype->setCurrentText(scalarText(g.value(QStringLiteral("dtype"))));
    m_dtype->lineEdit()->setPlaceholderText(m_hasResolved && r.dtypeKnown ? r.dtype.typestr() : QString());
    m_shape->setText(intListText(g.value(QStringLiteral("shape"))));
    m_shape->setPlaceholderText(m_hasResolved ? listText(r.shape) : QString());
    m_chunks->setText(intListText(g.value(QStringLiteral("chunks"))));
    m_chunks->setPlaceholderText(m_hasResolved ? listText(r.chunks) : QString());

    const QJsonValue fill = g.value(QStringLiteral("fill"));
    QString fillKind = QStringLiteral("default");
    QString fillArg;
    if (fill.isString()) {
        fillKind = fill.toString();
    } else if (fill.isObject()) {
        const QJsonObject o = fill.toObject();
        fillKind = o.keys().value(0);
        if (fillKind == QLatin1String("random"))
            fillArg = scalarText(o.value(fillKind).toObject().value(QStringLiteral("seed")));
        else
            fillArg = scalarText(o.value(fillKind));
    }
    if (m_fill->findText(fillKind) < 0)
        m_fill->addItem(fillKind);
    m_fill->setCurrentText(fillKind);
    m_fillArg->setText(fillArg);
    m_fillArg->setVisible(fillKind == QLatin1String("constant") || fillKind == QLatin1String("random")
                          || fillKind == QLatin1String("copy"));
    m_fillArg->setPlaceholderText(fillKind == QLatin1String("constant")     ? tr("value")
                                      : fillKind == QLatin1String("random") ? tr("seed")
                                                                            : tr("array id"));
    m_overwrite->setChecked(g.value(QStringLiteral("overwrite")).toBool());

    // zarr
    m_path->setText(g.value(QStringLiteral("path")).toString());
    m_path->setPlaceholderText(tr("in memory"));
    m_s3->load(g);
    const QJsonValue comp = g.value(QStringLiteral("compressor"));
    // The resolved array's keys as the writer gives them: what a field left empty means.
    const QJsonObject resolved = m_hasResolved ? arraySpecToJson(r) : QJsonObject();
    const CompressorSpec rc = compressorOf(resolved.value(QStringLiteral("compressor")));
    if (comp.isObject()) {
        const QJsonObject o = comp.toObject();
        const QString id = o.value(QStringLiteral("id")).toString();
        m_compressor->setCurrentIndex(std::max(0, m_compressor->findData(id)));
        m_cname->setCurrentText(o.value(QStringLiteral("cname")).toString(rc.cname));
        m_clevel->setValue(o.value(zarrCompressorTakesLevel(id) ? QStringLiteral("level") : QStringLiteral("clevel"))
                               .toInt(rc.clevel));
        m_shuffle->setCurrentIndex(
            std::max(0, m_shuffle->findData(o.value(QStringLiteral("shuffle")).toInt(rc.shuffle))));
        m_blocksize->setValue(o.value(QStringLiteral("blocksize")).toInt(0));
    } else {
        selectJson(m_compressor, comp);
        m_cname->setCurrentText(rc.cname);
        m_clevel->setValue(rc.clevel);
        m_shuffle->setCurrentIndex(std::max(0, m_shuffle->findData(rc.shuffle)));
        m_blocksize->setValue(rc.blocksize);
    }
    if (resolved.contains(QStringLiteral("compressor")))
        m_compressor->setItemText(0,
                                  resolved.value(QStringLiteral("compressor")).isObject() ? defaultCompressorText(rc)
                                                                                          : tr("default (none)"));
    const QJsonValue filters = g.value(QStringLiteral("filters"));
    m_filters->setText(filters.isArray()
                           ? QString::fromUtf8(QJsonDocument(filters.toArray()).toJson(QJsonDocument::Compact))
                           : filters.isString() ? filters.toString()
                                                : QString());
    m_fillValue->setText(scalarText(g.value(QStringLiteral("fill_value"))));
    m_fillValue->setPlaceholderText(scalarText(resolved.value(QStringLiteral("fill_value"))));
    selectJson(m_order, g.value(QStringLiteral("order")));
    selectJson(m_separator, g.value(QStringLiteral("dimension_separator")));
    m_v3->load(g, m_hasResolved ? r.chunks : std::vector<int64_t>(), m_hasResolved ? int(r.shape.size()) : 0,
               m_hasResolved && r.dtypeKnown ? r.dtype.itemsize() : 0);

    // hdf5
    m_file->setText(g.value(QStringLiteral("file")).toString());
    m_file->setPlaceholderText(tr("in memory"));
    m_dataset->setText(g.value(QStringLiteral("dataset")).toString());
    const QJsonValue compression = g.value(QStringLiteral("compression"));
    if (compression.isNull())
        m_compression->setCurrentIndex(0);
    else
        selectJson(m_compression, compression);
    m_compressionOpts->setValue(g.value(QStringLiteral("compression_opts")).toInt(-1));
    m_hdf5Shuffle->setChecked(g.value(QStringLiteral("shuffle")).toBool());

    // carray
    m_chunklen->setText(scalarText(g.value(QStringLiteral("chunklen"))));
    // A carray's chunklen is the first entry of its chunks.
    m_chunklen->setPlaceholderText(m_hasResolved && !r.chunks.empty() ? QString::number(r.chunks[0]) : QString());
    const QJsonObject cp = g.value(QStringLiteral("cparams")).toObject();
    m_cpCname->setCurrentIndex(std::max(0, m_cpCname->findData(cp.value(QStringLiteral("cname")).toString())));
    m_cpClevel->setValue(cp.value(QStringLiteral("clevel")).toInt(-1));
    const QJsonValue cps = cp.value(QStringLiteral("shuffle"));
    m_cpShuffle->setCurrentIndex(cps.isDouble() ? std::max(0, m_cpShuffle->findData(cps.toInt())) : 0);
    m_rootdir->setText(g.value(QStringLiteral("rootdir")).toString());
    m_rootdir->setPlaceholderText(tr("in memory"));

    updateVisibility();
    showExistingSizes();
    m_loading = false;
}

void ArrayForm::showExistingSizes()
{
    // With "existing" data the file decides dtype, shape and chunks: the fields show what it holds and
    // take no edit, except to clear a value the scenario gives (which must agree with the file).
    const bool existing = m_given.value(QStringLiteral("fill")).toString() == QLatin1String("existing");
    const QString why = tr("Read from the existing data at the array's path.");
    const ArraySpec &r = m_resolved;
    const bool known = existing && m_hasResolved;
    const auto show = [&](const QString &key, const QString &fileText, const auto &setText) {
        const bool given = m_given.contains(key);
        m_rows.setApplies(key, !existing, why, given);
        if (known && !given)
            setText(fileText);
    };
    show(QStringLiteral("dtype"), r.dtypeKnown ? r.dtype.typestr() : QString(),
         [this](const QString &t) { m_dtype->setCurrentText(t); });
    show(QStringLiteral("shape"), listText(r.shape), [this](const QString &t) { m_shape->setText(t); });
    show(QStringLiteral("chunks"), listText(r.chunks), [this](const QString &t) { m_chunks->setText(t); });
}

void ArrayForm::updateVisibility()
{
    const StoreKind *kind = findStoreKind(m_store->currentData().toString());
    const QStringList applies = kind ? kind->formFields(m_given) : QStringList();
    for (const StoreKind *k : storeKinds())
        for (const KindKey &key : k->keys())
            for (const QString &field : key.formFields)
                m_rows.setVisible(field, applies.contains(field));
    m_s3->updateVisibility(kind == &zarrKind(), m_given);
}

void ArrayForm::apply(const QString &key, const QJsonValue &value)
{
    if (m_loading || !setOrRemove(m_given, key, value))
        return;
    updateVisibility();
    emit givenEdited(m_id, m_given);
}

void ArrayForm::applyStore()
{
    if (m_loading)
        return;
    const QString store = m_store->currentData().toString();
    // Keys of another store kind are an error in the file, so they go with the old kind.
    const StoreKind *kind = findStoreKind(store);
    QStringList own;
    if (kind)
        for (const KindKey &key : kind->keys())
            own.append(key.name);
    for (const StoreKind *other : storeKinds())
        for (const KindKey &key : other->keys())
            if (!own.contains(key.name))
                m_given.remove(key.name);
    m_given.insert(QStringLiteral("store"), store);
    if (kind) {
        const QJsonObject fresh = kind->keysForNewArray(m_id);
        for (auto it = fresh.begin(); it != fresh.end(); ++it)
            if (!m_given.contains(it.key()))
                m_given.insert(it.key(), it.value());
    }
    emit givenEdited(m_id, m_given);
    load();
}

void ArrayForm::applyZarrFormat(const QJsonValue &format)
{
    if (m_loading)
        return;
    switchZarrFormat(m_given, m_otherFormat, format);
    emit givenEdited(m_id, m_given);
    load();
}

void ArrayForm::applyFill()
{
    const QString kind = m_fill->currentText();
    const QString arg = m_fillArg->text().trimmed();
    m_fillArg->setVisible(kind == QLatin1String("constant") || kind == QLatin1String("random")
                          || kind == QLatin1String("copy"));
    QJsonValue value;
    if (kind == QLatin1String("default")) {
        value = QJsonValue(QJsonValue::Undefined);
    } else if (kind == QLatin1String("constant")) {
        const QJsonValue v = parseScalar(arg);
        value = QJsonObject{{kind, v.isUndefined() ? QJsonValue(0) : v}};
    } else if (kind == QLatin1String("random")) {
        const QJsonValue v = parseScalar(arg);
        value = QJsonObject{{kind, QJsonObject{{QStringLiteral("seed"), v.isUndefined() ? QJsonValue(0) : v}}}};
    } else if (kind == QLatin1String("copy")) {
        value = QJsonObject{{kind, arg}};
    } else {
        value = kind;
    }
    apply(QStringLiteral("fill"), value);
}

void ArrayForm::applyCompressor()
{
    if (m_loading)
        return;
    QString id = m_compressor->currentData().toString();
    const bool subfieldEdit = sender() != m_compressor;
    if (id.isEmpty() || id == QLatin1String("null")) {
        if (!subfieldEdit) {
            apply(QStringLiteral("compressor"), currentJson(m_compressor));
            return;
        }
        // Tuning blosc while the default compressor is chosen makes the choice explicit.
        id = QStringLiteral("blosc");
        m_loading = true;
        m_compressor->setCurrentIndex(m_compressor->findData(id));
        m_loading = false;
    }
    QJsonObject o{{QStringLiteral("id"), id}};
    if (zarrCompressorTakesLevel(id)) {
        o.insert(QStringLiteral("level"), m_clevel->value());
    } else if (id != QLatin1String("blosc")) {
        // lz4's acceleration and lzma's preset keep numcodecs' defaults; the scenario file sets them.
    } else {
        o.insert(QStringLiteral("cname"), m_cname->currentText());
        o.insert(QStringLiteral("clevel"), m_clevel->value());
        o.insert(QStringLiteral("shuffle"), m_shuffle->currentData().toInt());
        if (m_blocksize->value() > 0)
            o.insert(QStringLiteral("blocksize"), m_blocksize->value());
    }
    apply(QStringLiteral("compressor"), o);
}

void ArrayForm::applyCparams()
{
    QJsonObject o;
    if (!m_cpCname->currentData().toString().isEmpty())
        o.insert(QStringLiteral("cname"), m_cpCname->currentData().toString());
    if (m_cpClevel->value() >= 0)
        o.insert(QStringLiteral("clevel"), m_cpClevel->value());
    if (m_cpShuffle->currentData().isValid())
        o.insert(QStringLiteral("shuffle"), m_cpShuffle->currentData().toInt());
    apply(QStringLiteral("cparams"), o.isEmpty() ? QJsonValue(QJsonValue::Undefined) : QJsonValue(o));
}

} // namespace cs
