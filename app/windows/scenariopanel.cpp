#include "scenariopanel.h"

#include "allocationbar.h"
#include "arrayform.h"
#include "fielderrors.h"
#include "longtext.h"
#include "runform.h"
#include "scenariodocument.h"
#include "scenariosummary.h"

#include <QFontMetrics>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QJsonObject>
#include <QLabel>
#include <QLineEdit>
#include <QMessageBox>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QScrollArea>
#include <QSplitter>
#include <QStackedWidget>
#include <QStyle>
#include <QTimer>
#include <QTreeWidget>
#include <QVBoxLayout>

namespace cs {

namespace {
constexpr int KindRole = Qt::UserRole + 1;
constexpr int KeyRole = Qt::UserRole + 2;
constexpr int kBannerLines = 3;
const QString kErrorBanner = QStringLiteral(
    "QLabel { background: #fff5f5; color: #c53030; border: 1px solid #feb2b2; border-radius: 3px; padding: 4px; }");
const QString kQuietBanner = QStringLiteral(
    "QLabel { background: #f0fff4; color: #2f855a; border: 1px solid #c6f6d5; border-radius: 3px; padding: 4px; }");
} // namespace

ScenarioPanel::ScenarioPanel(ScenarioDocument *document, QWidget *parent)
    : QWidget(parent)
    , m_doc(document)
{
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(4, 4, 4, 4);
    auto *splitter = new QSplitter(Qt::Vertical, this);
    layout->addWidget(splitter);

    auto *top = new QWidget(splitter);
    auto *topLayout = new QVBoxLayout(top);
    topLayout->setContentsMargins(0, 0, 0, 0);
    m_tree = new QTreeWidget(top);
    m_tree->setColumnCount(2);
    m_tree->setHeaderLabels({tr("Item"), tr("Details")});
    m_tree->header()->setSectionResizeMode(0, QHeaderView::Interactive);
    m_tree->setRootIsDecorated(true);
    m_tree->setUniformRowHeights(true);
    // At least six rows in sight, the scenario and a few arrays and runs, however small the screen:
    // the splitter gives the rest to the form, which scrolls.
    constexpr double kMinRows = 6.5;
    const int row = QFontMetrics(m_tree->font()).height() + 4;
    m_tree->setMinimumHeight(m_tree->header()->sizeHint().height() + int(kMinRows * row) + 2 * m_tree->frameWidth());
    topLayout->addWidget(m_tree);
    auto *buttons = new QHBoxLayout;
    m_addArray = new QPushButton(tr("Add array"), top);
    m_addRun = new QPushButton(tr("Add run"), top);
    m_remove = new QPushButton(tr("Remove"), top);
    buttons->addWidget(m_addArray);
    buttons->addWidget(m_addRun);
    buttons->addStretch(1);
    buttons->addWidget(m_remove);
    topLayout->addLayout(buttons);

    auto *bottom = new QWidget(splitter);
    auto *bottomLayout = new QVBoxLayout(bottom);
    bottomLayout->setContentsMargins(0, 0, 0, 0);
    m_banner = new QLabel(bottom);
    m_banner->setWordWrap(true);
    m_banner->setTextInteractionFlags(Qt::TextBrowserInteraction);
    m_banner->setStyleSheet(kQuietBanner);
    m_banner->setAlignment(Qt::AlignLeft | Qt::AlignTop);
    // As high whatever it says; showErrors() cuts what does not fit.
    m_banner->setFixedHeight(kBannerLines * m_banner->fontMetrics().lineSpacing() + 12);
    bottomLayout->addWidget(m_banner);
    auto *scroll = new QScrollArea(bottom);
    scroll->setWidgetResizable(true);
    scroll->setFrameShape(QFrame::NoFrame);
    m_stack = new QStackedWidget;
    scroll->setWidget(m_stack);
    bottomLayout->addWidget(scroll, 1);

    m_emptyPage = new QLabel(tr("Select an array or a run to edit it."));
    static_cast<QLabel *>(m_emptyPage)->setAlignment(Qt::AlignCenter);
    // The summary first, then name and description, and the rest of the page empty: rows spread
    // over the height would push the description out of sight.
    m_scenarioPage = new QWidget;
    auto *scenarioLayout = new QVBoxLayout(m_scenarioPage);
    m_summary = new QLabel(m_scenarioPage);
    m_summary->setObjectName(QStringLiteral("scenarioSummary"));
    m_summary->setWordWrap(true);
    m_summary->setTextFormat(Qt::RichText);
    m_summary->setAlignment(Qt::AlignLeft | Qt::AlignTop);
    // As wide as the dock, never wider: its lines wrap instead.
    m_summary->setSizePolicy(QSizePolicy::Ignored, QSizePolicy::Preferred);
    scenarioLayout->addWidget(m_summary);
    auto *scenarioForm = new QFormLayout;
    m_name = new QLineEdit(m_scenarioPage);
    m_description = new QPlainTextEdit(m_scenarioPage);
    m_description->setMaximumHeight(120);
    scenarioForm->addRow(tr("Name"), m_name);
    scenarioForm->addRow(tr("Description"), m_description);
    scenarioLayout->addLayout(scenarioForm);
    scenarioLayout->addStretch(1);
    m_arrayForm = new ArrayForm;
    m_runForm = new RunForm;
    for (QWidget *w :
         {m_emptyPage, m_scenarioPage, static_cast<QWidget *>(m_arrayForm), static_cast<QWidget *>(m_runForm)})
        m_stack->addWidget(w);
    splitter->setStretchFactor(0, 2);
    splitter->setStretchFactor(1, 3);

    connect(m_tree, &QTreeWidget::itemSelectionChanged, this, &ScenarioPanel::onSelection);
    connect(m_addArray, &QPushButton::clicked, this, [this] { selectArray(m_doc->addArray()); });
    connect(m_addRun, &QPushButton::clicked, this, [this] { selectRun(m_doc->addRun()); });
    connect(m_remove, &QPushButton::clicked, this, &ScenarioPanel::removeClicked);
    connect(m_banner, &QLabel::linkActivated, this, &ScenarioPanel::jumpToError);
    connect(m_name, &QLineEdit::editingFinished, this, [this] { m_doc->setName(m_name->text()); });
    connect(m_description, &QPlainTextEdit::textChanged, this,
            [this] { m_doc->setDescription(m_description->toPlainText()); });
    connect(m_arrayForm, &ArrayForm::givenEdited, m_doc, &ScenarioDocument::setArrayGiven);
    connect(m_arrayForm, &ArrayForm::renameRequested, this, [this](const QString &from, const QString &to) {
        QString error;
        if (m_doc->renameArray(from, to, &error))
            selectArray(to);
        else
            QMessageBox::warning(this, tr("Rename array"), error);
    });
    connect(m_runForm, &RunForm::givenEdited, m_doc, &ScenarioDocument::setRunGiven);
    connect(m_doc, &ScenarioDocument::changed, this, [this](bool structure) {
        if (structure)
            rebuildTree();
        else
            updateTreeLabels();
        scheduleReload();
    });
    rebuildTree();
    reloadForm();
}

void ScenarioPanel::rebuildTree()
{
    // Keep the selection across the rebuild.
    const int run = selectedRunIndex();
    const QString array = selectedArrayId();
    const QTreeWidgetItem *current = m_tree->currentItem();
    const int kind = current ? current->data(0, KindRole).toInt() : 0;

    m_rebuilding = true;
    m_tree->clear();
    auto *scenario = new QTreeWidgetItem(m_tree, {tr("Scenario")});
    scenario->setData(0, KindRole, ScenarioItem);
    auto *arrays = new QTreeWidgetItem(m_tree, {tr("Arrays")});
    arrays->setData(0, KindRole, ArraysRoot);
    for (const ArraySpec &a : m_doc->scenario().arrays) {
        auto *item = new QTreeWidgetItem(arrays, {a.id});
        item->setData(0, KindRole, ArrayItem);
        item->setData(0, KeyRole, a.id);
    }
    auto *runs = new QTreeWidgetItem(m_tree, {tr("Runs")});
    runs->setData(0, KindRole, RunsRoot);
    for (qsizetype i = 0; i < m_doc->scenario().givenRuns.size(); ++i) {
        auto *item = new QTreeWidgetItem(runs);
        item->setData(0, KindRole, RunItem);
        item->setData(0, KeyRole, int(i));
    }
    m_tree->expandAll();
    updateTreeLabels();
    m_rebuilding = false;

    if (kind == RunItem && run >= 0)
        selectRun(std::min(run, int(m_doc->scenario().givenRuns.size()) - 1));
    else if (kind == ArrayItem && m_doc->scenario().array(array))
        selectArray(array);
    else if (kind == ScenarioItem)
        m_tree->setCurrentItem(scenario);
    else
        onSelection();
}

void ScenarioPanel::updateTreeLabels()
{
    const Scenario &s = m_doc->scenario();
    const QStyle *st = style();
    QTreeWidgetItem *bad = itemForPointer(m_doc->errorPointer());
    for (int t = 0; t < m_tree->topLevelItemCount(); ++t) {
        QTreeWidgetItem *top = m_tree->topLevelItem(t);
        if (top->data(0, KindRole).toInt() == ScenarioItem)
            top->setText(1, s.name);
        for (int c = 0; c < top->childCount(); ++c) {
            QTreeWidgetItem *item = top->child(c);
            if (item->data(0, KindRole).toInt() == ArrayItem) {
                const QString id = item->data(0, KeyRole).toString();
                const ArraySpec *a = s.array(id);
                const QJsonObject g = a ? a->given : QJsonObject();
                QString detail = g.value(QStringLiteral("store")).toString();
                if (g.contains(QStringLiteral("like")))
                    detail += tr(", like %1").arg(g.value(QStringLiteral("like")).toString());
                item->setText(1, detail);
            } else {
                const QJsonObject g = s.givenRuns.at(item->data(0, KeyRole).toInt()).toObject();
                item->setText(0, g.value(QStringLiteral("name")).toString());
                item->setText(1,
                              QStringLiteral("%1 → %2").arg(g.value(QStringLiteral("source")).toString(),
                                                            g.value(QStringLiteral("target")).toString()));
            }
            item->setIcon(0, item == bad ? st->standardIcon(QStyle::SP_MessageBoxWarning) : QIcon());
            item->setToolTip(0, item == bad ? m_doc->error() : QString());
        }
    }
    // The names' width and a gap: fitted exactly, a long run name runs into its source and target.
    m_tree->resizeColumnToContents(0);
    m_tree->setColumnWidth(0, m_tree->columnWidth(0) + 3 * m_tree->fontMetrics().averageCharWidth());
}

QTreeWidgetItem *ScenarioPanel::itemForPointer(const QString &pointer) const
{
    const QStringList parts = pointer.split(QLatin1Char('/'), Qt::SkipEmptyParts);
    if (parts.size() < 2)
        return nullptr;
    const int wanted = parts[0] == QLatin1String("arrays") ? ArrayItem
        : parts[0] == QLatin1String("runs")                ? RunItem
                                                           : 0;
    for (int t = 0; t < m_tree->topLevelItemCount(); ++t) {
        QTreeWidgetItem *top = m_tree->topLevelItem(t);
        for (int c = 0; c < top->childCount(); ++c) {
            QTreeWidgetItem *item = top->child(c);
            if (item->data(0, KindRole).toInt() == wanted && item->data(0, KeyRole).toString() == parts[1])
                return item;
        }
    }
    return nullptr;
}

int ScenarioPanel::selectedRunIndex() const
{
    const QTreeWidgetItem *item = m_tree->currentItem();
    if (!item || !item->isSelected() || item->data(0, KindRole).toInt() != RunItem)
        return -1;
    return item->data(0, KeyRole).toInt();
}

QString ScenarioPanel::selectedArrayId() const
{
    const QTreeWidgetItem *item = m_tree->currentItem();
    if (!item || !item->isSelected() || item->data(0, KindRole).toInt() != ArrayItem)
        return {};
    return item->data(0, KeyRole).toString();
}

void ScenarioPanel::selectRun(int index)
{
    if (QTreeWidgetItem *item = itemForPointer(QStringLiteral("/runs/%1").arg(index)))
        m_tree->setCurrentItem(item);
}

void ScenarioPanel::selectScenario()
{
    for (int t = 0; t < m_tree->topLevelItemCount(); ++t)
        if (QTreeWidgetItem *top = m_tree->topLevelItem(t); top->data(0, KindRole).toInt() == ScenarioItem)
            m_tree->setCurrentItem(top);
    m_tree->scrollToTop();
}

void ScenarioPanel::addRunTimes(const QHash<QString, double> &secondsByRun)
{
    m_runSeconds.insert(secondsByRun);
    if (m_stack->currentWidget() == m_scenarioPage)
        scheduleReload();
}

void ScenarioPanel::selectArray(const QString &id)
{
    if (QTreeWidgetItem *item = itemForPointer(QStringLiteral("/arrays/") + id))
        m_tree->setCurrentItem(item);
}

void ScenarioPanel::onSelection()
{
    if (m_rebuilding)
        return;
    reloadForm();
    emit selectionChanged();
}

void ScenarioPanel::scheduleReload()
{
    // Forms are reloaded after the edit that changed the scenario has returned, never from inside
    // the signal of the widget being edited.
    if (m_reloadPending)
        return;
    m_reloadPending = true;
    QTimer::singleShot(0, this, [this] {
        m_reloadPending = false;
        reloadForm();
    });
}

void ScenarioPanel::reloadForm()
{
    const Scenario &s = m_doc->scenario();
    const QTreeWidgetItem *item = m_tree->currentItem();
    const int kind = item && item->isSelected() ? item->data(0, KindRole).toInt() : 0;
    // Held, so that an edit of the arrays detaches from it: the same data means the same ids.
    if (s.arrays.constData() != m_idsOf.constData() || s.arrays.size() != m_idsOf.size()) {
        m_idsOf = s.arrays;
        m_ids.clear();
        m_ids.reserve(s.arrays.size());
        for (const ArraySpec &a : s.arrays)
            m_ids.append(a.id);
    }
    const QStringList &ids = m_ids;
    m_remove->setEnabled(kind == ArrayItem || kind == RunItem);
    m_addRun->setEnabled(s.arrays.size() >= 2);

    if (kind == ArrayItem) {
        const QString id = item->data(0, KeyRole).toString();
        const ArraySpec *edited = s.array(id);
        const ArraySpec *resolved = m_doc->sizedArray(id);
        if (edited) {
            // While the edits do not validate, the grey defaults come from the last valid build.
            const bool built = !edited->shape.empty();
            m_arrayForm->setArray(*edited, resolved ? resolved : built ? edited : nullptr, ids);
            QString detail;
            const int64_t bytes = m_doc->arrayEstimate(id, &detail);
            if (resolved)
                m_arrayForm->allocation()->setEstimate(bytes, detail);
            else
                m_arrayForm->allocation()->clear(tr("No estimate while the scenario is invalid."));
            m_stack->setCurrentWidget(m_arrayForm);
        }
    } else if (kind == RunItem) {
        const int index = item->data(0, KeyRole).toInt();
        m_runForm->setRun(index, s.givenRuns.at(index).toObject(), s.arrays, int(m_doc->expandedRuns(index).size()));
        QString detail;
        const int64_t bytes = m_doc->runEstimate(index, &detail);
        if (m_doc->isValid())
            m_runForm->allocation()->setEstimate(bytes, detail);
        else
            m_runForm->allocation()->clear(tr("No estimate while the scenario is invalid."));
        m_stack->setCurrentWidget(m_runForm);
    } else if (kind == ScenarioItem) {
        if (!m_name->hasFocus())
            m_name->setText(s.name);
        if (m_description->toPlainText() != s.description) {
            const QSignalBlocker block(m_description);
            m_description->setPlainText(s.description);
        }
        m_summary->setText(m_doc->isValid()
                               ? scenarioSummary(*m_doc->validScenario(), m_doc->estimateTotal(), m_runSeconds)
                               : tr("No summary while the scenario is not valid."));
        m_stack->setCurrentWidget(m_scenarioPage);
    } else {
        m_stack->setCurrentWidget(m_emptyPage);
    }
    showErrors();
}

void ScenarioPanel::showErrors()
{
    m_arrayForm->rows().clearErrors();
    m_runForm->rows().clearErrors();
    if (m_doc->isValid()) {
        m_banner->setProperty("invalid", false);
        m_banner->setStyleSheet(kQuietBanner);
        m_banner->setToolTip(QString());
        m_banner->setText(tr("The scenario is valid: %1 arrays, %2 runs.")
                              .arg(m_doc->scenario().arrays.size())
                              .arg(m_doc->validScenario()->runs.size()));
        return;
    }
    // Every error found goes under its own field when the form shows that item; the banner names the
    // first error itself only when no field of the form shows it.
    bool firstShown = false;
    for (const FieldError &e : m_doc->fieldErrors()) {
        const QStringList parts = e.pointer.split(QLatin1Char('/'), Qt::SkipEmptyParts);
        const QString rest = QStringList(parts.mid(2)).join(QLatin1Char('/')).prepend(QLatin1Char('/'));
        bool shown = false;
        if (parts.size() >= 2 && parts[0] == QLatin1String("arrays") && m_stack->currentWidget() == m_arrayForm
            && m_arrayForm->arrayId() == parts[1])
            shown = m_arrayForm->rows().showError(rest, e.line);
        else if (parts.size() >= 2 && parts[0] == QLatin1String("runs") && m_stack->currentWidget() == m_runForm
                 && QString::number(m_runForm->runIndex()) == parts[1])
            shown = m_runForm->rows().showError(rest, e.line);
        if (&e == &m_doc->fieldErrors().first())
            firstShown = shown;
    }
    const QString pointer = m_doc->errorPointer();
    const qsizetype count = m_doc->fieldErrors().size();
    QString text = count > 1 ? tr("The scenario is not valid (%1 errors found); runs are disabled.").arg(count)
                             : tr("The scenario is not valid; runs are disabled.");
    const QString link
        = itemForPointer(pointer) && !firstShown ? QStringLiteral(" <a href='#'>%1</a>").arg(tr("Show")) : QString();
    // The banner keeps its height, so that the form below does not move under the pointer as the
    // scenario turns valid or invalid: an error longer than its lines is cut, whole in the tooltip.
    if (!firstShown) {
        const QFontMetrics fm = m_banner->fontMetrics();
        const int lineWidth = std::max(m_banner->width(), 200) - 16;
        const int room = (kBannerLines - 1) * lineWidth - fm.horizontalAdvance(tr("Show")) - 4 * fm.averageCharWidth();
        text += QLatin1Char('\n') + fm.elidedText(breakableText(m_doc->error()), Qt::ElideRight, room);
    }
    setLongText(m_banner, text, link);
    m_banner->setToolTip(firstShown ? QString()
                                    : QStringLiteral("<p style='white-space:pre-wrap'>%1</p>")
                                          .arg(breakableText(m_doc->error()).toHtmlEscaped()));
    m_banner->setProperty("invalid", true);
    m_banner->setStyleSheet(kErrorBanner);
}

QString ScenarioPanel::summaryText() const
{
    return m_summary->text();
}

QString ScenarioPanel::bannerText() const
{
    return m_banner->property("invalid").toBool() ? m_banner->text() : QString();
}

void ScenarioPanel::jumpToError()
{
    if (QTreeWidgetItem *item = itemForPointer(m_doc->errorPointer()))
        m_tree->setCurrentItem(item);
}

void ScenarioPanel::removeClicked()
{
    const int run = selectedRunIndex();
    const QString array = selectedArrayId();
    if (run >= 0)
        m_doc->removeRun(run);
    else if (!array.isEmpty())
        m_doc->removeArray(array);
}

} // namespace cs
