#pragma once

#include "formfields.h"

#include <QJsonObject>
#include <QObject>

class QComboBox;
class QLabel;
class QLineEdit;
class QWidget;

namespace cs {

// The array form's rows for a Zarr array kept on an S3-compatible server: the array's "s3" object,
// with its endpoint, region, profile and allow_http, each a row of its own so that the scenario's
// errors show under the key they name. Credentials are never fields: the "s3" row says where they
// come from and whether the environment has them, never what they are. Keys of "s3" the rows do not
// show (one the scenario refuses, a credential pasted in) stay as given until the user removes them
// in the file.
class S3Rows : public QObject {
    Q_OBJECT
public:
    S3Rows(QWidget *form, FormRows &rows);

    void addRows();
    // Shows the "s3" object `given` holds.
    void load(const QJsonObject &given);
    // The rows show for a zarr array whose path is s3://, and for one that gives "s3" anyway, so that
    // the error about it shows where it can be cleared.
    void updateVisibility(bool zarr, const QJsonObject &given);

signals:
    // The array's new "s3" object; Undefined when no key is left.
    void edited(const QJsonValue &s3);

private:
    void set(const QString &key, const QJsonValue &value);

    QWidget *m_form;
    FormRows &m_rows;
    QJsonValue m_given; // the "s3" value as given, Undefined when left out
    bool m_loading = false;

    QLabel *m_credentials = nullptr;
    QLineEdit *m_endpoint = nullptr;
    QLineEdit *m_region = nullptr;
    QLineEdit *m_profile = nullptr;
    QComboBox *m_allowHttp = nullptr;
};

} // namespace cs
