#pragma once

#include <QHash>
#include <QLabel>
#include <QStringList>
#include <QVector>

namespace cs {

// A run's title: its figures in one line, "name · a → b · 2 workers · …", broken between figures, never
// inside one, when the pane is too narrow for them all. It breaks its own lines rather than asking for
// height-for-width, which would make the profile's scroll area keep every pane at full height.
class FigureLine : public QLabel {
    Q_OBJECT
public:
    explicit FigureLine(QWidget *parent = nullptr);

    // Each figure is a rich-text fragment.
    void setFigures(const QStringList &figures);
    const QStringList &figures() const { return m_figures; }
    // The figures on one line, as rich text.
    static QString join(const QStringList &figures);
    // How many lines the figures take at the label's current width.
    int lineCount() const { return m_lines; }

protected:
    void resizeEvent(QResizeEvent *event) override;
    void changeEvent(QEvent *event) override;

private:
    void measure();
    int widthOf(const QString &html);
    void breakLines();

    QStringList m_figures;
    QVector<int> m_widths; // of each figure, in the label's font
    int m_separatorWidth = -1; // -1: not measured in the current font
    // Each figure's width by its text, in the current font: a live title changes a figure or two
    // a few times a second, and laying out rich text is most of what a refresh of it costs.
    QHash<QString, int> m_widthCache;
    int m_lines = 1;
};

} // namespace cs
