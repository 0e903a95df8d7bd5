#include "pictureexport.h"

#include "io/atomicfile.h"
#include "units.h"

#include <QApplication>
#include <QBuffer>
#include <QImageWriter>
#include <QLayout>
#include <QPainter>
#include <QSvgGenerator>
#include <QWidget>

namespace cs {

PictureFormat pictureFormatFor(const QString &path)
{
    return path.endsWith(QLatin1String(".svg"), Qt::CaseInsensitive) ? PictureFormat::Svg : PictureFormat::Png;
}

void paintWidget(QWidget *widget, QSize size, QPainter &painter)
{
    // Laying out a hidden widget tree needs it "shown"; WA_DontShowOnScreen keeps it off screen.
    const bool wasVisible = widget->isVisible();
    const QSize oldSize = widget->size();
    if (!wasVisible) {
        widget->setAttribute(Qt::WA_DontShowOnScreen, true);
        widget->resize(size);
        widget->show();
    } else {
        widget->resize(size);
    }
    QApplication::sendPostedEvents();
    if (widget->layout())
        widget->layout()->activate();
    widget->render(&painter, QPoint(), QRegion(), QWidget::DrawWindowBackground | QWidget::DrawChildren);
    if (!wasVisible)
        widget->hide();
    else
        widget->resize(oldSize);
}

QImage renderWidgetImage(QWidget *widget, QSize size, qreal devicePixelRatio)
{
    const qreal ratio = devicePixelRatio > 0 ? devicePixelRatio : 1;
    QImage image(size * ratio, QImage::Format_ARGB32_Premultiplied);
    image.setDevicePixelRatio(ratio);
    image.fill(Qt::white);
    QPainter painter(&image);
    paintWidget(widget, size, painter);
    return image;
}

// Pictures are encoded in memory and written in one piece by replaceFile, which checks every
// step of the write, so a full disk never leaves a truncated picture behind.
bool savePng(const QImage &image, const QString &path, QString *error)
{
    QBuffer buffer;
    buffer.open(QIODevice::WriteOnly);
    QImageWriter writer(&buffer, "png");
    if (!writer.write(image)) {
        if (error)
            *error = QStringLiteral("%1: %2").arg(path, writer.errorString());
        return false;
    }
    return replaceFile(path, buffer.data(), error);
}

bool saveWidgetSvg(QWidget *widget, QSize size, const QString &title, const QString &path, QString *error)
{
    QBuffer buffer;
    buffer.open(QIODevice::WriteOnly);
    {
        QSvgGenerator svg;
        svg.setOutputDevice(&buffer);
        svg.setSize(size);
        svg.setViewBox(QRect(QPoint(0, 0), size));
        // The widgets' fonts are in points at the screen's resolution; the generator's own default
        // (72 dpi) would draw text a third smaller than the layout measured it.
        svg.setResolution(widget->logicalDpiY());
        svg.setTitle(title);
        svg.setDescription(QStringLiteral("Chunkscope"));
        QPainter painter;
        if (!painter.begin(&svg)) {
            if (error)
                *error = QStringLiteral("%1: cannot paint an SVG").arg(path);
            return false;
        }
        painter.fillRect(QRect(QPoint(0, 0), size), Qt::white);
        paintWidget(widget, size, painter);
    } // the generator writes its closing tags when the painter ends
    return replaceFile(path, buffer.data(), error);
}

bool saveWidgetPicture(QWidget *widget, QSize size, qreal devicePixelRatio, const QString &title, const QString &path,
                       QString *error)
{
    if (pictureFormatFor(path) == PictureFormat::Svg)
        return saveWidgetSvg(widget, size, title, path, error);
    return savePng(renderWidgetImage(widget, size, devicePixelRatio), path, error);
}

bool checkPictureSize(QSize size, const QString &path, QString *error)
{
    if (size.width() >= 200 && size.height() >= 150 && size.width() <= 16384 && size.height() <= 16384)
        return true;
    if (error)
        *error = QStringLiteral("%1: image size %2x%3 is outside 200x150 to 16384x16384")
                     .arg(path)
                     .arg(size.width())
                     .arg(size.height());
    return false;
}

bool checkPictureMemory(QSize size, qreal devicePixelRatio, const QString &path, QString *error)
{
    if (pictureFormatFor(path) == PictureFormat::Svg)
        return true;
    const QSize pixels = size * (devicePixelRatio > 0 ? devicePixelRatio : 1);
    const int64_t bytes = int64_t(pixels.width()) * int64_t(pixels.height()) * 4;
    if (bytes <= kMaxPictureBytes)
        return true;
    if (error)
        *error = QStringLiteral("%1: a %2x%3 pixel image needs %4 of memory, more than the %5 a picture may take; "
                                "lower the size or the pixel ratio")
                     .arg(path)
                     .arg(pixels.width())
                     .arg(pixels.height())
                     .arg(formatMemory(bytes), formatMemory(kMaxPictureBytes));
    return false;
}

} // namespace cs
