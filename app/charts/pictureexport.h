#pragma once

#include <QImage>
#include <QSize>
#include <QString>

#include <cstdint>

class QPainter;
class QWidget;

namespace cs {

// Every chart is saved the same two ways: a PNG of the widget rendered off screen, or an SVG of the
// very same painting (QSvgGenerator), chosen by the file's extension.
enum class PictureFormat { Png, Svg };

// Svg for a path ending in ".svg" (any case), Png otherwise.
PictureFormat pictureFormatFor(const QString &path);

// Lays `widget` out at `size` logical pixels (showing it off screen for the time of the call when it
// is hidden) and paints it, children included, with `painter`. Needs a QApplication.
void paintWidget(QWidget *widget, QSize size, QPainter &painter);

// The widget at `size` logical pixels as an image of size * devicePixelRatio pixels, on white.
QImage renderWidgetImage(QWidget *widget, QSize size, qreal devicePixelRatio);

// Writes an image as PNG, atomically (replaceFile); false and *error ("<path>: <reason>") on failure.
bool savePng(const QImage &image, const QString &path, QString *error);

// Paints the widget at `size` into an SVG file of that size, atomically (replaceFile), with `title` as its
// <title>; false and *error ("<path>: <reason>") on failure.
bool saveWidgetSvg(QWidget *widget, QSize size, const QString &title, const QString &path, QString *error);

// PNG (at devicePixelRatio) or SVG by the path's extension.
bool saveWidgetPicture(QWidget *widget, QSize size, qreal devicePixelRatio, const QString &title, const QString &path,
                       QString *error);

// The size limits every export accepts: 200x150 to 16384x16384. False and *error otherwise.
bool checkPictureSize(QSize size, const QString &path, QString *error);

// A PNG is rendered into an image of size * devicePixelRatio pixels, 4 bytes each, before it is
// written: refused up front, with the memory it would need, above kMaxPictureBytes (16384x16384 at
// ratio 1). False and *error otherwise; an SVG has no such image and passes.
constexpr int64_t kMaxPictureBytes = int64_t(1) << 30;
bool checkPictureMemory(QSize size, qreal devicePixelRatio, const QString &path, QString *error);

} // namespace cs
