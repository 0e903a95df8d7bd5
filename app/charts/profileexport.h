#pragma once

#include "pictureexport.h"
#include "profilepane.h"

#include <QImage>
#include <QList>
#include <QSize>
#include <QString>

#include <memory>

namespace cs {

struct RunResult;

// What to render: the runs (stacked as in the app), which parts of each pane, and the time window
// (t1 <= t0 means the whole runs).
struct ProfileImageSpec {
    QList<std::shared_ptr<const RunResult>> runs;
    ProfilePane::Parts parts = ProfilePane::All;
    QSize size{1600, 900};
    // Taller than size where the charts need more height at their readable minimum, so that none is
    // cut off; for a size nobody asked for.
    bool growToFit = false;
    qreal devicePixelRatio = 1;
    double t0 = 0;
    double t1 = 0;
    bool showFaults = true;
};

// Renders a ProfileView, the very widget the app shows, off screen into an image of
// spec.size * spec.devicePixelRatio pixels. Needs a QApplication (the offscreen platform will do).
QImage renderProfileImage(const ProfileImageSpec &spec);

// The same view as a PNG (at spec.devicePixelRatio) or an SVG (spec.size), by the path's extension.
bool saveProfilePicture(const ProfileImageSpec &spec, const QString &path, QString *error);

// The profile of one run as a PNG: title (run name and key figures), its verdict, the Gantt chart
// above the resource charts, at `size` logical pixels. Returns false and sets *error on failure.
bool exportProfilePng(const RunResult &run, const QString &path, QSize size, QString *error);
// The same picture as PNG or SVG, by the path's extension.
bool exportProfilePicture(const RunResult &run, const QString &path, QSize size, QString *error);

} // namespace cs
