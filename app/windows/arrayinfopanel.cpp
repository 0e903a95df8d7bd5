#include "arrayinfopanel.h"

#include <QFontDatabase>
#include <QPlainTextEdit>
#include <QVBoxLayout>

namespace cs {

ArrayInfoPanel::ArrayInfoPanel(QWidget *parent)
    : QWidget(parent)
    , m_text(new QPlainTextEdit(this))
{
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    m_text->setReadOnly(true);
    m_text->setLineWrapMode(QPlainTextEdit::NoWrap);
    m_text->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    layout->addWidget(m_text);
    showRuns({});
}

QString ArrayInfoPanel::describeRun(const RunResult &run)
{
    QString text = QStringLiteral("== %1 ==\n").arg(run.name);
    auto section = [&text](const QString &title, const StoreInfo &info) {
        if (info.id.isEmpty())
            return;
        text += title + QLatin1Char('\n');
        for (const QString &line : info.describe().split(QLatin1Char('\n')))
            text += QStringLiteral("  ") + line + QLatin1Char('\n');
    };
    section(QStringLiteral("source before:"), run.sourceBefore);
    section(QStringLiteral("source after:"), run.source);
    section(QStringLiteral("target before:"), run.targetBefore);
    section(QStringLiteral("target after:"), run.target);
    if (!run.hdf5Path.isEmpty())
        text += QStringLiteral("HDF5 path: %1\n").arg(run.hdf5Path);
    if (!run.verifyMessage.isEmpty())
        text += QStringLiteral("verification: %1\n").arg(run.verifyMessage);
    if (!run.error.isEmpty())
        text += QStringLiteral("%1: %2\n").arg(statusName(run.status), run.error);
    return text;
}

void ArrayInfoPanel::showRuns(const QList<std::shared_ptr<const RunResult>> &runs)
{
    if (runs.isEmpty()) {
        m_text->setPlainText(tr("Select a finished run to see its arrays before and after the copy."));
        return;
    }
    QStringList parts;
    for (const auto &run : runs)
        parts.append(describeRun(*run));
    m_text->setPlainText(parts.join(QLatin1Char('\n')));
}

QString ArrayInfoPanel::text() const
{
    return m_text->toPlainText();
}

} // namespace cs
