#include "s3config.h"

#include "kv/storeerror.h"

#include <QDir>
#include <QFileInfo>
#include <QRegularExpression>
#include <QSettings>
#include <QUrl>

namespace cs {

namespace {

QString env(const char *name)
{
    return qEnvironmentVariable(name);
}

// The AWS tools' shared files are INI files, which QSettings reads; `section` is "default",
// "name" in credentials and "profile name" in config.
QString iniValue(const QString &file, const QString &section, const QString &key)
{
    if (!QFileInfo::exists(file))
        return QString();
    QSettings ini(file, QSettings::IniFormat);
    return ini.value(section + QLatin1Char('/') + key).toString().trimmed();
}

QString awsFile(const char *variable, const char *name)
{
    const QString set = env(variable);
    return set.isEmpty() ? QDir::homePath() + QStringLiteral("/.aws/") + QLatin1String(name) : set;
}

bool isLoopback(const QString &host)
{
    if (host.compare(QStringLiteral("localhost"), Qt::CaseInsensitive) == 0)
        return true;
    if (host == QLatin1String("::1"))
        return true;
    // 127.0.0.0/8, spelt as four decimal numbers (Qt Network, which would parse it, is not linked).
    const QStringList parts = host.split(QLatin1Char('.'));
    if (parts.size() != 4)
        return false;
    for (const QString &part : parts) {
        bool ok = false;
        if (part.toUInt(&ok) > 255 || !ok)
            return false;
    }
    return parts.front() == QLatin1String("127");
}

// The region and endpoint of a configuration whose profile is settled: the fields, then the
// environment, then the profile's config file, then us-east-1 and its AWS endpoint.
void fillRegionAndEndpoint(S3Config &out)
{
    if (out.endpoint.isEmpty())
        out.endpoint = env("AWS_ENDPOINT_URL");
    if (out.region.isEmpty())
        out.region = env("AWS_REGION");
    if (out.region.isEmpty()) {
        const QString section
            = out.profile == QLatin1String("default") ? out.profile : QStringLiteral("profile ") + out.profile;
        out.region = iniValue(awsFile("AWS_CONFIG_FILE", "config"), section, QStringLiteral("region"));
    }
    if (out.region.isEmpty())
        out.region = QStringLiteral("us-east-1");
    if (out.endpoint.isEmpty())
        out.endpoint = QStringLiteral("https://s3.%1.amazonaws.com").arg(out.region);
    while (out.endpoint.endsWith(QLatin1Char('/')))
        out.endpoint.chop(1);
}

QString settledProfile(const QString &profile)
{
    if (!profile.isEmpty())
        return profile;
    const QString set = env("AWS_PROFILE");
    return set.isEmpty() ? QStringLiteral("default") : set;
}

} // namespace

QString S3Config::resolvedEndpoint() const
{
    S3Config out;
    out.endpoint = endpoint;
    out.region = region;
    out.profile = settledProfile(profile);
    fillRegionAndEndpoint(out);
    // Scheme and host are case-insensitive; the rest of an endpoint is empty (resolved() checks it).
    const QUrl url(out.endpoint, QUrl::StrictMode);
    if (!url.isValid() || url.host().isEmpty())
        return out.endpoint;
    return url.toString(QUrl::StripTrailingSlash).toLower();
}

S3Config S3Config::resolved() const
{
    S3Config out = *this;
    // An explicit profile names where the credentials come from; without one the environment's keys
    // win over the default profile, as they do for the AWS command line.
    const bool explicitProfile = !out.profile.isEmpty();
    out.profile = settledProfile(out.profile);
    if (out.accessKeyId.isEmpty() && !explicitProfile) {
        out.accessKeyId = env("AWS_ACCESS_KEY_ID");
        out.secretAccessKey = env("AWS_SECRET_ACCESS_KEY");
        out.sessionToken = env("AWS_SESSION_TOKEN");
    }
    if (out.accessKeyId.isEmpty()) {
        const QString credentials = awsFile("AWS_SHARED_CREDENTIALS_FILE", "credentials");
        out.accessKeyId = iniValue(credentials, out.profile, QStringLiteral("aws_access_key_id"));
        out.secretAccessKey = iniValue(credentials, out.profile, QStringLiteral("aws_secret_access_key"));
        out.sessionToken = iniValue(credentials, out.profile, QStringLiteral("aws_session_token"));
    }
    fillRegionAndEndpoint(out);

    // Every later message names the endpoint, so one that carries a password is refused unnamed.
    if (QUrl(out.endpoint).userInfo().size() > 0)
        throw StoreError(QStringLiteral("the endpoint holds credentials (user:password@host); give them through "
                                        "AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY instead"));
    if (out.accessKeyId.isEmpty() || out.secretAccessKey.isEmpty())
        throw StoreError(QStringLiteral("no credentials for %1: set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, "
                                        "or name a profile of the shared credentials file")
                             .arg(out.endpoint));
    const QUrl url(out.endpoint, QUrl::StrictMode);
    const QString scheme = url.scheme().toLower();
    if (!url.isValid() || url.host().isEmpty() || (scheme != QLatin1String("https") && scheme != QLatin1String("http"))
        || !url.query().isEmpty() || !url.path().isEmpty())
        throw StoreError(QStringLiteral("endpoint \"%1\" is not an http(s)://host[:port] address").arg(out.endpoint));
    if (scheme == QLatin1String("http") && !out.allowHttp && !isLoopback(url.host()))
        throw StoreError(QStringLiteral("endpoint %1 is plain HTTP to a host that is not loopback: requests and "
                                        "data would cross the network unencrypted; use https, or set allow_http")
                             .arg(out.endpoint));
    if (out.maxAttempts < 1)
        out.maxAttempts = 1;
    return out;
}

bool S3Location::isS3Path(const QString &path)
{
    return path.startsWith(QLatin1String("s3://"), Qt::CaseInsensitive);
}

S3Location S3Location::parse(const QString &path)
{
    if (!isS3Path(path))
        throw StoreError(QStringLiteral("\"%1\" is not an s3://bucket/prefix path").arg(path));
    const QString rest = path.mid(5);
    const qsizetype slash = rest.indexOf(QLatin1Char('/'));
    S3Location out;
    out.bucket = slash < 0 ? rest : rest.left(slash);
    out.prefix = slash < 0 ? QString() : rest.mid(slash + 1);
    // S3's rules for new buckets; they keep the bucket a single path segment of the URL.
    static const QRegularExpression bucketName(QStringLiteral("^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$"));
    if (!bucketName.match(out.bucket).hasMatch())
        throw StoreError(QStringLiteral("\"%1\" names no valid bucket: a bucket is 3 to 63 lower-case letters, "
                                        "digits, dots and hyphens")
                             .arg(path));
    while (out.prefix.startsWith(QLatin1Char('/')))
        out.prefix.remove(0, 1);
    if (!out.prefix.isEmpty() && !out.prefix.endsWith(QLatin1Char('/')))
        out.prefix += QLatin1Char('/');
    return out;
}

} // namespace cs
