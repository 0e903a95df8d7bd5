#pragma once

// What a test reads off a Qt Charts view: the texts it shows, axis labels and titles included, so
// that it can check none was cut to an ellipsis.

#include <QChartView>
#include <QGraphicsScene>
#include <QGraphicsTextItem>
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

} // namespace cs::testing
