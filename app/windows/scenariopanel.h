#pragma once

#include "scenario/scenario.h"

#include <QHash>
#include <QStringList>
#include <QWidget>

class QLabel;
class QLineEdit;
class QPlainTextEdit;
class QPushButton;
class QStackedWidget;
class QTreeWidget;
class QTreeWidgetItem;

namespace cs {

class ArrayForm;
class RunForm;
class ScenarioDocument;

// The scenario in a tree (the scenario itself, its arrays, its runs) and, below, the form of the
// selected item. Invalid input is reported under the field it concerns, in the words of the
// command line, and a banner names the error wherever it is.
class ScenarioPanel : public QWidget {
    Q_OBJECT
public:
    explicit ScenarioPanel(ScenarioDocument *document, QWidget *parent = nullptr);

    // The selected run's index in the scenario's runs as given; -1 when no run is selected.
    int selectedRunIndex() const;
    QString selectedArrayId() const;
    void selectRun(int index);
    void selectArray(const QString &id);
    // Selects the scenario item, which shows its summary, with the tree scrolled to its top.
    void selectScenario();
    // Wall times of finished runs by name (the latest of a name counts), from which the summary
    // gives a rough time for Run all.
    void addRunTimes(const QHash<QString, double> &secondsByRun);
    QString summaryText() const;

    ArrayForm *arrayForm() const { return m_arrayForm; }
    RunForm *runForm() const { return m_runForm; }
    QString bannerText() const;

signals:
    void selectionChanged();

private:
    enum ItemKind { ScenarioItem = 1, ArraysRoot, RunsRoot, ArrayItem, RunItem };
    void rebuildTree();
    void updateTreeLabels();
    void onSelection();
    void reloadForm();
    void scheduleReload();
    void showErrors();
    void addClicked();
    void removeClicked();
    void jumpToError();
    QTreeWidgetItem *itemForPointer(const QString &pointer) const;

    ScenarioDocument *m_doc;
    QTreeWidget *m_tree;
    QPushButton *m_addArray;
    QPushButton *m_addRun;
    QPushButton *m_remove;
    QLabel *m_banner;
    QStackedWidget *m_stack;
    QWidget *m_scenarioPage;
    QLabel *m_summary;
    QHash<QString, double> m_runSeconds;
    QLineEdit *m_name;
    QPlainTextEdit *m_description;
    ArrayForm *m_arrayForm;
    RunForm *m_runForm;
    QWidget *m_emptyPage;
    QList<ArraySpec> m_idsOf; // the arrays m_ids was taken from
    QStringList m_ids;
    bool m_reloadPending = false;
    bool m_rebuilding = false;
};

} // namespace cs
