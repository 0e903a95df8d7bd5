#pragma once

#include "charts/profilepane.h"

#include <QDialog>

class QComboBox;
class QDoubleSpinBox;
class QLineEdit;
class QSpinBox;

namespace cs {

class ProfileView;
class ScalingChart;

// Asks where to save a picture of the profile view, one of its charts or the scaling chart, and at
// what size: the size it has in the window by default, or any other. The file's extension picks the
// format: ".svg" an SVG drawing, anything else a PNG (times a device pixel ratio for high-DPI images).
class ExportDialog : public QDialog {
    Q_OBJECT
public:
    struct Target {
        QString label;
        ProfilePane::Parts parts;
        QSize windowSize; // its size in the window now
    };

    ExportDialog(const QList<Target> &targets, qreal devicePixelRatio, const QString &suggestedPath,
                 QWidget *parent = nullptr);

    // Asks what to export from the view (the whole view or one of its charts, for every run it
    // shows) and saves it. False with an empty *error when the user cancelled.
    static bool exportProfile(ProfileView *view, QWidget *parent, QString *savedPath, QString *error);
    // The same for the scaling chart and its table.
    static bool exportScaling(ScalingChart *chart, QWidget *parent, QString *savedPath, QString *error);

    int targetIndex() const;
    QSize imageSize() const;
    qreal devicePixelRatio() const;
    // The ratio the dialog starts on: 2, or the screen's own when that is higher.
    static qreal defaultPixelRatio(const QWidget *parent);
    // The file to write; ".png" is added when it ends in neither ".png" nor ".svg".
    QString path() const;

private:
    void targetChanged();

    QList<Target> m_targets;
    QComboBox *m_target;
    QSpinBox *m_width;
    QSpinBox *m_height;
    QDoubleSpinBox *m_ratio;
    QLineEdit *m_path;
};

} // namespace cs
