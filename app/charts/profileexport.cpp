#include "profileexport.h"

#include "profileview.h"
#include "results/runresult.h"
#include "timeaxis.h"

namespace cs {

namespace {

// The view a spec describes, laid out for rendering, and the size of its picture.
QSize prepare(ProfileView &view, const ProfileImageSpec &spec)
{
    view.setShowFaults(spec.showFaults);
    view.showRuns(spec.runs);
    view.resize(spec.size);
    const QSize size(spec.size.width(),
                     spec.growToFit ? std::max(spec.size.height(), view.minimumSizeHint().height())
                                    : spec.size.height());
    view.resize(size);
    if (spec.t1 > spec.t0)
        view.axis()->setRange(spec.t0, spec.t1);
    return size;
}

QString pictureTitle(const ProfileImageSpec &spec)
{
    if (spec.runs.size() == 1 && spec.runs.first())
        return spec.runs.first()->name;
    return QStringLiteral("Chunkscope profile of %1 runs").arg(spec.runs.size());
}

} // namespace

QImage renderProfileImage(const ProfileImageSpec &spec)
{
    ProfileView view(nullptr, spec.parts);
    const QSize size = prepare(view, spec);
    return view.renderImage(size, spec.devicePixelRatio > 0 ? spec.devicePixelRatio : 1);
}

bool saveProfilePicture(const ProfileImageSpec &spec, const QString &path, QString *error)
{
    if (pictureFormatFor(path) == PictureFormat::Png)
        return savePng(renderProfileImage(spec), path, error);
    ProfileView view(nullptr, spec.parts);
    const QSize size = prepare(view, spec);
    return saveWidgetSvg(&view, size, pictureTitle(spec), path, error);
}

bool exportProfilePicture(const RunResult &run, const QString &path, QSize size, QString *error)
{
    if (!checkPictureSize(size, path, error))
        return false;
    ProfileImageSpec spec;
    // The view lives only inside this call, so it may borrow the caller's run without copying it.
    spec.runs = {std::shared_ptr<const RunResult>(&run, [](const RunResult *) {})};
    spec.size = size;
    return saveProfilePicture(spec, path, error);
}

bool exportProfilePng(const RunResult &run, const QString &path, QSize size, QString *error)
{
    if (!checkPictureSize(size, path, error))
        return false;
    ProfileImageSpec spec;
    spec.runs = {std::shared_ptr<const RunResult>(&run, [](const RunResult *) {})};
    spec.size = size;
    return savePng(renderProfileImage(spec), path, error);
}

} // namespace cs
