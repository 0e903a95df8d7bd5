#include "s3rows.h"

#include "kv/s3config.h"

#include <QComboBox>
#include <QLabel>
#include <QLineEdit>
#include <QUrl>

namespace cs {

namespace {

QLineEdit *lineEdit(QWidget *parent, const char *name)
{
    auto *e = new QLineEdit(parent);
    e->setObjectName(QLatin1String(name));
    e->setClearButtonEnabled(true);
    return e;
}

// What an AWS variable holds, for a placeholder; an endpoint without a user or password in it.
QString environmentText(const char *variable, const QString &otherwise)
{
    const QString value = qEnvironmentVariable(variable);
    if (value.isEmpty())
        return otherwise;
    const QString shown = QString::fromLatin1(variable) == QLatin1String("AWS_ENDPOINT_URL")
        ? QUrl(value).toString(QUrl::RemoveUserInfo)
        : value;
    return QStringLiteral("%1 (%2)").arg(shown, QLatin1String(variable));
}

} // namespace

S3Rows::S3Rows(QWidget *form, FormRows &rows)
    : QObject(form)
    , m_form(form)
    , m_rows(rows)
{
}

void S3Rows::addRows()
{
    // The "s3" row itself: errors about the object as a whole, or a key it may not hold, show here.
    m_credentials = new QLabel(m_form);
    m_credentials->setObjectName(QStringLiteral("s3Credentials"));
    m_credentials->setWordWrap(true);
    m_rows.add(QStringLiteral("s3"), tr("S3 server"), m_credentials,
               tr("Where the array's objects are. Keys left empty come from the environment, as the AWS tools "
                  "read it; credentials always do, and are never kept in a scenario"));

    m_endpoint = lineEdit(m_form, "s3Endpoint");
    m_rows.add(QStringLiteral("s3/endpoint"), tr("  endpoint"), m_endpoint,
               tr("The server's URL, e.g. https://s3.eu-west-1.amazonaws.com or http://127.0.0.1:9000"));
    connect(m_endpoint, &QLineEdit::editingFinished, this,
            [this] { set(QStringLiteral("endpoint"), parseText(m_endpoint->text())); });
    m_region = lineEdit(m_form, "s3Region");
    m_rows.add(QStringLiteral("s3/region"), tr("  region"), m_region, tr("The region requests are signed for"));
    connect(m_region, &QLineEdit::editingFinished, this,
            [this] { set(QStringLiteral("region"), parseText(m_region->text())); });
    m_profile = lineEdit(m_form, "s3Profile");
    m_rows.add(QStringLiteral("s3/profile"), tr("  profile"), m_profile,
               tr("A section of the shared credentials file (~/.aws/credentials)"));
    connect(m_profile, &QLineEdit::editingFinished, this,
            [this] { set(QStringLiteral("profile"), parseText(m_profile->text())); });
    m_allowHttp = new QComboBox(m_form);
    m_allowHttp->setObjectName(QStringLiteral("s3AllowHttp"));
    addJsonItem(m_allowHttp, tr("default (HTTPS, or HTTP on loopback)"), QJsonValue(QJsonValue::Undefined));
    addJsonItem(m_allowHttp, QStringLiteral("true"), true);
    addJsonItem(m_allowHttp, QStringLiteral("false"), false);
    m_rows.add(QStringLiteral("s3/allow_http"), tr("  allow_http"), m_allowHttp,
               tr("Plain HTTP to a server that is not on loopback sends the data and the signed requests "
                  "in the clear: it must be asked for"));
    connect(m_allowHttp, &QComboBox::activated, this,
            [this] { set(QStringLiteral("allow_http"), currentJson(m_allowHttp)); });
}

void S3Rows::load(const QJsonObject &given)
{
    m_loading = true;
    m_given = given.value(QStringLiteral("s3"));
    const QJsonObject o = m_given.toObject();
    // Text only: a value of another type shows as the scenario's error says it, quoted as typed.
    m_endpoint->setText(scalarText(o.value(QStringLiteral("endpoint"))));
    m_endpoint->setPlaceholderText(environmentText("AWS_ENDPOINT_URL", tr("AWS's endpoint for the region")));
    m_region->setText(scalarText(o.value(QStringLiteral("region"))));
    m_region->setPlaceholderText(environmentText("AWS_REGION", tr("the profile's region, or us-east-1")));
    m_profile->setText(scalarText(o.value(QStringLiteral("profile"))));
    m_profile->setPlaceholderText(environmentText("AWS_PROFILE", QStringLiteral("default")));
    selectJson(m_allowHttp, o.value(QStringLiteral("allow_http")));
    // Whether the environment has credentials, never what they are.
    const bool keys
        = qEnvironmentVariableIsSet("AWS_ACCESS_KEY_ID") && qEnvironmentVariableIsSet("AWS_SECRET_ACCESS_KEY");
    m_credentials->setText(keys ? tr("Credentials: from AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY (set)")
                                : tr("Credentials: from the profile in the shared credentials file "
                                     "(AWS_ACCESS_KEY_ID is not set)"));
    m_loading = false;
}

void S3Rows::updateVisibility(bool zarr, const QJsonObject &given)
{
    const bool shown = zarr
        && (S3Location::isS3Path(given.value(QStringLiteral("path")).toString())
            || given.contains(QStringLiteral("s3")));
    for (const char *key : {"s3", "s3/endpoint", "s3/region", "s3/profile", "s3/allow_http"})
        m_rows.setVisible(QLatin1String(key), shown);
}

void S3Rows::set(const QString &key, const QJsonValue &value)
{
    if (m_loading)
        return;
    // Only this key changes: every other key of "s3" stays as given, shown or not.
    QJsonObject o = m_given.toObject();
    if (!setOrRemove(o, key, value))
        return;
    m_given = o.isEmpty() ? QJsonValue(QJsonValue::Undefined) : QJsonValue(o);
    emit edited(m_given);
}

} // namespace cs
