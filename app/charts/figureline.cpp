#include "figureline.h"

#include <QEvent>
#include <QTextDocument>

#include <cmath>

namespace cs {

namespace {
const QString kSeparator = QStringLiteral(" &nbsp;·&nbsp; ");

int htmlWidth(const QString &html, const QFont &font)
{
    QTextDocument doc;
    doc.setDefaultFont(font);
    doc.setDocumentMargin(0);
    doc.setHtml(html);
    return int(std::ceil(doc.idealWidth()));
}
} // namespace

FigureLine::FigureLine(QWidget *parent)
    : QLabel(parent)
{
    setTextFormat(Qt::RichText);
    setWordWrap(false);
    // Its length must not set the profile's width either: a small screen gets more lines, not a
    // sideways scroll.
    setSizePolicy(QSizePolicy::Ignored, QSizePolicy::Preferred);
}

QString FigureLine::join(const QStringList &figures)
{
    return figures.join(kSeparator);
}

void FigureLine::setFigures(const QStringList &figures)
{
    if (figures == m_figures)
        return;
    m_figures = figures;
    setToolTip(join(figures));
    measure();
    breakLines();
}

void FigureLine::measure()
{
    // Measured once per change of text or font, not per resize: a live title changes four times a second.
    m_widths.resize(m_figures.size());
    for (int i = 0; i < m_figures.size(); ++i)
        m_widths[i] = widthOf(m_figures[i]);
    // Alone, the separator's leading space would be dropped as a document's leading white space.
    if (m_separatorWidth < 0)
        m_separatorWidth = htmlWidth(QLatin1Char('x') + kSeparator + QLatin1Char('x'), font())
            - htmlWidth(QStringLiteral("xx"), font());
}

int FigureLine::widthOf(const QString &html)
{
    if (const auto it = m_widthCache.constFind(html); it != m_widthCache.cend())
        return *it;
    // A live run's times and rates are new at every refresh: the cache is bounded, not kept forever.
    constexpr qsizetype kMaxCached = 256;
    if (m_widthCache.size() >= kMaxCached)
        m_widthCache.clear();
    const int width = htmlWidth(html, font());
    m_widthCache.insert(html, width);
    return width;
}

void FigureLine::breakLines()
{
    const int available = contentsRect().width();
    QString text;
    int used = 0;
    m_lines = m_figures.isEmpty() ? 0 : 1;
    for (int i = 0; i < m_figures.size(); ++i) {
        if (i > 0) {
            // A figure that would run past the edge starts the next line; one wider than the whole
            // line stays on a line of its own.
            if (available > 0 && used + m_separatorWidth + m_widths[i] > available) {
                text += QStringLiteral("<br>");
                used = 0;
                ++m_lines;
            } else {
                text += kSeparator;
                used += m_separatorWidth;
            }
        }
        text += m_figures[i];
        used += m_widths[i];
    }
    if (text != QLabel::text())
        setText(text);
}

void FigureLine::resizeEvent(QResizeEvent *event)
{
    QLabel::resizeEvent(event);
    breakLines();
}

void FigureLine::changeEvent(QEvent *event)
{
    QLabel::changeEvent(event);
    if (event->type() == QEvent::FontChange) {
        m_widthCache.clear();
        m_separatorWidth = -1;
        measure();
        breakLines();
    }
}

} // namespace cs
