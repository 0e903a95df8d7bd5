#include "profileexport.h"

#include "profileview.h"
#include "results/runresult.h"
#include "timeaxis.h"

#include <QImageWriter>
#include <QSaveFile>

namespace cs {

QImage renderProfileImage(const ProfileImageSpec &spec)
{
    ProfileView view(nullptr, spec.parts);
    view.setShowFaults(spec.showFaults);
    view.showRuns(spec.runs);
    view.resize(spec.size);
    if (spec.t1 > spec.t0)
        view.axis()->setRange(spec.t0, spec.t1);
    return view.renderImage(spec.size, spec.devicePixelRatio > 0 ? spec.devicePixelRatio : 1);
}

bool savePng(const QImage &image, const QString &path, QString *error)
{
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly)) {
        if (error)
            *error = QStringLiteral("%1: %2").arg(path, file.errorString());
        return false;
    }
    QImageWriter writer(&file, "png");
    if (!writer.write(image)) {
        if (error)
            *error = QStringLiteral("%1: %2").arg(path, writer.errorString());
        file.cancelWriting();
        return false;
    }
    if (!file.commit()) {
        if (error)
            *error = QStringLiteral("%1: %2").arg(path, file.errorString());
        return false;
    }
    return true;
}

bool exportProfilePng(const RunResult &run, const QString &path, QSize size, QString *error)
{
    if (size.width() < 200 || size.height() < 150 || size.width() > 16384 || size.height() > 16384) {
        if (error)
            *error = QStringLiteral("%1: image size %2x%3 is outside 200x150 to 16384x16384")
                         .arg(path)
                         .arg(size.width())
                         .arg(size.height());
        return false;
    }
    ProfileImageSpec spec;
    // The view lives only inside this call, so it may borrow the caller's run without copying it.
    spec.runs = {std::shared_ptr<const RunResult>(&run, [](const RunResult *) {})};
    spec.size = size;
    return savePng(renderProfileImage(spec), path, error);
}

} // namespace cs
