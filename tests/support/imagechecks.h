#pragma once

#include <QImage>
#include <QSet>

namespace cs::testing {

// How many colours an image uses, sampled every other pixel: a blank export has one or two, a chart many.
inline int distinctColours(const QImage &image)
{
    QSet<QRgb> colours;
    for (int y = 0; y < image.height(); y += 2)
        for (int x = 0; x < image.width(); x += 2)
            colours.insert(image.pixel(x, y));
    return int(colours.size());
}

} // namespace cs::testing
