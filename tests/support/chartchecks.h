#pragma once

// What a test reads off a Qt Charts view: the texts it shows, axis labels and titles included, so
// that it can check none was cut to an ellipsis.

#include <QChartView>
#include <QGraphicsScene>
#include <QGraphicsTextItem>
#include <QLegend>
#include <QStringList>

namespace cs::testing {

inline QStringList visibleChartTexts(const QChartView *view)
{
    QStringList texts;
    for (QGraphicsItem *item : view->scene()->items())
        if (const auto *text = dynamic_cast<QGraphicsTextItem *>(item); text && text->isVisible())
            texts.append(text->toPlainText());
    return texts;
}

// Where each of the legend's shown labels lies, in the view's scene.
inline QList<QRectF> legendLabelRects(const QChartView *view)
{
    QList<QRectF> rects;
    QList<QGraphicsItem *> todo = view->chart()->legend()->childItems();
    while (!todo.isEmpty()) {
        QGraphicsItem *item = todo.takeLast();
        if (!item->isVisible())
            continue;
        if (dynamic_cast<QGraphicsTextItem *>(item))
            rects.append(item->sceneBoundingRect());
        todo += item->childItems();
    }
    return rects;
}

} // namespace cs::testing
